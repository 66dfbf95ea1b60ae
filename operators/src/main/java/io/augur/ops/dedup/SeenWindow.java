package io.augur.ops.dedup;

import io.augur.schema.SeriesSeen;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * At-least-once delivery (Kinesis, metric streams, a replay after restart) repeats datapoints. Per series, this remembers
 * by TIME which timestamps were accepted within a look-back window ({@code dedup.window}, 6 hours by default): a repeat
 * of any of them is a {@link Verdict#DUPLICATE}, however many newer datapoints arrived in between.
 *
 * <p>Metric-stream datapoints sit on period boundaries, so the accepted timestamps are kept as a bitmap over a grid:
 * {@code top} (the newest grid timestamp), {@code slot} (the spacing, the greatest common divisor of the distances
 * seen, 60 s for a 1-minute series) and bit i = {@code top - i*slot} accepted. Six hours of a 1-minute series take
 * 360 bits (45 bytes). The grid refines itself when a datapoint falls between its points (a 30-second offset halves the
 * slot), but never below {@code window / }{@link #MAX_SLOTS}; timestamps that would need a finer grid are remembered
 * exactly in a short sorted list (at most {@link #MAX_OFF_GRID}). Detection is exact: two different timestamps are never
 * taken for one another.
 *
 * <p>The memory is complete from {@code from} on: at least the newest accepted timestamp minus the window (later when
 * the off-grid list overflowed, or when migrated v1 state knew less). A datapoint older than that cannot be checked:
 * {@link Verdict#UNCHECKED}. The caller accepts it (it is far more often late than repeated) and counts it, so nothing is
 * dropped on a guess and the count shows how often the window was too short.
 *
 * <p>Not thread-safe; one instance per state access: {@link #of} reads (and migrates) the state, {@link #offer} decides,
 * {@link #toRecord} writes it back.
 */
public final class SeenWindow {
    /** What became of an offered timestamp. */
    public enum Verdict {
        /** Not seen before within the window: accept it (it is now remembered). */
        NEW,
        /** Already accepted: drop it. */
        DUPLICATE,
        /** Older than the memory (more than the window behind the series' newest datapoint): accept it unchecked. */
        UNCHECKED
    }

    /** The grid never has more points than this: at most 4 KiB of bits per series (a 6 h window: slots of 660 ms or more). */
    public static final int MAX_SLOTS = 1 << 15;
    /** Timestamps off the grid remembered exactly, per series. */
    public static final int MAX_OFF_GRID = 64;

    private final long window;
    private final long minSlot;
    private long top;
    private long slot;
    private GridBits bits;
    private final List<Long> off;
    private long from;
    private boolean migrated;

    private SeenWindow(long windowMillis) {
        if (windowMillis <= 0) throw new IllegalArgumentException("the de-duplication window must be positive, not " + windowMillis + " ms");
        this.window = windowMillis;
        this.minSlot = Math.max(1, (windowMillis + MAX_SLOTS - 1) / MAX_SLOTS);
        this.bits = new GridBits();
        this.off = new ArrayList<>();
    }

    /** An empty memory (a series never seen). */
    public static SeenWindow empty(long windowMillis) {
        return new SeenWindow(windowMillis);
    }

    /**
     * The memory held in {@code s} (null: empty). v1 state (only {@code recent}: the last accepted timestamps, every
     * accepted timestamp from the first of them on is among them) is migrated: its timestamps within the window go into
     * the grid, and the memory counts as complete from the first of them.
     */
    public static SeenWindow of(SeriesSeen s, long windowMillis) {
        SeenWindow w = new SeenWindow(windowMillis);
        if (s == null) return w;
        ByteBuffer seen = s.getSeen();
        int run = s.getSeenRun();
        if (run > 0 || (seen != null && seen.remaining() > 0)) {
            w.top = s.getTop();
            w.slot = s.getSlot();
            w.bits = GridBits.of(bits(run, seen));
            w.off.addAll(s.getOffGrid());
            w.from = s.getFrom();
            // the window may have changed since the state was written: a grid finer than the new bound is laid out anew
            if (w.slot > 0 && w.slot < w.minSlot) w.rebuild(w.timestamps());
            w.evict();
        } else if (!s.getRecent().isEmpty()) {
            List<Long> legacy = new ArrayList<>(s.getRecent());
            Collections.sort(legacy);
            long newest = legacy.get(legacy.size() - 1);
            w.from = Math.max(legacy.get(0), newest - windowMillis);
            List<Long> kept = new ArrayList<>();
            for (long t : legacy) if (t >= w.from && (kept.isEmpty() || kept.get(kept.size() - 1) != t)) kept.add(t);
            w.rebuild(kept);
            w.evict();
            w.migrated = true;
        } else if (!s.getOffGrid().isEmpty()) {
            // v2 state whose grid emptied cannot be written (evict re-anchors), but read it safely anyway
            w.from = s.getFrom();
            List<Long> kept = new ArrayList<>(s.getOffGrid());
            Collections.sort(kept);
            w.rebuild(kept);
            w.evict();
        }
        return w;
    }

    /** True when {@link #of} migrated v1 state: store {@link #toRecord} even if nothing new was accepted. */
    public boolean migrated() {
        return migrated;
    }

    /** True when nothing is remembered. */
    public boolean isEmpty() {
        return bits.isEmpty() && off.isEmpty();
    }

    /** Whether {@code ts} repeats an accepted timestamp; a {@link Verdict#NEW} timestamp is remembered. */
    public Verdict offer(long ts) {
        if (isEmpty()) {
            top = ts;
            slot = 0;
            bits.set(0);
            from = Math.max(from, ts - window);
            return Verdict.NEW;
        }
        if (ts < from) return Verdict.UNCHECKED;
        if (onGrid(ts)) {
            if (ts <= top) {
                int i = slot == 0 ? 0 : (int) ((top - ts) / slot);
                if (bits.get(i)) return Verdict.DUPLICATE;
                bits.set(i);
                return Verdict.NEW;
            }
            shift((ts - top) / slot);
            top = ts;
            bits.set(0);
            evict();
            return Verdict.NEW;
        }
        int at = Collections.binarySearch(off, ts);
        if (at >= 0) return Verdict.DUPLICATE;
        long d = Math.abs(ts - top);
        long g = slot == 0 ? d : gcd(slot, d);
        if (g >= minSlot) {
            List<Long> all = timestamps();
            all.add(ts);
            Collections.sort(all);
            rebuild(all);
        } else {
            off.add(-at - 1, ts);
        }
        evict();
        return Verdict.NEW;
    }

    /**
     * The state to store: v2 fields, {@code recent} empty, and the grid's leading run of set bits as a count
     * ({@code seenRun}, v3): the bits after it in {@code seen}.
     */
    public SeriesSeen toRecord() {
        BitSet all = bits.toBitSet();
        int run = all.nextClearBit(0);
        BitSet rest = run == 0 ? all : all.get(run + 1, Math.max(run + 1, all.length()));
        return SeriesSeen.newBuilder()
                .setRecent(List.of())
                .setTop(top)
                .setSlot(slot)
                .setSeen(ByteBuffer.wrap(rest.toByteArray())).setSeenRun(run)
                .setOffGrid(new ArrayList<>(off))
                .setFrom(from)
                .build();
    }

    /** The grid's bits stored as {@code seenRun} {@code run} and {@code seen} {@code rest} ({@link #toRecord}). */
    private static BitSet bits(int run, ByteBuffer rest) {
        BitSet stored = rest == null ? new BitSet() : BitSet.valueOf(rest.duplicate());
        if (run == 0) return stored;
        BitSet b = new BitSet(run + 1 + stored.length());
        b.set(0, run);
        for (int i = stored.nextSetBit(0); i >= 0; i = stored.nextSetBit(i + 1)) b.set(run + 1 + i);
        return b;
    }

    /** Every remembered timestamp, ascending. */
    public List<Long> timestamps() {
        BitSet bits = this.bits.toBitSet();
        List<Long> out = new ArrayList<>(bits.cardinality() + off.size());
        for (int i = bits.length() - 1; i >= 0; i = i == 0 ? -1 : bits.previousSetBit(i - 1)) {
            out.add(top - i * slot);
        }
        out.addAll(off);
        Collections.sort(out);
        return out;
    }

    /** Timestamps from this one on are all remembered; an older one is {@link Verdict#UNCHECKED}. */
    public long from() {
        return from;
    }

    /** The grid spacing in milliseconds (0 while the grid holds one timestamp). */
    public long slot() {
        return slot;
    }

    /** How many timestamps are remembered off the grid. */
    public int offGridCount() {
        return off.size();
    }

    private boolean onGrid(long ts) {
        if (bits.isEmpty()) return false;
        return slot == 0 ? ts == top : Math.floorMod(ts - top, slot) == 0;
    }

    /** Moves every bit {@code k} places up (the grid's top advances k slots); bits beyond the window fall off. */
    private void shift(long k) {
        bits.shiftUp(k, window / slot); // in place: the same bits as shifted(bits, k, window / slot)
    }

    /** Bit i of {@code bits} as bit i + k, where i + k <= {@code limit} (word by word, not bit by bit). */
    static BitSet shifted(BitSet bits, long k, long limit) {
        if (k > limit || bits.isEmpty()) return new BitSet();
        long[] src = bits.toLongArray();
        int keep = (int) (limit - k + 1); // source bits 0 .. limit - k stay
        int keepWords = (keep + 63) >>> 6;
        int words = Math.min(src.length, keepWords);
        if (words == keepWords && (keep & 63) != 0) src[words - 1] &= (1L << (keep & 63)) - 1; // bits from keep on go
        int wordShift = (int) (k >>> 6), bitShift = (int) (k & 63);
        long[] dst = new long[words + wordShift + 1];
        for (int j = 0; j < words; j++) {
            dst[j + wordShift] |= src[j] << bitShift;
            if (bitShift != 0) dst[j + wordShift + 1] |= src[j] >>> (64 - bitShift);
        }
        return BitSet.valueOf(dst);
    }

    /**
     * Lays {@code sorted} (ascending, distinct, all at or after {@code from}) out anew: the newest is the grid's top, the
     * slot is the greatest common divisor of the distances to it that stays at least {@link #minSlot}; what does not fit
     * the grid is kept off it.
     */
    private void rebuild(List<Long> sorted) {
        bits = new GridBits();
        off.clear();
        slot = 0;
        if (sorted.isEmpty()) return;
        top = sorted.get(sorted.size() - 1);
        List<Long> onGrid = new ArrayList<>();
        for (int i = sorted.size() - 2; i >= 0; i--) {
            long t = sorted.get(i);
            long d = top - t;
            long g = slot == 0 ? d : gcd(slot, d);
            if (g >= minSlot) {
                slot = g;
                onGrid.add(t);
            } else {
                off.add(t);
            }
        }
        Collections.sort(off);
        bits.set(0);
        for (long t : onGrid) {
            long i = (top - t) / slot;
            if (i <= window / slot) bits.set((int) i);
        }
    }

    /** Forgets what the window no longer covers; keeps {@code from >= newest - window} and the off-grid list short. */
    private void evict() {
        long newest = Math.max(bits.isEmpty() ? Long.MIN_VALUE : top, off.isEmpty() ? Long.MIN_VALUE : off.get(off.size() - 1));
        if (newest == Long.MIN_VALUE) return;
        from = Math.max(from, newest - window);
        while (off.size() > MAX_OFF_GRID) from = Math.max(from, off.remove(0) + 1);
        while (!off.isEmpty() && off.get(0) < from) off.remove(0);
        if (!bits.isEmpty()) {
            if (top < from) {
                bits.clear();
            } else if (slot > 0) {
                long keep = (top - from) / slot;
                if (keep + 1 < bits.length()) bits.clearFrom((int) keep + 1);
            }
        }
        if (bits.isEmpty() && !off.isEmpty()) rebuild(new ArrayList<>(off)); // re-anchor the grid on what is left
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
