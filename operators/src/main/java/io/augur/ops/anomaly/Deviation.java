package io.augur.ops.anomaly;

/**
 * Whether a value deviates from a reference (the baseline's expected value and band at an anomaly's onset), in a
 * direction. Beyond the band is not enough: near-constant series have bands narrower than any change that matters
 * (5xx count 2 where 1 was expected), so a deviation must also be a real change: at least a fraction of the expected
 * value, and for counts more than Poisson noise (three standard deviations, √expected each).
 */
public final class Deviation {
    private Deviation() {}

    /** Beyond the band in the direction, and a real change (confirmations and ongoing anomalies). */
    public static boolean deviates(double value, double expected, double lower, double upper, int direction, String unit,
                                   double minRelativeChange) {
        if (direction == 0 || !Double.isFinite(value) || !Double.isFinite(expected)) return false;
        if (value >= 0) {
            // metrics are not negative: an expectation below 0 (a trend extrapolated too far) means 0
            expected = Math.max(expected, 0);
            lower = Math.max(lower, 0);
            upper = Math.max(upper, 0);
        }
        boolean beyondBand = direction > 0 ? value > upper : value < lower;
        return beyondBand && changed(value, expected, direction, unit, minRelativeChange);
    }

    /**
     * A real change in the direction, whatever the band (onsets: the detector scored the datapoint on evidence of its
     * own, which is not always outside its band).
     */
    public static boolean changed(double value, double expected, int direction, String unit, double minRelativeChange) {
        if (direction == 0 || !Double.isFinite(value) || !Double.isFinite(expected)) return false;
        if (value >= 0) expected = Math.max(expected, 0);
        double change = direction > 0 ? value - expected : expected - value;
        return change > 0 && change >= floor(expected, unit, minRelativeChange);
    }

    /** Later datapoints of an anomaly keep at least this share of the onset's deviation (a blip falls back at once). */
    public static final double RETAIN = 0.5;

    /**
     * A later datapoint of an anomaly: it deviates from the reference, and keeps at least {@link #RETAIN} of the onset's
     * own deviation {@code onsetChange} (so a short spike followed by ordinary noise does not look like a burst).
     */
    public static boolean persists(double value, double expected, double lower, double upper, int direction, String unit,
                                   double minRelativeChange, double onsetChange) {
        if (!deviates(value, expected, lower, upper, direction, unit, minRelativeChange)) return false;
        double e = value >= 0 ? Math.max(expected, 0) : expected;
        return (direction > 0 ? value - e : e - value) >= RETAIN * onsetChange;
    }

    /** How far an onset is from its expected value, in its direction (the reference for {@link #persists}). */
    public static double onsetChange(double value, double expected) {
        double e = value >= 0 ? Math.max(expected, 0) : expected;
        return Math.abs(value - e);
    }

    /** The smallest change that counts at this expected value. */
    public static double floor(double expected, String unit, double minRelativeChange) {
        double f = minRelativeChange * Math.abs(expected);
        if (isCount(unit)) f = Math.max(f, 3 * Math.sqrt(Math.max(1, Math.abs(expected))));
        return f;
    }

    /** |value - expected| relative to the expected value (or to the band, or 1 for counts, when the expected value is about 0). */
    public static double relativeChange(double value, double expected, double lower, double upper, String unit) {
        double scale = Math.max(Math.abs(expected), Math.max(upper - expected, expected - lower));
        if (isCount(unit)) scale = Math.max(scale, 1);
        if (!(scale > 0)) return value == expected ? 0 : 1e6;
        return Math.min(1e6, Math.abs(value - expected) / scale);
    }

    static boolean isCount(String unit) {
        return "Count".equals(unit) || "Count/Second".equals(unit);
    }
}
