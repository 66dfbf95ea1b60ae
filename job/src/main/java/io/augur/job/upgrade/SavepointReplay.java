package io.augur.job.upgrade;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.sink.Outputs;
import io.augur.job.topology.AugurTopology;
import io.augur.ops.flink.IoCounters;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One leg of a replay that stops with a savepoint: the production job ({@link AugurJob#buildJob}, the configured state
 * backend) on a local Flink over replay paths watched for new files ({@code replay.monitor-interval}), optionally
 * resumed from a savepoint. It waits until the sources have read the given number of records (every line of the files
 * in the watched paths), lets event time settle, and stops with a savepoint:
 * <ul>
 *     <li>without draining, the state stays as it is mid-stream: open anomalies and insights stay open, event-time timers
 *     do not fire. The savepoint holds every effect of the records read: a savepoint's barriers follow those records
 *     through every operator;</li>
 *     <li>draining advances event time to its end first, as a bounded replay's end does: everything open closes.</li>
 * </ul>
 * Used by {@code augur savepoint-fixture} and the savepoint restore and rescaling tests.
 */
public final class SavepointReplay {
    /** How long counters must stay unchanged after the last record was read before the savepoint is taken. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    /** What a leg produced: where its savepoint is, and how many records it read. */
    public record Result(String savepoint, long read, double seconds) {}

    private final AugurConfig cfg;
    private final int parallelism;
    private final Path out;
    private String restoreFrom;
    private Consumer<AugurTopology.Streams> extra = s -> {};
    private Duration timeout = Duration.ofMinutes(5);

    /**
     * @param cfg the job's configuration: {@code source.type=files}, the replay paths, and a positive
     *            {@code replay.monitor-interval} (anything else as in production)
     * @param out where the NDJSON outputs of this leg go ({@code DIR/<name>.ndjson})
     */
    public SavepointReplay(AugurConfig cfg, int parallelism, Path out) {
        if (!"files".equals(cfg.get(AugurConfig.SOURCE_TYPE)) || cfg.getDuration(AugurConfig.REPLAY_MONITOR).isZero()) {
            throw new IllegalArgumentException("a savepoint replay needs source.type=files and a positive replay.monitor-interval");
        }
        this.cfg = cfg.with(AugurConfig.CHECKPOINT_INTERVAL.name(), "0");
        this.parallelism = parallelism;
        this.out = out;
    }

    /** Resume from this savepoint (a directory or its {@code _metadata} file). */
    public SavepointReplay restoreFrom(String savepoint) {
        this.restoreFrom = savepoint;
        return this;
    }

    /** Attaches more sinks to the topology (tests: collect scores). */
    public SavepointReplay with(Consumer<AugurTopology.Streams> extra) {
        this.extra = extra;
        return this;
    }

    public SavepointReplay timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * Runs until {@code records} records are read, then stops with a savepoint into {@code savepointDir}.
     *
     * @param drain advance event time to its end before the savepoint (closes everything open) or not (mid-stream state)
     */
    public Result run(long records, Path savepointDir, boolean drain) throws Exception {
        Files.createDirectories(out);
        Configuration conf = AugurJob.flinkConfiguration(cfg, false);
        if (restoreFrom != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        AugurJob.configure(env, cfg, false);
        env.setParallelism(parallelism);
        AugurTopology.Streams streams = AugurJob.buildJob(env, cfg, Outputs.localFiles(out), AugurTopology.Streams::anomalies);
        extra.accept(streams);

        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        JobClient client = env.executeAsync(cfg.get(AugurConfig.JOB_NAME) + "-savepoint-replay");
        CompletableFuture<?> done = client.getJobExecutionResult();
        try {
            long read = awaitRead(client, done, records, deadline);
            String path = client.stopWithSavepoint(drain, savepointDir.toAbsolutePath().toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            done.get(remaining(deadline), TimeUnit.NANOSECONDS); // the sinks have closed their files
            return new Result(path, read, (System.nanoTime() - start) / 1e9);
        } catch (Exception e) {
            if (!done.isDone()) client.cancel();
            throw e;
        }
    }

    /** Waits until the sources read {@code records} and the counters have not moved for {@link #SETTLE}. */
    private static long awaitRead(JobClient client, CompletableFuture<?> done, long records, long deadline) throws Exception {
        long read = -1;
        Map<String, Object> last = null;
        long stableSince = 0;
        while (true) {
            if (done.isDone()) {
                done.get(); // throws the job's failure
                throw new IllegalStateException("the job ended before it read " + records + " records (read " + read + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the job read " + read + " of " + records + " records in time");
            }
            Map<String, Object> acc;
            try {
                acc = client.getAccumulators().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException notYet) {
                Thread.sleep(200);
                continue;
            }
            read = acc.get(IoCounters.ACC_PREFIX + IoCounters.READ) instanceof Number n ? n.longValue() : 0;
            if (read > records) {
                throw new IllegalStateException("the job read " + read + " records, more than the " + records + " expected");
            }
            long now = System.nanoTime();
            if (read < records || !acc.equals(last)) {
                last = acc;
                stableSince = now;
            } else if (now - stableSince >= SETTLE.toNanos()) {
                return read;
            }
            Thread.sleep(200);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
