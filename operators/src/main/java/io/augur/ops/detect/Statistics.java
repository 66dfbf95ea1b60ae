package io.augur.ops.detect;

import io.augur.schema.MetricDatapoint;

/**
 * Which statistic of a metric Augur learns, and its value in a datapoint. Count-like metrics (requests, errors,
 * throttles, invocations) are judged by their Sum; everything else (utilisation, latency, bytes, age) by its Average.
 */
public final class Statistics {
    private Statistics() {}

    public static String statFor(MetricDatapoint m) {
        String unit = m.getUnit();
        if ("Count".equals(unit) || "Count/Second".equals(unit)) return "Sum";
        return "Average";
    }

    /** The value of {@code stat} in {@code m}, or NaN when the datapoint has no such statistic. */
    public static double value(MetricDatapoint m, String stat) {
        switch (stat) {
            case "Sum": return m.getSum();
            case "Average": return m.getCount() > 0 ? m.getSum() / m.getCount() : Double.NaN;
            case "Maximum": return m.getMax();
            case "Minimum": return m.getMin();
            case "SampleCount": return m.getCount();
            default:
                Double p = m.getPercentiles().get(stat);
                return p == null ? Double.NaN : p;
        }
    }
}
