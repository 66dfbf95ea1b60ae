package io.augur.ops.parse.otel;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Builds CloudWatch metric-stream OpenTelemetry records the way CloudWatch writes them (see the AWS pages
 * "Translations with OpenTelemetry 0.7.0/1.0.0 format"): resource attributes cloud.provider, cloud.account.id,
 * cloud.region, aws.exporter.arn; one summary per metric named amazonaws.com/&lt;Namespace&gt;/&lt;MetricName&gt;;
 * start/end of the period in start_time_unix_nano/time_unix_nano; min, max and percentiles as quantiles 0.0, 1.0
 * and e.g. 0.99. Datapoint pairs: 1.0 has attributes Namespace, MetricName and Dimensions (a key/value list); 0.7
 * has labels (StringKeyValue, field 1) Namespace, MetricName and one label per dimension.
 */
final class OtelFixtures {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final String STREAM = "MyStream";
    static final String EXPORTER_ARN = "arn:aws:cloudwatch:us-east-1:123456789012:metric-stream/" + STREAM;
    /** 2024-05-01T12:00:00Z, the period start. */
    static final long START_MS = 1_714_564_800_000L;
    static final long START_NANOS = START_MS * 1_000_000L;
    static final long END_NANOS = START_NANOS + 60_000_000_000L;

    private OtelFixtures() {}

    enum Version { V07, V10 }

    /** One CloudWatch datapoint, as the metric stream sees it. Mutable on purpose: tests spoil single fields. */
    static final class Point {
        String namespace = "AWS/EC2";
        String metricName = "CPUUtilization";
        String fullName; // null: amazonaws.com/<namespace>/<metricName>
        String unit = "%";
        Map<String, String> dims = new LinkedHashMap<>(Map.of("InstanceId", "i-0abc123def4567890"));
        long startNanos = START_NANOS;
        long endNanos = END_NANOS;
        long count = 5;
        double sum = 100.5;
        /** quantile → value, in CloudWatch's order: min, percentiles, max. */
        Map<Double, Double> quantiles = new LinkedHashMap<>();

        Point() {
            quantiles.put(0.0, 10.0);
            quantiles.put(0.99, 35.0);
            quantiles.put(1.0, 40.0);
        }

        String name() {
            return fullName != null ? fullName : "amazonaws.com/" + namespace + "/" + metricName;
        }
    }

    static Point cpu() {
        return new Point();
    }

    static Point albLatency() {
        Point p = new Point();
        p.namespace = "AWS/ApplicationELB";
        p.metricName = "TargetResponseTime";
        p.unit = "s";
        p.dims = new LinkedHashMap<>();
        p.dims.put("LoadBalancer", "app/my-alb/50dc6c495c0c9188");
        p.count = 1200;
        p.sum = 96.0;
        p.quantiles = new LinkedHashMap<>();
        p.quantiles.put(0.0, 0.004);
        p.quantiles.put(0.5, 0.06);
        p.quantiles.put(0.99, 0.41);
        p.quantiles.put(0.999, 0.93);
        p.quantiles.put(1.0, 1.25);
        return p;
    }

    // ---- resources ----------------------------------------------------------------------------------------------

