package io.augur.ops.detect;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * The one configuration of {@link BaselineDetector}, shared by every series. Immutable; {@link #defaults()} is what
 * Augur ships with. Change a copy with the {@code with...} methods.
 */
public final class DetectorSettings implements Serializable {
    private static final long serialVersionUID = 1L;

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
    }

    private final Duration warmup;
    private final int warmupPoints;
    private final int dailyBins;
    private final double criticalZ;
    private final int refractoryPoints;
    private final Sensitivity sensitivity;
    private final DirectionFilter direction;

    private DetectorSettings(Duration warmup, int warmupPoints, int dailyBins, double criticalZ, int refractoryPoints,
                             Sensitivity sensitivity, DirectionFilter direction) {
        if (warmup.isNegative()) throw new IllegalArgumentException("warmup < 0");
        if (warmupPoints < 2) throw new IllegalArgumentException("warmupPoints < 2");
        if (dailyBins < 4 || dailyBins > 288 || 86_400 % dailyBins != 0) throw new IllegalArgumentException("dailyBins must divide a day, 4..288");
        if (!(criticalZ > 0)) throw new IllegalArgumentException("criticalZ <= 0");
        if (refractoryPoints < 0) throw new IllegalArgumentException("refractoryPoints < 0");
        this.warmup = warmup;
        this.warmupPoints = warmupPoints;
        this.dailyBins = dailyBins;
        this.criticalZ = criticalZ;
        this.refractoryPoints = refractoryPoints;
        this.sensitivity = Objects.requireNonNull(sensitivity);
        this.direction = Objects.requireNonNull(direction);
    }

    /** What Augur ships with. */
    public static DetectorSettings defaults() {
        return new DetectorSettings(Duration.ofHours(1), 12, 48, 4.0, 400, Sensitivity.MEDIUM, DirectionFilter.BOTH);
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

    /** Self-calibrated evidence (in units of its own long-run RMS) that scores exactly 0.5. */
    public double criticalZ() {
        return criticalZ;
    }

    /** Datapoints after an alert during which further scores are damped (one incident, one alert). */
    public int refractoryPoints() {
        return refractoryPoints;
    }

    public Sensitivity sensitivity() {
        return sensitivity;
    }

    /** The score threshold of {@link #sensitivity()}. */
    public double threshold() {
        return sensitivity.threshold();
    }

    public DirectionFilter direction() {
        return direction;
    }

    public DetectorSettings withWarmup(Duration d, int points) {
        return new DetectorSettings(d, points, dailyBins, criticalZ, refractoryPoints, sensitivity, direction);
    }

    public DetectorSettings withCriticalZ(double z) {
        return new DetectorSettings(warmup, warmupPoints, dailyBins, z, refractoryPoints, sensitivity, direction);
    }

    public DetectorSettings withRefractoryPoints(int n) {
        return new DetectorSettings(warmup, warmupPoints, dailyBins, criticalZ, n, sensitivity, direction);
    }

    public DetectorSettings withSensitivity(Sensitivity s) {
        return new DetectorSettings(warmup, warmupPoints, dailyBins, criticalZ, refractoryPoints, s, direction);
    }

    public DetectorSettings withDirection(DirectionFilter d) {
        return new DetectorSettings(warmup, warmupPoints, dailyBins, criticalZ, refractoryPoints, sensitivity, d);
    }

    /**
     * The score threshold for a sensitivity setting: {@code low}, {@code medium}, {@code high} (any case), or a
     * number in (0,1].
     */
    public double thresholdFor(String sensitivity) {
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

    @Override
    public String toString() {
        return "DetectorSettings{warmup=" + warmup + ", warmupPoints=" + warmupPoints + ", dailyBins=" + dailyBins
                + ", criticalZ=" + criticalZ + ", refractoryPoints=" + refractoryPoints + ", sensitivity=" + sensitivity
                + ", direction=" + direction + '}';
    }
}
