package io.augur.job.replay;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.sink.Outputs;
import io.augur.job.tables.InsightTables;
import io.augur.job.tables.TableTargets;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.parse.ParseRecords;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code augur replay}: the whole topology on an embedded Flink over replay files, with progress and a summary. */
public final class Replay {
    private static final String[] SAMPLES = {"metrics.ndjson", "events.ndjson"};
    private final AugurConfig cfg;
    private final Path out;
    private final int parallelism;
    private final PrintStream progress;

    public Replay(AugurConfig cfg, Path out, int parallelism, PrintStream progress) {
        AugurConfig c = cfg.with(AugurConfig.SOURCE_TYPE.name(), "files");
        // the insight tables go next to the other outputs unless configured elsewhere
        this.cfg = c.isSet(AugurConfig.TABLES_PATH) ? c : c.with(AugurConfig.TABLES_PATH.name(), out.resolve("tables").toAbsolutePath().toString());
        this.out = out;
        this.parallelism = parallelism;
        this.progress = progress;
    }

    /** Copies the built-in sample data out of the jar, so that the file source can read it. */
    public static Path extractSamples() throws IOException {
        Path dir = Files.createTempDirectory("augur-samples");
        for (String s : SAMPLES) {
            try (InputStream in = Replay.class.getResourceAsStream("/samples/" + s)) {
                if (in == null) throw new IOException("built-in sample " + s + " missing from the jar: rebuild with ./augur --rebuild");
                Files.copy(in, dir.resolve(s), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        dir.toFile().deleteOnExit();
        return dir;
    }

    public ReplaySummary run() throws Exception {
        Files.createDirectories(out);
        TableTargets tables = TableTargets.from(cfg, null);
        if (tables.filesPath() != null) InsightTables.createLocalDirectories(tables.filesPath());
        Configuration conf = AugurJob.withLocalManagedMemory(AugurJob.flinkConfiguration(cfg, false));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        AugurJob.configure(env, cfg.with(AugurConfig.CHECKPOINT_INTERVAL.name(), "0"), false);
        env.setParallelism(parallelism);
        AugurJob.buildJob(env, cfg, Outputs.localFiles(out));

        long start = System.nanoTime();
        JobClient client = env.executeAsync(cfg.get(AugurConfig.JOB_NAME) + "-replay");
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        long lastRead = 0;
        long lastNanos = start;
        while (true) {
            try {
                JobExecutionResult result = done.get(2, TimeUnit.SECONDS);
                ReplaySummary summary = ReplaySummary.from(result.getAllAccumulatorResults(), (System.nanoTime() - start) / 1e9);
                Files.writeString(out.resolve("summary.json"), summary.toJson());
                return summary;
            } catch (TimeoutException notYet) {
                if (progress == null) continue;
                try {
                    Map<String, Object> acc = client.getAccumulators().get(2, TimeUnit.SECONDS);
                    long read = acc.get(IoCounters.ACC_PREFIX + IoCounters.READ) instanceof Number n ? n.longValue() : 0;
                    Object et = acc.get(ParseRecords.EVENT_TIME_REACHED);
                    long now = System.nanoTime();
                    double rate = (read - lastRead) / ((now - lastNanos) / 1e9);
                    progress.printf("augur: %,d items read, %,.0f/s, event time reached %s%n", read, rate,
                            et instanceof Number n && n.longValue() > 0 ? Instant.ofEpochMilli(n.longValue()) : "-");
                    lastRead = read;
                    lastNanos = now;
                } catch (TimeoutException | RuntimeException ignored) {
                    // progress is best effort; the job's result decides
                }
            }
        }
    }
}
