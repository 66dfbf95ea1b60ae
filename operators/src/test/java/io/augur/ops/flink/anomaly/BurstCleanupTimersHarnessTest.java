package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The burst-candidates filter registers a held datapoint's cleanup timer (the end of its burst-window bucket) only when
 * its series' in-memory state has not registered that one yet: the timers pending must still be exactly one per bucket
 * end (per series) that some held datapoint ahead of the watermark's cleanup needs — after snapshots (on heap the
 * in-memory state is read again), restores, and with the write-through operator the tests run otherwise.
 */
class BurstCleanupTimersHarnessTest {
    private static final AnomalySettings S = AnomalySettings.defaults();
    private static final SeverityCatalog CATALOG = SeverityCatalog.builtIn();
    private static final long WINDOW = S.burstWindow().toMillis();

    private static KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> harness(boolean writeBack,
                                                                                                         OperatorSubtaskState restore) throws Exception {
        BurstCandidates f = new BurstCandidates(S, CATALOG);
        var h = new KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint>(
                writeBack ? new WriteBackOperator<>(f) : new KeyedProcessOperator<>(f), ScoredDatapoint::getSeriesKey, Types.STRING);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    @Test
    void oneTimerPerHeldBucketAndNoneMissingAcrossSnapshotsAndRestores() throws Exception {
        int checked = 0;
        for (boolean writeBack : List.of(true, false)) {
            for (int seed = 0; seed < 6; seed++) {
                Random r = new Random(seed);
                var h = harness(writeBack, null);
                Set<String> expected = new HashSet<>(); // series key @ bucket end: a held datapoint needs its cleanup
                long watermark = Long.MIN_VALUE, max = Long.MIN_VALUE;
                long checkpoint = 0;
                for (int m = 0; m < 90; m++) {
                    for (ScoredDatapoint p : List.of(Points.duration(m, 100, 100, 0.1), Points.errors(m + r.nextInt(3), 5, 5, 0.1))) {
                        long ts = p.getDatapoint().getTimestamp();
                        h.processElement(p, ts);
                        max = Math.max(max, ts);
                        if (ts > watermark) expected.add(p.getSeriesKey() + "@" + BurstCandidates.cleanupTime(ts, WINDOW));
                    }
                    if (r.nextInt(3) == 0) {
                        watermark = max - (2 + r.nextInt(5)) * Points.MIN;
                        h.processWatermark(new Watermark(watermark));
                        long w = watermark;
                        expected.removeIf(x -> Long.parseLong(x.substring(x.indexOf('@') + 1)) <= w);
                    }
                    if (r.nextInt(10) == 0) { // a snapshot: on heap the write-back caches forget their objects
                        h.prepareSnapshotPreBarrier(++checkpoint);
                        OperatorSubtaskState snapshot = h.snapshot(checkpoint, checkpoint);
                        if (r.nextBoolean()) { // and restored from it
                            h.close();
                            h = harness(writeBack, snapshot);
                            h.processWatermark(new Watermark(watermark));
                        }
                    }
                    assertThat(h.numEventTimeTimers()).as("writeBack " + writeBack + ", seed " + seed + ", minute " + m).isEqualTo(expected.size());
                    checked++;
                }
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                assertThat(h.numEventTimeTimers()).isZero();
                h.prepareSnapshotPreBarrier(++checkpoint);
                assertThat(h.extractOutputValues()).as("no onset: nothing reached CEP").isEmpty();
                h.close();
            }
        }
        assertThat(checked).isEqualTo(2 * 6 * 90);
    }
}
