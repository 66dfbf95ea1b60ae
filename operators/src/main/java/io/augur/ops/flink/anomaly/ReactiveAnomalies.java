package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.Anomalies;
import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.Deviation;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.StateTtl;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.BurstMatch;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.MetricValue;
import io.augur.schema.PendingPoint;
import io.augur.schema.ReactivePoint;
import io.augur.schema.ScoredDatapoint;
import io.augur.schema.SeriesAnomalyState;
import io.augur.schema.Severity;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lifecycle of reactive anomalies, per series: CEP's burst matches (input 2) open them, the series' datapoints
 * (input 1) keep them going and give them their context, event-time timers close them. Both inputs are applied in
 * event-time order (held until the watermark passes them).
 * <ul>
 *   <li><b>Open</b> (revision 0, ONGOING) on a burst match, or on an extreme datapoint of a metric where a short burst is
 *       enough (severity catalog {@code single}) and a later datapoint within the burst window that still deviates from its
 *       band (two datapoints: a one-datapoint spike that resolves by itself opens nothing); not during a maintenance window of the resource.</li>
 *   <li><b>Going on</b> while datapoints keep deviating from the onset's reference band (keeping half of the onset's
 *       deviation); a revision only when the
 *       severity goes up (the deviation reaches {@code escalateChange} times the expected value).</li>
 *   <li><b>Ending</b> after {@code quiet} without a deviating datapoint (also when the series stops reporting: the
 *       timer runs on the watermark); EndTime is the end of the last deviating datapoint's period.</li>
 *   <li><b>Closed</b> (CLOSED revision with EndTime and CloseTime) when no new burst came within {@code flapWindow}
 *       after that; a burst within it merges into the same anomaly (flapping suppression).</li>
 * </ul>
 * After the close the anomaly's state and timer are gone; only the recent datapoints of the series stay (with TTL).
 *
 * <p>A quiet series' datapoints do not come here ({@link BurstCandidates#LIFECYCLE_POINTS}): the candidates filter
 * holds them back and ships them as context datapoints when an onset makes the series live; one at or behind the
 * watermark joins the recent datapoints at once, one ahead of it is handled as any datapoint. A series that never had
 * an onset candidate keeps no state here.
 */
public class ReactiveAnomalies extends KeyedCoProcessFunction<String, ReactivePoint, BurstMatch, Anomaly> {
    public static final String STATE_NAME = "reactive-anomaly";
    /** A quiet series' ordinary datapoints join its recent ones once per this much event time (the end of the bucket). */
    static final long QUIET_FLUSH_MS = 10 * 60_000;
    private static final long DEFAULT_PERIOD_MS = 60_000;

    private final AnomalySettings settings;
    private final SeverityCatalog severities;
    private final MaintenanceWindows maintenance;
    private transient ValueState<SeriesAnomalyState> state;
    /**
     * Datapoints waiting for the watermark, compact ({@link PendingPoint}: value, band and score; the whole datapoint only
     * when it is extreme), appended without a read (a RocksDB merge) and read once per timer.
     */
    private transient ListState<PendingPoint> pending;
    /** Before compact pending datapoints: whole scored datapoints by timestamp. Only read, for state restored from then. */
    private transient MapState<Long, List<ScoredDatapoint>> points;
    /** Burst matches waiting for the watermark, in arrival order (few: one value read per timer, no MapState iteration). */
    private transient ValueState<List<BurstMatch>> matches;
    /**
     * Whether each datapoint of the series needs its own timer ({@link #needsOwnTimers}); false while the series is
     * quiet; absent when unknown (a new series, state restored from before: then derived from the anomaly state once).
     * A quiet series' ordinary datapoints only join its recent datapoints, which does not depend on the order they join in: they wait for one coarse timer per {@link #QUIET_FLUSH_MS} of event time
     * instead of one timer (a read and a write of the whole state) each.
     */
    private transient ValueState<Boolean> active;
    private transient IoCounters counters;

