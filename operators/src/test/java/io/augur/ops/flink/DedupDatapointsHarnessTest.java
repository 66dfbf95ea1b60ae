package io.augur.ops.flink;

import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.parse.Fixtures;
import io.augur.schema.DeadLetter;
import io.augur.schema.MetricDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DedupDatapointsHarnessTest {
    private static final Duration TTL = Duration.ofHours(1);

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

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupDatapoints(8, TTL, 256)), MetricDatapoint::getSeriesId, Types.STRING);
    }
}
