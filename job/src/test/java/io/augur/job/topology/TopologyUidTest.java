package io.augur.job.topology;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.replay.Replay;
import io.augur.job.sink.Outputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Savepoints map state to operators by uid: every operator has one, and they never change without a migration. */
class TopologyUidTest {
    /** Changing this list breaks savepoint compatibility: see the upgrade runbook before you do. */
    static final Set<String> KINESIS_UIDS = Set.of(
            "kinesis-metrics-source", "kinesis-events-source", "parse-records", "metric-watermarks", "event-watermarks",
            "late-datapoints", "late-change-events",
            "dedup-datapoints", "dedup-change-events", "score-datapoints",
            "render-metrics", "files-metrics", "render-change-events", "files-change-events", "render-dead-letter", "files-dead-letter",
            "render-anomalous-points", "files-anomalous-points",
            "anomaly-reactive-pattern", "anomaly-late-points", "anomaly-reactive-lifecycle", "anomaly-limited-series", "anomaly-forecast",
            "anomaly-proactive-pattern", "anomaly-proactive-lifecycle", "anomaly-deployment-events", "anomaly-deployment-hold",
            "render-anomalies", "files-anomalies", "render-late-points", "files-late-points",

            "table-rows-change-events", "table-files-change_events-source", "table-files-change_events-streaming-writer",
            "table-files-change_events-discarding-sink");

    @Test
    void everyOperatorOfTheClusterJobHasTheFixedUid() {
        AugurConfig cfg = AugurConfig.defaults().with(java.util.Map.of("output.dir", "file:///tmp/augur", "kinesis.endpoint", "http://127.0.0.1:1"));
        StreamExecutionEnvironment env = AugurJob.environment(cfg, false);
        AugurJob.buildJob(env, cfg, Outputs.fileSink(cfg.get(AugurConfig.OUTPUT_DIR)));

        assertThat(uids(env.getStreamGraph(false))).containsAll(KINESIS_UIDS);
        assertEveryNodeHasAUid(env.getStreamGraph());
        assertThat(env.getMaxParallelism()).isEqualTo(128);
    }

    @Test
    void everyOperatorOfTheReplayJobHasAUid(@TempDir Path out) throws Exception {
        Path samples = Replay.extractSamples();
        AugurConfig cfg = AugurConfig.defaults().with(java.util.Map.of("source.type", "files",
                "replay.metrics", samples.resolve("metrics.ndjson").toString(), "replay.events", samples.resolve("events.ndjson").toString()));
        StreamExecutionEnvironment env = AugurJob.environment(cfg, false);
        AugurJob.buildJob(env, cfg, Outputs.localFiles(out));
        assertEveryNodeHasAUid(env.getStreamGraph());
    }

    private static void assertEveryNodeHasAUid(StreamGraph g) {
        for (StreamNode n : g.getStreamNodes()) {
            assertThat(n.getTransformationUID()).as("uid of operator '%s'", n.getOperatorName()).isNotBlank();
        }
    }

    private static Set<String> uids(StreamGraph g) {
        Set<String> out = new TreeSet<>();
        for (StreamNode n : g.getStreamNodes()) if (n.getTransformationUID() != null) out.add(n.getTransformationUID());
        return out;
    }
}
