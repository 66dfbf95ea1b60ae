package io.augur.ops.anomaly;

import io.augur.schema.LiveBound;
import io.augur.schema.ReactiveContext;
import io.augur.schema.ReactivePoint;
import io.augur.schema.ScoredDatapoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the burst-candidates filter keeps of one series for the reactive lifecycle, so that a quiet series sends the
 * lifecycle nothing (mutable, kept in memory; {@link ReactiveContext} is its state record).
 *
 * <p><b>Context buffer</b>: the series' datapoints (value, band, score) sorted by timestamp, each marked sent or not:
 * every one ahead of the filter's watermark and the newest {@code keep} at or behind it. The lifecycle reads its recent
 * datapoints only at an event time {@code t} at or after an onset candidate, and reads the newest {@code keep} with
 * timestamp at most {@code t}; an onset that reaches the lifecycle is ahead of the filter's watermark when it arrives
 * (a late one is forwarded anyway), so nothing pruned here can be among them.
 *
 * <p><b>Live bounds</b>: per onset candidate, its reference band and a {@code reach}: onset + burst window (its match
 * or the extreme datapoint's confirmation completes by then), extended by every datapoint that persists against the
 * band (an open anomaly goes on while they do) and by later onsets' + burst window (a burst in the flap window merges).
 * The anomaly it can open closes at the latest at reach + quiet + flap window; the bound is live while the watermark
 * is before that. Whatever arrives while any bound is live is forwarded, so every datapoint an open anomaly or a read
 * of the recent datapoints can need reaches the lifecycle: a missing one would be ahead of the watermark and within
 * quiet + flap window of a reach already known, i.e. inside a live bound.
 */
public final class LifecycleContext {
    private static final byte SENT = 1, TIMESTAMP_ONLY = 2;
    /** Doubles per datapoint with values: value, expected, lower, upper, score. */
    private static final int F = 5;
    private static final double[] NO_VALUES = new double[0];
    /** {@link #vbase} while no datapoint has values here. */
    private static final int NONE = Integer.MAX_VALUE;
    // package-private: ReactiveSeriesCodec reads and fills them (the flags and values through the accessors below)
    long[] ts;
    /** Per datapoint: sent, and/or only its timestamp kept. */
    private byte[] flags;
    /**
     * Value, expected value, lower and upper bound and score of the datapoints from index {@link #vbase} on, {@value #F}
     * per datapoint ({@code v[F * (i - vbase)]}): one array for all five, and only for the datapoints that can still be
     * read. Those before {@code vbase} are all bare (sent or stripped: {@link #bare}), and a bare datapoint's values are
     * never read again (a stripped one's read as 0, a sent one is not shipped again, nor stored: {@link ReactiveSeriesCodec}),
     * so they read as 0 here. A settled series keeps about 30 datapoints of which some 15 have values: the values of the
     * others are not kept (they were, as zeros, in one array per field).
     */
    private double[] v = NO_VALUES;
    private int vbase = NONE;
    /** The datapoints are at indexes {@code start .. n-1}; {@code start} is 0 whenever the codec reads the arrays ({@link #compact}). */
    int n;
    /**
     * The first datapoint kept: {@link #prune} drops the oldest by moving it up, and the arrays are moved down
     * ({@link #compact}) only when they are full or read by the codec, not per datapoint. Not stored.
     */
    private int start;
    /** {@link #floor()}. */
    long valuesFloor = Long.MIN_VALUE;
    /**
     * The datapoints before this index are all bare ({@link #bare}: sent or stripped), so {@link #prune} does not look
     * at them again (a lower bound: 0 knows nothing). Not stored.
     */
    private int bareBelow;
    final List<LiveBound> bounds;
    private final boolean legacy;

    public LifecycleContext() {
        this(8, new ArrayList<>(), false);
    }

    LifecycleContext(int capacity, List<LiveBound> bounds, boolean legacy) {
        ts = new long[capacity];
        flags = new byte[capacity];
        this.bounds = bounds;
        this.legacy = legacy;
    }

    /** A series of state restored from before: everything is forwarded as before, nothing kept. */
    public static LifecycleContext legacy() {
        return new LifecycleContext(0, new ArrayList<>(), true);
    }

    public boolean isLegacy() {
        return legacy;
    }

    public static LifecycleContext from(ReactiveContext r) {
        int n = r.getTimestamps().size();
        LifecycleContext c = new LifecycleContext(Math.max(n, r.getLegacy() ? 0 : 8), new ArrayList<>(), r.getLegacy());
        for (int i = 0; i < n; i++) {
            c.ts[i] = r.getTimestamps().get(i);
            c.setFull(i, r.getSent().get(i), r.getValues().get(i), r.getExpected().get(i), r.getLower().get(i), r.getUpper().get(i),
                    r.getScores().get(i));
        }
        c.n = n;
        for (LiveBound b : r.getBounds()) c.bounds.add(LiveBound.newBuilder(b).build());
        return c;
    }

    /** The legacy state record (a sent datapoint's values read as 0 here: they are never read again). */
    public ReactiveContext toRecord() {
        List<Long> t = new ArrayList<>(n);
        List<Double> va = new ArrayList<>(n), e = new ArrayList<>(n), lo = new ArrayList<>(n), up = new ArrayList<>(n), s = new ArrayList<>(n);
        List<Boolean> se = new ArrayList<>(n);
        compact();
        for (int i = 0; i < n; i++) {
            t.add(ts[i]);
            va.add(value(i));
            e.add(expected(i));
            lo.add(lower(i));
            up.add(upper(i));
            s.add(score(i));
            se.add(sent(i));
        }
        List<LiveBound> bs = new ArrayList<>(bounds.size());
        for (LiveBound b : bounds) bs.add(LiveBound.newBuilder(b).build());
        return ReactiveContext.newBuilder().setTimestamps(t).setValues(va).setExpected(e).setLower(lo).setUpper(up).setScores(s)
                .setSent(se).setBounds(bs).setLegacy(legacy).build();
    }

    // ---- the datapoints' fields (the codec's view) -------------------------------------------------------------------

    boolean sent(int i) {
        return (flags[i] & SENT) != 0;
    }

    double value(int i) {
        return i < vbase ? 0 : v[F * (i - vbase)];
    }

    double expected(int i) {
        return i < vbase ? 0 : v[F * (i - vbase) + 1];
    }

    double lower(int i) {
        return i < vbase ? 0 : v[F * (i - vbase) + 2];
    }

    double upper(int i) {
        return i < vbase ? 0 : v[F * (i - vbase) + 3];
    }

    double score(int i) {
        return i < vbase ? 0 : v[F * (i - vbase) + 4];
    }

    /** Datapoint {@code i} (filled by a reader, in index order) keeps only its timestamp: sent, or stripped. */
    void setBare(int i, boolean sent) {
        flags[i] = sent ? SENT : TIMESTAMP_ONLY;
    }

    /** Datapoint {@code i} (filled by a reader, in index order) keeps its value, band and score. */
    void setFull(int i, boolean sent, double value, double expected, double lower, double upper, double score) {
        flags[i] = sent ? SENT : 0;
        if (i < vbase) lowerBase(i);
        int k = F * (i - vbase);
        if (k + F > v.length) v = Arrays.copyOf(v, Math.max(k + F, F * Math.max(4, ts.length - vbase)));
        v[k] = value;
        v[k + 1] = expected;
        v[k + 2] = lower;
        v[k + 3] = upper;
        v[k + 4] = score;
    }

    /** Drops the bounds no longer live at {@code watermark} ({@code tail}: quiet + flap window). */
    public void pruneBounds(long watermark, long tail) {
        if (bounds.isEmpty()) return; // a quiet series: nearly always
        bounds.removeIf(b -> b.getReach() + tail <= watermark);
    }

    /** Whether an anomaly of the series could be open or opening: datapoints go to the lifecycle. */
    public boolean live() {
        return !bounds.isEmpty();
    }

    /** An onset candidate: its own bound, and every live one reaches at least its burst window (a merge). */
    public void addOnset(ScoredDatapoint p, long window) {
        long t = p.getDatapoint().getTimestamp();
        for (LiveBound b : bounds) b.setReach(Math.max(b.getReach(), t + window));
        String unit = p.getDatapoint().getUnit();
        bounds.add(LiveBound.newBuilder().setOnset(t).setExpected(p.getExpected()).setLower(p.getLower()).setUpper(p.getUpper())
                .setDirection(p.getDirection()).setUnit(unit == null ? "" : unit).setChange(Deviation.onsetChange(p.getValue(), p.getExpected()))
                .setReach(t + window).build());
    }

    /** A datapoint that persists against a live bound's band extends its reach (an open anomaly goes on). */
    public void extend(ScoredDatapoint p, double minRelativeChange) {
        if (bounds.isEmpty()) return; // a quiet series: nearly always
        long t = p.getDatapoint().getTimestamp();
        String unit = p.getDatapoint().getUnit();
        for (LiveBound b : bounds) {
            if (t <= b.getReach()) continue;
            if (Deviation.persists(p.getValue(), b.getExpected(), b.getLower(), b.getUpper(), b.getDirection(), unit, minRelativeChange, b.getChange())
                    || Deviation.persists(p.getValue(), b.getExpected(), b.getLower(), b.getUpper(), b.getDirection(), b.getUnit(), minRelativeChange, b.getChange())) {
                b.setReach(t);
            }
        }
    }

    /** Adds a datapoint ahead of the watermark ({@code sent}: forwarded to the lifecycle now). */
    public void add(ScoredDatapoint p, boolean wasSent) {
        long t = p.getDatapoint().getTimestamp();
        if (n == ts.length) { // full: room at the start, else more room
            if (start > 0) compact();
            else grow();
        }
        int i = n;
        while (i > start && ts[i - 1] > t) i--;
        if (i > start && ts[i - 1] == t) { // the same timestamp again (de-duplication lets none through): the later one counts
            set(i - 1, p, wasSent || sent(i - 1));
            return;
        }
        if (i < bareBelow) bareBelow = i;
        if (i < n) shift(i, i + 1, n - i);
        openValues(i);
        n++;
        set(i, p, wasSent);
    }

    private void set(int i, ScoredDatapoint p, boolean wasSent) {
        if (i < bareBelow) bareBelow = i;
        ts[i] = p.getDatapoint().getTimestamp();
        if (wasSent && i < vbase) { // bare: its values are never read
            flags[i] = SENT;
            return;
        }
        setFull(i, wasSent, p.getValue(), p.getExpected(), p.getLower(), p.getUpper(), p.getScore());
    }

    /**
     * Room in the values for a datapoint inserted at {@code i} (the timestamps and flags from {@code i} on have moved up
     * one already; {@link #n} not yet counted): the values from {@code i} on move up one too.
     */
    private void openValues(int i) {
        if (i < vbase) { // the values from vbase on belong to datapoints one index up now; i gets values in set() if it needs them
            if (vbase != NONE) vbase++;
            return;
        }
        if (v.length < F * (n + 1 - vbase)) {
            reclaim();
            if (v.length < F * (n + 1 - vbase)) {
                int rows = v.length / F;
                v = Arrays.copyOf(v, F * Math.max(n + 1 - vbase, rows + Math.max(4, rows >> 2)));
            }
        }
        if (i < n) System.arraycopy(v, F * (i - vbase), v, F * (i - vbase + 1), F * (n - i));
    }

    /** The values start at datapoint {@code i} (before {@link #vbase}, which has values or is {@link #NONE}); those between are bare (0). */
    private void lowerBase(int i) {
        if (vbase == NONE) {
            if (v.length == 0) v = new double[F * Math.max(4, ts.length - i)];
            vbase = i;
            return;
        }
        int up = vbase - i, used = Math.max(0, n - vbase);
        if (v.length < F * (used + up)) {
            int rows = v.length / F;
            v = Arrays.copyOf(v, F * Math.max(used + up, rows + Math.max(4, rows >> 2)));
        }
        System.arraycopy(v, 0, v, F * up, F * used);
        Arrays.fill(v, 0, F * up, 0.0);
        vbase = i;
    }

    /** Drops the values of the bare datapoints at the start (before {@link #bareBelow}, and those pruned): moves the others down. */
    private void reclaim() {
        if (vbase == NONE) return;
        int from = Math.min(n, Math.max(start, bareBelow));
        if (from <= vbase) return;
        System.arraycopy(v, F * (from - vbase), v, 0, F * (n - from));
        vbase = from;
    }

    /** Keeps every datapoint ahead of {@code watermark} and the newest {@code keep} at or behind it. */
    public void prune(long watermark, int keep) {
        prune(watermark, watermark, keep, keep);
    }

    /** As {@link #prune(long, long, int, int)} with the values floor at {@code watermark}. */
    public void prune(long watermark, int keep, int full) {
        prune(watermark, watermark, keep, full);
    }

    /**
     * Keeps every datapoint ahead of {@code watermark} and the newest {@code keep} at or behind it; of those at or behind
     * {@code floorWatermark} (at most {@code watermark}) only the newest {@code full} keep value, band and score, older
     * ones not yet sent only their timestamp (shipped as context with the others 0). When that strips a datapoint, the
     * {@link #floor()} moves up to the newest datapoint at or behind {@code floorWatermark}: the lifecycle handles no
     * datapoint at or behind it, so it never reads a value stripped here (a datapoint it handles is newer; the
     * {@code full} datapoints after the stripped ones, older than the floor, go to the lifecycle with or before any
     * onset newer than the floor, so none of the {@code full} datapoints an anomaly shows before its start is stripped).
     */
    public void prune(long watermark, long floorWatermark, int keep, int full) {
        int behind = n; // sorted by timestamp, and few are ahead of the watermark: count them from the end
        while (behind > start && ts[behind - 1] > watermark) behind--;
        int drop = behind - start - keep;
        if (drop > 0) start += drop; // the arrays move down when full (or read by the codec), not per datapoint
        int behindFloor = behind; // floorWatermark <= watermark: from the end too (one watermark step between them)
        while (behindFloor > start && ts[behindFloor - 1] > floorWatermark) behindFloor--;
        boolean stripped = false;
        int strip = behindFloor - full;
        for (int i = Math.max(bareBelow, start); i < strip; i++) { // those before bareBelow are bare already
            if (bare(i)) continue;
            if (i >= vbase) Arrays.fill(v, F * (i - vbase), F * (i - vbase + 1), 0.0); // read as 0 (shipped as context with the others 0)
            flags[i] = TIMESTAMP_ONLY;
            stripped = true;
        }
        if (strip > bareBelow) bareBelow = strip;
        if (stripped) valuesFloor = Math.max(valuesFloor, ts[behindFloor - 1]);
    }

    /**
     * The newest timestamp at or behind which datapoints of the series lost their values here before they were sent
     * ({@link #prune(long, long, int, int)}); {@link Long#MIN_VALUE}: none. Stamped on every datapoint sent to the
     * lifecycle ({@code ReactivePoint.floor}), which handles none at or behind it.
     */
    public long floor() {
        return valuesFloor;
    }

    /** Whether only the timestamp of datapoint {@code i} is kept (sent, or stripped by {@link #prune(long, int, int)}). */
    boolean bare(int i) {
        return flags[i] != 0;
    }

    /**
     * The datapoints not yet sent, in timestamp order, as context datapoints for the lifecycle; sent from now on.
     */
    public List<ReactivePoint> takeUnsent(String seriesKey) {
        List<ReactivePoint> out = null;
        for (int i = start; i < n; i++) {
            if (sent(i)) continue;
            if (out == null) out = new ArrayList<>();
            out.add(ReactivePoint.newBuilder().setSeriesKey(seriesKey).setTimestamp(ts[i]).setValue(value(i)).setExpected(expected(i))
                    .setLower(lower(i)).setUpper(upper(i)).setScore(score(i)).setExtreme(null).setContext(true).setFloor(valuesFloor).build());
            flags[i] |= SENT;
        }
        return out == null ? List.of() : out;
    }

    public int size() {
        return n - start;
    }

    /**
     * Moves the datapoints to the start of the arrays (indexes {@code 0 .. n-1}): the codec ({@link ReactiveSeriesCodec})
     * reads and fills the arrays from 0.
     */
    void compact() {
        if (start == 0) return;
        reclaim(); // the values from max(start, bareBelow) on: vbase >= start afterwards
        shift(start, 0, n - start);
        n -= start;
        bareBelow = Math.max(0, bareBelow - start);
        if (vbase != NONE) vbase -= start;
        start = 0;
    }

    public List<LiveBound> bounds() {
        return bounds;
    }

    /**
     * Room for one more datapoint: a quarter more (at least 4), not double: a series' context settles at its
     * {@code keep} datapoints plus those ahead of the watermark, and the columns are kept per series in memory.
     */
    private void grow() {
        int c = Math.max(8, ts.length + Math.max(4, ts.length >> 2));
        ts = Arrays.copyOf(ts, c);
        flags = Arrays.copyOf(flags, c);
    }

    /** Moves timestamps and flags (the values move with {@link #openValues}, {@link #reclaim}, {@link #compact}). */
    private void shift(int from, int to, int len) {
        System.arraycopy(ts, from, ts, to, len);
        System.arraycopy(flags, from, flags, to, len);
    }
}
