package io.augur.ops.detect;

/**
 * A small, fixed-size memory of what a series has recently done, for pattern novelty. Inspired by contextual anomaly
 * detectors (discretised values and short sequences of them as contexts, the novelty of a context as evidence) and
 * by sequence memories, reduced to a few hundred bytes: a hashed table of decaying one-byte counts of the recent
 * n-grams of <i>symbols</i>, count-min style (one hash; a collision can only make a pattern look more familiar, never
 * less).
 *
 * <p>A symbol is the signed, logarithmic size class of a standardized deviation: 0 for the usual range, ±1, ±2, ...
 * for deviations doubling in size. With order 0 (what {@link BaselineDetector} uses) the memory answers "has the series
 * been at this level recently?": a level it has not visited lately (a burst in a quiet series, a quiet stretch in a
 * busy one, an oscillation reaching new values, a new regime) is novel, while spikes of the usual size are familiar.
 * With order {@code k > 0} it remembers the symbol after each context of {@code k} symbols (a changed shape).
 *
 * <p>Pure functions over the caller's state, no allocation. Call {@link #observe} once per observation.
 */
public final class PatternMemory {
    private PatternMemory() {}

    /** Number of table slots (one byte each; a power of two). */
    public static final int SLOTS = 256;
    /** Largest symbol magnitude: symbols are in [-MAX_SYMBOL, MAX_SYMBOL], four bits with the sign. */
    public static final int MAX_SYMBOL = 5;
    /** A deviation below this many robust standard deviations is symbol 0. */
    static final double SYMBOL_BASE = 2;
    /** Count added per occurrence (so about 15 recent occurrences saturate a slot). */
    static final int INCREMENT = 16;
    /** All counts halve once per this many observations: a pattern not seen for a few thousand observations is new again. */
    static final int HALVING_PERIOD = 512;

    /** The symbol of a standardized deviation {@code z}: 0 below {@link #SYMBOL_BASE}, then ±1, ±2, ... per doubling. */
    public static int symbol(double z) {
        double a = Math.abs(z);
        if (!(a >= SYMBOL_BASE)) return 0; // also NaN
        int k = 1;
        for (double edge = 2 * SYMBOL_BASE; a >= edge && k < MAX_SYMBOL; edge *= 2) k++;
        return z > 0 ? k : -k;
    }

    /** The history after appending {@code symbol} (four bits per symbol, newest in the lowest bits). */
    public static int push(int history, int symbol) {
        return (history << 4) | (symbol & 0xf);
    }

    /** The slot of the n-gram: the last {@code order} symbols of {@code history}, then {@code symbol}. */
    static int slot(int history, int symbol, int order) {
        int mask = order >= 7 ? -1 : (1 << (4 * order)) - 1;
        int h = ((((history & mask) << 4) | (symbol & 0xf)) + (order << 28)) * 0x9E3779B1;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & (SLOTS - 1);
    }

    /**
     * The novelty of {@code symbol} after {@code history}, in (0,1]: 1 for an n-gram of this {@code order} not seen
     * recently, about {@code 1/(1+k)} for one seen {@code k} times recently. Then counts it in {@code table}, and halves
     * every count once per {@link #HALVING_PERIOD} observations ({@code observation} is the series' running count).
     */
    public static double observe(byte[] table, int history, int symbol, long observation, int order) {
        if (observation % HALVING_PERIOD == 0) {
            for (int i = 0; i < table.length; i++) table[i] = (byte) ((table[i] & 0xff) >>> 1);
        }
        int k = slot(history, symbol, order);
        int c = table[k] & 0xff;
        table[k] = (byte) Math.min(255, c + INCREMENT);
        return 1 / (1 + (double) c / INCREMENT);
    }
}
