package io.augur.ops.parse.otel;

import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.parse.ParseResult;

/**
 * CONTRACT (being implemented): CloudWatch Metric Streams' OpenTelemetry 0.7 and 1.0 output: one or more
 * varint-length-delimited ExportMetricsServiceRequest messages per record. Every summary datapoint becomes one
 * MetricDatapoint; a message that cannot be parsed becomes one MALFORMED_PROTOBUF rejection.
 */
public final class OtelMetricParser {
    private OtelMetricParser() {}

    public static void parse(byte[] content, ParseResult out) {
        out.reject(DeadLetterReason.MALFORMED_PROTOBUF, "OpenTelemetry is not parsed yet", content);
    }
}
