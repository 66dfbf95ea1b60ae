package io.augur.job.sink;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy;

import java.time.Duration;

/** Where a topology's NDJSON outputs go: one local file each (replay), or Flink FileSink directories (clusters). */
public interface Outputs {
    <T> void write(DataStream<T> stream, String name, MapFunction<T, String> render);

    /** {@code DIR/<name>.ndjson}, one file each, written by a single writer: for local replays. */
    static Outputs localFiles(java.nio.file.Path dir) {
        return new Outputs() {
            @Override
            public <T> void write(DataStream<T> stream, String name, MapFunction<T, String> render) {
                stream.sinkTo(new NdjsonFileSink<>(dir.resolve(name + ".ndjson"), render))
                        .name("NDJSON " + name).uid("ndjson-" + name).setParallelism(1);
            }
        };
    }

    /** {@code BASE/<name>/<yyyy-MM-dd--HH>/part-*}: exactly-once files committed on checkpoints, for clusters (s3://, hdfs://, file://). */
    static Outputs fileSink(String base) {
        return new Outputs() {
            @Override
            public <T> void write(DataStream<T> stream, String name, MapFunction<T, String> render) {
                FileSink<String> sink = FileSink.forRowFormat(new Path(base + "/" + name), new SimpleStringEncoder<String>("UTF-8"))
                        .withRollingPolicy(DefaultRollingPolicy.builder().withRolloverInterval(Duration.ofMinutes(15))
                                .withInactivityInterval(Duration.ofMinutes(5)).build())
                        .build();
                stream.map(render).returns(Types.STRING).name("Render " + name).uid("render-" + name)
                        .sinkTo(sink).name("Files " + name).uid("files-" + name);
            }
        };
    }

    /** Outputs discarded: for jobs whose results only go to metrics (and, with later sinks, notifications). */
    static Outputs none() {
        return new Outputs() {
            @Override
            public <T> void write(DataStream<T> stream, String name, MapFunction<T, String> render) {
            }
        };
    }
}
