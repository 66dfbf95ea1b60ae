package io.augur.ops.detect;

import io.augur.ops.detect.DetectorSettings.DirectionFilter;

/**
 * Which way a metric can go wrong, by default. Errors, throttles, latency, age and load matter when they rise; free
 * storage and free memory when they drop; anything else either way.
 */
public final class MetricDirections {
    private MetricDirections() {}

    public static DirectionFilter forMetric(String namespace, String metric) {
        String m = metric.toLowerCase();
        if (m.startsWith("free") || m.contains("available") || m.contains("remaining") || m.contains("burstbalance")
                || m.contains("credit") || m.equals("healthyhostcount")) {
            return DirectionFilter.DROP;
        }
        if (m.contains("error") || m.contains("5xx") || m.contains("4xx") || m.contains("fault") || m.contains("throttl")
                || m.contains("latency") || m.contains("duration") || m.contains("responsetime") || m.contains("age")
                || m.contains("unhealthy") || m.contains("dbload") || m.contains("queue")) {
            return DirectionFilter.RISE;
        }
        return DirectionFilter.BOTH;
    }
}
