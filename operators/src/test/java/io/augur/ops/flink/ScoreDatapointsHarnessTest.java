package io.augur.ops.flink;

import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreDatapointsHarnessTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aSpikeInALearnedSeriesIsScoredAnomalousAndSentToTheSideOutput() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = harness()) {
            h.open();
            Random rnd = new Random(1);
            for (int i = 0; i < 300; i++) h.processElement(errors(i, 10 + rnd.nextGaussian()), T0 + i * 60_000L);
            h.processElement(errors(300, 80), T0 + 300 * 60_000L);

            List<ScoredDatapoint> out = h.extractOutputValues();
            assertThat(out).hasSize(301);
            assertThat(out).allSatisfy(s -> {
                assertThat(s.getScore()).isBetween(0.0, 1.0);
                assertThat(s.getStat()).isEqualTo("Sum");
                assertThat(s.getSeriesKey()).endsWith("|Sum");
            });
            ScoredDatapoint spike = out.get(300);
            assertThat(spike.getValue()).isEqualTo(80.0);
            assertThat(spike.getDirection()).isEqualTo(1);
            assertThat(spike.getAnomalous()).isTrue();
            assertThat(spike.getUpper()).isLessThan(80.0);
            List<ScoredDatapoint> anomalous = h.getSideOutput(ScoreDatapoints.ANOMALOUS_POINTS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(anomalous).contains(spike);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void aDropOnARiseOnlyMetricIsNotAnomalousAndTheBaselineSurvivesRestore() throws Exception {
        OperatorSubtaskState snapshot;
        Random rnd = new Random(2);
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = harness()) {
            h.open();
            for (int i = 0; i < 300; i++) h.processElement(errors(i, 50 + rnd.nextGaussian()), T0 + i * 60_000L);
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(errors(300, 0), T0 + 300 * 60_000L); // errors dropping is good news
            ScoredDatapoint drop = h.extractOutputValues().get(0);
            assertThat(drop.getWarm()).as("baseline restored, not warming up again").isTrue();
            assertThat(drop.getDirection()).isEqualTo(-1);
            assertThat(drop.getAnomalous()).isFalse();
            assertThat(h.getSideOutput(ScoreDatapoints.ANOMALOUS_POINTS)).isNullOrEmpty();
        }
    }

    @Test
    void perMetricOverridesDecideWhatIsAnomalous() throws Exception {
        // errors: both directions count (override of the rise-only default), at high sensitivity
        DetectorSettings s = DetectorSettings.defaults()
                .withDirection("AWS/Lambda/Errors", DetectorSettings.DirectionFilter.BOTH)
                .withSensitivity("AWS/Lambda", "high");
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = harness(s)) {
            h.open();
            Random rnd = new Random(3);
            for (int i = 0; i < 300; i++) h.processElement(errors(i, 50 + rnd.nextGaussian()), T0 + i * 60_000L);
            h.processElement(errors(300, 0), T0 + 300 * 60_000L);
            ScoredDatapoint drop = h.extractOutputValues().get(300);
            assertThat(drop.getDirection()).isEqualTo(-1);
            assertThat(drop.getScore()).isGreaterThanOrEqualTo(0.3);
            assertThat(drop.getAnomalous()).isTrue();
            assertThat(h.getSideOutput(ScoreDatapoints.ANOMALOUS_POINTS)).extracting(StreamRecord::getValue).containsExactly(drop);
        }
    }

    @Test
    void theJobsOperatorWritesBaselinesBackBeforeEachSnapshotWithTheSameScoresAndState() throws Exception {
        // the same input through the write-through shell and the job's write-back operator, with a snapshot and restore
        // in the middle: identical scores, and the snapshot holds every baseline
        List<ScoredDatapoint> through = new java.util.ArrayList<>();
        List<ScoredDatapoint> back = new java.util.ArrayList<>();
        for (boolean writeBack : new boolean[] {false, true}) {
            List<ScoredDatapoint> out = writeBack ? back : through;
            Random rnd = new Random(4);
            OperatorSubtaskState snapshot;
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = harness(writeBack)) {
                h.open();
                for (int i = 0; i < 200; i++) {
                    h.processElement(errors(i, 10 + rnd.nextGaussian()), T0 + i * 60_000L);
                    h.processElement(errors(i, 20 + rnd.nextGaussian(), "g"), T0 + i * 60_000L);
                }
                assertThat(h.numKeyedStateEntries()).isEqualTo(writeBack ? 0 : 2); // held back until the snapshot
                h.prepareSnapshotPreBarrier(1); // as a task does before every checkpoint and savepoint
                snapshot = h.snapshot(1, 1);
                assertThat(h.numKeyedStateEntries()).isEqualTo(2);
                out.addAll(h.extractOutputValues());
            }
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = harness(writeBack)) {
                h.initializeState(snapshot);
                h.open();
                for (int i = 200; i < 300; i++) {
                    h.processElement(errors(i, 10 + rnd.nextGaussian()), T0 + i * 60_000L);
                    h.processElement(errors(i, i == 290 ? 90 : 20 + rnd.nextGaussian(), "g"), T0 + i * 60_000L);
                }
                out.addAll(h.extractOutputValues());
            }
        }
        assertThat(back).hasSize(600).isEqualTo(through);
        assertThat(back).filteredOn(ScoredDatapoint::getAnomalous).isNotEmpty();
    }

    @Test
    void baselinesAreStoredWithASparsePatternMemoryAndStateInTheOldFullFormStillRestoresToTheSameScores() throws Exception {
        // uninterrupted
        List<ScoredDatapoint> uninterrupted = new java.util.ArrayList<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = rocks(harness(false))) {
            h.open();
            Random rnd = new Random(5);
            for (int i = 0; i < 600; i++) feed(h, i, rnd);
            uninterrupted.addAll(h.extractOutputValues().subList(2 * 400, 2 * 600));
        }
        // the first 400 minutes written as main wrote them before (the full 256-byte table), the rest after a restore
        OperatorSubtaskState old;
        Random rnd = new Random(5);
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = rocks(legacy())) {
            h.open();
            for (int i = 0; i < 400; i++) feed(h, i, rnd);
            old = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, String> h = rocks(reader())) {
            h.initializeState(old);
            h.open();
            h.processElement(errors(0, 0), T0);
            assertThat(h.extractOutputValues()).containsExactly("256");
        }
        for (boolean writeBack : new boolean[] {false, true}) {
            Random r = new Random(5);
            for (int i = 0; i < 400; i++) { r.nextGaussian(); r.nextGaussian(); }
            List<ScoredDatapoint> out = new java.util.ArrayList<>();
            OperatorSubtaskState stored;
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = rocks(harness(writeBack))) {
                h.initializeState(old);
                h.open();
                for (int i = 400; i < 500; i++) feed(h, i, r);
                h.prepareSnapshotPreBarrier(2);
                stored = h.snapshot(2, 2);
                out.addAll(h.extractOutputValues());
            }
            // the stored form: the pattern memory sparse (1 + 2 bytes per used slot), every other field as it was
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, String> h = rocks(reader())) {
                h.initializeState(stored);
                h.open();
                h.processElement(errors(0, 0), T0);
                h.processElement(errors(0, 0, "g"), T0);
                assertThat(h.extractOutputValues()).allSatisfy(n -> assertThat(Integer.parseInt(n)).isOdd().isLessThan(40));
            }
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h = rocks(harness(writeBack))) {
                h.initializeState(stored);
                h.open();
                for (int i = 500; i < 600; i++) feed(h, i, r);
                out.addAll(h.extractOutputValues());
            }
            assertThat(out).as("restored from the full form, then from the stored form; writeBack " + writeBack).isEqualTo(uninterrupted);
            assertThat(out).filteredOn(ScoredDatapoint::getAnomalous).isNotEmpty();
        }
    }

    /** On RocksDB, as in production: a value is serialized when written (the heap backend keeps the object). */
    private static <O> KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, O> rocks(KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, O> h) {
        h.setStateBackend(new org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend());
        return h;
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> h, int i, Random rnd) throws Exception {
        h.processElement(errors(i, 10 + rnd.nextGaussian() + (i == 450 || i == 560 ? 60 : 0)), T0 + i * 60_000L);
        h.processElement(errors(i, 20 + 3 * rnd.nextGaussian(), "g"), T0 + i * 60_000L);
    }

    /** Scores and stores as main did before the stored form: the baseline record as the detector keeps it. */
    static final class LegacyScore extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, MetricDatapoint, ScoredDatapoint> {
        private transient io.augur.ops.detect.BaselineDetector detector;
        private transient org.apache.flink.api.common.state.ValueState<io.augur.schema.SeriesBaseline> baseline;

        @Override
        public void open(org.apache.flink.configuration.Configuration parameters) {
            detector = new io.augur.ops.detect.BaselineDetector(DetectorSettings.defaults());
            baseline = getRuntimeContext().getState(ScoreDatapoints.descriptor(Duration.ofDays(7)));
        }

        @Override
        public void processElement(MetricDatapoint m, Context ctx, org.apache.flink.util.Collector<ScoredDatapoint> out) throws Exception {
            io.augur.schema.SeriesBaseline b = baseline.value();
            if (b == null) b = detector.newState();
            DetectorSettings s = detector.settings();
            String stat = io.augur.ops.detect.Statistics.statFor(m);
            detector.score(b, m.getTimestamp(), io.augur.ops.detect.Statistics.value(m, stat), s.threshold(m.getNamespace(), m.getMetricName()),
                    s.direction(m.getNamespace(), m.getMetricName()));
            baseline.update(b);
        }
    }

    /** The stored pattern memory's length of the key's baseline, as read from the state without decoding. */
    static final class StoredLength extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, MetricDatapoint, String> {
        private transient org.apache.flink.api.common.state.ValueState<io.augur.schema.SeriesBaseline> baseline;

        @Override
        public void open(org.apache.flink.configuration.Configuration parameters) {
            baseline = getRuntimeContext().getState(ScoreDatapoints.descriptor(Duration.ofDays(7)));
        }

        @Override
        public void processElement(MetricDatapoint m, Context ctx, org.apache.flink.util.Collector<String> out) throws Exception {
            out.collect(String.valueOf(baseline.value().getPatternCounts().remaining()));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> legacy() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new LegacyScore()), ScoreDatapoints.seriesStatKey(), Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, String> reader() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new StoredLength()), ScoreDatapoints.seriesStatKey(), Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> harness(boolean writeBack) throws Exception {
        ScoreDatapoints f = new ScoreDatapoints(DetectorSettings.defaults(), Duration.ofDays(7));
        return new KeyedOneInputStreamOperatorTestHarness<>(writeBack ? new WriteBackOperator<>(f) : new KeyedProcessOperator<>(f),
                ScoreDatapoints.seriesStatKey(), Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> harness(DetectorSettings s) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ScoreDatapoints(s, Duration.ofDays(7))),
                ScoreDatapoints.seriesStatKey(), Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> harness() throws Exception {
        DetectorSettings s = DetectorSettings.defaults();
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ScoreDatapoints(s, Duration.ofDays(7))),
                ScoreDatapoints.seriesStatKey(), Types.STRING);
    }

    private static MetricDatapoint errors(int minute, double sum) {
        return errors(minute, sum, "f");
    }

    private static MetricDatapoint errors(int minute, double sum, String function) {
        return MetricDatapoint.newBuilder()
                .setSeriesId("123456789012|us-east-1|AWS/Lambda|Errors|FunctionName=" + function).setAccountId("123456789012").setRegion("us-east-1")
                .setNamespace("AWS/Lambda").setMetricName("Errors").setDimensions(Map.of("FunctionName", function))
                .setTimestamp(T0 + minute * 60_000L).setMin(0).setMax(Math.max(0, sum)).setSum(Math.max(0, sum)).setCount(60).setUnit("Count")
                .setResource(Resource.newBuilder().setType("AWS::Lambda::Function").setName("f").setArn("arn:aws:lambda:us-east-1:123456789012:function:f").build())
                .build();
    }
}
