package io.augur.job.source;

import io.augur.job.config.ConfigException;
import io.augur.schema.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Replay files: files or directories of the wire formats Augur reads from Kinesis, one record per line. A line is the
 * record itself when it is text (JSON), or {@code base64:<data>} for a binary record (gzip or OpenTelemetry protobuf).
 * Whole files may be gzip-compressed ({@code .gz}). Bounded: the job reads as fast as it can, in event time.
 */
public final class ReplaySources {
    public static final String BASE64_PREFIX = "base64:";

    private ReplaySources() {}

    public static DataStream<RawRecord> files(StreamExecutionEnvironment env, List<String> paths, String origin, String uid) {
        return files(env, paths, origin, uid, Duration.ZERO);
    }

    /**
     * The same; with a positive {@code monitor} interval the paths are watched for new files and the source never ends
     * (its enumerator's state remembers the files already read, so a job resumed from a savepoint reads only new ones).
     */
    public static DataStream<RawRecord> files(StreamExecutionEnvironment env, List<String> paths, String origin, String uid, Duration monitor) {
        if (paths.isEmpty()) throw new ConfigException("no replay files given for " + origin);
        Path[] ps = new Path[paths.size()];
        for (int i = 0; i < ps.length; i++) {
            java.nio.file.Path p = java.nio.file.Path.of(paths.get(i));
            if (!p.isAbsolute() && !paths.get(i).contains("://")) p = p.toAbsolutePath();
            if (!paths.get(i).contains("://") && !java.nio.file.Files.exists(p)) {
                throw new ConfigException("replay path " + paths.get(i) + " does not exist");
            }
            ps[i] = paths.get(i).contains("://") ? new Path(paths.get(i)) : new Path(p.toUri());
        }
        FileSource.FileSourceBuilder<String> builder = FileSource.forRecordStreamFormat(new TextLineInputFormat(), ps);
        if (monitor != null && !monitor.isZero() && !monitor.isNegative()) builder.monitorContinuously(monitor);
        FileSource<String> source = builder.build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Replay " + origin).uid(uid)
                .flatMap(new ToRawRecord(origin)).returns(new AvroTypeInfo<>(RawRecord.class))
                .uid(uid + "-raw").name("Replay " + origin + " lines");
    }

    /** The Kinesis record a replay line stands for: {@code base64:<data>} decoded, text as its UTF-8 bytes. */
    public static byte[] recordBytes(String line) {
        if (line.startsWith(BASE64_PREFIX)) {
            try {
                return Base64.getDecoder().decode(line.substring(BASE64_PREFIX.length()).trim());
            } catch (IllegalArgumentException e) {
                return line.getBytes(StandardCharsets.UTF_8); // the parser dead-letters it as not JSON
            }
        }
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** A replay line as the Kinesis record it stands for; blank lines are no records. */
    public static final class ToRawRecord implements FlatMapFunction<String, RawRecord> {
        private final String origin;

        public ToRawRecord(String origin) {
            this.origin = origin;
        }

        @Override
        public void flatMap(String line, Collector<RawRecord> out) {
            if (line.isBlank()) return;
            out.collect(RawRecord.newBuilder().setOrigin(origin).setPayload(ByteBuffer.wrap(recordBytes(line)))
                    .setReceivedAt(System.currentTimeMillis()).build());
        }
    }
}
