package io.augur.job.bench;

import com.sun.net.httpserver.HttpServer;
import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.sink.Outputs;
import io.augur.job.state.SavepointInspector;
import io.augur.job.topology.AugurTopology;
import io.augur.ops.flink.parse.ParseRecords;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.RawRecord;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code augur bench pipeline}: the floor pipeline (parse, keyBy series, discard) and Augur's full pipeline (the
 * production topology of {@link AugurJob#buildJob}: parse, de-duplication, baselines, CEP patterns and lifecycles,
 * coverage, insight correlation and the EventBridge notification sink, RocksDB state) on the same in-memory input
 * ({@link BenchData}), each on its own local MiniCluster. Measures datapoints/s at full speed, the latency from ingest to
 * the scored datapoint at a fixed offered load, and a checkpoint of the full pipeline (size, duration, per task).
 *
 * <p>The EventBridge sink is the real one (AWS SDK client, async sink writer), pointed at a local HTTP endpoint that
 * answers every PutEvents with success and counts the events. The source is a number sequence mapped to raw records
 * (two subtasks, interleaved so both advance event time together), chained to the parser like a Kinesis source.
 * Figures live in static fields: every job runs in this JVM.
 */
public final class PipelineBench {
    /** Where the generator stands: first emission (nanos), emitted count, and the offered rate of a paced run. */
    static final AtomicLong T0 = new AtomicLong();
    static final AtomicLong EMITTED = new AtomicLong();
    static final AtomicLong LAST_EMIT = new AtomicLong();
    /** The process's CPU time at the first emission (nanos). */
    static final AtomicLong CPU0 = new AtomicLong();
    static volatile double offeredRate;
    /**
     * While true, a generator subtask that has taken part in a checkpoint emits nothing more until it is false again:
     * the bench sets it around its one checkpoint so that the job cannot finish (and its final checkpoint subsume and
     * delete the bench's) before {@link #keep} has linked it aside. The pause (from the first subtask that stops) is
     * left out of the run's seconds; the CPU time is counted as before.
     */
    static volatile boolean holdAfterCheckpoint;
    static final AtomicLong HOLD_START = new AtomicLong();
    static final Latencies LATENCIES = new Latencies(1 << 21);
    /** The first datapoint number of the paced run ({@link Pacing#first}). */
    static final AtomicLong FIRST = new AtomicLong();
    /**
     * The highest datapoint number emitted before the bench's checkpoint (its barrier), over the generator subtasks: the
     * restored steady-state run starts at the minute after it. (Not the count emitted: at full speed one subtask can run
     * minutes ahead of the other, and the datapoints it already sent are in the checkpoint.)
     */
    static final AtomicLong CHECKPOINT_MAX_INDEX = new AtomicLong(-1);
    /**
     * The steady run's measured part: from the first record numbered {@code MEASURE_FROM} or later, the process's CPU
     * time and the clock then (so the measured part's own achieved rate and datapoints per CPU-second).
     */
    static final AtomicLong MEASURE_FROM = new AtomicLong(Long.MAX_VALUE);
    static final AtomicLong MEASURE_CPU = new AtomicLong();
    static final AtomicLong MEASURE_NANOS = new AtomicLong();

    /**
     * @param overrides configuration keys of the full pipeline set on top of its defaults ({@code --set})
     * @param liveStateMaxSeries the largest scale whose checkpoint is read back ({@link LiveState}): the State Processor
     *                           API of Flink 1.20.0 deletes every key it has read from every state (FLINK-37109), about
     *                           860 s for 100,000 series on this machine, so larger scales skip it and say so
     */
    public record Settings(int parallelism, String stateBackend, Path workDir, double checkpointAt, int latencySeconds,
                           java.util.Map<String, String> overrides, int liveStateMaxSeries) {
        public Settings(int parallelism, String stateBackend, Path workDir, double checkpointAt, int latencySeconds) {
            this(parallelism, stateBackend, workDir, checkpointAt, latencySeconds, java.util.Map.of(), 100_000);
        }
    }

    /**
     * One pipeline's run at full speed: wall time from the first record to the end of the job, and the CPU time the
     * process used meanwhile (all threads: tasks, RocksDB, the JIT and GC), so datapoints per CPU-second too, which
     * depends far less on what else runs on a shared machine.
     */
    public record Throughput(String pipeline, long datapoints, double seconds, double datapointsPerSecond, double cpuSeconds,
                             double datapointsPerCpuSecond) {}

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The checkpoint taken during the full pipeline's run. A non-incremental RocksDB checkpoint in Flink 1.20 is a copy
     * of RocksDB's SST files (native format): compressed, and holding values overwritten but not yet compacted away, so
     * neither the live state nor a bound of it ({@link LiveState} is what exists). Heap timers are in it too.
     */
    public record Checkpoint(long id, long bytes, long durationMs, Map<String, Long> bytesPerTask, String path) {
        public double bytesPerSeries(int series) {
            return bytes / (double) series;
        }
    }

