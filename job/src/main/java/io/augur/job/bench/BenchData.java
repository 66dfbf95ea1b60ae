package io.augur.job.bench;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's input, generated in memory: CloudWatch Metric Streams JSON lines shaped like {@code augur simulate}'s
 * (same fields, namespaces, metrics, units and value ranges), for any number of series. Series {@code i} is metric
 * {@code i % 10} of resource {@code i / 10}; resources are EC2 instances, Lambda functions and load balancers in turn,
 * ten metrics each (so the CPU, concurrency and similar series also go through the proactive forecaster). Values follow
 * a daily cycle with deterministic noise; one resource in {@value #INCIDENT_EVERY} has a surge (errors, latency, load
 * times four) for {@value #INCIDENT_MINUTES} minutes from 60 % of the run on, so anomalies, insights and notifications
 * happen too. Datapoint {@code n} of a run is minute {@code n / series} of series {@code n % series}: event time
 * advances one minute per round over all series, like a fleet reporting every minute.
 */
public final class BenchData implements Serializable {
    private static final long serialVersionUID = 1L;
    /** 2026-01-05T00:00:00Z, a Monday. */
    public static final long START = 1_767_571_200_000L;
    static final int INCIDENT_EVERY = 997;
    static final int INCIDENT_MINUTES = 8;
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    /** One metric of a kind of resource: name, unit, typical value, daily swing (fraction), noise (fraction), surge factor. */
    private record Metric(String name, String unit, double base, double daily, double noise, double surge) implements Serializable {}

    private record Kind(String namespace, String dimension, String prefix, Metric[] metrics) implements Serializable {}

    private static final Kind[] KINDS = {
        new Kind("AWS/EC2", "InstanceId", "i-0bench", new Metric[] {
            new Metric("CPUUtilization", "Percent", 35, 0.4, 0.08, 2.2),
            new Metric("NetworkIn", "Bytes", 4.0e7, 0.5, 0.1, 3),
            new Metric("NetworkOut", "Bytes", 6.0e7, 0.5, 0.1, 3),
            new Metric("NetworkPacketsIn", "Count", 5.0e4, 0.5, 0.1, 3),
            new Metric("NetworkPacketsOut", "Count", 5.5e4, 0.5, 0.1, 3),
            new Metric("DiskReadOps", "Count", 300, 0.3, 0.15, 1),
            new Metric("DiskWriteOps", "Count", 900, 0.3, 0.15, 1),
            new Metric("EBSReadBytes", "Bytes", 2.0e6, 0.3, 0.15, 1),
            new Metric("EBSWriteBytes", "Bytes", 8.0e6, 0.3, 0.15, 1),
            new Metric("StatusCheckFailed", "Count", 0, 0, 0, 1)}),
        new Kind("AWS/Lambda", "FunctionName", "bench-fn-", new Metric[] {
            new Metric("Invocations", "Count", 1200, 0.5, 0.08, 3),
            new Metric("Errors", "Count", 2, 0.5, 0.5, 40),
            new Metric("Throttles", "Count", 0, 0, 0, 1),
            new Metric("Duration", "Milliseconds", 120, 0.1, 0.05, 4),
            new Metric("ConcurrentExecutions", "Count", 20, 0.5, 0.1, 3),
            new Metric("IteratorAge", "Milliseconds", 500, 0.2, 0.1, 1),
            new Metric("DeadLetterErrors", "Count", 0, 0, 0, 1),
            new Metric("AsyncEventAge", "Milliseconds", 80, 0.2, 0.1, 1),
            new Metric("AsyncEventsReceived", "Count", 300, 0.5, 0.08, 3),
            new Metric("PostRuntimeExtensionsDuration", "Milliseconds", 3, 0.1, 0.1, 1)}),
        new Kind("AWS/ApplicationELB", "LoadBalancer", "app/bench-alb-", new Metric[] {
            new Metric("RequestCount", "Count", 9000, 0.5, 0.05, 3),
            new Metric("TargetResponseTime", "Seconds", 0.08, 0.1, 0.05, 5),
            new Metric("HTTPCode_Target_5XX_Count", "Count", 3, 0.5, 0.5, 60),
            new Metric("HTTPCode_Target_4XX_Count", "Count", 40, 0.5, 0.2, 1),
            new Metric("HTTPCode_ELB_5XX_Count", "Count", 1, 0.5, 0.5, 30),
            new Metric("ActiveConnectionCount", "Count", 2500, 0.5, 0.05, 3),
            new Metric("NewConnectionCount", "Count", 700, 0.5, 0.08, 3),
            new Metric("ProcessedBytes", "Bytes", 9.0e7, 0.5, 0.05, 3),
            new Metric("HealthyHostCount", "Count", 6, 0, 0, 1),
            new Metric("UnHealthyHostCount", "Count", 0, 0, 0, 1)}),
    };

    private final int series;

    public BenchData(int series) {
        if (series < 10 || series % 10 != 0) throw new IllegalArgumentException("series must be a positive multiple of 10, not " + series);
        this.series = series;
    }

    public int series() {
        return series;
    }

    /** The datapoint number of series {@code s} at minute {@code minute}. */
    public long index(int s, long minute) {
        return minute * series + s;
    }

    /** Datapoint {@code n} of the run as one Metric Streams JSON line. */
    public byte[] line(long n, int totalMinutes) {
        long minute = n / series;
        int s = (int) (n % series);
        int r = s / 10;
        Kind kind = KINDS[r % KINDS.length];
        Metric m = kind.metrics[s % 10];
        double phase = (r * 37 % 240) - 120; // resources peak at different times of day
        double day = Math.sin(2 * Math.PI * (minute + phase) / 1440.0);
        double value = m.base * (1 + m.daily * day) * (1 + m.noise * noise(n));
        long from = totalMinutes * 6L / 10;
        if (r % INCIDENT_EVERY == 0 && minute >= from && minute < from + INCIDENT_MINUTES) value = value * m.surge + (m.surge > 1 ? m.base : 0);
        value = Math.max(0, value);
        boolean average = !"Count".equals(m.unit);
        double count = average ? 60 : Math.max(1, Math.round(value));
        double sum = average ? value * count : Math.round(value);
        StringBuilder sb = new StringBuilder(400);
        sb.append("{\"metric_stream_name\":\"augur-bench\",\"account_id\":\"").append(ACCOUNT).append("\",\"region\":\"").append(REGION)
                .append("\",\"namespace\":\"").append(kind.namespace).append("\",\"metric_name\":\"").append(m.name)
                .append("\",\"dimensions\":{\"").append(kind.dimension).append("\":\"").append(kind.prefix).append(r).append("\"}")
                .append(",\"timestamp\":").append(START + minute * 60_000L)
                .append(",\"value\":{\"max\":").append(num(average ? value * 1.3 : sum)).append(",\"min\":").append(num(average ? value * 0.7 : sum))
                .append(",\"sum\":").append(num(sum)).append(",\"count\":").append(num(count));
        if ("Duration".equals(m.name) || "TargetResponseTime".equals(m.name)) {
            sb.append(",\"p50\":").append(num(value * 0.8)).append(",\"p90\":").append(num(value * 1.6)).append(",\"p99\":").append(num(value * 3));
        }
        sb.append("},\"unit\":\"").append(m.unit).append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final Map<String, Integer> METRIC_INDEX = new HashMap<>();

    static {
        for (Kind k : KINDS) for (int i = 0; i < k.metrics.length; i++) METRIC_INDEX.put(k.namespace + "/" + k.metrics[i].name, i);
    }

    /** The datapoint number of a parsed datapoint (series from its resource and metric, minute from its timestamp), or -1. */
    public long indexOf(String namespace, String metric, String dimensionValue, long timestamp) {
        Integer k = METRIC_INDEX.get(namespace + "/" + metric);
        if (k == null) return -1;
        int digits = dimensionValue.length();
        while (digits > 0 && Character.isDigit(dimensionValue.charAt(digits - 1))) digits--;
        int r = Integer.parseInt(dimensionValue.substring(digits));
        return index(r * 10 + k, (timestamp - START) / 60_000L);
    }

    /** Deterministic noise in [-1, 1] (sum of two uniforms from a hash of the datapoint number: triangular). */
    private static double noise(long n) {
        long h = n * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        double a = (h & 0xFFFFFF) / (double) 0x1000000, b = ((h >>> 24) & 0xFFFFFF) / (double) 0x1000000;
        return a + b - 1;
    }

    /** Like the simulator: integers plain, others with up to 6 significant digits. */
    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Float.toString((float) v);
    }
}
