package io.augur.ops.flink;

import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.parse.Fixtures;
import io.augur.schema.DeadLetter;
import io.augur.schema.MetricDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DedupDatapointsHarnessTest {
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration WINDOW = Duration.ofHours(2);

    @Test
    void repeatedDatapointsAreDeadLetteredPerSeriesAndStateExpiresWhenASeriesGoesSilent() throws Exception {
        List<MetricDatapoint> points = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics;
        MetricDatapoint disk = points.get(0);
        MetricDatapoint cpu = points.get(1); // same timestamp, other series: not a duplicate

        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness()) {
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(disk, disk.getTimestamp());
            h.processElement(cpu, cpu.getTimestamp());
            h.processElement(disk, disk.getTimestamp());
            MetricDatapoint later = MetricDatapoint.newBuilder(disk).setTimestamp(disk.getTimestamp() + 60_000).build();
            h.processElement(later, later.getTimestamp());

            assertThat(h.extractOutputValues()).containsExactly(disk, cpu, later);
            List<DeadLetter> dead = h.getSideOutput(SideOutputs.DEAD_LETTERS).stream().map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.getReason()).isEqualTo("DUPLICATE");
                assertThat(d.getDetail()).contains(disk.getSeriesId());
            });
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);

            // After the TTL without data, the series' state is gone: the same datapoint is new again.
            h.setStateTtlProcessingTime(TTL.toMillis() + 1);
            h.processElement(disk, disk.getTimestamp());
            assertThat(h.extractOutputValues()).hasSize(4);
            assertThat(h.getSideOutput(SideOutputs.DEAD_LETTERS)).hasSize(1);
        }
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        MetricDatapoint disk = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics.get(0);
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness()) {
            h.open();
            h.processElement(disk, disk.getTimestamp());
            snapshot = h.snapshot(1L, 1L);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(disk, disk.getTimestamp());
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(SideOutputs.DEAD_LETTERS)).hasSize(1);
        }
    }

    @Test
    void aRepeatArrivingHundredsOfDatapointsLaterIsStillDroppedAndOneBeyondTheWindowIsAcceptedAndCounted() throws Exception {
        MetricDatapoint disk = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics.get(0);
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness()) {
            h.open();
            List<MetricDatapoint> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) sent.add(at(disk, disk.getTimestamp() + i * 60_000L));
            for (MetricDatapoint m : sent) h.processElement(m, m.getTimestamp());
            // the first datapoint again, 99 newer datapoints of its series later (the count-based memory kept 32)
            h.processElement(sent.get(0), sent.get(0).getTimestamp());
            h.processElement(sent.get(50), sent.get(50).getTimestamp());
            assertThat(h.extractOutputValues()).containsExactlyElementsOf(sent);
            assertThat(h.getSideOutput(SideOutputs.DEAD_LETTERS)).extracting(r -> r.getValue().getReason().toString())
                    .containsExactly("DUPLICATE", "DUPLICATE");
            assertThat(accumulator(h, "augur.deadLetter.DUPLICATE")).isEqualTo(2);

            // more than the window (2 h here) behind the newest datapoint: cannot be checked, accepted and counted
            MetricDatapoint old = at(disk, disk.getTimestamp() + 99 * 60_000L - WINDOW.toMillis() - 60_000L);
            h.processElement(old, old.getTimestamp());
            h.processElement(old, old.getTimestamp());
            assertThat(h.extractOutputValues()).hasSize(102).endsWith(old, old);
            assertThat(accumulator(h, "augur.dedup.unchecked")).isEqualTo(2);
            assertThat(h.getSideOutput(SideOutputs.DEAD_LETTERS)).hasSize(2);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    /**
     * A snapshot taken by the v1 operator (main at 7d01785, DedupDatapoints(32, 1h TTL), SeriesSeen v1 schema in the
     * serializer snapshot) after 40 one-minute datapoints of one series: it remembers minutes 8 to 39.
     */
    @Test
    void aSnapshotTakenByTheCountBasedV1OperatorRestoresAndMigrates() throws Exception {
        MetricDatapoint disk = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics.get(0);
        long t0 = disk.getTimestamp();
        OperatorSubtaskState v1 = OperatorSnapshotUtil.readStateHandle(
                Path.of(DedupDatapointsHarnessTest.class.getResource("dedup-datapoints-v1.snapshot").toURI()).toString());
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness()) {
            h.setStateTtlProcessingTime(0);
            h.initializeState(v1);
            h.open();
            for (int minute : new int[] {8, 39, 20, 40, 7, 40, 0}) h.processElement(at(disk, t0 + minute * 60_000L), t0 + minute * 60_000L);
            // 8, 39 and 20 were remembered by v1: duplicates; 40 is new, then a duplicate; 7 and 0 came before v1's
            // memory: unchecked, accepted
            assertThat(h.extractOutputValues()).extracting(m -> (m.getTimestamp() - t0) / 60_000L).containsExactly(40L, 7L, 0L);
            assertThat(h.getSideOutput(SideOutputs.DEAD_LETTERS)).hasSize(4);
            assertThat(accumulator(h, "augur.dedup.unchecked")).isEqualTo(2);
            // and the memory carries on through a snapshot of the migrated state
            OperatorSubtaskState v2 = h.snapshot(2L, 2L);
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> again = harness()) {
                again.setStateTtlProcessingTime(0);
                again.initializeState(v2);
                again.open();
                again.processElement(at(disk, t0 + 8 * 60_000L), t0 + 8 * 60_000L);
                again.processElement(at(disk, t0 + 41 * 60_000L), t0 + 41 * 60_000L);
                assertThat(again.extractOutputValues()).extracting(m -> (m.getTimestamp() - t0) / 60_000L).containsExactly(41L);
            }
        }
    }

    private static MetricDatapoint at(MetricDatapoint m, long ts) {
        return MetricDatapoint.newBuilder(m).setTimestamp(ts).build();
    }

    private static long accumulator(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String name) {
        Object a = h.getEnvironment().getAccumulatorRegistry().getUserMap().get(name);
        return a == null ? 0 : ((org.apache.flink.api.common.accumulators.LongCounter) a).getLocalValue();
    }

    @Test
    void theJobsOperatorWritesWindowsBackBeforeEachSnapshotWithTheSameVerdicts() throws Exception {
        List<MetricDatapoint> points = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics;
        List<List<Object>> runs = new ArrayList<>();
        for (boolean writeBack : new boolean[] {false, true}) {
            List<Object> out = new ArrayList<>();
            OperatorSubtaskState snapshot;
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness(writeBack)) {
                h.open();
                for (int i = 0; i < 3; i++) for (MetricDatapoint m : points) h.processElement(shifted(m, i), m.getTimestamp());
                h.processElement(points.get(0), points.get(0).getTimestamp()); // a repeat
                assertThat(h.numKeyedStateEntries()).isEqualTo(writeBack ? 0 : points.size()); // held back until the snapshot
                h.prepareSnapshotPreBarrier(1); // as a task does before every checkpoint and savepoint
                snapshot = h.snapshot(1, 1);
                assertThat(h.numKeyedStateEntries()).isEqualTo(points.size());
                out.addAll(h.extractOutputValues());
                out.addAll(h.getSideOutput(SideOutputs.DEAD_LETTERS).stream().map(r -> r.getValue().getDetail()).collect(Collectors.toList()));
            }
            try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness(writeBack)) {
                h.initializeState(snapshot);
                h.open();
                for (int i = 2; i < 5; i++) for (MetricDatapoint m : points) h.processElement(shifted(m, i), m.getTimestamp()); // minute 2 repeats
                out.addAll(h.extractOutputValues());
                out.addAll(h.getSideOutput(SideOutputs.DEAD_LETTERS).stream().map(r -> r.getValue().getDetail()).collect(Collectors.toList()));
            }
            runs.add(out);
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(1)).hasSize(points.size() * 5 + 1 + points.size());
    }

    private static MetricDatapoint shifted(MetricDatapoint m, int minutes) {
        return MetricDatapoint.newBuilder(m).setTimestamp(m.getTimestamp() + minutes * 60_000L).build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> harness(boolean writeBack) throws Exception {
        DedupDatapoints f = new DedupDatapoints(WINDOW, TTL, 4096, 1000);
        return new KeyedOneInputStreamOperatorTestHarness<>(writeBack ? new WriteBackOperator<>(f) : new KeyedProcessOperator<>(f),
                MetricDatapoint::getSeriesId, Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupDatapoints(WINDOW, TTL, 256)), MetricDatapoint::getSeriesId, Types.STRING);
    }
}
