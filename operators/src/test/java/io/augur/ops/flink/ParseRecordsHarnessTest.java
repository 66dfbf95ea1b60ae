package io.augur.ops.flink;

import io.augur.ops.flink.parse.ParseRecords;
import io.augur.ops.parse.Fixtures;
import io.augur.schema.DeadLetter;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.RawRecord;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ParseRecordsHarnessTest {

    @Test
    void datapointsGoOutBadInputGoesToTheDeadLetterOutputAndNothingThrows() throws Exception {
        ParseRecords fn = new ParseRecords(1 << 20, 16 << 20, 64);
        try (OneInputStreamOperatorTestHarness<RawRecord, MetricDatapoint> h =
                     new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn))) {
            h.open();
            h.processElement(raw(Fixtures.bytes("metrics/metric-stream-json.ndjson.gz")), 0);
            h.processElement(raw("{not json".getBytes(StandardCharsets.UTF_8)), 0);
            h.processElement(raw(new byte[]{0x1f, (byte) 0x8b, 0x08}), 0);
            h.processElement(raw(("{\"foo\":\"" + "y".repeat(500) + "\"}").getBytes(StandardCharsets.UTF_8)), 0);

            List<MetricDatapoint> out = h.extractOutputValues();
            assertThat(out).hasSize(4).extracting(MetricDatapoint::getMetricName)
                    .containsExactly("DiskWriteOps", "CPUUtilization", "Duration", "OrdersPlaced");

            List<DeadLetter> dead = h.getSideOutput(SideOutputs.DEAD_LETTERS).stream().map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(dead).extracting(DeadLetter::getReason).containsExactly("MALFORMED_JSON", "TRUNCATED_GZIP", "UNKNOWN_FORMAT");
            assertThat(dead).allSatisfy(d -> {
                assertThat(d.getOrigin()).isEqualTo("augur-metrics");
                assertThat(d.getDetail()).isNotBlank();
            });
            // payloads are truncated copies, with their true size recorded
            assertThat(dead.get(2).getPayloadBytes()).isEqualTo(510);
            assertThat(dead.get(2).getPayload()).hasSizeLessThan(100).contains("more chars");
        }
    }

    static RawRecord raw(byte[] payload) {
        return RawRecord.newBuilder().setOrigin("augur-metrics").setPayload(ByteBuffer.wrap(payload)).setReceivedAt(1L).build();
    }
}
