package io.augur.ops.parse.otel;

import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.parse.ParseResult;
import io.augur.ops.parse.RecordParser;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static io.augur.ops.parse.otel.OtelFixtures.Version.V07;
import static io.augur.ops.parse.otel.OtelFixtures.Version.V10;
import static io.augur.ops.parse.otel.OtelFixtures.albLatency;
import static io.augur.ops.parse.otel.OtelFixtures.cloudWatchResource;
import static io.augur.ops.parse.otel.OtelFixtures.cpu;
import static io.augur.ops.parse.otel.OtelFixtures.record;
import static io.augur.ops.parse.otel.OtelFixtures.request;
import static io.augur.ops.parse.otel.OtelFixtures.summaryMetric;
import static org.assertj.core.api.Assertions.assertThat;

class OtelMetricParserTest {

    // ---- expected values, written out literally (not derived from the fixture builder) --------------------------

    static final MetricDatapoint EXPECTED_CPU = MetricDatapoint.newBuilder()
            .setSeriesId("123456789012|us-east-1|AWS/EC2|CPUUtilization|InstanceId=i-0abc123def4567890")
            .setAccountId("123456789012")
            .setRegion("us-east-1")
            .setNamespace("AWS/EC2")
            .setMetricName("CPUUtilization")
            .setDimensions(Map.of("InstanceId", "i-0abc123def4567890"))
            .setTimestamp(1_714_564_800_000L)
            .setMin(10.0)
            .setMax(40.0)
            .setSum(100.5)
            .setCount(5.0)
            .setPercentiles(Map.of("p99", 35.0))
            .setUnit("Percent")
            .setResource(Resource.newBuilder().setType("AWS::EC2::Instance").setName("i-0abc123def4567890")
                    .setArn("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc123def4567890").build())
            .setMetricStreamName("MyStream")
            .build();

    static final MetricDatapoint EXPECTED_ALB = MetricDatapoint.newBuilder()
            .setSeriesId("123456789012|us-east-1|AWS/ApplicationELB|TargetResponseTime|LoadBalancer=app/my-alb/50dc6c495c0c9188")
            .setAccountId("123456789012")
            .setRegion("us-east-1")
            .setNamespace("AWS/ApplicationELB")
            .setMetricName("TargetResponseTime")
            .setDimensions(Map.of("LoadBalancer", "app/my-alb/50dc6c495c0c9188"))
            .setTimestamp(1_714_564_800_000L)
            .setMin(0.004)
            .setMax(1.25)
            .setSum(96.0)
            .setCount(1200.0)
            .setPercentiles(Map.of("p50", 0.06, "p99", 0.41, "p99.9", 0.93))
            .setUnit("Seconds")
            .setResource(Resource.newBuilder().setType("AWS::ElasticLoadBalancingV2::LoadBalancer").setName("my-alb")
                    .setArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188").build())
            .setMetricStreamName("MyStream")
            .build();

    private static ParseResult parse(byte[] content) {
        ParseResult r = new ParseResult();
        OtelMetricParser.parse(content, r);
        return r;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OtelMetricParserTest.class.getResourceAsStream("/fixtures/otel/" + name)) {
            assertThat(in).as("fixture %s on the test classpath", name).isNotNull();
            return in.readAllBytes();
        }
    }

