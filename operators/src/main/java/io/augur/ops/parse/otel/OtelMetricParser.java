package io.augur.ops.parse.otel;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import io.augur.ops.deadletter.BadInputException;
import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.parse.JsonFields;
import io.augur.ops.parse.MetricDatapoints;
import io.augur.ops.parse.ParseResult;
import io.augur.schema.MetricDatapoint;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch Metric Streams' OpenTelemetry 0.7 and 1.0 output formats: one or more ExportMetricsServiceRequest
 * messages per record, each preceded by its length as an unsigned varint32. Every summary datapoint becomes one
 * {@link MetricDatapoint} (identical to what {@code MetricStreamJsonParser} makes of the same datapoint in the JSON
 * format) or one rejection.
 *
 * <p>Both versions are read with the OTLP 1.x generated classes. The wire shapes agree everywhere CloudWatch writes
 * (ResourceMetrics field 2 is instrumentation_library_metrics in 0.7 and scope_metrics in 1.x; Metric field 11 is
 * double_summary in 0.7 and summary in 1.x; the datapoint's times, count, sum and quantiles keep their numbers),
 * except for the datapoint's key/value pairs: 0.7 writes {@code labels} (field 1, StringKeyValue{key=1, value=2}),
 * a field number 1.x reserves, so they survive parsing as unknown field 1 and are decoded here by hand; 1.0 writes
 * {@code attributes} (field 7, KeyValue with an AnyValue).
 *
 * <p>What CloudWatch puts in those pairs: {@code Namespace}, {@code MetricName} and the dimensions: in 0.7 one flat
 * label per dimension, in 1.0 one attribute {@code Dimensions} whose value is a key/value list. Plain string
 * attributes next to them are also read as dimensions.
 *
 * <p>Failures: a message that cannot be framed or parsed ends the record with one MALFORMED_PROTOBUF rejection whose
 * payload is the rest of the record; datapoints of earlier messages are kept. A bad datapoint, or a metric of a type
 * CloudWatch does not produce, is one rejection whose payload is a length-delimited request holding only that
 * datapoint or metric (with its resource), so it can be replayed through the same parser.
 */
public final class OtelMetricParser {
    static final String NAME_PREFIX = "amazonaws.com/";
    static final String ATTR_ACCOUNT = "cloud.account.id";
    static final String ATTR_REGION = "cloud.region";
    static final String ATTR_EXPORTER_ARN = "aws.exporter.arn";
    static final String STREAM_MARKER = "metric-stream/";
    static final String LABEL_NAMESPACE = "Namespace";
    static final String LABEL_METRIC_NAME = "MetricName";
    static final String LABEL_DIMENSIONS = "Dimensions";
    /** Field number of the OTLP 0.7 SummaryDataPoint.labels, reserved (hence unknown) in 1.x. */
    static final int LEGACY_LABELS_FIELD = 1;

    private OtelMetricParser() {}

    public static void parse(byte[] content, ParseResult out) {
        int before = out.read();
        int pos = 0;
        int messages = 0;
        while (pos < content.length) {
            int length;
            int headerBytes;
            try {
                CodedInputStream header = CodedInputStream.newInstance(content, pos, content.length - pos);
                length = header.readRawVarint32();
                headerBytes = header.getTotalBytesRead();
            } catch (IOException e) {
                malformed(out, content, pos, messages, "bad length prefix: " + e.getMessage());
                return;
            }
            int remaining = content.length - pos - headerBytes;
            if (length < 0 || length > remaining) {
                malformed(out, content, pos, messages, "length prefix " + Integer.toUnsignedString(length)
                        + " exceeds the " + remaining + " bytes left in the record");
                return;
            }
            ExportMetricsServiceRequest request;
            try {
                request = ExportMetricsServiceRequest.parser().parseFrom(content, pos + headerBytes, length);
            } catch (InvalidProtocolBufferException e) {
                malformed(out, content, pos, messages, "invalid ExportMetricsServiceRequest: " + e.getMessage());
                return;
            }
            if (request.getResourceMetricsCount() == 0 && !request.getUnknownFields().asMap().isEmpty()) {
                // Well-formed protobuf by accident (arbitrary bytes often are), but nothing OTLP.
                malformed(out, content, pos, messages, "message holds no resource_metrics, only unknown fields");
                return;
            }
            pos += headerBytes + length;
            messages++;
            readRequest(request, out);
        }
        if (out.read() == before) {
            out.reject(DeadLetterReason.EMPTY_RECORD,
                    "no OpenTelemetry datapoints or metrics in " + messages + " message(s)", content);
        }
    }

    private static void malformed(ParseResult out, byte[] content, int pos, int goodMessages, String why) {
        out.reject(DeadLetterReason.MALFORMED_PROTOBUF,
                "message " + (goodMessages + 1) + " at byte " + pos + ": " + why,
                Arrays.copyOfRange(content, pos, content.length));
    }

    private static void readRequest(ExportMetricsServiceRequest request, ParseResult out) {
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            ResourceInfo res = ResourceInfo.of(rm.getResource());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric metric : sm.getMetricsList()) {
                    if (metric.getDataCase() != Metric.DataCase.SUMMARY) {
                        out.reject(DeadLetterReason.UNKNOWN_FORMAT, unsupported(metric),
                                payload(rm, sm, metric));
                        continue;
                    }
                    for (SummaryDataPoint dp : metric.getSummary().getDataPointsList()) {
                        try {
                            out.metrics.add(datapoint(res, metric, dp));
                        } catch (BadInputException e) {
                            Metric single = metric.toBuilder()
                                    .setSummary(Summary.newBuilder().addDataPoints(dp))
                                    .build();
                            out.reject(e.reason(), e.detail(), payload(rm, sm, single));
                        }
                    }
                }
            }
        }
    }

    private static String unsupported(Metric metric) {
        String type;
        switch (metric.getDataCase()) {
            case GAUGE: type = "gauge"; break;
            case SUM: type = "sum"; break;
            case HISTOGRAM: type = "histogram"; break;
            case EXPONENTIAL_HISTOGRAM: type = "exponential histogram"; break;
            default:
                // Also OTLP 0.7's int_gauge (4), int_sum (6) and int_histogram (8), which 1.x no longer knows.
                return "OpenTelemetry metric '" + metric.getName()
                        + "' carries no data of a known type; only summaries are produced by CloudWatch metric streams";
        }
        return "OpenTelemetry " + type + " metrics are not produced by CloudWatch metric streams (metric '"
                + metric.getName() + "')";
    }

    static MetricDatapoint datapoint(ResourceInfo res, Metric metric, SummaryDataPoint dp) throws BadInputException {
        if (res.account == null) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "missing resource attribute '" + ATTR_ACCOUNT + "'");
        }
        if (res.region == null) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "missing resource attribute '" + ATTR_REGION + "'");
        }

        Pairs pairs = pairs(dp);
        String[] nsAndName = namespaceAndMetric(metric.getName(), pairs);
        String namespace = nsAndName[0];
        String metricName = nsAndName[1];

        // CloudWatch stamps the period start in start_time_unix_nano and its end in time_unix_nano. The JSON format's
        // timestamp (and MetricDatapoint.timestamp) is the period start, so the start time is used when present;
        // time_unix_nano is the fallback for a producer that leaves the start out.
        long nanos = dp.getStartTimeUnixNano() != 0 ? dp.getStartTimeUnixNano() : dp.getTimeUnixNano();
        if (nanos == 0) {
            throw new BadInputException(DeadLetterReason.INVALID_TIMESTAMP, "datapoint has neither start_time_unix_nano nor time_unix_nano");
        }
        long ts = JsonFields.plausible(Long.divideUnsigned(nanos, 1_000_000L),
                dp.getStartTimeUnixNano() != 0 ? "start_time_unix_nano" : "time_unix_nano");

        Double min = null;
        Double max = null;
        Map<String, Double> percentiles = new HashMap<>();
        for (SummaryDataPoint.ValueAtQuantile q : dp.getQuantileValuesList()) {
            double quantile = q.getQuantile();
            double value = q.getValue();
            if (!Double.isFinite(quantile)) {
                throw new BadInputException(DeadLetterReason.NON_FINITE_VALUE, "quantile is " + quantile);
            }
            if (quantile < 0.0 || quantile > 1.0) {
                throw new BadInputException(DeadLetterReason.INVALID_VALUE, "quantile " + quantile + " is outside [0, 1]");
            }
            if (!Double.isFinite(value)) {
                throw new BadInputException(DeadLetterReason.NON_FINITE_VALUE, "value at quantile " + quantile + " is " + value);
            }
            if (quantile == 0.0) {
                min = value;
            } else if (quantile == 1.0) {
                max = value;
            } else {
                percentiles.put(percentileName(quantile), value);
            }
        }
        if (min == null) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "missing quantile 0.0 (the minimum)");
        }
        if (max == null) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "missing quantile 1.0 (the maximum)");
        }
        double sum = dp.getSum();
        if (!Double.isFinite(sum)) {
            throw new BadInputException(DeadLetterReason.NON_FINITE_VALUE, "sum is " + sum);
        }
        // count is fixed64, unsigned on the wire: a value with the top bit set is a corrupt (or negative) count.
        long count = dp.getCount();
        if (count < 0) {
            throw new BadInputException(DeadLetterReason.INVALID_VALUE,
                    "count " + Long.toUnsignedString(count) + " is not a plausible sample count (negative as int64: " + count + ")");
        }
        return MetricDatapoints.of(res.account, res.region, namespace, metricName, pairs.dimensions, ts, min, max, sum, (double) count,
                percentiles, cloudWatchUnit(metric.getUnit()), res.streamName);
    }

    /**
     * Namespace and metric name from {@code amazonaws.com/<Namespace>/<MetricName>}. Namespaces hold slashes
     * ({@code AWS/EC2}), so the metric name is what follows the last slash, unless the datapoint's Namespace and
     * MetricName pairs spell the same full name differently (a custom metric name with a slash in it): they are
     * CloudWatch's own values and then win.
     */
    private static String[] namespaceAndMetric(String fullName, Pairs pairs) throws BadInputException {
        if (!fullName.startsWith(NAME_PREFIX)) {
            throw new BadInputException(DeadLetterReason.UNKNOWN_FORMAT,
                    "metric name '" + fullName + "' is not of the form " + NAME_PREFIX + "<Namespace>/<MetricName>");
        }
        String rest = fullName.substring(NAME_PREFIX.length());
        if (pairs.namespace != null && pairs.metricName != null && !pairs.namespace.isEmpty() && !pairs.metricName.isEmpty()
                && rest.equals(pairs.namespace + "/" + pairs.metricName)) {
            return new String[] {pairs.namespace, pairs.metricName};
        }
        int slash = rest.lastIndexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new BadInputException(DeadLetterReason.UNKNOWN_FORMAT,
                    "metric name '" + fullName + "' is not of the form " + NAME_PREFIX + "<Namespace>/<MetricName>");
        }
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }

    /** 0.99 → p99, 0.999 → p99.9, 0.5 → p50: the names CloudWatch (and the JSON format) give these statistics. */
    static String percentileName(double quantile) {
        return "p" + BigDecimal.valueOf(quantile).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /**
     * CloudWatch unit names back from the UCUM codes CloudWatch writes (its documented translation table); rates
     * such as {@code By/s} map both sides ({@code Bytes/Second}). Anything unrecognised is kept as it is; empty is
     * "None". Note that the table maps CloudWatch's None to {@code 1} and Count to {@code {Count}}.
     */
    static String cloudWatchUnit(String unit) {
        if (unit == null || unit.isEmpty()) return "None";
        int slash = unit.indexOf('/');
        if (slash > 0 && slash < unit.length() - 1 && unit.indexOf('/', slash + 1) < 0) {
            String num = UNITS.get(unit.substring(0, slash));
            String den = unit.substring(slash + 1).equals("s") ? "Second" : null;
            if (num != null && den != null && !num.equals("None")) return num + "/" + den;
            return unit;
        }
        return UNITS.getOrDefault(unit, unit);
    }

    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("1", "None"),
            Map.entry("{Count}", "Count"),
            Map.entry("%", "Percent"),
            Map.entry("s", "Seconds"),
            Map.entry("ms", "Milliseconds"),
            Map.entry("us", "Microseconds"),
            Map.entry("By", "Bytes"),
            Map.entry("kBy", "Kilobytes"),
            Map.entry("MBy", "Megabytes"),
            Map.entry("GBy", "Gigabytes"),
            Map.entry("TBy", "Terabytes"),
            Map.entry("bit", "Bits"),
            Map.entry("kbit", "Kilobits"),
            Map.entry("Mbit", "Megabits"),
            Map.entry("MBit", "Megabits"),
            Map.entry("Gbit", "Gigabits"),
            Map.entry("GBit", "Gigabits"),
            Map.entry("Tbit", "Terabits"),
            Map.entry("TBit", "Terabits"));

    /** The datapoint's key/value pairs: 1.0 attributes and/or 0.7 labels. */
    private static final class Pairs {
        String namespace;
        String metricName;
        final Map<String, String> dimensions = new HashMap<>();

        void put(String key, String value) {
            if (LABEL_NAMESPACE.equals(key)) {
                namespace = value;
            } else if (LABEL_METRIC_NAME.equals(key)) {
                metricName = value;
            } else {
                dimensions.put(key, value);
            }
        }
    }

    private static Pairs pairs(SummaryDataPoint dp) throws BadInputException {
        Pairs pairs = new Pairs();
        for (KeyValue kv : dp.getAttributesList()) {
            AnyValue v = kv.getValue();
            if (LABEL_DIMENSIONS.equals(kv.getKey()) && v.hasKvlistValue()) {
                for (KeyValue d : v.getKvlistValue().getValuesList()) {
                    if (!d.getValue().hasStringValue()) {
                        throw new BadInputException(DeadLetterReason.WRONG_TYPE,
                                "dimension '" + d.getKey() + "' must be a string, got " + d.getValue().getValueCase());
                    }
                    pairs.dimensions.put(d.getKey(), d.getValue().getStringValue());
                }
            } else if (v.hasStringValue()) {
                pairs.put(kv.getKey(), v.getStringValue());
            } else {
                throw new BadInputException(DeadLetterReason.WRONG_TYPE,
                        "attribute '" + kv.getKey() + "' must be a string, got " + v.getValueCase());
            }
        }
        UnknownFieldSet.Field labels = dp.getUnknownFields().getField(LEGACY_LABELS_FIELD);
        if (labels != null) {
            for (ByteString label : labels.getLengthDelimitedList()) {
                readLabel(label, pairs);
            }
        }
        return pairs;
    }

    /** One OTLP 0.7 StringKeyValue: {@code key} (1, string), {@code value} (2, string). */
    private static void readLabel(ByteString bytes, Pairs pairs) throws BadInputException {
        String key = "";
        String value = "";
        try {
            CodedInputStream in = bytes.newCodedInput();
            int tag;
            while ((tag = in.readTag()) != 0) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    key = in.readStringRequireUtf8();
                } else if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    value = in.readStringRequireUtf8();
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new BadInputException(DeadLetterReason.MALFORMED_PROTOBUF, "unreadable OTLP 0.7 label: " + e.getMessage());
        }
        pairs.put(key, value);
    }

    /** The resource attributes CloudWatch sets. */
    static final class ResourceInfo {
        final String account;
        final String region;
        final String streamName;

        private ResourceInfo(String account, String region, String streamName) {
            this.account = account;
            this.region = region;
            this.streamName = streamName;
        }

        static ResourceInfo of(Resource resource) {
            String account = null;
            String region = null;
            String arn = null;
            List<KeyValue> attrs = resource.getAttributesList();
            for (KeyValue kv : attrs) {
                String v = kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : null;
                if (v == null || v.isEmpty()) continue;
                switch (kv.getKey()) {
                    case ATTR_ACCOUNT: account = v; break;
                    case ATTR_REGION: region = v; break;
                    case ATTR_EXPORTER_ARN: arn = v; break;
                    default: break;
                }
            }
            String stream = null;
            if (arn != null) {
                int i = arn.indexOf(STREAM_MARKER);
                if (i >= 0 && i + STREAM_MARKER.length() < arn.length()) stream = arn.substring(i + STREAM_MARKER.length());
            }
            return new ResourceInfo(account, region, stream);
        }
    }

    /** A self-contained, length-delimited request holding one resource, one scope and one metric. */
    private static byte[] payload(ResourceMetrics rm, ScopeMetrics sm, Metric metric) {
        ExportMetricsServiceRequest single = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(rm.getResource())
                        .setSchemaUrl(rm.getSchemaUrl())
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(sm.getScope())
                                .setSchemaUrl(sm.getSchemaUrl())
                                .addMetrics(metric)))
                .build();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(single.getSerializedSize() + 5);
            single.writeDelimitedTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reached: ByteArrayOutputStream does not throw
        }
    }
}
