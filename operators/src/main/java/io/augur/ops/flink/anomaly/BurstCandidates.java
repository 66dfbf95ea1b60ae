package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.HeldDatapoints;
import io.augur.ops.anomaly.LifecycleContext;
import io.augur.ops.anomaly.ReactiveSeriesCodec;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.RecentValues;
import io.augur.ops.flink.StateTtl;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.HeldPoints;
import io.augur.schema.ReactiveContext;
import io.augur.schema.ReactivePoint;
import io.augur.schema.ReactiveSeries;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;

/**
 * A keyed pre-filter in front of the reactive CEP pattern, per series: only datapoints that can take part in a burst
 * reach CEP, which keeps every element it gets in keyed state until the watermark (on RocksDB, a put, a get, a delete and
 * an iterator seek per datapoint). CEP's matches are the same as over all datapoints:
 * <ul>
 *   <li>a datapoint at or behind the watermark goes to {@link ReactivePattern#LATE_POINTS}, as CEP itself would send it;</li>
 *   <li>an onset candidate ({@link ReactivePattern#isOnset}) passes, and so does a datapoint within {@code burstWindow}
 *       at or after a known onset candidate (only those can confirm one: relaxed contiguity skips the others, and CEP's
 *       window pruning runs on the watermark, not on elements);</li>
 *   <li>any other datapoint is held until the watermark passes it: an onset candidate that arrives later (out of order)
 *       and covers it releases it first (in arrival order, before the onset, so CEP sees datapoints of one timestamp
 *       in their original order), with its own timestamp.</li>
 * </ul>
 * Held datapoints are kept thin ({@link HeldDatapoints#thin}: without the series' identity, which a datapoint that can only confirm a
 * burst does not need) and compact ({@link HeldDatapoints}: primitive arrays in arrival order, the series' strings once),
 * in memory ({@link RecentValues}, together with the series' lifecycle context: one entry per series) and written with
 * it to ONE keyed state row {@code reactive-series} before each snapshot ({@link ReactiveSeriesCodec}: each datapoint
 * once); onset candidates and coarse cleanup timers (one per {@code burstWindow} of event time) read them there. The
 * states that held them before are only read: rows restored from older state ({@code reactive-context} and
 * {@code burst-held-points}: {@link #legacySeries}; the list state {@code burst-held}: {@link #legacyHeld}, in front, as
 * they arrived first) are converted the first time their series is touched.
 *
 * <p><b>The lifecycle's input</b> ({@link #LIFECYCLE_POINTS}): a quiet series sends the reactive lifecycle nothing.
 * Per series a {@link LifecycleContext} (kept in memory with the held datapoints and written with them before each
 * snapshot) holds the series' recent datapoints and the live bounds of its onset candidates; a
 * datapoint is forwarded while a bound is live (an anomaly could be open or opening), and when an onset makes the
 * series live the datapoints held back go first, marked as context. Late datapoints are forwarded as before. State
 * restored from before this ({@link #legacyRestore}: no marker in the operator state) has no context for any series
 * while the lifecycle may hold open anomalies: series without one are then forwarded as before, for good.
 */
