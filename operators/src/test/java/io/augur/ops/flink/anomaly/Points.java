package io.augur.ops.flink.anomaly;

import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;

import java.time.Instant;
import java.util.Map;

/** Scored datapoints of test series, with scores chosen by the test (the detector is not under test here). */
final class Points {
    static final long T0 = Instant.parse("2025-03-03T12:00:00Z").toEpochMilli();
    static final long MIN = 60_000L;
    static final String ACCOUNT = "123456789012", REGION = "us-east-1";
    static final Resource FUNCTION = Resource.newBuilder().setType("AWS::Lambda::Function").setName("orders-api")
            .setArn("arn:aws:lambda:us-east-1:123456789012:function:orders-api").build();
    static final String DURATION_KEY = series("AWS/Lambda", "Duration") + "|Average";
    static final String ERRORS_KEY = series("AWS/Lambda", "Errors") + "|Sum";

    private Points() {}

    static long t(int minute) {
        return T0 + minute * MIN;
    }

    static String series(String ns, String metric) {
        return ACCOUNT + "|" + REGION + "|" + ns + "|" + metric + "|FunctionName=orders-api";
    }

    static MetricDatapoint datapoint(String ns, String metric, String unit, long ts, double value) {
        return MetricDatapoint.newBuilder().setSeriesId(series(ns, metric)).setAccountId(ACCOUNT).setRegion(REGION)
                .setNamespace(ns).setMetricName(metric).setDimensions(Map.of("FunctionName", "orders-api"))
                .setTimestamp(ts).setMin(value).setMax(value).setSum(value).setCount(1).setUnit(unit).setResource(FUNCTION).build();
    }

    /** Lambda Duration (Average, milliseconds): band ±10 % around the expected value. */
    static ScoredDatapoint duration(int minute, double value, double expected, double score) {
        return scored(datapoint("AWS/Lambda", "Duration", "Milliseconds", t(minute), value), "Average", value, expected,
                expected * 0.9, expected * 1.1, score);
    }

    /** Lambda Errors (Sum, count): band ±3 around the expected value. */
    static ScoredDatapoint errors(int minute, double value, double expected, double score) {
        return scored(datapoint("AWS/Lambda", "Errors", "Count", t(minute), value), "Sum", value, expected, expected - 3, expected + 3, score);
    }

    static ScoredDatapoint scored(MetricDatapoint dp, String stat, double value, double expected, double lower, double upper, double score) {
        int dir = value > expected ? 1 : value < expected ? -1 : 0;
        return ScoredDatapoint.newBuilder().setSeriesKey(dp.getSeriesId() + "|" + stat).setStat(stat).setValue(value).setScore(score)
                .setDirection(dir).setExpected(expected).setLower(lower).setUpper(upper).setWarm(true)
                .setAnomalous(score >= 0.5 && dir > 0).setDatapoint(dp).build();
    }
}
