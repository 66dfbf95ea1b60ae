package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.LimitCatalog;
import io.augur.schema.ExhaustionForecast;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.augur.ops.flink.anomaly.Points.MIN;
import static io.augur.ops.flink.anomaly.Points.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** A DynamoDB table's consumed capacity is forecast against the provisioned capacity its own metrics report. */
class ForecastExhaustionHarnessTest {
    static final Resource TABLE = Resource.newBuilder().setType("AWS::DynamoDB::Table").setName("orders-table")
            .setArn("arn:aws:dynamodb:us-east-1:123456789012:table/orders-table").build();
    static final String CONSUMED_KEY = "123456789012|us-east-1|AWS/DynamoDB|ConsumedWriteCapacityUnits|TableName=orders-table|Sum";

    static ScoredDatapoint point(String metric, int minute, double value) {
        String series = "123456789012|us-east-1|AWS/DynamoDB|" + metric + "|TableName=orders-table";
        MetricDatapoint dp = MetricDatapoint.newBuilder().setSeriesId(series).setAccountId("123456789012").setRegion("us-east-1")
                .setNamespace("AWS/DynamoDB").setMetricName(metric).setDimensions(Map.of("TableName", "orders-table"))
                .setTimestamp(T0 + minute * MIN).setMin(value).setMax(value).setSum(value).setCount(1).setUnit("Count").setResource(TABLE).build();
        return Points.scored(dp, "Sum", value, value, value * 0.9, value * 1.1, 0.1);
    }

    @Test
    void theProvisionedCapacityMetricIsKeyedWithTheConsumedSeriesAndIsItsLimit() throws Exception {
        LimitCatalog limits = LimitCatalog.builtIn();
        assertThat(ForecastExhaustion.hasLimit(limits).filter(point("ProvisionedWriteCapacityUnits", 0, 100))).isTrue();
        assertThat(ForecastExhaustion.hasLimit(limits).filter(point("ThrottledRequests", 0, 1))).isFalse();
        assertThat(ForecastExhaustion.forecastKey(limits).getKey(point("ProvisionedWriteCapacityUnits", 0, 100))).isEqualTo(CONSUMED_KEY);
        assertThat(ForecastExhaustion.forecastKey(limits).getKey(point("ConsumedWriteCapacityUnits", 0, 100))).isEqualTo(CONSUMED_KEY);

        AnomalySettings s = AnomalySettings.defaults();
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ForecastExhaustion(s, limits)), ForecastExhaustion.forecastKey(limits), Types.STRING)) {
            h.open();
            int minutes = 27 * 60;
            for (int m = 0; m < minutes; m++) {
                // 100 WCU provisioned until minute 1590, then 200 (UpdateTable); consumption with a daily cycle, well below
                if (m % 5 == 0) h.processElement(point("ProvisionedWriteCapacityUnits", m, m < 1590 ? 100 : 200), T0 + m * MIN);
                h.processElement(point("ConsumedWriteCapacityUnits", m, 2000 + 500 * Math.sin(2 * Math.PI * m / 1440.0)), T0 + m * MIN);
                h.processWatermark(new Watermark(T0 + m * MIN));
            }
            h.processWatermark(new Watermark(T0 + (minutes + 15) * MIN));
            List<ExhaustionForecast> out = List.copyOf(h.extractOutputValues());
            assertThat(out).as("seasonal series: forecasts once a day and two hours of history are in").isNotEmpty();
            assertThat(out).extracting(ExhaustionForecast::getSeriesKey).containsOnly(CONSUMED_KEY);
            assertThat(out.stream().filter(f -> f.getTime() < T0 + 1590 * MIN).map(ExhaustionForecast::getLimit).distinct().toList())
                    .as("100 WCU per second = 6,000 units per one-minute Sum").containsExactly(6_000.0);
            assertThat(out.get(out.size() - 1).getLimit()).as("after UpdateTable").isEqualTo(12_000.0);
            assertThat(out).extracting(ExhaustionForecast::getReaches).containsOnly(false);
        }
    }

    /** Forecasts of the same input when the watermark trails the newest datapoint by {@code lagMinutes}. */
    static List<ExhaustionForecast> forecasts(int lagMinutes) throws Exception {
        LimitCatalog limits = LimitCatalog.builtIn();
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ForecastExhaustion(AnomalySettings.defaults(), limits)), ForecastExhaustion.forecastKey(limits), Types.STRING)) {
            h.open();
            int minutes = 27 * 60;
            for (int m = 0; m < minutes; m++) {
                if (m % 5 == 0) h.processElement(point("ProvisionedWriteCapacityUnits", m, m < 1590 ? 100 : 200), T0 + m * MIN);
                h.processElement(point("ConsumedWriteCapacityUnits", m, 2000 + 500 * Math.sin(2 * Math.PI * m / 1440.0) + m), T0 + m * MIN);
                if (m >= lagMinutes) h.processWatermark(new Watermark(T0 + (m - lagMinutes) * MIN));
            }
            h.processWatermark(new Watermark(T0 + (minutes + 15) * MIN));
            return List.copyOf(h.extractOutputValues());
        }
    }

    @Test
    void aForecastUsesOnlyWhatCameBeforeItsTimeHoweverFarTheWatermarkTrails() throws Exception {
        List<ExhaustionForecast> inStep = forecasts(0), trailing = forecasts(5);
        assertThat(trailing).isNotEmpty();
        // the datapoints of the next bucket (up to 5 minutes of them) arrive before a bucket's timer fires when the
        // watermark trails: they must not show in its forecast (before, the newest datapoint and the newest limit report
        // on arrival did, so a forecast depended on how the parallel inputs interleaved)
        assertThat(trailing).isEqualTo(inStep);
        for (ExhaustionForecast f : trailing) {
            assertThat(f.getDatapoint().getTimestamp()).as("the closing bucket's newest datapoint").isEqualTo(f.getTime() - MIN);
        }
        ExhaustionForecast at1590 = trailing.stream().filter(f -> f.getTime() == T0 + 1590 * MIN).findFirst().orElseThrow();
        ExhaustionForecast at1605 = trailing.stream().filter(f -> f.getTime() == T0 + 1605 * MIN).findFirst().orElseThrow();
        assertThat(at1590.getLimit()).as("the report of minute 1590 is not before the forecast of 1590").isEqualTo(6_000.0);
        assertThat(at1605.getLimit()).isEqualTo(12_000.0);
    }
}
