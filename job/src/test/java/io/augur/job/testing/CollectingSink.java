package io.augur.job.testing;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test sink that collects into a static list by name (MiniCluster runs in the test's JVM). */
public final class CollectingSink<T> implements Sink<T> {
    private static final Map<String, List<Object>> RESULTS = new ConcurrentHashMap<>();
    private final String name;

    public CollectingSink(String name) {
        this.name = name;
        RESULTS.put(name, new CopyOnWriteArrayList<>());
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> results(String name) {
        return (List<T>) RESULTS.getOrDefault(name, List.of());
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
        List<Object> list = RESULTS.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                list.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