    /**
     * Latency from ingest (a datapoint's scheduled emission) to its scored datapoint leaving {@code ScoreDatapoints}, at a
     * fixed offered rate; {@code datapoints} says which ({@link #COLD}, {@link #RESTORED}, {@link #STEADY}).
     */
    public record Latency(double offeredPerSecond, double achievedPerSecond, long samples, double p50Ms, double p99Ms, double maxMs, String datapoints,
                          double datapointsPerCpuSecond) {
        public Latency(double offeredPerSecond, double achievedPerSecond, long samples, double p50Ms, double p99Ms, double maxMs) {
            this(offeredPerSecond, achievedPerSecond, samples, p50Ms, p99Ms, maxMs, COLD, Double.NaN);
        }
    }

    public static final String COLD = "cold: a fresh job, so every series' first datapoints (state created), the first fifth of the run skipped";
    public static final String RESTORED = "restored, warm-up: the first minutes of event time after restoring the full run's checkpoint, at least one pass"
            + " over every series (each read back from RocksDB into the caches, as after a restart) and watermark.idleness + 10 s of wall time";
    public static final String STEADY = "steady state: the later minutes of that restored run (each series' state in the caches)";

    /**
     * Latency from ingest to an insight event arriving at the notification sink's endpoint (the real EventBridge sink,
     * batching included: {@code notify.max-time-in-buffer}), in the steady-state run. The clock starts at the ingest of the
     * record that released the event ({@link Pacing#releaseIndex}): the event is stamped with the event time at which the
     * insight correlation applied it, and could not exist before the watermark reached that time. What it leaves out is
     * {@code watermark.out-of-orderness} (5 minutes by default) of event time: the newest anomalous datapoint of an insight
     * waits that long for the records that move the watermark past it, in real time, whatever the job's speed.
     * Events released during the run's warm-up, and those released only by the end of the input (the final watermark),
     * are counted, not timed.
     */
    public record InsightLatency(long events, long samples, double p50Ms, double p99Ms, double maxMs, long releasedInWarmUp, long releasedByEndOfInput,
                                 Map<String, Long> eventsByType) {}

    /**
     * The live keyed state in the same checkpoint, read back with the State Processor API ({@code augur state}'s
     * catalogue, {@link SavepointInspector#sizes}): per operator and state, keys and bytes as RocksDB rows before
     * compression (row keys and values, TTL timestamps, heap timers), i.e. what exists rather than what the SST files
     * hold. CEP operators are not decoded (their checkpoint share is in {@link Checkpoint#bytesPerTask}).
     */
    public record LiveState(long keyBytes, long valueBytes, double readSeconds, List<SavepointInspector.StateSize> states) {
        public long bytes() {
            return keyBytes + valueBytes;
        }

        public double bytesPerSeries(int series) {
            return bytes() / (double) series;
        }
    }

    /**
     * @param latency         the cold latency run (a fresh job: every series' first datapoints)
     * @param restoredLatency the first pass of the run restored from the full run's checkpoint (caches filled from RocksDB)
     * @param steadyLatency   the rest of that run: steady state
     * @param insightLatency  insight events at the sink in that run
     */
    public record ScaleResult(int series, int minutes, Throughput floor, Throughput full, Checkpoint checkpoint, LiveState live, Latency latency,
                              long notificationsDelivered, String stoppedBecause, Latency restoredLatency, Latency steadyLatency,
                              InsightLatency insightLatency) {
        public ScaleResult(int series, int minutes, Throughput floor, Throughput full, Checkpoint checkpoint, LiveState live, Latency latency,
                           long notificationsDelivered, String stoppedBecause) {
            this(series, minutes, floor, full, checkpoint, live, latency, notificationsDelivered, stoppedBecause, null, null, null);
        }

        public double ratio() {
            return full == null || floor == null ? Double.NaN : full.datapointsPerSecond() / floor.datapointsPerSecond();
        }

        public double cpuRatio() {
            return full == null || floor == null ? Double.NaN : full.datapointsPerCpuSecond() / floor.datapointsPerCpuSecond();
        }
    }

    private final Settings settings;

    public PipelineBench(Settings settings) {
        this.settings = settings;
    }

    // ---- the jobs ---------------------------------------------------------------------------------------------------

    /** Raw records from the generator: {@code total} datapoints, paced at {@code rate}/s overall when rate > 0. */
    static DataStream<RawRecord> source(StreamExecutionEnvironment env, BenchData data, long total, int minutes, double rate) {
        return source(env, data, 0, total, minutes, rate, "");
    }

    /**
     * Datapoints {@code first .. first + count - 1} of an input of {@code minutes} minutes (which decides where the
     * incidents are). {@code uidSuffix} gives a run restored from another's checkpoint a source of its own (the
     * checkpoint's sequence source state, the rest of the other run's input, is then not restored).
     */
    static DataStream<RawRecord> source(StreamExecutionEnvironment env, BenchData data, long first, long count, int minutes, double rate, String uidSuffix) {
        return env.fromSequence(0, count - 1).uid("bench-sequence" + uidSuffix).name("Bench sequence")
                .map(new Generate(data, first, count, minutes, rate)).returns(new AvroTypeInfo<>(RawRecord.class)).uid("bench-generate" + uidSuffix).name("Bench records");
    }

