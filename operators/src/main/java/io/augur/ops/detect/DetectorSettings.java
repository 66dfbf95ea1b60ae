package io.augur.ops.detect;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one configuration of {@link BaselineDetector}, shared by every series, plus the user's alert settings: a default
 * sensitivity, and per-namespace or per-metric sensitivity and direction overrides. Immutable; {@link #defaults()} is
 * what Augur ships with. Change a copy with the {@code with...} methods.
 *
 * <p>An override's scope is a CloudWatch namespace ({@code AWS/Lambda}) or a namespace and metric name
 * ({@code AWS/Lambda/Errors}: everything after the namespace's last {@code /} is the metric). The most specific scope
 * wins: namespace and metric, then namespace, then the default (for directions: {@link MetricDirections}' default for
 * the metric).
 */
public final class DetectorSettings implements Serializable {
    private static final long serialVersionUID = 2L;

    /** The score threshold Augur ships with (sensitivity {@link Sensitivity#MEDIUM}): a datapoint whose score is at or above it is an anomaly. */
    public static final double SHIPPED_THRESHOLD = 0.5;

    /** How eagerly to alert; each maps to a fixed score threshold. */
    public enum Sensitivity {
        LOW(0.7), MEDIUM(SHIPPED_THRESHOLD), HIGH(0.3);

        private final double threshold;

        Sensitivity(double threshold) {
            this.threshold = threshold;
        }

        /** Scores at or above this are anomalies. */
        public double threshold() {
            return threshold;
        }
    }

    /** Which deviations the caller reports (the detector scores both; the caller filters on {@link Score#direction()}). */
    public enum DirectionFilter {
        RISE, DROP, BOTH;

        /** Whether a score with this direction (+1, -1, 0) passes the filter. */
        public boolean accepts(int direction) {
            return switch (this) {
                case RISE -> direction > 0;
                case DROP -> direction < 0;
                case BOTH -> true;
            };
        }

        /** {@code rise}, {@code drop} or {@code both}, any case. */
        public static DirectionFilter parse(String s) {
            String v = s.trim().toUpperCase(Locale.ROOT);
            for (DirectionFilter d : values()) if (d.name().equals(v)) return d;
            throw new IllegalArgumentException("direction '" + s + "' is not rise, drop or both");
        }
    }

    private final Duration warmup;
    private final int warmupPoints;
    private final int dailyBins;
    private final double criticalRarity;
    private final Duration refractory;
    private final double threshold;
    private final TreeMap<String, Double> thresholds;
    private final TreeMap<String, DirectionFilter> directions;

    private DetectorSettings(Duration warmup, int warmupPoints, int dailyBins, double criticalRarity, Duration refractory,
                             double threshold, Map<String, Double> thresholds, Map<String, DirectionFilter> directions) {
        if (warmup.isNegative()) throw new IllegalArgumentException("warmup < 0");
        if (warmupPoints < 2) throw new IllegalArgumentException("warmupPoints < 2");
        if (dailyBins < 4 || dailyBins > 288 || 86_400 % dailyBins != 0) throw new IllegalArgumentException("dailyBins must divide a day, 4..288");
        if (!(criticalRarity > 0)) throw new IllegalArgumentException("criticalRarity <= 0");
        if (refractory.isNegative()) throw new IllegalArgumentException("refractory < 0");
        checkThreshold(threshold);
        this.warmup = warmup;
        this.warmupPoints = warmupPoints;
        this.dailyBins = dailyBins;
        this.criticalRarity = criticalRarity;
        this.refractory = refractory;
        this.threshold = threshold;
        this.thresholds = new TreeMap<>(thresholds);
        this.directions = new TreeMap<>(directions);
    }

    /** What Augur ships with. */
    public static DetectorSettings defaults() {
        return new DetectorSettings(Duration.ofHours(1), 12, 48, 1.5, Duration.ofMinutes(1000), SHIPPED_THRESHOLD, Map.of(), Map.of());
    }

    /** Minimum time from a series' first datapoint before it is scored. */
    public Duration warmup() {
        return warmup;
    }

    /** Minimum number of datapoints before a series is scored. */
    public int warmupPoints() {
        return warmupPoints;
    }

    /** Time-of-day bins of the daily profile. */
    public int dailyBins() {
        return dailyBins;
    }

    /**
     * The rarity that scores exactly 0.5: {@code -log10} of the tail probability of the datapoint's evidence, in the
     * series' own recent history (corrected for the number of evidence statistics).
     */
    public double criticalRarity() {
        return criticalRarity;
    }

    /** After an alert, further scores of the series are damped for this long (one incident, one alert). */
    public Duration refractory() {
        return refractory;
    }

    /** The default score threshold (sensitivity). */
    public double threshold() {
        return threshold;
    }

    /** The score threshold for a metric: its own override, else its namespace's, else the default. */
    public double threshold(String namespace, String metricName) {
        Double t = thresholds.get(namespace + "/" + metricName);
        if (t == null) t = thresholds.get(namespace);
        return t == null ? threshold : t;
    }

    /** Which direction of a metric counts: its own override, else its namespace's, else {@link MetricDirections}. */
    public DirectionFilter direction(String namespace, String metricName) {
        DirectionFilter d = directions.get(namespace + "/" + metricName);
        if (d == null) d = directions.get(namespace);
        return d == null ? MetricDirections.forMetric(namespace, metricName) : d;
    }

    /** The sensitivity overrides, by scope. */
    public Map<String, Double> thresholdOverrides() {
        return Collections.unmodifiableMap(thresholds);
    }

    /** The direction overrides, by scope. */
    public Map<String, DirectionFilter> directionOverrides() {
        return Collections.unmodifiableMap(directions);
    }

    public DetectorSettings withWarmup(Duration d, int points) {
        return new DetectorSettings(d, points, dailyBins, criticalRarity, refractory, threshold, thresholds, directions);
    }

    public DetectorSettings withCriticalRarity(double r) {
        return new DetectorSettings(warmup, warmupPoints, dailyBins, r, refractory, threshold, thresholds, directions);
    }

    public DetectorSettings withRefractory(Duration d) {
        return new DetectorSettings(warmup, warmupPoints, dailyBins, criticalRarity, d, threshold, thresholds, directions);
    }

    /** The default sensitivity: {@code low}, {@code medium}, {@code high} or a score threshold in (0,1]. */
    public DetectorSettings withSensitivity(String sensitivity) {
        return new DetectorSettings(warmup, warmupPoints, dailyBins, criticalRarity, refractory, parseSensitivity(sensitivity), thresholds, directions);
    }

    /** The sensitivity of a namespace ({@code AWS/RDS}) or of one metric ({@code AWS/RDS/CPUUtilization}). */
    public DetectorSettings withSensitivity(String scope, String sensitivity) {
        TreeMap<String, Double> t = new TreeMap<>(thresholds);
        t.put(checkScope(scope), parseSensitivity(sensitivity));
        return new DetectorSettings(warmup, warmupPoints, dailyBins, criticalRarity, refractory, threshold, t, directions);
    }

    /** The direction filter of a namespace or of one metric. */
    public DetectorSettings withDirection(String scope, DirectionFilter direction) {
        TreeMap<String, DirectionFilter> d = new TreeMap<>(directions);
        d.put(checkScope(scope), Objects.requireNonNull(direction));
        return new DetectorSettings(warmup, warmupPoints, dailyBins, criticalRarity, refractory, threshold, thresholds, d);
    }

    /**
     * The score threshold for a sensitivity setting: {@code low}, {@code medium}, {@code high} (any case), or a
     * number in (0,1].
     */
    public static double parseSensitivity(String sensitivity) {
        String v = sensitivity.trim();
        for (Sensitivity s : Sensitivity.values()) if (s.name().equalsIgnoreCase(v)) return s.threshold();
        try {
            double t = Double.parseDouble(v);
            if (t > 0 && t <= 1) return t;
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new IllegalArgumentException("sensitivity '" + sensitivity + "' is not low, medium, high or a number in (0,1]");
    }

    private static void checkThreshold(double t) {
        if (!(t > 0 && t <= 1)) throw new IllegalArgumentException("threshold " + t + " is not in (0,1]");
    }

    private static String checkScope(String scope) {
        String s = scope.trim();
        if (s.isEmpty() || s.startsWith("/") || s.endsWith("/")) {
            throw new IllegalArgumentException("scope '" + scope + "' is not a namespace (AWS/Lambda) or namespace/metric (AWS/Lambda/Errors)");
        }
        return s;
    }

    @Override
    public String toString() {
        return "DetectorSettings{warmup=" + warmup + ", warmupPoints=" + warmupPoints + ", dailyBins=" + dailyBins
                + ", criticalRarity=" + criticalRarity + ", refractory=" + refractory + ", threshold=" + threshold
                + (thresholds.isEmpty() ? "" : ", thresholds=" + thresholds)
                + (directions.isEmpty() ? "" : ", directions=" + directions) + '}';
    }
}
