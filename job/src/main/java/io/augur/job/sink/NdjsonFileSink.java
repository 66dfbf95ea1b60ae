package io.augur.job.sink;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One local NDJSON file, for {@code augur replay} on a MiniCluster (run with parallelism 1). Clusters write through
 * Flink's FileSink instead ({@link Outputs}). The file is created fresh when the writer opens.
 */
public final class NdjsonFileSink<T> implements Sink<T> {
    private final String file;
    private final MapFunction<T, String> render;

    public NdjsonFileSink(Path file, MapFunction<T, String> render) {
        this.file = file.toAbsolutePath().toString();
        this.render = render;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return new Writer<>(Path.of(file), render);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final BufferedWriter out;
        private final MapFunction<T, String> render;

        Writer(Path file, MapFunction<T, String> render) throws IOException {
            Files.createDirectories(file.getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            this.render = render;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            try {
                out.write(render.map(element));
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot render " + element, e);
            }
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