    static final class Generate extends RichMapFunction<Long, RawRecord> implements org.apache.flink.streaming.api.checkpoint.CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        /** This subtask took part in a checkpoint while {@link #holdAfterCheckpoint}: it pauses before its next record. */
        private transient volatile boolean checkpointed;
        /** The datapoint number of this subtask's last record. */
        private transient long last = -1;

        @Override
        public void snapshotState(org.apache.flink.runtime.state.FunctionSnapshotContext c) {
            if (holdAfterCheckpoint) {
                checkpointed = true;
                CHECKPOINT_MAX_INDEX.accumulateAndGet(last, Math::max);
            }
        }

        @Override
        public void initializeState(org.apache.flink.runtime.state.FunctionInitializationContext c) {
        }
        private final BenchData data;
        private final long first;
        private final long total;
        private final int minutes;
        private final double rate;

        Generate(BenchData data, long first, long total, int minutes, double rate) {
            this.data = data;
            this.first = first;
            this.total = total;
            this.minutes = minutes;
            this.rate = rate;
        }

        @Override
        public RawRecord map(Long seq) {
            if (checkpointed) {
                HOLD_START.compareAndSet(0, System.nanoTime());
                while (holdAfterCheckpoint) LockSupport.parkNanos(1_000_000);
                checkpointed = false;
            }
            long k = Pacing.interleave(seq, total);
            long n = first + k;
            long t0 = T0.get();
            if (t0 == 0) {
                if (T0.compareAndSet(0, System.nanoTime())) CPU0.set(cpuNanos());
                t0 = T0.get();
            }
            if (rate > 0) {
                long due = t0 + (long) (k * 1e9 / rate);
                long ahead = due - System.nanoTime();
                if (ahead > 200_000) LockSupport.parkNanos(ahead);
            }
            last = n;
            if (n >= MEASURE_FROM.get() && MEASURE_NANOS.get() == 0 && MEASURE_NANOS.compareAndSet(0, System.nanoTime())) MEASURE_CPU.set(cpuNanos());
            EMITTED.incrementAndGet();
            LAST_EMIT.set(System.nanoTime());
            return new RawRecord("bench", java.nio.ByteBuffer.wrap(data.line(n, minutes)), System.currentTimeMillis());
        }
    }

    /** The floor: the same source and parser, keyed by series, discarded. */
    static void floor(StreamExecutionEnvironment env, DataStream<RawRecord> raw, AugurConfig cfg) {
        raw.process(new ParseRecords(cfg.getInt(AugurConfig.PARSE_MAX_RECORD), cfg.getInt(AugurConfig.PARSE_MAX_DECOMPRESSED),
                        cfg.getInt(AugurConfig.DEAD_LETTER_PAYLOAD))).uid("parse-records").name("Parse AWS records")
                .keyBy(MetricDatapoint::getSeriesId)
                .sinkTo(new Discard<>()).uid("bench-discard").name("Discard");
    }

    /** The full pipeline, with a latency probe on the scored datapoints (chained to the scoring operator). */
    static void full(StreamExecutionEnvironment env, DataStream<RawRecord> raw, AugurConfig cfg, BenchData data, boolean probe) {
        AugurTopology.Streams streams = AugurJob.buildJob(env, raw, cfg, Outputs.none());
        if (probe) streams.scores().map(new Probe(data)).returns(Types.BOOLEAN).uid("bench-probe").name("Latency probe")
                .sinkTo(new Discard<>()).uid("bench-probe-discard").name("Discard probe");
    }

    static final class Probe extends RichMapFunction<ScoredDatapoint, Boolean> {
        private static final long serialVersionUID = 1L;
        private final BenchData data;

        Probe(BenchData data) {
            this.data = data;
        }

        @Override
        public Boolean map(ScoredDatapoint s) {
            double rate = offeredRate;
            if (rate <= 0) return false;
            MetricDatapoint m = s.getDatapoint();
            long n = data.indexOf(m.getNamespace(), m.getMetricName(), m.getDimensions().values().iterator().next(), m.getTimestamp());
            if (n < 0 || (n & 7) != 0) return false; // every 8th datapoint
            long due = T0.get() + (long) ((n - FIRST.get()) * 1e9 / rate);
            LATENCIES.add(n, System.nanoTime() - due);
            return true;
        }
    }

    /** A sink that drops everything (no Kryo: it has no state and its input type is declared by the stream). */
    static final class Discard<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;

        @Override
        @Deprecated
        public SinkWriter<T> createWriter(InitContext context) {
            return writer();
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return writer();
        }

        private SinkWriter<T> writer() {
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
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

    /** Latency samples (datapoint number, nanoseconds), a fixed-size buffer. */
    static final class Latencies {
        private final long[] n;
        private final long[] nanos;
        private final AtomicInteger size = new AtomicInteger();

        Latencies(int capacity) {
            n = new long[capacity];
            nanos = new long[capacity];
        }

        void add(long index, long latency) {
            int i = size.getAndIncrement();
            if (i >= n.length) return;
            n[i] = index;
            nanos[i] = latency;
        }

        void clear() {
            size.set(0);
        }

        /** Percentiles (ms) of the samples of datapoints numbered at least {@code from}: p50, p99, max, count. */
        double[] summary(long from) {
            return summary(from, Long.MAX_VALUE);
        }

        /** The same for the datapoints numbered {@code from} (inclusive) to {@code to} (exclusive). */
        double[] summary(long from, long to) {
            int k = Math.min(size.get(), n.length);
            long[] xs = new long[k];
            int c = 0;
            for (int i = 0; i < k; i++) if (n[i] >= from && n[i] < to) xs[c++] = nanos[i];
            return Pacing.summary(xs, c);
        }
    }

    // ---- running ----------------------------------------------------------------------------------------------------

    /** One event at the endpoint: its EventBridge {@code Time} (epoch ms), detail-type, and when it arrived (nanoTime). */
    record InsightArrival(long timeMs, String detailType, long arrivalNanos) {}

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * The entries of a PutEvents request body (AWS JSON 1.1: {@code Entries[].Time} in epoch seconds, with a fraction, or
     * an ISO-8601 string), all arrived at {@code arrivalNanos}.
     */
    static List<InsightArrival> arrivals(String body, long arrivalNanos) throws IOException {
        List<InsightArrival> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode e : JSON.readTree(body).path("Entries")) {
            com.fasterxml.jackson.databind.JsonNode t = e.path("Time");
            long ms;
            if (t.isNumber()) ms = Math.round(t.asDouble() * 1000);
            else if (t.isTextual()) ms = java.time.Instant.parse(t.asText()).toEpochMilli();
            else continue;
            out.add(new InsightArrival(ms, e.path("DetailType").asText(""), arrivalNanos));
        }
        return out;
    }

    /** A discarding EventBridge endpoint: every PutEvents succeeds; counts the events (and, while recording, keeps their arrivals). */
    static final class Discarding implements AutoCloseable {
        final HttpServer server;
        final AtomicLong events = new AtomicLong();
        private final List<InsightArrival> arrivals = new ArrayList<>();
        private volatile boolean recording;

        Discarding() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                long arrived = System.nanoTime();
                try (InputStream in = exchange.getRequestBody()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    int k = 0;
                    for (int i = body.indexOf("\"Detail\""); i >= 0; i = body.indexOf("\"Detail\"", i + 1)) k++;
                    events.addAndGet(k);
                    if (recording) {
                        List<InsightArrival> a = arrivals(body, arrived);
                        synchronized (arrivals) {
                            arrivals.addAll(a);
                        }
                    }
                }
                byte[] ok = "{\"FailedEntryCount\":0,\"Entries\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
                exchange.close();
            });
            server.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void record() {
            synchronized (arrivals) {
                arrivals.clear();
            }
            recording = true;
        }

        List<InsightArrival> stopRecording() {
            recording = false;
            synchronized (arrivals) {
                return new ArrayList<>(arrivals);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The configuration of the full pipeline: production defaults, no files, notifications to EventBridge only. */
    AugurConfig config(String endpoint) {
        AugurConfig c = AugurConfig.defaults()
                .with(AugurConfig.STATE_BACKEND.name(), settings.stateBackend())
                .with(AugurConfig.TABLES_SINK.name(), "none")
                .with(AugurConfig.NOTIFY_SINKS.name(), "eventbridge")
                .with(AugurConfig.NOTIFY_EVENTBRIDGE_ENDPOINT.name(), endpoint)
                .with(AugurConfig.NOTIFY_CREDENTIALS.name(), "BASIC")
                .with(AugurConfig.NOTIFY_ACCESS_KEY.name(), "bench")
                .with(AugurConfig.NOTIFY_SECRET_KEY.name(), "bench");
        for (java.util.Map.Entry<String, String> e : settings.overrides().entrySet()) c = c.with(e.getKey(), e.getValue());
        return c;
    }

    private MiniCluster cluster(AugurConfig cfg, Path checkpoints) throws Exception {
        Configuration conf = AugurJob.withLocalManagedMemory(AugurJob.flinkConfiguration(cfg, false));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestOptions.BIND_PORT, "0");
        // the bench waits for its checkpoint through an RPC: at 100k series the barrier can take longer than the default 10 s
        conf.set(org.apache.flink.configuration.ConfigOptions.key("pekko.ask.timeout").durationType().noDefaultValue(), java.time.Duration.ofMinutes(10));
        MiniCluster mc = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(settings.parallelism()).build());
        mc.start();
        return mc;
    }

    private StreamExecutionEnvironment environment(AugurConfig cfg, boolean checkpoints) {
        Configuration conf = AugurJob.flinkConfiguration(cfg, false);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        // checkpoints are triggered by the bench (one per run), not periodically. Checkpointing must be on for that, and
        // Flink starts the first periodic one after a random delay up to the interval: a year keeps it out of any run
        // (with 1 h, one started 25 minutes into a 1M-series run and never completed)
        AugurJob.configure(env, cfg.with(AugurConfig.CHECKPOINT_INTERVAL.name(), checkpoints ? "365d" : "0"), false);
        env.setParallelism(settings.parallelism());
        // the bench's checkpoint is kept after the job ends, to read its live state back
        if (checkpoints) env.getCheckpointConfig().setExternalizedCheckpointRetention(org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return env;
    }

    private static void reset(double rate) {
        FIRST.set(0);
        MEASURE_FROM.set(Long.MAX_VALUE);
        MEASURE_CPU.set(0);
        MEASURE_NANOS.set(0);
        T0.set(0);
        CPU0.set(0);
        EMITTED.set(0);
        LAST_EMIT.set(0);
        offeredRate = rate;
        LATENCIES.clear();
    }

    /** Runs a job to its end; with {@code checkpointAt} in (0,1), triggers one checkpoint when that share of the input is out. */
    private Object[] execute(AugurConfig cfg, JobGraph graph, long total, double checkpointAt, String name) throws Exception {
        return execute(cfg, graph, total, checkpointAt, name, null);
    }

    /** The same, the job restored from checkpoint {@code restoreFrom} when not null (state of operators it lacks skipped). */
    private Object[] execute(AugurConfig cfg, JobGraph graph, long total, double checkpointAt, String name, String restoreFrom) throws Exception {
        if (restoreFrom != null) graph.setSavepointRestoreSettings(org.apache.flink.runtime.jobgraph.SavepointRestoreSettings.forPath(restoreFrom, true));
        Path checkpoints = Files.createDirectories(settings.workDir().resolve(name + "-checkpoints"));
        try (MiniCluster mc = cluster(cfg, checkpoints)) {
            JobID id = mc.submitJob(graph).get().getJobID();
            var result = mc.requestJobResult(id);
            Long checkpointId = null;
            Checkpoint cp = null;
            long held = 0;
            HOLD_START.set(0);
            if (checkpointAt > 0) {
                CHECKPOINT_MAX_INDEX.set(-1);
                while (!result.isDone() && EMITTED.get() < checkpointAt * total) Thread.sleep(50);
                holdAfterCheckpoint = true;
                try {
                    if (!result.isDone()) checkpointId = mc.triggerCheckpoint(id, CheckpointType.FULL).get(10, TimeUnit.MINUTES);
                    if (checkpointId != null) cp = checkpoint(mc, id, checkpointId, false);
                    if (cp != null && cp.path() != null) keep(cp.path());
                } finally {
                    holdAfterCheckpoint = false;
                    long start = HOLD_START.get();
                    if (start != 0) held = System.nanoTime() - start;
                }
                // A canonical savepoint (live keys and values only) is not possible here: the coverage configuration's
                // source has finished, and Flink 1.20 takes no savepoint of a job with finished tasks. The checkpoint is
                // retained instead and its live state read back after the run (liveState).
            }
            JobResult r = result.get();
            if (cp != null && cp.path() != null) restoreKept(cp.path());
            long end = System.nanoTime();
            double cpu = (cpuNanos() - CPU0.get()) / 1e9;
            if (!r.isSuccess()) {
                throw new IllegalStateException(name + " failed", r.getSerializedThrowable().map(t -> (Throwable) t).orElse(null));
            }
            double seconds = (end - T0.get() - held) / 1e9; // without the pause around the bench's checkpoint
            return new Object[] {new Throughput(name, EMITTED.get(), seconds, EMITTED.get() / seconds, cpu, EMITTED.get() / cpu), cp};
        }
    }

    /** The stats of checkpoint {@code checkpointId}, or with {@code after} of the first one completed after it (the savepoint). */
    private static Checkpoint checkpoint(MiniCluster mc, JobID id, long checkpointId, boolean after) throws Exception {
        AccessExecutionGraph g = mc.getExecutionGraph(id).get();
        CompletedCheckpointStats stats = null;
        for (int i = 0; i < 100 && stats == null; i++) {
            var latest = g.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
            if (latest != null && (after ? latest.getCheckpointId() > checkpointId : latest.getCheckpointId() == checkpointId)) stats = latest;
            else {
                Thread.sleep(100);
                g = mc.getExecutionGraph(id).get();
            }
        }
        if (stats == null) return null;
        Map<String, Long> perTask = new LinkedHashMap<>();
        for (AccessExecutionJobVertex v : g.getVerticesTopologically()) {
            TaskStateStats t = stats.getTaskStateStats(v.getJobVertexId());
            if (t != null && t.getStateSize() > 0) perTask.put(v.getName(), t.getStateSize());
        }
        return new Checkpoint(stats.getCheckpointId(), stats.getStateSize(), stats.getEndToEndDuration(), perTask, stats.getExternalPath());
    }

    /** Floor, full (with its checkpoint) and the latency run at half the full pipeline's rate, for one scale. */
    public ScaleResult scale(int series, int minutes, java.io.PrintStream log) throws Exception {
        BenchData data = new BenchData(series);
        long total = (long) series * minutes;
        try (Discarding endpoint = new Discarding()) {
            AugurConfig cfg = config(endpoint.endpoint());

            reset(0);
            StreamExecutionEnvironment env = environment(cfg, false);
            floor(env, source(env, data, total, minutes, 0), cfg);
            Throughput floor = (Throughput) execute(cfg, env.getStreamGraph().getJobGraph(), total, 0, "floor")[0];
            log.printf("  floor: %,d datapoints in %.1f s = %,.0f/s; %.1f CPU-s = %,.0f per CPU-second%n", floor.datapoints(), floor.seconds(),
                    floor.datapointsPerSecond(), floor.cpuSeconds(), floor.datapointsPerCpuSecond());

            reset(0);
            env = environment(cfg, true);
            full(env, source(env, data, total, minutes, 0), cfg, data, false);
            Object[] r = execute(cfg, env.getStreamGraph().getJobGraph(), total, settings.checkpointAt(), "full");
            Throughput full = (Throughput) r[0];
            Checkpoint cp = (Checkpoint) r[1];
            LiveState live = cp == null ? null : liveState(cfg, cp, series, log);
            log.printf("  full: %,d datapoints in %.1f s = %,.0f/s (%.0f %% of the floor); %.1f CPU-s = %,.0f per CPU-second (%.0f %% of the floor's); %,d notifications delivered%n",
                    full.datapoints(), full.seconds(), full.datapointsPerSecond(), 100 * full.datapointsPerSecond() / floor.datapointsPerSecond(),
                    full.cpuSeconds(), full.datapointsPerCpuSecond(), 100 * full.datapointsPerCpuSecond() / floor.datapointsPerCpuSecond(), endpoint.events.get());
            if (cp != null) log.printf("  checkpoint %d at %.0f %% of the input: %,d bytes (%,.0f B/series), %,d ms%n", cp.id(), 100 * settings.checkpointAt(),
                    cp.bytes(), cp.bytesPerSeries(series), cp.durationMs());
            long delivered = endpoint.events.get();

            // latency: the same pipeline paced at half the full rate, for latencySeconds (at least two minutes of event time)
            double rate = Math.max(1000, full.datapointsPerSecond() / 2);
            int latencyMinutes = (int) Math.max(2, Math.ceil(rate * settings.latencySeconds() / series));
            long latencyTotal = (long) series * latencyMinutes;
            reset(rate);
            env = environment(cfg, false);
            full(env, source(env, data, latencyTotal, latencyMinutes, rate), cfg, data, true);
            Throughput paced = (Throughput) execute(cfg, env.getStreamGraph().getJobGraph(), latencyTotal, 0, "latency")[0];
            double[] q = LATENCIES.summary(latencyTotal / 5); // the first fifth is warm-up (JIT, RocksDB column families)
            Latency lat = new Latency(rate, paced.datapointsPerSecond(), (long) q[3], q[0], q[1], q[2], COLD, paced.datapointsPerCpuSecond());
            log.printf("  latency, cold (fresh job: every series' first datapoints) at %,.0f/s offered (%,.0f/s achieved, %,.0f per CPU-second): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d samples)%n",
                    rate, lat.achievedPerSecond(), lat.datapointsPerCpuSecond(), lat.p50Ms(), lat.p99Ms(), lat.maxMs(), lat.samples());

            // steady state: the same pipeline restored from the full run's checkpoint, continuing its input after the
            // checkpoint at the same paced rate (SteadyRun: a warm-up of one pass and the idleness timeout, then the
            // measured minutes, with an incident in them when the baselines are warm)
            Latency restored = null, steady = null;
            InsightLatency insight = null;
            if (cp != null && cp.path() != null && CHECKPOINT_MAX_INDEX.get() >= 0) {
                SteadyRun plan = SteadyRun.plan(CHECKPOINT_MAX_INDEX.get(), series, rate, settings.latencySeconds(),
                        cfg.getDuration(AugurConfig.WATERMARK_IDLENESS).toMillis(), cfg.getDuration(AugurConfig.WATERMARK_OUT_OF_ORDERNESS).toMillis());
                reset(rate);
                FIRST.set(plan.first());
                long measuredFrom = plan.measuredFromMinute() * series;
                MEASURE_FROM.set(measuredFrom);
                endpoint.record();
                env = environment(cfg, false);
                full(env, source(env, data, plan.first(), plan.count(), plan.inputMinutes(), rate, "-steady"), cfg, data, true);
                log.printf("  steady-state run: restored from checkpoint %d; minutes %,d to %,d of the input (%,d datapoints) at %,.0f/s: warm-up to minute %,d,"
                                + " measured after it%s%n", cp.id(), plan.startMinute(), plan.endMinute() - 1, plan.count(), rate, plan.measuredFromMinute() - 1,
                        plan.incident() ? String.format("; incident from minute %,d", plan.inputMinutes() * 6L / 10) : "; no incident (baselines not warm)");
                Throughput pacedSteady = (Throughput) execute(cfg, env.getStreamGraph().getJobGraph(), plan.count(), 0, "steady", cp.path())[0];
                long endNanos = System.nanoTime();
                long endCpu = cpuNanos();
                double[] r1 = LATENCIES.summary(plan.first(), measuredFrom);
                double[] r2 = LATENCIES.summary(measuredFrom, plan.first() + plan.count());
                // the warm-up's own rate and CPU: from the first emission to the first measured record; the measured part's: the rest
                long warmUpDatapoints = measuredFrom - plan.first(), measuredDatapoints = plan.first() + plan.count() - measuredFrom;
                double warmUpSeconds = (MEASURE_NANOS.get() - T0.get()) / 1e9, measuredSeconds = (endNanos - MEASURE_NANOS.get()) / 1e9;
                double warmUpCpu = (MEASURE_CPU.get() - CPU0.get()) / 1e9, measuredCpu = (endCpu - MEASURE_CPU.get()) / 1e9;
                restored = new Latency(rate, warmUpDatapoints / warmUpSeconds, (long) r1[3], r1[0], r1[1], r1[2], RESTORED, warmUpDatapoints / warmUpCpu);
                steady = new Latency(rate, measuredDatapoints / measuredSeconds, (long) r2[3], r2[0], r2[1], r2[2], STEADY, measuredDatapoints / measuredCpu);
                Pacing pacing = plan.pacing(T0.get());
                List<InsightArrival> arrivals = endpoint.stopRecording();
                insight = insightLatency(pacing, arrivals, measuredFrom);
                log.printf("  latency, restored warm-up (%,.0f/s achieved, %,.0f per CPU-second): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d samples)%n",
                        restored.achievedPerSecond(), restored.datapointsPerCpuSecond(), restored.p50Ms(), restored.p99Ms(), restored.maxMs(), restored.samples());
                log.printf("  latency, steady state (%,.0f/s achieved, %,.0f per CPU-second): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d samples)%n",
                        steady.achievedPerSecond(), steady.datapointsPerCpuSecond(), steady.p50Ms(), steady.p99Ms(), steady.maxMs(), steady.samples());
                for (InsightArrival a : arrivals) {
                    long n = pacing.releaseIndex(a.timeMs());
                    log.printf("    insight event %s, time %s: %s, arrived %.1f s into the run (%.1f s before its end)%n", a.detailType(),
                            a.timeMs() > Long.MAX_VALUE / 4 ? "end of input" : java.time.Instant.ofEpochMilli(a.timeMs()),
                            pacing.inRun(n) ? String.format("released by datapoint %,d (minute %,d), %.1f ms after its ingest", n, n / series, (a.arrivalNanos() - pacing.dueNanos(n)) / 1e6)
                                    : "released by the end of input", (a.arrivalNanos() - pacing.t0Nanos()) / 1e9, (endNanos - a.arrivalNanos()) / 1e9);
                }
                log.printf("  insight events at the sink: %,d %s; from the ingest of the record that released each: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                                + " (%,d timed; %,d released in the warm-up, %,d by the end of input)%n", insight.events(), insight.eventsByType(), insight.p50Ms(), insight.p99Ms(),
                        insight.maxMs(), insight.samples(), insight.releasedInWarmUp(), insight.releasedByEndOfInput());
            } else {
                log.println("  no steady-state run: the full run's checkpoint was not kept");
            }
            return new ScaleResult(series, minutes, floor, full, cp, live, lat, delivered, null, restored, steady, insight);
        }
    }

    /**
     * Times each insight event released by datapoint {@code measuredFrom} or later from the ingest of the record that
     * released it ({@link Pacing#releaseIndex}); counts the others.
     */
    static InsightLatency insightLatency(Pacing pacing, List<InsightArrival> arrivals, long measuredFrom) {
        long[] xs = new long[arrivals.size()];
        int c = 0;
        long byEnd = 0, warmUp = 0;
        Map<String, Long> byType = new java.util.TreeMap<>();
        for (InsightArrival a : arrivals) {
            byType.merge(a.detailType(), 1L, Long::sum);
            long n = pacing.releaseIndex(a.timeMs());
            if (!pacing.inRun(n)) byEnd++;
            else if (n < measuredFrom) warmUp++;
            else xs[c++] = a.arrivalNanos() - pacing.dueNanos(n);
        }
        double[] q = Pacing.summary(xs, c);
        return new InsightLatency(arrivals.size(), c, q[0], q[1], q[2], warmUp, byEnd, byType);
    }

    /**
     * Hard-links the checkpoint's job directory aside (no data copied), so that the checkpoint survives being subsumed
     * by the job's final checkpoint; {@link #restoreKept} puts it back at its own path (its metadata holds absolute paths).
     */
    private static void keep(String checkpoint) throws IOException {
        Path job = Path.of(java.net.URI.create(checkpoint)).getParent();
        Path kept = job.resolveSibling(job.getFileName() + ".kept");
        // Flink may delete files of other (aborted or subsumed) checkpoints while this walks: a file gone is skipped and
        // named; if one the kept checkpoint needs is among them, reading its live state back fails and says so
        Files.walkFileTree(job, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) throws IOException {
                Files.createDirectories(kept.resolve(job.relativize(dir).toString()));
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) throws IOException {
                try {
                    Files.createLink(kept.resolve(job.relativize(f).toString()), f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    return visitFileFailed(f, gone);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (!(e instanceof java.nio.file.NoSuchFileException)) throw e;
                System.err.println("  (checkpoint file gone while keeping the checkpoint: " + job.relativize(f) + ")");
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    private static void restoreKept(String checkpoint) throws IOException {
        Path job = Path.of(java.net.URI.create(checkpoint)).getParent();
        Path kept = job.resolveSibling(job.getFileName() + ".kept");
        if (!Files.isDirectory(kept)) return;
        // Flink discards the checkpoint itself once the job has finished, asynchronously: wait for that (up to a minute),
        // so that it neither deletes files under our delete nor, later, the copy moved back
        Path chk = Path.of(java.net.URI.create(checkpoint));
        for (int i = 0; i < 600 && Files.exists(chk); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Flink to discard " + chk, e);
            }
        }
        // then the rest of the job's directory (shared/, taskowned/, whatever Flink did not discard in time); Flink's
        // delete tolerates files that vanish meanwhile
        org.apache.flink.util.FileUtils.deleteDirectory(job.toFile());
        Files.move(kept, job);
    }

    /** Reads the live state of the retained checkpoint {@code cp} (after the run: it does not compete with it). */
    LiveState liveState(AugurConfig cfg, Checkpoint cp, int series, java.io.PrintStream log) {
        if (cp.path() == null) return null;
        if (series > settings.liveStateMaxSeries()) {
            log.printf("  live state not read back: %,d series is above --live-state-max-series (%,d); the State Processor API"
                    + " takes about 9 ms per series here (FLINK-37109; this mirror has flink-state-processor-api 1.20.0 only)%n", series, settings.liveStateMaxSeries());
            return null;
        }
        try {
            long t0 = System.nanoTime();
            List<SavepointInspector.StateSize> states = SavepointInspector.sizes(cp.path(), cfg, settings.parallelism());
            long k = 0, v = 0;
            for (SavepointInspector.StateSize s : states) {
                k += s.keyBytes();
                v += s.valueBytes();
            }
            LiveState live = new LiveState(k, v, (System.nanoTime() - t0) / 1e9, states);
            log.printf("  live state in that checkpoint (read back): %,d bytes (%,.0f B/series; keys %,.0f, values %,.0f), read in %.1f s%n",
                    live.bytes(), live.bytesPerSeries(series), k / (double) series, v / (double) series, live.readSeconds());
            return live;
        } catch (Exception e) {
            log.println("  live state not read: " + e);
            return null;
        }
    }

    /** Per operator and state: keys, entries, bytes per series (row keys + values). */
    public static List<String> liveLines(LiveState live, int series) {
        List<String> lines = new ArrayList<>();
        if (live == null) return lines;
        lines.add(String.format("    %-28s %-34s %10s %10s %9s %9s %9s", "operator uid", "state", "keys", "entries", "key B/ser", "val B/ser", "B/series"));
        for (SavepointInspector.StateSize s : live.states()) {
            lines.add(String.format("    %-28s %-34s %,10d %,10d %9.1f %9.1f %9.1f", s.uid(), s.state(), s.keys(), s.entries(),
                    s.keyBytes() / (double) series, s.valueBytes() / (double) series, s.bytes() / (double) series));
        }
        lines.add(String.format("    %-28s %-34s %10s %10s %9.1f %9.1f %9.1f", "all decoded state", "", "", "",
                live.keyBytes() / (double) series, live.valueBytes() / (double) series, live.bytesPerSeries(series)));
        return lines;
    }

    public static List<String> perTaskLines(Checkpoint cp, int series) {
        List<String> lines = new ArrayList<>();
        if (cp == null) return lines;
        for (Map.Entry<String, Long> e : cp.bytesPerTask().entrySet()) {
            lines.add(String.format("    %-90s %,14d B %,8.0f B/series", e.getKey().length() > 90 ? e.getKey().substring(0, 87) + "..." : e.getKey(),
                    e.getValue(), e.getValue() / (double) series));
        }
        return lines;
    }
}
