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
    // package-private: ReactiveSeriesCodec reads and fills them
    long[] ts;
    double[] values, expected, lower, upper, scores;
    boolean[] sent, timestampOnly;
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
        values = new double[capacity];
        expected = new double[capacity];
        lower = new double[capacity];
        upper = new double[capacity];
        scores = new double[capacity];
        sent = new boolean[capacity];
        timestampOnly = new boolean[capacity];
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
            c.values[i] = r.getValues().get(i);
            c.expected[i] = r.getExpected().get(i);
            c.lower[i] = r.getLower().get(i);
            c.upper[i] = r.getUpper().get(i);
            c.scores[i] = r.getScores().get(i);
            c.sent[i] = r.getSent().get(i);
        }
        c.n = n;
        for (LiveBound b : r.getBounds()) c.bounds.add(LiveBound.newBuilder(b).build());
        return c;
    }

    public ReactiveContext toRecord() {
        List<Long> t = new ArrayList<>(n);
        List<Double> v = new ArrayList<>(n), e = new ArrayList<>(n), lo = new ArrayList<>(n), up = new ArrayList<>(n), s = new ArrayList<>(n);
        List<Boolean> se = new ArrayList<>(n);
        compact();
        for (int i = 0; i < n; i++) {
            t.add(ts[i]);
            v.add(values[i]);
            e.add(expected[i]);
            lo.add(lower[i]);
            up.add(upper[i]);
            s.add(scores[i]);
            se.add(sent[i]);
        }
        List<LiveBound> bs = new ArrayList<>(bounds.size());
        for (LiveBound b : bounds) bs.add(LiveBound.newBuilder(b).build());
        return ReactiveContext.newBuilder().setTimestamps(t).setValues(v).setExpected(e).setLower(lo).setUpper(up).setScores(s)
                .setSent(se).setBounds(bs).setLegacy(legacy).build();
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
            set(i - 1, p, wasSent || sent[i - 1]);
            return;
        }
        if (i < bareBelow) bareBelow = i;
        if (i < n) shift(i, i + 1, n - i);
        n++;
        set(i, p, wasSent);
    }

    private void set(int i, ScoredDatapoint p, boolean wasSent) {
        if (i < bareBelow) bareBelow = i;
        ts[i] = p.getDatapoint().getTimestamp();
        values[i] = p.getValue();
        expected[i] = p.getExpected();
        lower[i] = p.getLower();
        upper[i] = p.getUpper();
        scores[i] = p.getScore();
        sent[i] = wasSent;
        timestampOnly[i] = false;
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
            values[i] = expected[i] = lower[i] = upper[i] = scores[i] = 0;
            timestampOnly[i] = true;
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
        return sent[i] || timestampOnly[i];
    }

    /**
     * The datapoints not yet sent, in timestamp order, as context datapoints for the lifecycle; sent from now on.
     */
    public List<ReactivePoint> takeUnsent(String seriesKey) {
        List<ReactivePoint> out = null;
        for (int i = start; i < n; i++) {
            if (sent[i]) continue;
            if (out == null) out = new ArrayList<>();
            out.add(ReactivePoint.newBuilder().setSeriesKey(seriesKey).setTimestamp(ts[i]).setValue(values[i]).setExpected(expected[i])
                    .setLower(lower[i]).setUpper(upper[i]).setScore(scores[i]).setExtreme(null).setContext(true).setFloor(valuesFloor).build());
            sent[i] = true;
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
        shift(start, 0, n - start);
        n -= start;
        bareBelow = Math.max(0, bareBelow - start);
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
        values = Arrays.copyOf(values, c);
        expected = Arrays.copyOf(expected, c);
        lower = Arrays.copyOf(lower, c);
        upper = Arrays.copyOf(upper, c);
        scores = Arrays.copyOf(scores, c);
        sent = Arrays.copyOf(sent, c);
        timestampOnly = Arrays.copyOf(timestampOnly, c);
    }

    private void shift(int from, int to, int len) {
        System.arraycopy(ts, from, ts, to, len);
        System.arraycopy(values, from, values, to, len);
        System.arraycopy(expected, from, expected, to, len);
        System.arraycopy(lower, from, lower, to, len);
        System.arraycopy(upper, from, upper, to, len);
        System.arraycopy(scores, from, scores, to, len);
        System.arraycopy(sent, from, sent, to, len);
        System.arraycopy(timestampOnly, from, timestampOnly, to, len);
    }
}