    static Map<String, String> cloudWatchResource() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("cloud.provider", "aws");
        r.put("cloud.account.id", ACCOUNT);
        r.put("cloud.region", REGION);
        r.put("aws.exporter.arn", EXPORTER_ARN);
        return r;
    }

    static Resource resource(Map<String, String> attrs) {
        Resource.Builder b = Resource.newBuilder();
        attrs.forEach((k, v) -> b.addAttributes(str(k, v)));
        return b.build();
    }

    static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    // ---- datapoints and metrics ---------------------------------------------------------------------------------

    static SummaryDataPoint summaryPoint(Point p, Version v) {
        SummaryDataPoint.Builder dp = SummaryDataPoint.newBuilder()
                .setStartTimeUnixNano(p.startNanos)
                .setTimeUnixNano(p.endNanos)
                .setCount(p.count)
                .setSum(p.sum);
        p.quantiles.forEach((q, value) -> dp.addQuantileValues(
                SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(value)));
        if (v == Version.V10) {
            KeyValueList.Builder dims = KeyValueList.newBuilder();
            p.dims.forEach((k, val) -> dims.addValues(str(k, val)));
            dp.addAttributes(str("Namespace", p.namespace));
            dp.addAttributes(str("MetricName", p.metricName));
            dp.addAttributes(KeyValue.newBuilder().setKey("Dimensions")
                    .setValue(AnyValue.newBuilder().setKvlistValue(dims)));
        } else {
            // OTLP 0.7 SummaryDataPoint.labels = field 1, repeated StringKeyValue: reserved in 1.x, so unknown here.
            UnknownFieldSet.Field.Builder labels = UnknownFieldSet.Field.newBuilder();
            labels.addLengthDelimited(stringKeyValue("Namespace", p.namespace));
            labels.addLengthDelimited(stringKeyValue("MetricName", p.metricName));
            p.dims.forEach((k, val) -> labels.addLengthDelimited(stringKeyValue(k, val)));
            dp.setUnknownFields(UnknownFieldSet.newBuilder().addField(1, labels.build()).build());
        }
        return dp.build();
    }

    /** OTLP 0.7 StringKeyValue {key = 1; value = 2}. */
    static ByteString stringKeyValue(String key, String value) {
        ByteString.Output out = ByteString.newOutput();
        try {
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            c.writeString(1, key);
            c.writeString(2, value);
            c.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteString();
    }

    /** One summary metric; its name and unit are the first point's (a metric's datapoints share them). */
    static Metric summaryMetric(Version v, Point... points) {
        Summary.Builder s = Summary.newBuilder();
        for (Point p : points) s.addDataPoints(summaryPoint(p, v));
        return Metric.newBuilder().setName(points[0].name()).setUnit(points[0].unit).setSummary(s).build();
    }

    static Metric gauge(String name) {
        return Metric.newBuilder().setName(name).setUnit("1")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                        .setTimeUnixNano(END_NANOS).setAsDouble(3.0)))
                .build();
    }

    static ExportMetricsServiceRequest request(Map<String, String> resourceAttrs, Metric... metrics) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        for (Metric m : metrics) scope.addMetrics(m);
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(resourceAttrs)).addScopeMetrics(scope))
                .build();
    }

    /** A CloudWatch request: one resource, one summary metric per point. */
    static ExportMetricsServiceRequest request(Version v, Point... points) {
        Metric[] metrics = new Metric[points.length];
        for (int i = 0; i < points.length; i++) metrics[i] = summaryMetric(v, points[i]);
        return request(cloudWatchResource(), metrics);
    }

    /** The record: each message preceded by its length as an unsigned varint32. */
    static byte[] record(MessageLite... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (MessageLite m : messages) m.writeDelimitedTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- OTLP 0.7, encoded field by field from the 0.7 .proto files (no 1.x classes involved) -------------------

    /**
     * An OTLP 0.7 ExportMetricsServiceRequest written by hand from opentelemetry-proto v0.7.0's field numbers, in
     * the order a 0.7 serializer writes them (labels first). Proves the 1.x classes read real 0.7 bytes, not just
     * bytes that 1.x classes wrote.
     */
    static byte[] handEncoded07(Point... points) {
        Bytes resource = new Bytes();
        cloudWatchResource().forEach((k, v) -> resource.message(1, keyValue07(k, v)));       // Resource.attributes = 1
        Bytes library = new Bytes();                                                           // InstrumentationLibraryMetrics
        for (Point p : points) library.message(2, metric07(p));                                // .metrics = 2
        Bytes rm = new Bytes().message(1, resource).message(2, library);                       // ResourceMetrics.resource = 1, .instrumentation_library_metrics = 2
        return new Bytes().message(1, rm).toByteArray();                                       // ExportMetricsServiceRequest.resource_metrics = 1
    }

    private static Bytes keyValue07(String key, String value) {                                // common.v1.KeyValue {key = 1; AnyValue value = 2}
        return new Bytes().string(1, key).message(2, new Bytes().string(1, value));            // AnyValue.string_value = 1
    }

    private static Bytes metric07(Point p) {
        Bytes dp = new Bytes();                                                                // DoubleSummaryDataPoint
        dp.message(1, new Bytes().string(1, "Namespace").string(2, p.namespace));              // labels = 1 (StringKeyValue)
        dp.message(1, new Bytes().string(1, "MetricName").string(2, p.metricName));
        p.dims.forEach((k, v) -> dp.message(1, new Bytes().string(1, k).string(2, v)));
        dp.fixed64(2, p.startNanos).fixed64(3, p.endNanos).fixed64(4, p.count).dbl(5, p.sum); // start, time, count, sum
        p.quantiles.forEach((q, v) -> dp.message(6, new Bytes().dbl(1, q).dbl(2, v)));         // quantile_values = 6
        Bytes summary = new Bytes().message(1, dp);                                            // DoubleSummary.data_points = 1
        return new Bytes().string(1, p.name()).string(3, p.unit).message(11, summary);         // Metric name = 1, unit = 3, double_summary = 11
    }

    /** A tiny protobuf writer. */
    static final class Bytes {
        private final ByteString.Output buf = ByteString.newOutput();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        Bytes string(int field, String s) {
            try { out.writeString(field, s); } catch (IOException e) { throw new UncheckedIOException(e); }
            return this;
        }

        Bytes fixed64(int field, long v) {
            try { out.writeFixed64(field, v); } catch (IOException e) { throw new UncheckedIOException(e); }
            return this;
        }

        Bytes dbl(int field, double v) {
            try { out.writeDouble(field, v); } catch (IOException e) { throw new UncheckedIOException(e); }
            return this;
        }

        Bytes message(int field, Bytes m) {
            try { out.writeBytes(field, m.toByteString()); } catch (IOException e) { throw new UncheckedIOException(e); }
            return this;
        }

        ByteString toByteString() {
            try { out.flush(); } catch (IOException e) { throw new UncheckedIOException(e); }
            return buf.toByteString();
        }

        byte[] toByteArray() {
            return toByteString().toByteArray();
        }
    }

    /** Prefixes raw message bytes with their varint32 length. */
    static byte[] delimited(byte[]... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            for (byte[] m : messages) {
                c.writeUInt32NoTag(m.length);
                c.writeRawBytes(m);
            }
            c.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
