package io.augur.ops.anomaly;

import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.MetricValue;
import io.augur.schema.ScoredDatapoint;
import io.augur.schema.Severity;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds anomaly revisions: identity fields from the series, names and descriptions, bounded datapoints. */
public final class Anomalies {
    private Anomalies() {}

    /** A new anomaly (revision 0, ONGOING) of a series, with its deterministic id; times are event times. */
    public static Anomaly.Builder open(String seriesKey, MetricDatapoint dp, String stat, AnomalyKind kind, long start, long openTime,
                                       int periodSeconds) {
        return Anomaly.newBuilder()
                .setId(AnomalyIds.id(seriesKey, kind, start))
                .setKind(kind)
                .setStatus(AnomalyStatus.ONGOING)
                .setRevision(0)
                .setStartTime(start)
                .setOpenTime(openTime)
                .setUpdateTime(openTime)
                .setAccountId(dp.getAccountId())
                .setRegion(dp.getRegion())
                .setSeriesKey(seriesKey)
                .setNamespace(dp.getNamespace())
                .setMetricName(dp.getMetricName())
                .setDimensions(new TreeMap<>(dp.getDimensions()))
                .setStat(stat)
                .setUnit(dp.getUnit())
                .setPeriod(periodSeconds)
                .setResource(dp.getResource());
    }

    /** The next revision of an anomaly: a copy with revision + 1 at {@code time}. */
    public static Anomaly.Builder revise(Anomaly a, long time) {
        return Anomaly.newBuilder(a).setRevision(a.getRevision() + 1).setUpdateTime(time);
    }

    public static Severity up(Severity s) {
        return s == Severity.LOW ? Severity.MEDIUM : Severity.HIGH;
    }

    public static MetricValue value(ScoredDatapoint p) {
        return MetricValue.newBuilder().setTimestamp(p.getDatapoint().getTimestamp()).setValue(p.getValue())
                .setExpected(p.getExpected()).setLower(p.getLower()).setUpper(p.getUpper()).build();
    }

    /** Inserts {@code v} into an ascending list by timestamp (replacing one with the same timestamp), keeping at most {@code max} newest. */
    public static void insert(List<MetricValue> values, MetricValue v, int max) {
        int i = values.size();
        while (i > 0 && values.get(i - 1).getTimestamp() > v.getTimestamp()) i--;
        if (i > 0 && values.get(i - 1).getTimestamp() == v.getTimestamp()) {
            values.set(i - 1, v);
        } else {
            values.add(i, v);
        }
        while (values.size() > max) values.remove(0);
    }

    /**
     * An anomaly's datapoints: at most {@code before} datapoints before its start, then the newest ones, {@code max} in
     * all. When a long anomaly outgrows it, the oldest datapoints after the context before the start go first.
     */
    public static List<MetricValue> bounded(List<MetricValue> values, long start, int before, int max) {
        List<MetricValue> pre = new ArrayList<>(), post = new ArrayList<>();
        for (MetricValue v : values) (v.getTimestamp() < start ? pre : post).add(v);
        if (pre.size() > before) pre = new ArrayList<>(pre.subList(pre.size() - before, pre.size()));
        int room = max - Math.min(pre.size(), max);
        if (post.size() > room) {
            // keep the start of the anomaly and its newest datapoints
            int head = Math.min(5, room / 3);
            List<MetricValue> kept = new ArrayList<>(post.subList(0, head));
            kept.addAll(post.subList(post.size() - (room - head), post.size()));
            post = kept;
        }
        List<MetricValue> out = new ArrayList<>(pre);
        out.addAll(post);
        return out;
    }

    public static String reactiveName(MetricDatapoint dp, int direction) {
        return dp.getMetricName() + (direction >= 0 ? " rose on " : " dropped on ") + dp.getResource().getType() + " " + dp.getResource().getName();
    }

    public static String reactiveDescription(MetricDatapoint dp, String stat, int direction, double value, double expected,
                                             double lower, double upper, long start) {
        return String.format("%s %s (%s) of %s %s %s to %s at %s, where the baseline expected %s (normal band %s to %s).",
                dp.getNamespace(), dp.getMetricName(), stat, dp.getResource().getType(), dp.getResource().getName(),
                direction >= 0 ? "rose" : "dropped", num(value) + unit(dp), Instant.ofEpochMilli(start), num(expected),
                num(lower), num(upper));
    }

    public static String proactiveName(MetricDatapoint dp, boolean rising) {
        return dp.getMetricName() + " of " + dp.getResource().getType() + " " + dp.getResource().getName()
                + (rising ? " is rising towards its limit" : " is falling towards its limit");
    }

    public static String proactiveDescription(MetricDatapoint dp, String stat, double limit, String limitDescription, double level,
                                              double slopePerHour, Long earliest, Long latest) {
        return String.format("%s %s (%s) of %s %s is at %s and %s by %s per hour: it is forecast to reach its limit of %s (%s) between %s and %s.",
                dp.getNamespace(), dp.getMetricName(), stat, dp.getResource().getType(), dp.getResource().getName(),
                num(level) + unit(dp), slopePerHour >= 0 ? "rising" : "falling", num(Math.abs(slopePerHour)), num(limit) + unit(dp),
                limitDescription, earliest == null ? "?" : Instant.ofEpochMilli(earliest), latest == null ? "?" : Instant.ofEpochMilli(latest));
    }

    private static String unit(MetricDatapoint dp) {
        String u = dp.getUnit();
        return u == null || u.equals("None") || u.equals("Count") ? "" : " " + u;
    }

    static String num(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Dimensions as a sorted map (Avro maps come back unordered). */
    public static Map<String, String> sorted(Map<String, String> dims) {
        return new TreeMap<>(dims);
    }
}