    public ReactiveAnomalies(AnomalySettings settings, SeverityCatalog severities, MaintenanceWindows maintenance) {
        this.settings = settings;
        this.severities = severities;
        this.maintenance = maintenance;
    }

    public static ValueStateDescriptor<SeriesAnomalyState> descriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(SeriesAnomalyState.class)), s.stateTtl());
    }

    /** Datapoints waiting for the watermark, compact, in arrival order. */
    public static ListStateDescriptor<PendingPoint> pendingDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ListStateDescriptor<>("pending-values", new AvroTypeInfo<>(PendingPoint.class)), s.stateTtl());
    }

    /** Before compact pending datapoints: whole datapoints waiting for the watermark, by timestamp (read for old state). */
    public static MapStateDescriptor<Long, List<ScoredDatapoint>> pointsDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("pending-points", Types.LONG,
                new ListTypeInfo<>(new AvroTypeInfo<>(ScoredDatapoint.class))), s.stateTtl());
    }

    /** Burst matches waiting for the watermark. */
    public static ValueStateDescriptor<List<BurstMatch>> burstsDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>("pending-bursts",
                new ListTypeInfo<>(new AvroTypeInfo<>(BurstMatch.class))), s.stateTtl());
    }

    /** Whether the series' datapoints need their own timers ({@link #needsOwnTimers}). */
    public static ValueStateDescriptor<Boolean> activeDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>("reactive-active", Types.BOOLEAN), s.stateTtl());
    }

    /** Every keyed state of the operator (for savepoint tools: {@code augur state}). */
    public static List<StateDescriptor<?, ?>> stateDescriptors(AnomalySettings s) {
        return List.of(descriptor(s), pendingDescriptor(s), pointsDescriptor(s), burstsDescriptor(s), activeDescriptor(s));
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(descriptor(settings));
        points = getRuntimeContext().getMapState(pointsDescriptor(settings));
        pending = getRuntimeContext().getListState(pendingDescriptor(settings));
        matches = getRuntimeContext().getState(burstsDescriptor(settings));
        active = getRuntimeContext().getState(activeDescriptor(settings));
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement1(ReactivePoint p, Context ctx, Collector<Anomaly> out) throws Exception {
        long ts = p.getTimestamp();
        // at or behind the floor the filter stamped (ReactivePoint.floor) counts as late too: it may have kept only the
        // timestamps of datapoints there, and the lifecycle must not handle a datapoint whose values or context it lacks
        if (ts <= ctx.timerService().currentWatermark() || ts <= p.getFloor()) {
            // a context datapoint (held back by the candidates filter while the series was quiet) joins the recent ones:
            // its own timer would have done nothing else (no anomaly could be open or confirming at its time)
            if (p.getContext()) {
                SeriesAnomalyState st = current(state.value());
                Anomalies.insert(st.getRecent(), value(compact(p)), settings.contextPoints());
                state.update(st);
            }
            return; // late: CEP's side output counts it
        }
        PendingPoint c = compact(p);
        pending.add(c);
        // an extreme datapoint can open an anomaly by itself; with an anomaly open or a match pending every datapoint counts
        if (c.getExtreme() != null || isActive(ctx.timerService())) ctx.timerService().registerEventTimeTimer(ts);
        else ctx.timerService().registerEventTimeTimer(quietFlush(ts));
    }

    /** The end of the flush bucket a quiet series' datapoint at {@code ts} waits for. */
    static long quietFlush(long ts) {
        return Math.floorDiv(ts, QUIET_FLUSH_MS) * QUIET_FLUSH_MS + QUIET_FLUSH_MS;
    }

    private boolean isActive(TimerService timers) throws Exception {
        Boolean a = active.value();
        if (a != null) return a;
        // unknown (a new series, or state from before the flag): from the anomaly state, once
        List<BurstMatch> ms = matches.value();
        boolean now = needsOwnTimers(state.value(), ms != null && !ms.isEmpty());
        setActive(now, false, timers, timers.currentWatermark());
        return now;
    }

    /**
     * Records whether the series is active; when it becomes active, the datapoints still pending get their own timers
     * (they may have arrived while it was quiet), so each is applied at its own event time from now on.
     */
    private void setActive(boolean now, boolean was, TimerService timers, long after) throws Exception {
        active.update(now);
        if (now && !was) {
            // in a timer at `after`, timers between it and the watermark still fire in this watermark advance, in order
            Iterable<PendingPoint> all = pending.get();
            if (all != null) for (PendingPoint p : all) if (p.getTimestamp() > after) timers.registerEventTimeTimer(p.getTimestamp());
        }
    }

    /**
     * Whether a series' datapoints each need their own timer: an anomaly open, a burst match still pending, or an
     * extreme datapoint waiting for the one that confirms it (which must be applied at its own time, not at the next
     * quiet flush).
     */
    private static boolean needsOwnTimers(SeriesAnomalyState st, boolean matchesPending) {
        return (st != null && (st.getOpen() != null || st.getExtremeCandidate() != null)) || matchesPending;
    }

    /** Records whether the series is active after a timer ({@link #needsOwnTimers}). */
    private void afterTimer(SeriesAnomalyState st, boolean matchesPending, TimerService timers, long t) throws Exception {
        boolean now = needsOwnTimers(st, matchesPending);
        Boolean was = active.value();
        if (was == null || was != now) setActive(now, was != null && was, timers, t);
    }

    @Override
    public void processElement2(BurstMatch m, Context ctx, Collector<Anomaly> out) throws Exception {
        long ts = completed(m);
        List<BurstMatch> pending = matches.value();
        pending = pending == null ? new ArrayList<>() : new ArrayList<>(pending);
        pending.add(m);
        matches.update(pending);
        ctx.timerService().registerEventTimeTimer(Math.max(ts, ctx.timerService().currentWatermark() + 1));
        if (!Boolean.TRUE.equals(active.value())) setActive(true, false, ctx.timerService(), ctx.timerService().currentWatermark());
    }

    /**
     * Everything happens in event-time order, when the watermark (the minimum of both inputs') passes: the burst
     * matches completed at {@code t}, then the datapoints at {@code t}, then the anomaly's own timer. So the result does
     * not depend on how far CEP's output lags behind the datapoints (in a fast replay or a catch-up, minutes of them).
     */
    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        // one read and one write of the series' state per timer (RocksDB: each is a JNI call and an Avro round trip)
        List<PendingPoint> ps = pendingAt(t);
        boolean[] matchesLeft = new boolean[1];
        List<BurstMatch> due = pendingAtOrBefore(matches, t, matchesLeft);
        SeriesAnomalyState stored = state.value();
        if (ps == null && due.isEmpty()) {
            if (stored != null && stored.getOpen() != null && stored.getTimer() == t) {
                anomalyTimer(stored, t, ctx, out);
                afterTimer(stored, matchesLeft[0], ctx.timerService(), t);
            }
            return;
        }
        SeriesAnomalyState st = current(stored);
        int at = 0;
        if (ps != null) {
            // datapoints before t waited for a coarse timer while the series was quiet (nothing else of the series happened
            // in between, or they would have got their own timers): applied as their own timers would have, per timestamp
            while (at < ps.size() && ps.get(at).getTimestamp() < t) {
                int end = at;
                while (end < ps.size() && ps.get(end).getTimestamp() == ps.get(at).getTimestamp()) end++;
                for (int k = at; k < end; k++) Anomalies.insert(st.getRecent(), value(ps.get(k)), settings.contextPoints());
                for (int k = at; k < end; k++) handlePoint(st, ps.get(k), ctx, out);
                at = end;
            }
            // the datapoints at t are context of a match completed at t: into the recent ones first
            for (int k = at; k < ps.size(); k++) Anomalies.insert(st.getRecent(), value(ps.get(k)), settings.contextPoints());
        }
        for (BurstMatch m : due) handleMatch(st, m, ctx, out);
        if (ps != null) for (int k = at; k < ps.size(); k++) handlePoint(st, ps.get(k), ctx, out);
        if (st.getOpen() != null && st.getTimer() == t) anomalyTimer(st, t, ctx, out); // writes the state
        else state.update(st);
        afterTimer(st, matchesLeft[0], ctx.timerService(), t);
    }

    /**
     * The datapoints at {@code t} (null if none), in arrival order, taken out of the pending ones. Datapoints are
     * pending from their arrival (ahead of the watermark) until their own timer, so none is older than {@code t}.
     * Without compact ones at {@code t}, whole datapoints kept by an earlier version are looked up.
     */
    private List<PendingPoint> pendingAt(long t) throws Exception {
        Iterable<PendingPoint> all = pending.get();
        List<PendingPoint> at = null, rest = null;
        if (all != null) {
            for (PendingPoint p : all) {
                if (p.getTimestamp() <= t) {
                    if (at == null) at = new ArrayList<>(2);
                    at.add(p);
                } else {
                    if (rest == null) rest = new ArrayList<>();
                    rest.add(p);
                }
            }
        }
        if (at != null) {
            if (rest == null) pending.clear();
            else pending.update(rest);
            if (at.size() > 1) at.sort(java.util.Comparator.comparingLong(PendingPoint::getTimestamp)); // stable
            return at;
        }
        List<ScoredDatapoint> legacy = points.get(t);
        if (legacy == null) return null;
        points.remove(t);
        List<PendingPoint> converted = new ArrayList<>(legacy.size());
        for (ScoredDatapoint p : legacy) converted.add(compact(point(p, settings, severities)));
        return converted;
    }

    /**
     * What the lifecycle gets of a scored datapoint (its first input): the series key, value, band and score, and the
     * whole datapoint only when it is extreme (see {@link BurstCandidates#LIFECYCLE_POINTS}).
     */
    public static ReactivePoint point(ScoredDatapoint p, AnomalySettings s, SeverityCatalog severities) {
        return ReactivePoint.newBuilder().setSeriesKey(p.getSeriesKey()).setTimestamp(p.getDatapoint().getTimestamp()).setValue(p.getValue())
                .setExpected(p.getExpected()).setLower(p.getLower()).setUpper(p.getUpper()).setScore(p.getScore())
                .setExtreme(isExtreme(p, s, severities) ? p : null).build();
    }

    /** What the lifecycle keeps of a datapoint until the watermark passes it. */
    private static PendingPoint compact(ReactivePoint p) {
        return PendingPoint.newBuilder().setTimestamp(p.getTimestamp()).setValue(p.getValue())
                .setExpected(p.getExpected()).setLower(p.getLower()).setUpper(p.getUpper()).setScore(p.getScore())
                .setExtreme(p.getExtreme()).build();
    }

    private static MetricValue value(PendingPoint p) {
        return MetricValue.newBuilder().setTimestamp(p.getTimestamp()).setValue(p.getValue())
                .setExpected(p.getExpected()).setLower(p.getLower()).setUpper(p.getUpper()).build();
    }

    private static long completed(BurstMatch m) {
        return m.getPoints().get(m.getPoints().size() - 1).getDatapoint().getTimestamp();
    }

    /** The pending matches completed at or before {@code t}, by completion time (arrival order within one time). */
    private static List<BurstMatch> pendingAtOrBefore(ValueState<List<BurstMatch>> pending, long t, boolean[] left) throws Exception {
        List<BurstMatch> all = pending.value();
        if (all == null) return List.of();
        List<BurstMatch> due = new ArrayList<>(), rest = new ArrayList<>();
        for (BurstMatch m : all) (completed(m) <= t ? due : rest).add(m);
        left[0] = !rest.isEmpty();
        if (due.isEmpty()) return due;
        due.sort(java.util.Comparator.comparingLong(ReactiveAnomalies::completed)); // stable
        if (rest.isEmpty()) pending.clear();
        else pending.update(rest);
        return due;
    }

    private void handlePoint(SeriesAnomalyState st, PendingPoint p, Context ctx, Collector<Anomaly> out) {
        long ts = p.getTimestamp();
        MetricValue v = value(p);
        Anomalies.insert(st.getRecent(), v, settings.contextPoints());
        Anomaly open = st.getOpen();
        if (open != null && !st.getEnding()) {
            if (ts <= st.getLastDeviating() + settings.quiet().toMillis()) {
                // the anomaly's datapoints run to the end of its quiet period (not further: the same in any arrival order)
                List<MetricValue> dps = new ArrayList<>(open.getDatapoints());
                Anomalies.insert(dps, v, Integer.MAX_VALUE);
                open.setDatapoints(Anomalies.bounded(dps, open.getStartTime(), settings.preContextPoints(), settings.contextPoints()));
            }
            if (ts >= open.getStartTime() && deviates(st, open, p.getValue(), open.getUnit())) {
                open.setPeakScore(Math.max(open.getPeakScore(), p.getScore()));
                st.setLastDeviating(Math.max(st.getLastDeviating(), ts));
                st.setPeakChange(Math.max(st.getPeakChange(), change(st, p.getValue(), open.getUnit())));
                schedule(st, ctx, st.getLastDeviating() + settings.quiet().toMillis());
                Severity sev = severity(open, st);
                if (sev.ordinal() > open.getSeverity().ordinal()) {
                    Anomaly r = Anomalies.revise(open, ts).setSeverity(sev).build();
                    st.setOpen(r);
                    out.collect(upTo(r, ts));
                    counters.inc("anomaly.revised.reactive", 1);
                }
            }
        } else {
            // an extreme datapoint opens (or extends an ending) anomaly with a later datapoint within the burst window
            // that still deviates from the extreme one's band (two of them, not four: intermittent throttling counts);
            // a one-datapoint spike that resolves by itself opens none
            ScoredDatapoint candidate = st.getExtremeCandidate();
            if (candidate != null && ts - candidate.getDatapoint().getTimestamp() > settings.burstWindow().toMillis()) {
                candidate = null;
                st.setExtremeCandidate(null);
            }
            if (candidate != null) {
                ScoredDatapoint next = confirmation(candidate, p);
                if (ReactivePattern.deviatesFrom(candidate, next, settings.minRelativeChange())) {
                    st.setExtremeCandidate(null);
                    if (open != null) merge(st, List.of(candidate, next), ctx);
                    else open(st, List.of(candidate, next), ctx, out);
                    return;
                }
            } else if (p.getExtreme() != null) {
                st.setExtremeCandidate(p.getExtreme());
            }
        }
    }

    /** The datapoint {@code p} as a scored datapoint of {@code candidate}'s series (what {@link #open} reads of it). */
    private static ScoredDatapoint confirmation(ScoredDatapoint candidate, PendingPoint p) {
        return ScoredDatapoint.newBuilder(candidate).setValue(p.getValue()).setExpected(p.getExpected()).setLower(p.getLower())
                .setUpper(p.getUpper()).setScore(p.getScore()).setAnomalous(false)
                .setDatapoint(MetricDatapoint.newBuilder(candidate.getDatapoint()).setTimestamp(p.getTimestamp()).build()).build();
    }

    private void handleMatch(SeriesAnomalyState st, BurstMatch m, Context ctx, Collector<Anomaly> out) {
        Anomaly open = st.getOpen();
        if (open == null) {
            open(st, m.getPoints(), ctx, out);
        } else if (st.getEnding()) {
            merge(st, m.getPoints(), ctx);
        } else {
            // a further burst of an open anomaly: it goes on
            for (ScoredDatapoint p : m.getPoints()) {
                if (p.getDatapoint().getTimestamp() >= open.getStartTime() && deviates(st, open, p.getValue(), open.getUnit())) {
                    st.setLastDeviating(Math.max(st.getLastDeviating(), p.getDatapoint().getTimestamp()));
                }
            }
            schedule(st, ctx, st.getLastDeviating() + settings.quiet().toMillis());
        }
    }

    private void anomalyTimer(SeriesAnomalyState st, long t, Context ctx, Collector<Anomaly> out) throws Exception {
        if (!st.getEnding() && settings.flapWindow().toMillis() > 0) {
            st.setEnding(true);
            st.setTimer(0L);
            schedule(st, ctx, t + settings.flapWindow().toMillis());
            state.update(st);
            return;
        }
        Anomaly open = st.getOpen();
        long end = st.getLastDeviating() + periodMs(st.getRecent());
        Anomaly closed = Anomalies.revise(open, t).setStatus(AnomalyStatus.CLOSED).setEndTime(end).setCloseTime(t).build();
        out.collect(closed);
        counters.inc("anomaly.closed.reactive", 1);
        clearEpisode(st);
        state.update(st);
    }

    private static SeriesAnomalyState current(SeriesAnomalyState st) {
        if (st == null) {
            st = SeriesAnomalyState.newBuilder().setRecent(new ArrayList<>()).build();
        } else {
            st.setRecent(new ArrayList<>(st.getRecent()));
        }
        return st;
    }

    private void open(SeriesAnomalyState st, List<ScoredDatapoint> points, Context ctx, Collector<Anomaly> out) {
        ScoredDatapoint onset = points.get(0), last = points.get(points.size() - 1);
        MetricDatapoint dp = onset.getDatapoint();
        long start = dp.getTimestamp(), at = last.getDatapoint().getTimestamp();
        if (maintenance.covers(dp.getResource().getArn(), at)) {
            counters.inc("anomaly.suppressed.maintenance", 1);
            return;
        }
        st.setExtremeCandidate(null);
        st.setRefExpected(onset.getExpected());
        st.setRefLower(onset.getLower());
        st.setRefUpper(onset.getUpper());
        st.setRefChange(ReactivePattern.onsetChange(onset));
        st.setEnding(false);
        double peakScore = 0, peakChange = 0;
        long lastDeviating = start;
        for (ScoredDatapoint p : points) {
            peakScore = Math.max(peakScore, p.getScore());
            peakChange = Math.max(peakChange, change(st, p.getValue(), dp.getUnit()));
            lastDeviating = Math.max(lastDeviating, p.getDatapoint().getTimestamp());
        }
        // datapoints that arrived before CEP released the match (it waits for the watermark) and still deviate
        for (MetricValue v : st.getRecent()) {
            if (v.getTimestamp() > at && Deviation.persists(v.getValue(), st.getRefExpected(), st.getRefLower(), st.getRefUpper(),
                    onset.getDirection(), dp.getUnit(), settings.minRelativeChange(), st.getRefChange())) {
                lastDeviating = Math.max(lastDeviating, v.getTimestamp());
            }
        }
        st.setLastDeviating(lastDeviating);
        st.setPeakChange(peakChange);
        long periodMs = periodMs(st.getRecent());
        Anomaly a = Anomalies.open(onset.getSeriesKey(), dp, onset.getStat(), AnomalyKind.REACTIVE, start, at, (int) Math.max(1, periodMs / 1000))
                .setSeverity(Severity.LOW)
                .setDirection(onset.getDirection())
                .setPeakScore(peakScore)
                .setDatapoints(Anomalies.bounded(st.getRecent(), start, settings.preContextPoints(), settings.contextPoints()))
                .setName(Anomalies.reactiveName(dp, onset.getDirection()))
                .setDescription(Anomalies.reactiveDescription(dp, onset.getStat(), onset.getDirection(), onset.getValue(),
                        onset.getExpected(), onset.getLower(), onset.getUpper(), start))
                .build();
        a.setSeverity(severity(a, st));
        st.setOpen(a);
        st.setTimer(0L);
        schedule(st, ctx, lastDeviating + settings.quiet().toMillis());
        // the state keeps the datapoints that already arrived; the revision shows those up to its own time
        out.collect(upTo(a, at));
        counters.inc("anomaly.opened.reactive", 1);
    }

    /** A burst within the flap window of an ended anomaly: it goes on (no close, no new anomaly). */
    private void merge(SeriesAnomalyState st, List<ScoredDatapoint> points, Context ctx) {
        Anomaly open = st.getOpen();
        for (ScoredDatapoint p : points) {
            st.setLastDeviating(Math.max(st.getLastDeviating(), p.getDatapoint().getTimestamp()));
            open.setPeakScore(Math.max(open.getPeakScore(), p.getScore()));
        }
        st.setEnding(false);
        cancel(st, ctx);
        schedule(st, ctx, st.getLastDeviating() + settings.quiet().toMillis());
        counters.inc("anomaly.merged.flapping", 1);
    }

    private static boolean isExtreme(ScoredDatapoint p, AnomalySettings settings, SeverityCatalog severities) {
        MetricDatapoint dp = p.getDatapoint();
        return p.getScore() >= settings.extremeScore() && ReactivePattern.isOnset(p, settings.minRelativeChange(), severities)
                && severities.lookup(dp.getNamespace(), dp.getMetricName()).single();
    }

    private boolean deviates(SeriesAnomalyState st, Anomaly open, double value, String unit) {
        return Deviation.persists(value, st.getRefExpected(), st.getRefLower(), st.getRefUpper(), open.getDirection(), unit,
                settings.minRelativeChange(), st.getRefChange());
    }

    private static double change(SeriesAnomalyState st, double value, String unit) {
        return Deviation.relativeChange(value, st.getRefExpected(), st.getRefLower(), st.getRefUpper(), unit);
    }

    /** The catalog's severity, one level up once the deviation reached {@code escalateChange} times the expected value. */
    private Severity severity(Anomaly a, SeriesAnomalyState st) {
        Severity base = severities.lookup(a.getNamespace(), a.getMetricName()).severity();
        return st.getPeakChange() >= settings.escalateChange() ? Anomalies.up(base) : base;
    }

    /** Moves the anomaly's timer to {@code at} (never earlier than a pending one of the same phase). */
    private static void schedule(SeriesAnomalyState st, Context ctx, long at) {
        long current = st.getTimer();
        if (current == at) return;
        if (current != 0) {
            if (current > at) return;
            ctx.timerService().deleteEventTimeTimer(current);
        }
        ctx.timerService().registerEventTimeTimer(at);
        st.setTimer(at);
    }

    /** A copy of a revision with the datapoints up to {@code time}: what was known at its event time. */
    private static Anomaly upTo(Anomaly a, long time) {
        List<MetricValue> dps = new ArrayList<>();
        for (MetricValue v : a.getDatapoints()) if (v.getTimestamp() <= time) dps.add(v);
        return Anomaly.newBuilder(a).setDatapoints(dps).build();
    }

    private static void cancel(SeriesAnomalyState st, Context ctx) {
        if (st.getTimer() != 0) ctx.timerService().deleteEventTimeTimer(st.getTimer());
        st.setTimer(0L);
    }

    private static void clearEpisode(SeriesAnomalyState st) {
        st.setOpen(null);
        st.setEnding(false);
        st.setTimer(0L);
        st.setLastDeviating(0L);
        st.setPeakChange(0.0);
        st.setRefExpected(0.0);
        st.setRefLower(0.0);
        st.setRefUpper(0.0);
        st.setRefChange(0.0);
    }

    /** The series' sampling period: the median gap between its recent datapoints (a minute when unknown). */
    static long periodMs(List<MetricValue> recent) {
        if (recent.size() < 3) return DEFAULT_PERIOD_MS;
        long[] gaps = new long[recent.size() - 1];
        int n = 0;
        for (int i = 1; i < recent.size(); i++) {
            long g = recent.get(i).getTimestamp() - recent.get(i - 1).getTimestamp();
            if (g > 0) gaps[n++] = g;
        }
        if (n == 0) return DEFAULT_PERIOD_MS;
        Arrays.sort(gaps, 0, n);
        return gaps[n / 2];
    }
}
