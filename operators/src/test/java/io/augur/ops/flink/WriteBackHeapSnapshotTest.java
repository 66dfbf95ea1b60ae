package io.augur.ops.flink;

import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.CheckpointStorageLocationReference;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the heap state backend a snapshot's asynchronous part serializes the very value objects the state holds, and the
 * state protects them only by copying a value on its next {@code value()} during a snapshot. {@link WriteBackOperator}'s
 * caches hand their values out without asking the state, so on heap state they are emptied at every snapshot: the
 * next datapoint reads through the state (and gets a copy). Here a datapoint is processed between the synchronous and
 * the asynchronous part of a snapshot, as the task thread does while the async part runs.
 */
class WriteBackHeapSnapshotTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aDatapointProcessedWhileAHeapSnapshotIsWrittenDoesNotLeakIntoThatSnapshot() throws Exception {
        List<MetricDatapoint> first = new ArrayList<>(), rest = new ArrayList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) (i < 150 ? first : rest).add(errors(i, 10 + rnd.nextGaussian() + (i == 150 ? 40 : 0)));

        OperatorSubtaskState clean, raced;
        try (var h = harness()) {
            h.open();
            for (MetricDatapoint d : first) h.processElement(d, d.getTimestamp());
            h.prepareSnapshotPreBarrier(1);
            clean = h.snapshot(1, T0);
        }
        try (var h = harness()) {
            h.open();
            for (MetricDatapoint d : first) h.processElement(d, d.getTimestamp());
            h.prepareSnapshotPreBarrier(1);
            OperatorSnapshotFutures futures = h.getOperator().snapshotState(1, T0, CheckpointOptions.forCheckpointWithDefaultLocation(),
                    new JobManagerCheckpointStorage().createCheckpointStorage(new JobID())
                            .resolveCheckpointStorageLocation(1, CheckpointStorageLocationReference.getDefault()));
            for (MetricDatapoint d : rest) h.processElement(d, d.getTimestamp()); // while the async part would run
            raced = new OperatorSnapshotFinalizer(futures).getJobManagerOwnedState();
        }
        assertThat(scoresAfterRestore(raced, rest)).isEqualTo(scoresAfterRestore(clean, rest));
    }

    /** The backend test is a class name (RocksDB is a test dependency only here): a RocksDB job must keep its caches. */
    @Test
    void onRocksDbTheCachesKeepTheirValuesAcrossASnapshotOnHeapTheyForgetThem() throws Exception {
        for (boolean rocksDb : new boolean[] {true, false}) {
            ScoreDatapoints f = new ScoreDatapoints(DetectorSettings.defaults(), Duration.ofDays(7));
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new WriteBackOperator<>(f), ScoreDatapoints.seriesStatKey(), Types.STRING)) {
                if (rocksDb) h.setStateBackend(new org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend());
                h.open();
                for (int i = 0; i < 10; i++) h.processElement(errors(i, 10), T0 + i * 60_000L);
                h.prepareSnapshotPreBarrier(1);
                assertThat(f.recentValues().get(0).size()).as(rocksDb ? "RocksDB" : "heap").isEqualTo(rocksDb ? 1 : 0);
                assertThat(f.recentValues().get(0).dirty()).isZero();
            }
        }
    }

    private static List<String> scoresAfterRestore(OperatorSubtaskState state, List<MetricDatapoint> input) throws Exception {
        try (var h = harness()) {
            h.initializeState(state);
            h.open();
            for (MetricDatapoint d : input) h.processElement(d, d.getTimestamp());
            List<String> out = new ArrayList<>();
            for (ScoredDatapoint s : h.extractOutputValues()) out.add(s.getDatapoint().getTimestamp() + " " + s.getScore() + " " + s.getExpected());
            assertThat(out).hasSize(input.size());
            return out;
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new WriteBackOperator<>(new ScoreDatapoints(DetectorSettings.defaults(), Duration.ofDays(7))),
                ScoreDatapoints.seriesStatKey(), Types.STRING);
    }

    private static MetricDatapoint errors(int minute, double sum) {
        return MetricDatapoint.newBuilder()
                .setSeriesId("123456789012|us-east-1|AWS/Lambda|Errors|FunctionName=f").setAccountId("123456789012").setRegion("us-east-1")
                .setNamespace("AWS/Lambda").setMetricName("Errors").setDimensions(Map.of("FunctionName", "f"))
                .setTimestamp(T0 + minute * 60_000L).setMin(0).setMax(Math.max(0, sum)).setSum(Math.max(0, sum)).setCount(60).setUnit("Count")
                .setResource(Resource.newBuilder().setType("AWS::Lambda::Function").setName("f").setArn("arn:aws:lambda:us-east-1:123456789012:function:f").build())
                .build();
    }
}
