package io.augur.ops.anomaly;

import io.augur.schema.HeldIdentity;
import io.augur.schema.HeldPoints;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The burst-candidates filter's held datapoints of one series, compact (mutable, kept in memory; {@link HeldPoints} is
 * its state record): parallel primitive arrays in arrival order holding every field a thin datapoint keeps
 * ({@link #thin}), the strings of which (series key, statistic, namespace, metric name, unit: the same for nearly every
 * datapoint of a series) kept once per distinct combination and named per datapoint by index. {@link #point} rebuilds
 * exactly the thin datapoint that was added.
 */
public final class HeldDatapoints {
    private static final Resource NO_RESOURCE = new Resource("", "", "");

    /** The strings of a thin datapoint (compared by value). */
    record Identity(String seriesKey, String stat, String namespace, String metricName, String unit) {
    }

    // package-private: ReactiveSeriesCodec reads and fills them
    final List<Identity> identities = new ArrayList<>(1);
    int[] identity;
    long[] ts;
    double[] values, scores, expected, lower, upper, min, max, sum, count;
    int[] directions;
    boolean[] warm, anomalous;
    int n;
    /**
     * The cleanup timer the burst-candidates filter last registered for this series through this object (not stored:
     * an object read back from state has none, and the filter registers again).
     */
    private long cleanupTimer = Long.MIN_VALUE;
    /**
     * Whether the burst-candidates filter knows that the series has no onset candidates in its keyed state (not stored:
     * an object read back from state knows nothing, and the filter reads the state again). Only the filter writes that
     * state, and it keeps this in step with every write; the state's TTL is refreshed by writes only, so skipping a read
     * of an absent row changes nothing.
     */
    private boolean noOnsets;

    public HeldDatapoints() {
        this(4);
    }

    HeldDatapoints(int capacity) {
        identity = new int[capacity];
        ts = new long[capacity];
        values = new double[capacity];
        scores = new double[capacity];
        expected = new double[capacity];
        lower = new double[capacity];
        upper = new double[capacity];
        min = new double[capacity];
        max = new double[capacity];
        sum = new double[capacity];
        count = new double[capacity];
        directions = new int[capacity];
        warm = new boolean[capacity];
        anomalous = new boolean[capacity];
    }

    /**
     * What a held datapoint keeps: everything CEP and the lifecycle read of a datapoint that is not an onset candidate
     * (it can only confirm a burst: its value, score, band, timestamp, unit; and what the onset condition reads, which it
     * failed), without the series' identity (account, region, dimensions, resource), which only the onset's datapoint
     * gives an anomaly.
     */
    public static ScoredDatapoint thin(ScoredDatapoint p) {
        MetricDatapoint d = p.getDatapoint();
        return thin(p.getSeriesKey(), p.getStat(), p.getValue(), p.getScore(), p.getDirection(), p.getExpected(), p.getLower(), p.getUpper(),
                p.getWarm(), p.getAnomalous(), d.getNamespace(), d.getMetricName(), d.getTimestamp(), d.getMin(), d.getMax(), d.getSum(),
                d.getCount(), d.getUnit());
    }

    private static ScoredDatapoint thin(String seriesKey, String stat, double value, double score, int direction, double expected,
                                        double lower, double upper, boolean warm, boolean anomalous, String namespace, String metricName,
                                        long timestamp, double min, double max, double sum, double count, String unit) {
        MetricDatapoint t = new MetricDatapoint("", "", "", namespace, metricName, Map.of(), timestamp, min, max, sum, count, Map.of(), unit,
                NO_RESOURCE, null);
        return new ScoredDatapoint(seriesKey, stat, value, score, direction, expected, lower, upper, warm, anomalous, t);
    }

    /** Appends {@code p} (whole or thin: the same fields are kept). */
    public void add(ScoredDatapoint p) {
        MetricDatapoint d = p.getDatapoint();
        if (n == ts.length) grow(Math.max(4, n + Math.max(4, n >> 2))); // a quarter more, not double: kept per series in memory
        identity[n] = identityOf(p.getSeriesKey(), p.getStat(), d.getNamespace(), d.getMetricName(), d.getUnit());
        ts[n] = d.getTimestamp();
        values[n] = p.getValue();
        scores[n] = p.getScore();
        expected[n] = p.getExpected();
        lower[n] = p.getLower();
        upper[n] = p.getUpper();
        min[n] = d.getMin();
        max[n] = d.getMax();
        sum[n] = d.getSum();
        count[n] = d.getCount();
        directions[n] = p.getDirection();
        warm[n] = p.getWarm();
        anomalous[n] = p.getAnomalous();
        n++;
    }

    /** The index of the identity with these strings (compared by value, as {@link Identity#equals}), added when new. */
    private int identityOf(String seriesKey, String stat, String namespace, String metricName, String unit) {
        for (int i = 0; i < identities.size(); i++) {
            Identity x = identities.get(i);
            if (Objects.equals(x.seriesKey(), seriesKey) && Objects.equals(x.stat(), stat) && Objects.equals(x.namespace(), namespace)
                    && Objects.equals(x.metricName(), metricName) && Objects.equals(x.unit(), unit)) return i;
        }
        identities.add(new Identity(seriesKey, stat, namespace, metricName, unit));
        return identities.size() - 1;
    }

    public int size() {
        return n;
    }

    /** The event time of the cleanup timer last registered for these datapoints ({@link Long#MIN_VALUE}: none known). */
    public long cleanupTimer() {
        return cleanupTimer;
    }

    public void cleanupTimer(long time) {
        cleanupTimer = time;
    }

    public boolean isEmpty() {
        return n == 0;
    }

    /** Whether the series' onset candidates are known to be none ({@link #noOnsets(boolean)}). */
    public boolean noOnsets() {
        return noOnsets;
    }

    /** {@code true}: the series' keyed state holds no onset candidates (read or cleared just now); {@code false}: unknown. */
    public void noOnsets(boolean known) {
        noOnsets = known;
    }

    public long timestamp(int i) {
        return ts[i];
    }

    /** The thin datapoint added {@code i}-th of those held (arrival order), rebuilt. */
    public ScoredDatapoint point(int i) {
        Identity x = identities.get(identity[i]);
        return thin(x.seriesKey, x.stat, values[i], scores[i], directions[i], expected[i], lower[i], upper[i], warm[i], anomalous[i],
                x.namespace, x.metricName, ts[i], min[i], max[i], sum[i], count[i], x.unit);
    }

    /** Keeps the datapoints {@code keep} marks (indexes {@code 0..size()-1}), in their order. */
    public void retain(boolean[] keep) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!keep[i]) continue;
            if (k != i) move(i, k);
            k++;
        }
        n = k;
        if (n == 0) identities.clear();
    }

    /** Drops the datapoints at or behind {@code watermark}; whether any was dropped. */
    public boolean retainAfter(long watermark) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (ts[i] <= watermark) continue;
            if (k != i) move(i, k);
            k++;
        }
        if (k == n) return false;
        n = k;
        if (n == 0) identities.clear();
        return true;
    }

    /** Puts {@code older} (held before every datapoint here, in arrival order) in front. */
    public void prepend(Iterable<ScoredDatapoint> older) {
        HeldDatapoints all = new HeldDatapoints(Math.max(4, n));
        for (ScoredDatapoint p : older) all.add(p);
        if (all.n == 0) return;
        for (int i = 0; i < n; i++) all.add(point(i));
        copyFrom(all);
    }

    public static HeldDatapoints from(HeldPoints r) {
        int size = r.getTimestamps().size();
        HeldDatapoints h = new HeldDatapoints(Math.max(4, size));
        for (HeldIdentity x : r.getIdentities())
            h.identities.add(new Identity(x.getSeriesKey(), x.getStat(), x.getNamespace(), x.getMetricName(), x.getUnit()));
        for (int i = 0; i < size; i++) {
            h.identity[i] = r.getIdentity().get(i);
            h.ts[i] = r.getTimestamps().get(i);
            h.values[i] = r.getValues().get(i);
            h.scores[i] = r.getScores().get(i);
            h.directions[i] = r.getDirections().get(i);
            h.expected[i] = r.getExpected().get(i);
            h.lower[i] = r.getLower().get(i);
            h.upper[i] = r.getUpper().get(i);
            h.warm[i] = r.getWarm().get(i);
            h.anomalous[i] = r.getAnomalous().get(i);
            h.min[i] = r.getMin().get(i);
            h.max[i] = r.getMax().get(i);
            h.sum[i] = r.getSum().get(i);
            h.count[i] = r.getCount().get(i);
        }
        h.n = size;
        return h;
    }

    /**
     * The identities some datapoint names, in order of first use, added to {@code used}; returns each identity's index
     * among them by its index here (-1: named by none). The stored forms keep only these.
     */
    int[] renumberIdentities(List<Identity> used) {
        int[] renumber = new int[identities.size()];
        Arrays.fill(renumber, -1);
        for (int i = 0; i < n; i++) {
            int old = identity[i];
            if (renumber[old] < 0) {
                renumber[old] = used.size();
                used.add(identities.get(old));
            }
        }
        return renumber;
    }

    /** The state record: only the identities some datapoint names, renumbered in order of first use. */
    public HeldPoints toRecord() {
        List<Identity> used = new ArrayList<>(identities.size());
        int[] renumber = renumberIdentities(used);
        List<HeldIdentity> ids = new ArrayList<>(used.size());
        for (Identity x : used) ids.add(new HeldIdentity(x.seriesKey, x.stat, x.namespace, x.metricName, x.unit));
        List<Integer> id = new ArrayList<>(n);
        List<Long> t = new ArrayList<>(n);
        List<Double> v = new ArrayList<>(n), s = new ArrayList<>(n), e = new ArrayList<>(n), lo = new ArrayList<>(n), up = new ArrayList<>(n),
                mi = new ArrayList<>(n), ma = new ArrayList<>(n), su = new ArrayList<>(n), co = new ArrayList<>(n);
        List<Integer> di = new ArrayList<>(n);
        List<Boolean> wa = new ArrayList<>(n), an = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            id.add(renumber[identity[i]]);
            t.add(ts[i]);
            v.add(values[i]);
            s.add(scores[i]);
            di.add(directions[i]);
            e.add(expected[i]);
            lo.add(lower[i]);
            up.add(upper[i]);
            wa.add(warm[i]);
            an.add(anomalous[i]);
            mi.add(min[i]);
            ma.add(max[i]);
            su.add(sum[i]);
            co.add(count[i]);
        }
        return HeldPoints.newBuilder().setIdentities(ids).setIdentity(id).setTimestamps(t).setValues(v).setScores(s).setDirections(di)
                .setExpected(e).setLower(lo).setUpper(up).setWarm(wa).setAnomalous(an).setMin(mi).setMax(ma).setSum(su).setCount(co).build();
    }

    private void copyFrom(HeldDatapoints o) {
        identities.clear();
        identities.addAll(o.identities);
        identity = o.identity;
        ts = o.ts;
        values = o.values;
        scores = o.scores;
        expected = o.expected;
        lower = o.lower;
        upper = o.upper;
        min = o.min;
        max = o.max;
        sum = o.sum;
        count = o.count;
        directions = o.directions;
        warm = o.warm;
        anomalous = o.anomalous;
        n = o.n;
    }

    private void move(int from, int to) {
        identity[to] = identity[from];
        ts[to] = ts[from];
        values[to] = values[from];
        scores[to] = scores[from];
        expected[to] = expected[from];
        lower[to] = lower[from];
        upper[to] = upper[from];
        min[to] = min[from];
        max[to] = max[from];
        sum[to] = sum[from];
        count[to] = count[from];
        directions[to] = directions[from];
        warm[to] = warm[from];
        anomalous[to] = anomalous[from];
    }

    private void grow(int c) {
        identity = Arrays.copyOf(identity, c);
        ts = Arrays.copyOf(ts, c);
        values = Arrays.copyOf(values, c);
        scores = Arrays.copyOf(scores, c);
        expected = Arrays.copyOf(expected, c);
        lower = Arrays.copyOf(lower, c);
        upper = Arrays.copyOf(upper, c);
        min = Arrays.copyOf(min, c);
        max = Arrays.copyOf(max, c);
        sum = Arrays.copyOf(sum, c);
        count = Arrays.copyOf(count, c);
        directions = Arrays.copyOf(directions, c);
        warm = Arrays.copyOf(warm, c);
        anomalous = Arrays.copyOf(anomalous, c);
    }
}