    // ---- both versions ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(OtelFixtures.Version.class)
    void cloudWatchSummaryBecomesOneDatapoint(OtelFixtures.Version v) {
        ParseResult r = parse(record(request(v, cpu())));

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).containsExactly(EXPECTED_CPU);
        assertThat(r.read()).isEqualTo(1);
    }

    @Test
    void versions07And10GiveIdenticalDatapoints() {
        ParseResult v07 = parse(record(request(V07, cpu(), albLatency())));
        ParseResult v10 = parse(record(request(V10, cpu(), albLatency())));
        ParseResult hand07 = parse(OtelFixtures.delimited(OtelFixtures.handEncoded07(cpu(), albLatency())));

        assertThat(v10.metrics).containsExactly(EXPECTED_CPU, EXPECTED_ALB);
        assertThat(v07.metrics).isEqualTo(v10.metrics);
        assertThat(hand07.metrics).isEqualTo(v10.metrics);
        assertThat(v07.rejections).isEmpty();
        assertThat(hand07.rejections).isEmpty();
    }

    @Test
    void attributesOf10AreNotLabelsOf07() {
        // The 0.7 fixture really carries no 1.x attributes and the 1.0 one no legacy labels: otherwise the test above
        // could pass with only one of the two decoding paths working.
        var dp07 = request(V07, cpu()).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSummary().getDataPoints(0);
        var dp10 = request(V10, cpu()).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSummary().getDataPoints(0);
        assertThat(dp07.getAttributesCount()).isZero();
        assertThat(dp07.getUnknownFields().hasField(1)).isTrue();
        assertThat(dp10.getAttributesCount()).isEqualTo(3);
        assertThat(dp10.getUnknownFields().asMap()).isEmpty();
    }

    // ---- checked-in binary fixtures -----------------------------------------------------------------------------

    @Test
    void fixtureFileOtel10() throws IOException {
        ParseResult r = parse(resource(OtelFixtureGenerator.V10_FILE));

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).containsExactly(EXPECTED_CPU, EXPECTED_ALB);
    }

    @Test
    void fixtureFileOtel07() throws IOException {
        ParseResult r = parse(resource(OtelFixtureGenerator.V07_FILE));

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).containsExactly(EXPECTED_CPU, EXPECTED_ALB);
    }

    @Test
    void fixtureFilesThroughTheRecordParser() throws IOException {
        ParseResult r = new ParseResult();
        RecordParser parser = new RecordParser();
        parser.parse(resource(OtelFixtureGenerator.V07_FILE), r);
        parser.parse(OtelFixtures.gzip(resource(OtelFixtureGenerator.V10_FILE)), r);

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).containsExactly(EXPECTED_CPU, EXPECTED_ALB, EXPECTED_CPU, EXPECTED_ALB);
    }

    // ---- several messages per record, gzip, JSON equivalence ----------------------------------------------------

    @Test
    void twoLengthDelimitedMessages() {
        ParseResult r = parse(record(request(V10, cpu()), request(V10, albLatency())));

        assertThat(r.metrics).containsExactly(EXPECTED_CPU, EXPECTED_ALB);
        assertThat(r.read()).isEqualTo(2);
    }

    @Test
    void threeLengthDelimitedMessagesOfMixedVersions() {
        OtelFixtures.Point later = cpu();
        later.startNanos += 60_000_000_000L;
        later.endNanos += 60_000_000_000L;
        ParseResult r = parse(record(request(V07, cpu()), request(V10, albLatency()), request(V10, later)));

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).hasSize(3);
        assertThat(r.metrics.get(0)).isEqualTo(EXPECTED_CPU);
        assertThat(r.metrics.get(1)).isEqualTo(EXPECTED_ALB);
        assertThat(r.metrics.get(2).getTimestamp()).isEqualTo(EXPECTED_CPU.getTimestamp() + 60_000L);
        assertThat(r.metrics.get(2).getSeriesId()).isEqualTo(EXPECTED_CPU.getSeriesId());
    }

    @Test
    void gzipWrappedRecordThroughTheRecordParser() {
        byte[] gz = OtelFixtures.gzip(record(request(V07, cpu()), request(V10, albLatency())));
        ParseResult r = new ParseResult();

        new RecordParser().parse(gz, r);

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).containsExactly(EXPECTED_CPU, EXPECTED_ALB);
    }

    @ParameterizedTest
    @EnumSource(OtelFixtures.Version.class)
    void sameDatapointInJsonAndOtelIsEqual(OtelFixtures.Version v) {
        String json = "{\"metric_stream_name\":\"MyStream\",\"account_id\":\"123456789012\",\"region\":\"us-east-1\","
                + "\"namespace\":\"AWS/ApplicationELB\",\"metric_name\":\"TargetResponseTime\","
                + "\"dimensions\":{\"LoadBalancer\":\"app/my-alb/50dc6c495c0c9188\"},\"timestamp\":1714564800000,"
                + "\"value\":{\"max\":1.25,\"min\":0.004,\"sum\":96.0,\"count\":1200.0,\"p50\":0.06,\"p99\":0.41,\"p99.9\":0.93},"
                + "\"unit\":\"Seconds\"}\n"
                + "{\"metric_stream_name\":\"MyStream\",\"account_id\":\"123456789012\",\"region\":\"us-east-1\","
                + "\"namespace\":\"AWS/EC2\",\"metric_name\":\"CPUUtilization\","
                + "\"dimensions\":{\"InstanceId\":\"i-0abc123def4567890\"},\"timestamp\":1714564800000,"
                + "\"value\":{\"max\":40.0,\"min\":10.0,\"sum\":100.5,\"count\":5.0,\"p99\":35.0},\"unit\":\"Percent\"}\n";
        RecordParser parser = new RecordParser();
        ParseResult fromJson = new ParseResult();
        ParseResult fromOtel = new ParseResult();

        parser.parse(json.getBytes(StandardCharsets.UTF_8), fromJson);
        parser.parse(record(request(v, albLatency(), cpu())), fromOtel);

        assertThat(fromJson.rejections).isEmpty();
        assertThat(fromOtel.rejections).isEmpty();
        assertThat(fromOtel.metrics).hasSize(2);
        assertThat(fromOtel.metrics.get(0)).isEqualTo(fromJson.metrics.get(0));
        assertThat(fromOtel.metrics.get(1)).isEqualTo(fromJson.metrics.get(1));
        assertThat(fromOtel.metrics).isEqualTo(fromJson.metrics);
    }

    // ---- malformed protobuf -------------------------------------------------------------------------------------

    @Test
    void truncatedMessageRejectsTheRestAndKeepsEarlierDatapoints() {
        byte[] first = record(request(V10, cpu()));
        byte[] second = record(request(V10, albLatency()));
        byte[] content = new byte[first.length + second.length - 7];
        System.arraycopy(first, 0, content, 0, first.length);
        System.arraycopy(second, 0, content, first.length, second.length - 7);

        ParseResult r = parse(content);

        assertThat(r.metrics).containsExactly(EXPECTED_CPU);
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.MALFORMED_PROTOBUF);
            assertThat(rej.detail()).contains("message 2").contains("exceeds");
            assertThat(rej.payload()).isEqualTo(Arrays.copyOfRange(content, first.length, content.length));
        });
        assertThat(r.read()).isEqualTo(2);
    }

    @Test
    void badVarintIsMalformed() {
        byte[] content = new byte[11];
        Arrays.fill(content, (byte) 0xff);

        ParseResult r = parse(content);

        assertThat(r.metrics).isEmpty();
        assertThat(r.rejections).extracting(ParseResult.Rejection::reason).containsExactly(DeadLetterReason.MALFORMED_PROTOBUF);
        assertThat(r.rejections.get(0).payload()).isEqualTo(content);
    }

    @Test
    void invalidProtobufBodyIsMalformed() {
        // Correct length prefix, but the body is field 1 (length-delimited) claiming 100 bytes it does not have.
        byte[] good = record(request(V10, cpu()));
        byte[] bad = {4, 0x0a, 100, 1, 2};
        byte[] content = new byte[good.length + bad.length];
        System.arraycopy(good, 0, content, 0, good.length);
        System.arraycopy(bad, 0, content, good.length, bad.length);

        ParseResult r = parse(content);

        assertThat(r.metrics).containsExactly(EXPECTED_CPU);
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.MALFORMED_PROTOBUF);
            assertThat(rej.payload()).isEqualTo(bad);
        });
    }

    @Test
    void binaryThatIsNotOtlpThroughTheRecordParserIsMalformed() {
        byte[] content = {0x01, 0x02, 0x03, (byte) 0x80, 0x00, 0x10};
        ParseResult r = new ParseResult();

        new RecordParser().parse(content, r);

        assertThat(r.metrics).isEmpty();
        assertThat(r.rejections).extracting(ParseResult.Rejection::reason).containsExactly(DeadLetterReason.MALFORMED_PROTOBUF);
    }

    // ---- invalid datapoints: one rejection each, neighbours unaffected ------------------------------------------

    private static ParseResult parseWithNeighbour(OtelFixtures.Version v, OtelFixtures.Point bad) {
        ParseResult r = parse(record(request(v, cpu(), bad)));
        assertThat(r.metrics).as("the valid neighbour survives").containsExactly(EXPECTED_CPU);
        assertThat(r.rejections).hasSize(1);
        assertThat(r.read()).isEqualTo(2);
        return r;
    }

    @ParameterizedTest
    @EnumSource(OtelFixtures.Version.class)
    void nanSumIsNonFinite(OtelFixtures.Version v) {
        OtelFixtures.Point p = albLatency();
        p.sum = Double.NaN;

        ParseResult r = parseWithNeighbour(v, p);

        assertThat(r.rejections.get(0).reason()).isEqualTo(DeadLetterReason.NON_FINITE_VALUE);
        assertThat(r.rejections.get(0).detail()).contains("sum");
    }

    @Test
    void infiniteQuantileValueIsNonFinite() {
        OtelFixtures.Point p = albLatency();
        p.quantiles.put(0.99, Double.POSITIVE_INFINITY);

        ParseResult r = parseWithNeighbour(V10, p);

        assertThat(r.rejections.get(0).reason()).isEqualTo(DeadLetterReason.NON_FINITE_VALUE);
    }

    @Test
    void missingAccountIsMissingField() {
        Map<String, String> attrs = cloudWatchResource();
        attrs.remove("cloud.account.id");

        ParseResult r = parse(record(request(attrs, summaryMetric(V10, cpu()))));

        assertThat(r.metrics).isEmpty();
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
            assertThat(rej.detail()).contains("cloud.account.id");
        });
    }

    @Test
    void missingRegionIsMissingField() {
        Map<String, String> attrs = cloudWatchResource();
        attrs.remove("cloud.region");

        ParseResult r = parse(record(request(attrs, summaryMetric(V07, cpu()))));

        assertThat(r.rejections).extracting(ParseResult.Rejection::reason).containsExactly(DeadLetterReason.MISSING_FIELD);
        assertThat(r.rejections.get(0).detail()).contains("cloud.region");
    }

    @Test
    void missingExporterArnLeavesNoStreamName() {
        Map<String, String> attrs = cloudWatchResource();
        attrs.remove("aws.exporter.arn");

        ParseResult r = parse(record(request(attrs, summaryMetric(V10, cpu()))));

        assertThat(r.metrics).singleElement().satisfies(m -> assertThat(m.getMetricStreamName()).isNull());
    }

    @Test
    void countWithTheTopBitSetIsInvalid() {
        OtelFixtures.Point p = albLatency();
        p.count = -3; // fixed64 18446744073709551613

        ParseResult r = parseWithNeighbour(V10, p);

        assertThat(r.rejections.get(0).reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
        assertThat(r.rejections.get(0).detail()).contains("18446744073709551613");
    }

    @Test
    void minAboveMaxIsInvalid() {
        OtelFixtures.Point p = albLatency();
        p.quantiles.put(0.0, 5.0);

        ParseResult r = parseWithNeighbour(V07, p);

        assertThat(r.rejections.get(0).reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
    }

    @Test
    void missingMaximumIsMissingField() {
        OtelFixtures.Point p = albLatency();
        p.quantiles.remove(1.0);

        ParseResult r = parseWithNeighbour(V10, p);

        assertThat(r.rejections.get(0).reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
    }

    @ParameterizedTest
    @CsvSource({
            "CPUUtilization",
            "amazonaws.com/CPUUtilization",
            "amazonaws.com/AWS/EC2/",
            "example.com/AWS/EC2/CPUUtilization",
    })
    void metricNameNotFromCloudWatchIsUnknownFormat(String name) {
        OtelFixtures.Point p = albLatency();
        p.fullName = name;

        ParseResult r = parseWithNeighbour(V10, p);

        assertThat(r.rejections.get(0).reason()).isEqualTo(DeadLetterReason.UNKNOWN_FORMAT);
        assertThat(r.rejections.get(0).detail()).contains(name);
    }

    @Test
    void metricNameWithSlashIsResolvedByTheNamespaceAndMetricNamePairs() {
        OtelFixtures.Point p = cpu();
        p.namespace = "MyApp";
        p.metricName = "Orders/Failed";
        p.dims.clear();

        ParseResult v10 = parse(record(request(V10, p)));
        ParseResult v07 = parse(record(request(V07, p)));

        assertThat(v10.metrics).singleElement().satisfies(m -> {
            assertThat(m.getNamespace()).isEqualTo("MyApp");
            assertThat(m.getMetricName()).isEqualTo("Orders/Failed");
            assertThat(m.getDimensions()).isEmpty();
        });
        assertThat(v07.metrics).isEqualTo(v10.metrics);
    }

    @Test
    void nameIsSplitAtTheLastSlashWithoutPairs() {
        Metric m = summaryMetric(V10, cpu()).toBuilder().setName("amazonaws.com/ECS/ContainerInsights/CpuUtilized").build();
        Metric stripped = m.toBuilder().setSummary(m.getSummary().toBuilder()
                .setDataPoints(0, m.getSummary().getDataPoints(0).toBuilder().clearAttributes())).build();

        ParseResult r = parse(record(request(cloudWatchResource(), stripped)));

        assertThat(r.metrics).singleElement().satisfies(d -> {
            assertThat(d.getNamespace()).isEqualTo("ECS/ContainerInsights");
            assertThat(d.getMetricName()).isEqualTo("CpuUtilized");
        });
    }

    @Test
    void implausibleTimeIsInvalidTimestamp() {
        OtelFixtures.Point p = albLatency();
        p.startNanos = 1_714_564_800L; // seconds written where nanoseconds belong

        ParseResult r = parseWithNeighbour(V10, p);

        assertThat(r.rejections.get(0).reason()).isEqualTo(DeadLetterReason.INVALID_TIMESTAMP);
    }

    @Test
    void periodStartIsTheTimestampAndTheEndIsTheFallback() {
        OtelFixtures.Point noStart = cpu();
        noStart.startNanos = 0;

        ParseResult r = parse(record(request(V10, cpu(), noStart)));

        assertThat(r.metrics).extracting(MetricDatapoint::getTimestamp)
                .containsExactly(OtelFixtures.START_MS, OtelFixtures.START_MS + 60_000L);
    }

    // ---- metric types CloudWatch does not produce ---------------------------------------------------------------

    @Test
    void gaugeIsUnknownFormat() {
        ParseResult r = parse(record(request(cloudWatchResource(),
                summaryMetric(V10, cpu()), OtelFixtures.gauge("amazonaws.com/AWS/EC2/NetworkIn"))));

        assertThat(r.metrics).containsExactly(EXPECTED_CPU);
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.UNKNOWN_FORMAT);
            assertThat(rej.detail()).startsWith("OpenTelemetry gauge metrics are not produced by CloudWatch metric streams");
        });
    }

    @Test
    void sumAndHistogramAreUnknownFormatOneRejectionPerMetric() {
        Metric sum = Metric.newBuilder().setName("amazonaws.com/AWS/EC2/NetworkIn")
                .setSum(Sum.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1))
                        .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(2))).build();
        Metric histogram = Metric.newBuilder().setName("amazonaws.com/AWS/EC2/NetworkOut")
                .setHistogram(Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder().setCount(1))).build();

        ParseResult r = parse(record(request(cloudWatchResource(), sum, histogram)));

        assertThat(r.metrics).isEmpty();
        assertThat(r.rejections).extracting(ParseResult.Rejection::detail).satisfiesExactly(
                d -> assertThat(d).startsWith("OpenTelemetry sum metrics"),
                d -> assertThat(d).startsWith("OpenTelemetry histogram metrics"));
        assertThat(r.rejections).extracting(ParseResult.Rejection::reason)
                .containsOnly(DeadLetterReason.UNKNOWN_FORMAT);
    }

    @Test
    void rejectionPayloadIsAReplayableRecordOfJustThatDatapoint() {
        OtelFixtures.Point p = albLatency();
        p.sum = Double.NaN;
        ParseResult r = parse(record(request(V07, cpu(), p)));

        ParseResult replay = parse(r.rejections.get(0).payload());

        assertThat(replay.metrics).isEmpty();
        assertThat(replay.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.NON_FINITE_VALUE);
            assertThat(rej.detail()).isEqualTo(r.rejections.get(0).detail());
        });
    }

    // ---- empty content and accounting ---------------------------------------------------------------------------

    @Test
    void recordOfEmptyRequestsIsOneEmptyRecord() {
        byte[] content = record(ExportMetricsServiceRequest.getDefaultInstance(), ExportMetricsServiceRequest.getDefaultInstance());

        ParseResult r = parse(content);

        assertThat(content).containsExactly(0, 0);
        assertThat(r.rejections).extracting(ParseResult.Rejection::reason).containsExactly(DeadLetterReason.EMPTY_RECORD);
        assertThat(r.read()).isEqualTo(1);
    }

    @Test
    void emptyRequestNextToDataAddsNothing() {
        ParseResult r = parse(record(ExportMetricsServiceRequest.getDefaultInstance(), request(V10, cpu())));

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).containsExactly(EXPECTED_CPU);
    }

    @Test
    void emptyRecordIsJudgedPerCallNotPerResult() {
        ParseResult r = parse(record(request(V10, cpu())));
        OtelMetricParser.parse(record(ExportMetricsServiceRequest.getDefaultInstance()), r);

        assertThat(r.rejections).extracting(ParseResult.Rejection::reason).containsExactly(DeadLetterReason.EMPTY_RECORD);
    }

    @Test
    void everyItemIsCountedOnce() {
        OtelFixtures.Point nan = cpu();
        nan.sum = Double.NaN;
        OtelFixtures.Point badName = cpu();
        badName.fullName = "CPUUtilization";
        byte[] good = record(
                request(V10, cpu(), albLatency()),
                request(cloudWatchResource(), summaryMetric(V07, cpu(), nan), summaryMetric(V07, badName), OtelFixtures.gauge("amazonaws.com/AWS/EC2/NetworkIn")));
        byte[] truncated = record(request(V10, albLatency()));
        byte[] content = Arrays.copyOf(good, good.length + truncated.length - 1);
        System.arraycopy(truncated, 0, content, good.length, truncated.length - 1);

        ParseResult r = parse(content);

        // 3 good datapoints; NaN, bad name, gauge, truncated tail: 4 rejections.
        assertThat(r.metrics).hasSize(3);
        assertThat(r.rejections).extracting(ParseResult.Rejection::reason).containsExactly(
                DeadLetterReason.NON_FINITE_VALUE, DeadLetterReason.UNKNOWN_FORMAT,
                DeadLetterReason.UNKNOWN_FORMAT, DeadLetterReason.MALFORMED_PROTOBUF);
        assertThat(r.read()).isEqualTo(7).isEqualTo(r.metrics.size() + r.rejections.size());
    }

    // ---- units and percentile names -----------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(value = {
            "%, Percent",
            "By, Bytes",
            "ms, Milliseconds",
            "s, Seconds",
            "us, Microseconds",
            "{Count}, Count",
            "1, None",
            "'', None",
            "kBy, Kilobytes",
            "MBit, Megabits",
            "By/s, Bytes/Second",
            "{Count}/s, Count/Second",
            "bit/s, Bits/Second",
            "Percent, Percent",
            "Bytes/Second, Bytes/Second",
            "furlong, furlong",
            "1/s, 1/s",
    })
    void unitsMapBackToCloudWatchNames(String otel, String cloudWatch) {
        assertThat(OtelMetricParser.cloudWatchUnit(otel)).isEqualTo(cloudWatch);
    }

    @ParameterizedTest
    @CsvSource({"0.5, p50", "0.9, p90", "0.99, p99", "0.999, p99.9", "0.95, p95", "0.01, p1", "0.9999, p99.99"})
    void percentileNames(double quantile, String name) {
        assertThat(OtelMetricParser.percentileName(quantile)).isEqualTo(name);
    }
}
