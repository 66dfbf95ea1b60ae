package io.augur.ops.codec;

/**
 * A double as a short decimal when that is exact: an unscaled integer and a scale 0..{@value #MAX_SCALE}, read back as
 * {@code unscaled / 10^scale} and checked bit for bit (metric values mostly are such decimals: 35.2, 0.15, 60000).
 * Used by the stored forms of state (Avro varints of the unscaled value instead of 8 bytes). Pure logic.
 */
public final class ExactDecimal {
    public static final int MAX_SCALE = 9;
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private static final double MAX_EXACT = 0x1p53;

    private ExactDecimal() {}

    /** The smallest scale at which {@code x} is {@code unscaled / 10^scale} bit for bit, or -1 (NaN, infinities, -0.0, too long). */
    public static int scale(double x) {
        for (int s = 0; s <= MAX_SCALE; s++) {
            double scaled = x * POW10[s];
            if (!(Math.abs(scaled) < MAX_EXACT)) return -1; // also NaN and infinities
            double r = Math.rint(scaled);
            if (r != scaled) continue;
            if (Double.doubleToRawLongBits((double) (long) r / POW10[s]) == Double.doubleToRawLongBits(x)) return s;
        }
        return -1;
    }

    /** The unscaled value of {@code x} at {@code scale} (from {@link #scale}). */
    public static long unscaled(double x, int scale) {
        return (long) Math.rint(x * POW10[scale]);
    }

    /** {@code unscaled / 10^scale}. */
    public static double value(long unscaled, int scale) {
        if (scale < 0 || scale > MAX_SCALE) throw new IllegalArgumentException("bad decimal scale " + scale);
        return (double) unscaled / POW10[scale];
    }
}
