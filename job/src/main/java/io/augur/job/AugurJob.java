package io.augur.job;

import io.augur.job.cli.JobArgs;
import io.augur.job.config.AugurConfig;
import io.augur.job.sink.Outputs;
import io.augur.job.sink.notify.Notifications;
import io.augur.job.topology.AugurTopology;
import io.augur.schema.Anomaly;
import io.augur.schema.InsightNotification;
import io.augur.schema.RawRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds Augur's execution environment and job from a configuration. Used by {@code augur run} and {@code augur replay},
 * and the entry class of the job jar on Flink clusters ({@link #main}).
 */
public final class AugurJob {
    private static final Logger LOG = LoggerFactory.getLogger(AugurJob.class);

    private AugurJob() {}

    /** Flink settings every Augur job has: no Kryo fallback, fixed max parallelism, state backend, checkpoints. */
    public static Configuration flinkConfiguration(AugurConfig cfg, boolean managedFlink) {
        Configuration conf = new Configuration();
        // Every record and state type is Avro or a Flink basic type: fail fast instead of silently using Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // No Avro copy of each record between chained operators (issue 9): no operator keeps a record it got from a chained
        // one beyond the call, or changes a record it got or emitted (the outputs of a fan-out share the record's value).
        // Audit: docs/history/benchmarks.md, "Session 7 (issue 9, branch helper-perf10)"; ObjectReuseTest.
        conf.set(PipelineOptions.OBJECT_REUSE, Boolean.parseBoolean(cfg.get(AugurConfig.JOB_OBJECT_REUSE)));
        conf.set(PipelineOptions.NAME, cfg.get(AugurConfig.JOB_NAME));
        conf.set(PipelineOptions.MAX_PARALLELISM, cfg.getInt(AugurConfig.JOB_MAX_PARALLELISM));
        if (cfg.isSet(AugurConfig.STATE_ROCKSDB_WRITE_BUFFER_SIZE)) {
            // Small memtables, so that the many column families of a slot fit its shared write-buffer budget (the key's
            // description; the README, "Settings that decide throughput"). A job-level RocksDB option: on a cluster whose configuration sets
            // state.backend.rocksdb.writebuffer.size itself (deploy/) both agree.
            conf.set(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE, MemorySize.parse(cfg.get(AugurConfig.STATE_ROCKSDB_WRITE_BUFFER_SIZE)));
        }
        if (!cfg.get(AugurConfig.STATE_ROCKSDB_COMPRESSION).isBlank()) {
            // How SST blocks are compressed (the key's description; docs/history/benchmarks.md, session 10): a job-level RocksDB option like
            // the write-buffer size, read where a column family is created, so old files keep their compression until compacted.
            conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, AugurConfig.rocksDbCompression(cfg.get(AugurConfig.STATE_ROCKSDB_COMPRESSION)));
        }
        if (cfg.isSet(AugurConfig.STATE_ROCKSDB_BLOCK_SIZE)) {
            conf.set(RocksDBConfigurableOptions.BLOCK_SIZE, MemorySize.parse(cfg.get(AugurConfig.STATE_ROCKSDB_BLOCK_SIZE)));
        }
        if (!managedFlink) {
            // Managed Flink owns the state backend and checkpoint storage; elsewhere Augur sets them.
            conf.set(StateBackendOptions.STATE_BACKEND, cfg.get(AugurConfig.STATE_BACKEND));
            // Event-time timers on the heap (snapshotted with the checkpoint all the same): the anomaly operators register
            // one per datapoint timestamp, and RocksDB timers cost a put, a delete and an iterator seek each.
            conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, "rocksdb".equals(cfg.get(AugurConfig.STATE_ROCKSDB_TIMERS))
                    ? EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB : EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
            if (cfg.isSet(AugurConfig.CHECKPOINT_DIR)) {
                conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.get(AugurConfig.CHECKPOINT_DIR));
            }
        }
        return conf;
    }

    /**
     * Managed (off-heap) memory of an embedded Flink ({@code augur run} and {@code augur replay} without a cluster):
     * the local MiniCluster's default (128 MB for all slots) leaves RocksDB write buffers of a few MB shared by every
     * keyed state of a slot, and it flushes and compacts tiny files all the time (a continuous job ran ~10x slower).
     */
    public static final int LOCAL_MANAGED_MEMORY_MB = 512;

    /** Sizes an embedded Flink's managed memory for RocksDB ({@link #LOCAL_MANAGED_MEMORY_MB}); returns {@code conf}. */
    public static Configuration withLocalManagedMemory(Configuration conf) {
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(LOCAL_MANAGED_MEMORY_MB));
        return conf;
    }

    public static StreamExecutionEnvironment environment(AugurConfig cfg, boolean managedFlink) {
        Configuration conf = flinkConfiguration(cfg, managedFlink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment) {
            // no cluster: an embedded one, sized for RocksDB (on a cluster the TaskManagers' own memory settings apply)
            env = StreamExecutionEnvironment.createLocalEnvironment(withLocalManagedMemory(conf));
        }
        configure(env, cfg, managedFlink, conf);
        return env;
    }

    /** Applies {@link #flinkConfiguration}, the parallelism and checkpointing of {@code cfg} to an environment made elsewhere. */
    public static void configure(StreamExecutionEnvironment env, AugurConfig cfg, boolean managedFlink) {
        configure(env, cfg, managedFlink, flinkConfiguration(cfg, managedFlink));
    }

    private static void configure(StreamExecutionEnvironment env, AugurConfig cfg, boolean managedFlink, Configuration conf) {
        env.configure(conf);
        if (cfg.getInt(AugurConfig.JOB_PARALLELISM) > 0) env.setParallelism(cfg.getInt(AugurConfig.JOB_PARALLELISM));
        long interval = cfg.getDuration(AugurConfig.CHECKPOINT_INTERVAL).toMillis();
        if (!managedFlink && interval > 0) env.enableCheckpointing(interval);
    }

    /** Builds the streaming job against the configured sources and writes its outputs and insight tables ({@code tables.*}). */
    public static void buildJob(StreamExecutionEnvironment env, AugurConfig cfg, Outputs outputs) {
        buildJob(env, cfg, outputs, AugurTopology.Streams::anomalies);
    }

    /** Where the insight stage gets its anomaly revisions from; null = no insight stage. */
    @FunctionalInterface
    public interface AnomalySource {
        DataStream<Anomaly> anomalies(AugurTopology.Streams streams);
    }

    /** The job with an insight stage over {@code anomalies}' stream: writes {@code insights} too. */
    public static AugurTopology.Streams buildJob(StreamExecutionEnvironment env, AugurConfig cfg, Outputs outputs, AnomalySource anomalies) {
        return buildJob(env, AugurTopology.build(env, cfg), cfg, outputs, anomalies);
    }

    /** The same job over raw records from elsewhere (e.g. {@code augur bench pipeline}'s in-memory generator). */
    public static AugurTopology.Streams buildJob(StreamExecutionEnvironment env, DataStream<RawRecord> raw, AugurConfig cfg, Outputs outputs) {
        return buildJob(env, AugurTopology.build(raw, cfg), cfg, outputs, AugurTopology.Streams::anomalies);
    }

    private static AugurTopology.Streams buildJob(StreamExecutionEnvironment env, AugurTopology.Streams streams, AugurConfig cfg, Outputs outputs,
                                                  AnomalySource anomalies) {
        AugurTopology.writeOutputs(streams, outputs);
        DataStream<Anomaly> a = anomalies.anomalies(streams);
        DataStream<InsightNotification> insightEvents = null;
        if (a != null) {
            AugurTopology.InsightStreams insights = AugurTopology.insights(a, streams.coverage(), cfg);
            AugurTopology.writeInsightOutputs(insights, outputs);
            Notifications.attach(insights.notifications(), cfg);
            insightEvents = insights.insights();
        }
        AugurTopology.writeTables(env, streams, insightEvents, a, cfg);
        return streams;
    }

    /** Runs the continuous job (Kinesis in, outputs to {@code output.dir} if set). Blocks until the job ends. */
    public static void run(AugurConfig cfg, boolean managedFlink) throws Exception {
        continuousJob(cfg, managedFlink).execute(cfg.get(AugurConfig.JOB_NAME));
    }

    /** The environment with the continuous job built in it, ready to execute: what {@link #run} executes. */
    public static StreamExecutionEnvironment continuousJob(AugurConfig cfg, boolean managedFlink) {
        LOG.info("Augur configuration: {}", cfg.describe());
        StreamExecutionEnvironment env = environment(cfg, managedFlink);
        Outputs outputs = cfg.isSet(AugurConfig.OUTPUT_DIR) ? Outputs.fileSink(cfg.get(AugurConfig.OUTPUT_DIR)) : Outputs.none();
        buildJob(env, cfg, outputs);
        return env;
    }

    /**
     * Entry class on a Flink cluster: {@code flink run -c io.augur.job.AugurJob augur-job.jar --config augur.yaml [--set key=value]...},
     * the REST API's {@code POST /jars/:id/run} with this {@code entryClass}, or the Kubernetes operator's {@code job.entryClass}.
     * With no arguments on Amazon Managed Service for Apache Flink it reads the application's property groups. It never calls
     * {@code System.exit}: on a cluster {@code main} can run inside the JobManager (web submission, application mode), and
     * exiting would take the JobManager down with it.
     */
    public static void main(String[] args) throws Exception {
        AugurConfig cfg = JobArgs.parse(args);
        run(cfg, !AugurConfig.managedFlinkProperties().isEmpty());
    }
}
