package io.augur.ops.dedup;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The bits of a {@link SeenWindow}'s grid: a {@link BitSet} that can shift its bits up in place. A series' grid moves
 * up by a slot with nearly every datapoint; with a {@code BitSet} that was three new arrays and a new object per
 * datapoint (kept by the series' window until its next datapoint, so at scale promoted and then old garbage). Words
 * are added exactly as needed (no doubling). Not thread-safe.
 */
final class GridBits {
    private static final long[] NONE = new long[0];
    private long[] w = NONE;

    static GridBits of(BitSet b) {
        GridBits g = new GridBits();
        g.w = b.isEmpty() ? NONE : b.toLongArray();
        return g;
    }

    BitSet toBitSet() {
        return BitSet.valueOf(w);
    }

    boolean get(int i) {
        int j = i >>> 6;
        return j < w.length && (w[j] & (1L << i)) != 0;
    }

    void set(int i) {
        int j = i >>> 6;
        if (j >= w.length) w = Arrays.copyOf(w, j + 1);
        w[j] |= 1L << i;
    }

    boolean isEmpty() {
        for (long x : w) if (x != 0) return false;
        return true;
    }

    /** The index of the highest set bit + 1 (0: none), as {@link BitSet#length()}. */
    int length() {
        for (int j = w.length - 1; j >= 0; j--) if (w[j] != 0) return 64 * j + 64 - Long.numberOfLeadingZeros(w[j]);
        return 0;
    }

    void clear() {
        Arrays.fill(w, 0);
    }

    /** Clears every bit from {@code from} on (as {@link BitSet#clear(int, int)} up to the length). */
    void clearFrom(int from) {
        int j = from >>> 6;
        if (j >= w.length) return;
        w[j] &= (1L << from) - 1; // the bits below from (from % 64 == 0: none)
        for (int k = j + 1; k < w.length; k++) w[k] = 0;
    }

    /**
     * Bit i becomes bit i + k where i + k <= {@code limit}; the others are dropped. The same bits as
     * {@link SeenWindow#shifted(BitSet, long, long)}, in place.
     */
    void shiftUp(long k, long limit) {
        if (k > limit) {
            clear();
            return;
        }
        clearFrom((int) (limit - k + 1)); // source bits 0 .. limit - k stay
        int len = length();
        if (len == 0 || k == 0) return;
        int ws = (int) (k >>> 6), bs = (int) (k & 63);
        int srcWords = (len + 63) >>> 6;
        int need = (len - 1 + (int) k) >>> 6; // the highest word a moved bit lands in
        if (need >= w.length) w = Arrays.copyOf(w, need + 1);
        for (int j = srcWords - 1; j >= 0; j--) { // from the top: a target word is at or above its source
            long x = w[j];
            if (bs != 0 && j + ws + 1 < w.length) w[j + ws + 1] |= x >>> (64 - bs);
            w[j + ws] = x << bs;
        }
        for (int t = 0; t < ws; t++) w[t] = 0;
    }
}