public class BurstCandidates extends KeyedProcessFunction<String, ScoredDatapoint, ScoredDatapoint>
        implements WriteBackOperator.WritesBack, CheckpointedFunction {
    /**
     * The scored datapoints the reactive lifecycle needs (late ones included: the lifecycle judges lateness by its own
     * watermark), as it gets them ({@link ReactiveAnomalies#point}): compact, so the whole datapoint is not serialized to
     * it, and no further copy of it in the chain behind the scoring operator. A quiet series' datapoints are held back
     * ({@link LifecycleContext}) and shipped as context ({@code ReactivePoint.context}) only when an onset makes it live.
     */
    public static final OutputTag<ReactivePoint> LIFECYCLE_POINTS = new OutputTag<>("lifecycle-points", new AvroTypeInfo<>(ReactivePoint.class));
    private final AnomalySettings settings;
    private final SeverityCatalog catalog;
    private transient ValueState<List<Long>> onsets;
    /** Held datapoints of state from before {@link HeldDatapoints}: drained, never written. */
    private transient ListState<ScoredDatapoint> held;
    /** Held datapoints of state from before {@link ReactiveSeries}: converted, never written. */
    private transient ValueState<HeldPoints> heldPoints;
    /** Operator state: written by every snapshot; its absence in restored state means held rows may be in {@link #held}. */
    private transient ListState<Boolean> heldMarker;
    /** Restored from state that may hold rows in the list state {@code burst-held} (or from a job that was). */
    private transient boolean legacyHeld;
    /** Series per task whose context is kept in memory, for the constructors without a capacity (the job's {@code anomaly.recent-contexts} is {@code auto} by default). */
    public static final int DEFAULT_RECENT_CONTEXTS = 50_000;
    private final CacheCapacity recentContexts;
    /** Of the context datapoints at or behind the watermark, how many keep value, band and score ({@link LifecycleContext#prune(long, int, int)}). */
    private final int contextFullPoints;
    /** Lifecycle contexts of state from before {@link ReactiveSeries}: converted, never written. */
    private transient ValueState<ReactiveContext> context;
    /** The series' context and held datapoints, one row ({@code reactive-series}). */
    private transient ValueState<ReactiveSeries> seriesState;
    private transient RecentValues<ReactiveSeriesCodec.Series> series;
    /** Operator state: written by every snapshot; its absence in restored state means rows may be in the older two states. */
    private transient ListState<Boolean> seriesMarker;
    /** Restored from state that may hold rows in {@code reactive-context} / {@code burst-held-points} (or from a job that was). */
    private transient boolean legacySeries;
    private transient IoCounters counters;
    /** The watermark this subtask saw last, and the one before it (the values floor: {@link #previousWatermark}). */
    private transient long lastWatermark, previousWatermark;
    /** Operator state: written by every snapshot; its absence in restored state means state from before contexts. */
    private transient ListState<Boolean> marker;
    /** Restored from state without contexts (or from a job that was): series without a context are forwarded as before. */
    private transient boolean legacyRestore;

    /** The lifecycle context of the series ({@link LifecycleContext}; cleared by TTL). */
    public static ValueStateDescriptor<ReactiveContext> contextDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>("reactive-context", new AvroTypeInfo<>(ReactiveContext.class)), s.stateTtl());
    }

    /** The operator-state marker (union list: every subtask sees every value after rescaling): true = contexts known. */
    public static ListStateDescriptor<Boolean> markerDescriptor() {
        return new ListStateDescriptor<>("reactive-context-marker", Types.BOOLEAN);
    }

    /** Onset candidates' timestamps of the series (newest burst windows). */
    public static ValueStateDescriptor<List<Long>> onsetsDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>("burst-onsets", new ListTypeInfo<>(Types.LONG)), s.stateTtl());
    }

    /** Datapoints held until the watermark passes them (cleared by the operator's timers: no TTL). */
    public static ListStateDescriptor<ScoredDatapoint> heldDescriptor() {
        return new ListStateDescriptor<>("burst-held", new AvroTypeInfo<>(ScoredDatapoint.class));
    }

    /** Datapoints held until the watermark passes them, compact (cleared by the operator's timers when empty: no TTL). */
    public static ValueStateDescriptor<HeldPoints> heldPointsDescriptor() {
        return new ValueStateDescriptor<>("burst-held-points", new AvroTypeInfo<>(HeldPoints.class));
    }

    /** The operator-state marker of the compact held datapoints (union list): true = nothing left in {@code burst-held}. */
    public static ListStateDescriptor<Boolean> heldMarkerDescriptor() {
        return new ListStateDescriptor<>("burst-held-marker", Types.BOOLEAN);
    }

    /**
     * The series' reactive state in one row: its lifecycle context and its held datapoints, each datapoint once
     * ({@link ReactiveSeriesCodec}; cleared by TTL, as the context was: the held datapoints are emptied by the timers).
     */
    public static ValueStateDescriptor<ReactiveSeries> seriesDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>("reactive-series", new AvroTypeInfo<>(ReactiveSeries.class)), s.stateTtl());
    }

    /** The operator-state marker of {@code reactive-series} (union list): true = nothing left in the two states before it. */
    public static ListStateDescriptor<Boolean> seriesMarkerDescriptor() {
        return new ListStateDescriptor<>("reactive-series-marker", Types.BOOLEAN);
    }

    /** Every keyed state of the operator (for savepoint tools: {@code augur state}). */
    public static List<StateDescriptor<?, ?>> stateDescriptors(AnomalySettings s) {
        return List.of(onsetsDescriptor(s), heldDescriptor(), contextDescriptor(s), heldPointsDescriptor(), seriesDescriptor(s));
    }

    public BurstCandidates(AnomalySettings settings, SeverityCatalog catalog) {
        this(settings, catalog, DEFAULT_RECENT_CONTEXTS);
    }

    /** {@code recentContexts}: series per task whose lifecycle context is kept in memory ({@link RecentValues}). */
    public BurstCandidates(AnomalySettings settings, SeverityCatalog catalog, int recentContexts) {
        this(settings, catalog, recentContexts, 0);
    }

    /**
     * {@code contextFullPoints} ({@code anomaly.context-full-points}): of the context datapoints at or behind the
     * filter's previous watermark step ({@link #previousWatermark}), how many keep their value, band and score; older ones
     * not yet sent keep only their timestamp (0 or at least {@code contextPoints}: all; below
     * {@code preContextPoints}: that many). The lifecycle reads value and band of the {@code preContextPoints} datapoints
     * before an anomaly's start, of the datapoints it handles, and the timestamps of the others. Exact for any number
     * from {@code preContextPoints} up: every datapoint sent to the lifecycle carries the series' values floor
     * ({@link LifecycleContext#floor()}), and the lifecycle handles none at or behind it (treats it as late), so it never
     * reads a stripped value; the floor is behind the filter's previous watermark step, so a lifecycle whose watermark
     * trails the filter's by at most one step handles exactly what it handled with every value kept.
     */
    public BurstCandidates(AnomalySettings settings, SeverityCatalog catalog, int recentContexts, int contextFullPoints) {
        this(settings, catalog, CacheCapacity.of(recentContexts), contextFullPoints);
    }

    /** {@code recentContexts}: a fixed number or a share of the slot's heap ({@code anomaly.recent-contexts}). */
    public BurstCandidates(AnomalySettings settings, SeverityCatalog catalog, CacheCapacity recentContexts, int contextFullPoints) {
        this.settings = settings;
        this.catalog = catalog;
        this.recentContexts = recentContexts;
        this.contextFullPoints = contextFullPoints <= 0 ? settings.contextPoints()
                : Math.max(settings.preContextPoints(), Math.min(contextFullPoints, settings.contextPoints()));
    }

    @Override
    public void initializeState(FunctionInitializationContext c) throws Exception {
        marker = c.getOperatorStateStore().getUnionListState(markerDescriptor());
        legacyRestore = c.isRestored() && !allTrue(marker);
        heldMarker = c.getOperatorStateStore().getUnionListState(heldMarkerDescriptor());
        legacyHeld = c.isRestored() && !allTrue(heldMarker);
        seriesMarker = c.getOperatorStateStore().getUnionListState(seriesMarkerDescriptor());
        legacySeries = c.isRestored() && !allTrue(seriesMarker);
    }

    /**
     * Whether a restored union-list marker says every subtask of the job it came from was past the change: present
     * (a job from before wrote none) and never false (a subtask that was itself restored from before writes false).
     */
    private static boolean allTrue(ListState<Boolean> marker) throws Exception {
        boolean any = false;
        for (Boolean b : marker.get()) {
            if (!b) return false;
            any = true;
        }
        return any;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext c) throws Exception {
        marker.update(List.of(!legacyRestore));
        heldMarker.update(List.of(!legacyHeld));
        seriesMarker.update(List.of(!legacySeries));
    }

    @Override
    public void close() throws Exception {
        if (series != null) series.close(); // gives its place in the thread's key slots back
        super.close();
    }

    @Override
    public List<RecentValues<?>> recentValues() {
        return List.of(series);
    }

    private void storeSeries(String key, ReactiveSeriesCodec.Series s) throws Exception {
        seriesState.update(ReactiveSeriesCodec.write(key, s.context(), s.held()));
    }

    /**
     * The reactive state of the current series: from memory, else from the keyed state {@code reactive-series}; for
     * state restored from before it, converted from the rows of {@code reactive-context} and {@code burst-held-points}
     * (and, older still, the list state {@code burst-held}, in front: those arrived first), which are then cleared.
     */
    private ReactiveSeriesCodec.Series series(String key, long now) throws Exception {
        ReactiveSeriesCodec.Series s = series.get(key, now);
        if (s != null) return s;
        ReactiveSeries stored = seriesState.value();
        if (stored != null) {
            s = ReactiveSeriesCodec.read(key, stored);
            series.put(key, s, now, false); // as the state holds it
            return s;
        }
        boolean converted = false;
        LifecycleContext c = null;
        HeldDatapoints h = null;
        if (legacySeries) {
            ReactiveContext oldContext = context.value();
            if (oldContext != null) {
                c = LifecycleContext.from(oldContext);
                context.clear();
                converted = true;
            }
            HeldPoints oldHeld = heldPoints.value();
            if (oldHeld != null) {
                h = HeldDatapoints.from(oldHeld);
                heldPoints.clear();
                converted = true;
            }
        }
        if (c == null) c = legacyRestore ? LifecycleContext.legacy() : new LifecycleContext();
        if (h == null) h = new HeldDatapoints();
        if (legacyHeld) {
            Iterable<ScoredDatapoint> rows = held.get();
            if (rows != null && rows.iterator().hasNext()) {
                h.prepend(rows);
                held.clear();
                converted = true;
            }
        }
        s = new ReactiveSeriesCodec.Series(c, h);
        if (converted) series.write(key, s, now);
        else series.put(key, s, now, false); // nothing stored yet: written with its first change
        return s;
    }

    @Override
    public void open(Configuration parameters) {
        onsets = getRuntimeContext().getState(onsetsDescriptor(settings));
        held = getRuntimeContext().getListState(heldDescriptor());
        heldPoints = getRuntimeContext().getState(heldPointsDescriptor());
        context = getRuntimeContext().getState(contextDescriptor(settings));
        seriesState = getRuntimeContext().getState(seriesDescriptor(settings));
        series = RecentValues.open(getRuntimeContext(), "reactiveContexts", recentContexts, settings.stateTtl().toMillis(), this::storeSeries);
        counters = new IoCounters(getRuntimeContext());
        lastWatermark = previousWatermark = Long.MIN_VALUE;
    }

    /**
     * The watermark before the current one (as far as this subtask saw it: at least one step back): datapoints of the
     * context keep their values ahead of it ({@link LifecycleContext#prune(long, long, int, int)}), so a lifecycle whose
     * watermark trails this filter's by at most one step handles every datapoint exactly as with all values kept.
     */
    private long previousWatermark(long watermark) {
        if (watermark != lastWatermark) {
            previousWatermark = lastWatermark;
            lastWatermark = watermark;
        }
        return previousWatermark;
    }

    @Override
    public void processElement(ScoredDatapoint p, Context ctx, Collector<ScoredDatapoint> out) throws Exception {
        long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        boolean onset = ReactivePattern.isOnset(p, settings.minRelativeChange(), catalog);
        String key = ctx.getCurrentKey();
        long now = System.currentTimeMillis(); // the state TTL's clock
        ReactiveSeriesCodec.Series s = series(key, now);
        toLifecycle(s.context(), key, p, ts, watermark, onset, ctx);
        toCep(s.held(), p, ts, watermark, onset, ctx, out);
        series.write(key, s, now); // once per datapoint: the context changed
    }

    /** What CEP gets of {@code p}: late, passed (an onset first releases the held datapoints it covers), or held. */
    private void toCep(HeldDatapoints h, ScoredDatapoint p, long ts, long watermark, boolean onset, Context ctx, Collector<ScoredDatapoint> out)
            throws Exception {
        if (ts <= watermark) {
            ctx.output(ReactivePattern.LATE_POINTS, p);
            return;
        }
        long window = settings.burstWindow().toMillis();
        List<Long> known = onsets(h);
        if (onset) {
            release(h, ts, window, watermark, out);
            List<Long> next = stillOpen(known, window, watermark);
            next.add(ts);
            onsets.update(next);
            h.noOnsets(false);
            emit(out, p, ts);
            return;
        }
        if (known != null) {
            for (Long o : known) {
                if (o <= ts && ts <= o + window) {
                    emit(out, p, ts);
                    return;
                }
            }
        }
        h.add(p); // what thin(p) keeps
        long cleanup = cleanupTime(ts, window);
        // Registered by this series' in-memory state already: that timer has not fired (it fires once the watermark
        // passes the bucket's end, and then no datapoint of the bucket is ahead of the watermark any more, so none of it
        // gets here). The registration would only find the timer in the timer queue (a hash lookup per datapoint).
        if (h.cleanupTimer() == cleanup) return;
        ctx.timerService().registerEventTimeTimer(cleanup);
        h.cleanupTimer(cleanup);
    }

    /**
     * Sends the lifecycle what it needs of {@code p} ({@link LifecycleContext}): forwarded when late or while a bound of
     * the series is live, after the datapoints held back (as context); otherwise held back.
     */
    private void toLifecycle(LifecycleContext c, String key, ScoredDatapoint p, long ts, long watermark, boolean onset, Context ctx) {
        if (c.isLegacy()) {
            ctx.output(LIFECYCLE_POINTS, ReactiveAnomalies.point(p, settings, catalog));
            counters.inc("anomaly.lifecycle.forwarded", 1);
            return;
        }
        long window = settings.burstWindow().toMillis();
        c.prune(watermark, previousWatermark(watermark), settings.contextPoints(), contextFullPoints);
        c.pruneBounds(watermark, settings.quiet().toMillis() + settings.flapWindow().toMillis());
        if (onset) c.addOnset(p, window);
        c.extend(p, settings.minRelativeChange());
        boolean late = ts <= watermark;
        boolean forward = late || c.live();
        if (c.live()) {
            List<ReactivePoint> shipped = c.takeUnsent(key);
            for (ReactivePoint x : shipped) ctx.output(LIFECYCLE_POINTS, x);
            counters.inc("anomaly.lifecycle.context", shipped.size());
        }
        if (forward) {
            ReactivePoint x = ReactiveAnomalies.point(p, settings, catalog);
            if (c.floor() != Long.MIN_VALUE) x.setFloor(c.floor());
            ctx.output(LIFECYCLE_POINTS, x);
        }
        counters.inc(forward ? "anomaly.lifecycle.forwarded" : "anomaly.lifecycle.heldBack", 1);
        if (!late) c.add(p, forward);
    }

    /** Held datapoints the onset at {@code onset} covers go to CEP now (arrival order); the others stay. */
    private static void release(HeldDatapoints h, long onset, long window, long watermark, Collector<ScoredDatapoint> out) {
        boolean changed = h.retainAfter(watermark);
        int n = h.size();
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) {
            long t = h.timestamp(i);
            if (onset <= t && t <= onset + window) {
                emit(out, h.point(i), t);
                changed = true;
            } else {
                keep[i] = true;
            }
        }
        if (changed) h.retain(keep);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<ScoredDatapoint> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        String key = ctx.getCurrentKey();
        long now = System.currentTimeMillis();
        ReactiveSeriesCodec.Series s = series(key, now);
        if (s.held().retainAfter(watermark)) series.write(key, s, now);
        List<Long> known = onsets(s.held());
        if (known != null) {
            List<Long> next = stillOpen(known, settings.burstWindow().toMillis(), watermark);
            if (next.isEmpty()) {
                onsets.clear();
                s.held().noOnsets(true);
            } else if (next.size() != known.size()) {
                onsets.update(next);
            }
        }
    }

    /**
     * The series' onset candidates ({@code burst-onsets}; null: none). Most series have none: once a read found none
     * (or the timer cleared them), the series' in-memory object says so ({@link HeldDatapoints#noOnsets()}) and the
     * state is not read again (on RocksDB a point read per datapoint) until an onset is written.
     */
    private List<Long> onsets(HeldDatapoints h) throws Exception {
        if (h.noOnsets()) return null;
        List<Long> known = onsets.value();
        if (known == null) h.noOnsets(true);
        return known;
    }

    /** The onset candidates whose burst window the watermark has not passed. */
    private static List<Long> stillOpen(List<Long> onsets, long window, long watermark) {
        List<Long> next = new ArrayList<>();
        if (onsets != null) for (Long o : onsets) if (o + window > watermark) next.add(o);
        return next;
    }

    /** Cleanup runs once per window of event time: the end of the window bucket the datapoint is in. */
    static long cleanupTime(long ts, long window) {
        return Math.floorDiv(ts, window) * window + window;
    }

    /** Emits with the datapoint's own timestamp (CEP orders by it; a released one would otherwise get the onset's). */
    private static void emit(Collector<ScoredDatapoint> out, ScoredDatapoint p, long ts) {
        if (out instanceof TimestampedCollector) ((TimestampedCollector<ScoredDatapoint>) out).setAbsoluteTimestamp(ts);
        out.collect(p);
    }
}
