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
 * its state record): primitive arrays in arrival order, one per kind of field, holding every field a thin datapoint keeps
 * ({@link #thin}), the strings of which (series key, statistic, namespace, metric name, unit: the same for nearly every
 * datapoint of a series) kept once per distinct combination and named per datapoint by index. {@link #point} rebuilds
 * exactly the thin datapoint that was added.
 */
public final class HeldDatapoints {
    private static final Resource NO_RESOURCE = new Resource("", "", "");

    /** The strings of a thin datapoint (compared by value). */
    record Identity(String seriesKey, String stat, String namespace, String metricName, String unit) {
    }

    // package-private: ReactiveSeriesCodec reads and fills them (through the accessors below)
    final List<Identity> identities = new ArrayList<>(1);
    /**
     * One row per datapoint, one array per kind of field (not per field: every array costs its header, and the held
     * datapoints of every cached series are in memory): the timestamps; {@value #D} doubles per datapoint ({@link #VALUE}
     * .. {@link #COUNT}); the identity index; a flag byte (warm, anomalous, direction -1/0/+1, or "other", whose int is
     * then in {@link #otherDirections}, made only for such a datapoint).
     */
    long[] ts;
    private double[] d;
    private int[] identity;
    private byte[] flags;
    private int[] otherDirections;
    int n;
    private static final int D = 9;
    private static final int VALUE = 0, SCORE = 1, EXPECTED = 2, LOWER = 3, UPPER = 4, MIN = 5, MAX = 6, SUM = 7, COUNT = 8;
    private static final int WARM = 1, ANOMALOUS = 2, DIR_SHIFT = 2, DIR_MASK = 3 << DIR_SHIFT, DIR_OTHER = 3;
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
        ts = new long[capacity];
        d = new double[capacity * D];
        identity = new int[capacity];
        flags = new byte[capacity];
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
        MetricDatapoint m = p.getDatapoint();
        if (n == ts.length) grow(Math.max(4, n + Math.max(4, n >> 2))); // a quarter more, not double: kept per series in memory
        set(n, m.getTimestamp(), p.getDirection(), p.getWarm(), p.getAnomalous(),
                identityOf(p.getSeriesKey(), p.getStat(), m.getNamespace(), m.getMetricName(), m.getUnit()));
        setBand(n, p.getValue(), p.getExpected(), p.getLower(), p.getUpper(), p.getScore());
        setStats(n, m.getMin(), m.getMax(), m.getSum(), m.getCount());
        n++;
    }

    /** Datapoint {@code i}'s timestamp, direction, warm and anomalous flags and identity index. */
    void set(int i, long timestamp, int direction, boolean warm, boolean anomalous, int identityIndex) {
        ts[i] = timestamp;
        int dir = direction == 0 ? 0 : direction == 1 ? 1 : direction == -1 ? 2 : DIR_OTHER;
        flags[i] = (byte) ((warm ? WARM : 0) | (anomalous ? ANOMALOUS : 0) | dir << DIR_SHIFT);
        if (dir == DIR_OTHER) {
            if (otherDirections == null || otherDirections.length < ts.length) otherDirections = Arrays.copyOf(otherDirections == null ? new int[0] : otherDirections, ts.length);
            otherDirections[i] = direction;
        }
        identity[i] = identityIndex;
    }

    /** Datapoint {@code i}'s value, band and score. */
    void setBand(int i, double value, double expected, double lower, double upper, double score) {
        int k = i * D;
        d[k + VALUE] = value;
        d[k + EXPECTED] = expected;
        d[k + LOWER] = lower;
        d[k + UPPER] = upper;
        d[k + SCORE] = score;
    }

    /** Datapoint {@code i}'s statistics. */
    void setStats(int i, double min, double max, double sum, double count) {
        int k = i * D;
        d[k + MIN] = min;
        d[k + MAX] = max;
        d[k + SUM] = sum;
        d[k + COUNT] = count;
    }

    double value(int i) {
        return d[i * D + VALUE];
    }

    double score(int i) {
        return d[i * D + SCORE];
    }

    double expected(int i) {
        return d[i * D + EXPECTED];
    }

    double lower(int i) {
        return d[i * D + LOWER];
    }

    double upper(int i) {
        return d[i * D + UPPER];
    }

    double min(int i) {
        return d[i * D + MIN];
    }

    double max(int i) {
        return d[i * D + MAX];
    }

    double sum(int i) {
        return d[i * D + SUM];
    }

    double count(int i) {
        return d[i * D + COUNT];
    }

    int direction(int i) {
        int dir = (flags[i] & DIR_MASK) >> DIR_SHIFT;
        return dir == 0 ? 0 : dir == 1 ? 1 : dir == 2 ? -1 : otherDirections[i];
    }

    boolean warm(int i) {
        return (flags[i] & WARM) != 0;
    }

    boolean anomalous(int i) {
        return (flags[i] & ANOMALOUS) != 0;
    }

    int identity(int i) {
        return identity[i];
    }

    /** The index of the identity with these strings (compared by value, as {@link Identity#equals}), added when new. */
    private int identityOf(String seriesKey, String stat, String namespace, String metricName, String unit) {
        for (int i = 0; i < identities.size(); i++) {
            Identity x = identities.get(i);
            if (Objects.equals(x.seriesKey(), seriesKey) && Objects.equals(x.stat(), stat) && Objects.equals(x.namespace(), namespace)
                    && Objects.equals(x.metricName(), metricName) && Objects.equals(x.unit(), unit)) return i;
        }
        // the namespace, metric name and unit of a decoded datapoint are new strings: canonical ones are shared by every
        // series of the metric (the JVM's string table holds them weakly); the series key is the state key's own object
        identities.add(new Identity(seriesKey, canonical(stat), canonical(namespace), canonical(metricName), canonical(unit)));
        return identities.size() - 1;
    }

    private static String canonical(String s) {
        return s == null ? null : s.intern();
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
        return thin(x.seriesKey, x.stat, value(i), score(i), direction(i), expected(i), lower(i), upper(i), warm(i), anomalous(i),
                x.namespace, x.metricName, ts[i], min(i), max(i), sum(i), count(i), x.unit);
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
        if (n == 0 && identities.size() > 1) identities.clear(); // the one identity of a series stays for its next datapoints
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
        if (n == 0 && identities.size() > 1) identities.clear(); // the one identity of a series stays for its next datapoints
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
            h.set(i, r.getTimestamps().get(i), r.getDirections().get(i), r.getWarm().get(i), r.getAnomalous().get(i), r.getIdentity().get(i));
            h.setBand(i, r.getValues().get(i), r.getExpected().get(i), r.getLower().get(i), r.getUpper().get(i), r.getScores().get(i));
            h.setStats(i, r.getMin().get(i), r.getMax().get(i), r.getSum().get(i), r.getCount().get(i));
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
            v.add(value(i));
            s.add(score(i));
            di.add(direction(i));
            e.add(expected(i));
            lo.add(lower(i));
            up.add(upper(i));
            wa.add(warm(i));
            an.add(anomalous(i));
            mi.add(min(i));
            ma.add(max(i));
            su.add(sum(i));
            co.add(count(i));
        }
        return HeldPoints.newBuilder().setIdentities(ids).setIdentity(id).setTimestamps(t).setValues(v).setScores(s).setDirections(di)
                .setExpected(e).setLower(lo).setUpper(up).setWarm(wa).setAnomalous(an).setMin(mi).setMax(ma).setSum(su).setCount(co).build();
    }

    private void copyFrom(HeldDatapoints o) {
        identities.clear();
        identities.addAll(o.identities);
        ts = o.ts;
        d = o.d;
        identity = o.identity;
        flags = o.flags;
        otherDirections = o.otherDirections;
        n = o.n;
    }

    private void move(int from, int to) {
        ts[to] = ts[from];
        System.arraycopy(d, from * D, d, to * D, D);
        identity[to] = identity[from];
        flags[to] = flags[from];
        if (otherDirections != null) otherDirections[to] = otherDirections[from];
    }

    private void grow(int c) {
        ts = Arrays.copyOf(ts, c);
        d = Arrays.copyOf(d, c * D);
        identity = Arrays.copyOf(identity, c);
        flags = Arrays.copyOf(flags, c);
        if (otherDirections != null) otherDirections = Arrays.copyOf(otherDirections, c);
    }
}
