package io.augur.ops.flink;

import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.parse.Fixtures;
import io.augur.schema.DeadLetter;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.SeriesSeen;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

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
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
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

    @Test
    void stateWrittenByV1IsMigratedOnFirstAccess() throws Exception {
        MetricDatapoint disk = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics.get(0);
        long t0 = disk.getTimestamp();
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        // what v1 stored: only the last timestamps, in `recent`
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WritesV1State()), MetricDatapoint::getSeriesId, Types.STRING)) {
            h.open();
            h.processElement(disk, t0);
            snapshot = h.snapshot(1L, 1L);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(at(disk, t0 + 60_000), t0 + 60_000);   // remembered by v1: duplicate
            h.processElement(at(disk, t0 + 180_000), t0 + 180_000); // new
            h.processElement(at(disk, t0 - 60_000), t0 - 60_000);   // before v1's memory: unchecked, accepted
            h.processElement(at(disk, t0 + 180_000), t0 + 180_000); // remembered by v2: duplicate
            assertThat(h.extractOutputValues()).extracting(MetricDatapoint::getTimestamp).containsExactly(t0 + 180_000, t0 - 60_000);
            assertThat(h.getSideOutput(SideOutputs.DEAD_LETTERS)).hasSize(2);
            assertThat(accumulator(h, "augur.dedup.unchecked")).isEqualTo(1);
        }
    }

    /** Stands in for the v1 operator: stores {@code recent} = [t, t+1 min, t+2 min] for each datapoint's series. */
    static final class WritesV1State extends KeyedProcessFunction<String, MetricDatapoint, MetricDatapoint> {
        private transient ValueState<SeriesSeen> seen;

        @Override
        public void open(Configuration parameters) {
            seen = getRuntimeContext().getState(DedupDatapoints.descriptor(TTL));
        }

        @Override
        public void processElement(MetricDatapoint m, Context ctx, Collector<MetricDatapoint> out) throws Exception {
            long t = m.getTimestamp();
            seen.update(SeriesSeen.newBuilder().setRecent(List.of(t, t + 60_000, t + 120_000)).build());
        }
    }

    private static MetricDatapoint at(MetricDatapoint m, long ts) {
        return MetricDatapoint.newBuilder(m).setTimestamp(ts).build();
    }

    private static long accumulator(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String name) {
        Object a = h.getEnvironment().getAccumulatorRegistry().getUserMap().get(name);
        return a == null ? 0 : ((org.apache.flink.api.common.accumulators.LongCounter) a).getLocalValue();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupDatapoints(WINDOW, TTL, 256)), MetricDatapoint::getSeriesId, Types.STRING);
    }
}
