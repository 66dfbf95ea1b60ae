package io.augur.ops.parse;

import io.augur.ops.deadletter.BadInputException;
import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.MetricDatapoint;

import java.util.Map;

/**
 * The one way a metric-stream datapoint becomes a {@link MetricDatapoint}, whatever its wire format (JSON or
 * OpenTelemetry): the same checks, the same series id, the same resource identity, so that the same datapoint in
 * either format gives an equal record.
 */
public final class MetricDatapoints {
    private MetricDatapoints() {}

    /** A sample count is never negative and the minimum never above the maximum. */
    public static void checkStatistics(double min, double max, double count) throws BadInputException {
        if (count < 0) {
            throw new BadInputException(DeadLetterReason.INVALID_VALUE, "sample count is negative: " + count);
        }
        if (min > max) {
            throw new BadInputException(DeadLetterReason.INVALID_VALUE, "minimum " + min + " exceeds maximum " + max);
        }
    }

    /** Statistics must already be finite; they are checked with {@link #checkStatistics}. */
    public static MetricDatapoint of(String account, String region, String namespace, String metric, Map<String, String> dims,
                                     long timestamp, double min, double max, double sum, double count,
                                     Map<String, Double> percentiles, String unit, String metricStreamName) throws BadInputException {
        checkStatistics(min, max, count);
        return MetricDatapoint.newBuilder()
                .setSeriesId(ResourceIdentities.seriesId(account, region, namespace, metric, dims))
                .setAccountId(account)
                .setRegion(region)
                .setNamespace(namespace)
                .setMetricName(metric)
                .setDimensions(dims)
                .setTimestamp(timestamp)
                .setMin(min)
                .setMax(max)
                .setSum(sum)
                .setCount(count)
                .setPercentiles(percentiles)
                .setUnit(unit == null ? "None" : unit)
                .setResource(ResourceIdentities.fromMetric(account, region, namespace, dims))
                .setMetricStreamName(metricStreamName)
                .build();
    }
}
