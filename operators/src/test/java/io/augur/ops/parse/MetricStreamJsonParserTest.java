package io.augur.ops.parse;

import io.augur.schema.MetricDatapoint;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricStreamJsonParserTest {

    @Test
    void oneRecordHoldingManyNewlineDelimitedDatapoints() {
        ParseResult r = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson"));

        assertThat(r.rejections).isEmpty();
        assertThat(r.metrics).hasSize(4);
        assertThat(r.read()).isEqualTo(4);
        MetricDatapoint cpu = r.metrics.get(1);
        assertThat(cpu.getAccountId()).isEqualTo("1234567890");
        assertThat(cpu.getRegion()).isEqualTo("us-east-1");
        assertThat(cpu.getNamespace()).isEqualTo("AWS/EC2");
        assertThat(cpu.getMetricName()).isEqualTo("CPUUtilization");
        assertThat(cpu.getDimensions()).containsExactly(Map.entry("InstanceId", "i-123456789012"));
        assertThat(cpu.getTimestamp()).isEqualTo(1611929698000L);
        assertThat(cpu.getMin()).isEqualTo(2.0);
        assertThat(cpu.getMax()).isEqualTo(12.5);
        assertThat(cpu.getSum()).isEqualTo(29.5);
        assertThat(cpu.getCount()).isEqualTo(5.0);
        assertThat(cpu.getUnit()).isEqualTo("Percent");
        assertThat(cpu.getMetricStreamName()).isEqualTo("MyMetricStream");
        assertThat(cpu.getSeriesId()).isEqualTo("1234567890|us-east-1|AWS/EC2|CPUUtilization|InstanceId=i-123456789012");
        assertThat(cpu.getResource().getType()).isEqualTo("AWS::EC2::Instance");
        assertThat(cpu.getResource().getArn()).isEqualTo("arn:aws:ec2:us-east-1:1234567890:instance/i-123456789012");
        assertThat(cpu.getPercentiles()).isEmpty();
    }

    @Test
    void percentileStatisticsAreKeptUnderTheirCloudWatchNames() {
        MetricDatapoint duration = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics.get(2);

        assertThat(duration.getPercentiles()).containsOnlyKeys("p99", "p90", "p99.9");
        assertThat(duration.getPercentiles().get("p99")).isCloseTo(701.5, within(1e-9));
        assertThat(duration.getPercentiles().get("p99.9")).isEqualTo(799.0);
        assertThat(duration.getResource().getArn()).isEqualTo("arn:aws:lambda:us-east-1:1234567890:function:checkout-api");
    }

    @Test
    void unknownNamespacesKeepAGenericIdentity() {
        MetricDatapoint custom = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson")).metrics.get(3);

        assertThat(custom.getResource().getType()).isEqualTo("AWS::CloudWatch::Generic");
        assertThat(custom.getResource().getArn()).isEqualTo("arn:augur:cloudwatch:us-east-1:1234567890:generic/MyApp/Orders");
        assertThat(custom.getSeriesId()).isEqualTo("1234567890|us-east-1|MyApp/Orders|OrdersPlaced|");
    }

    @Test
    void gzipRecordsAsFirehoseDeliversThemGiveTheSameDatapoints() {
        ParseResult plain = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson"));
        ParseResult gz = Fixtures.parse(Fixtures.bytes("metrics/metric-stream-json.ndjson.gz"));

        assertThat(gz.rejections).isEmpty();
        assertThat(gz.metrics).isEqualTo(plain.metrics);
    }
}
