package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.LifecycleContext;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.RecentValues;
import io.augur.ops.flink.StateTtl;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ReactiveContext;
import io.augur.schema.ReactivePoint;
import io.augur.schema.Resource;
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
import java.util.Map;

/**
 * TEST ONLY: {@link BurstCandidates} as it was before its held datapoints went compact ({@code HeldDatapoints}), frozen:
 * it holds them in the list state {@code burst-held}, one thin datapoint a row. Tests restore its state (the state of
 * savepoints taken before) into the current operator; the state names and the operator state are the same.
 */
public class LegacyBurstCandidates extends KeyedProcessFunction<String, ScoredDatapoint, ScoredDatapoint>
        implements WriteBackOperator.WritesBack, CheckpointedFunction {
    /**
     * The scored datapoints the reactive lifecycle needs (late ones included: the lifecycle judges lateness by its own
     * watermark), as it gets them ({@link ReactiveAnomalies#point}): compact, so the whole datapoint is not serialized to
     * it, and no further copy of it in the chain behind the scoring operator. A quiet series' datapoints are held back
     * ({@link LifecycleContext}) and shipped as context ({@code ReactivePoint.context}) only when an onset makes it live.
     */
    public static final OutputTag<ReactivePoint> LIFECYCLE_POINTS = BurstCandidates.LIFECYCLE_POINTS;
    private final AnomalySettings settings;
    private final SeverityCatalog catalog;
    private transient ValueState<List<Long>> onsets;
    private transient ListState<ScoredDatapoint> held;
    /** The default of {@code anomaly.recent-contexts}. */
    public static final int DEFAULT_RECENT_CONTEXTS = 50_000;
    private final int recentContexts;
    private transient ValueState<ReactiveContext> context;
    private transient RecentValues<LifecycleContext> contexts;
    private transient IoCounters counters;
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

    /** Every keyed state of the operator (for savepoint tools: {@code augur state}). */
    public static List<StateDescriptor<?, ?>> stateDescriptors(AnomalySettings s) {
        return List.of(onsetsDescriptor(s), heldDescriptor(), contextDescriptor(s));
    }

    public LegacyBurstCandidates(AnomalySettings settings, SeverityCatalog catalog) {
        this(settings, catalog, DEFAULT_RECENT_CONTEXTS);
    }

    /** {@code recentContexts}: series per task whose lifecycle context is kept in memory ({@link RecentValues}). */
    public LegacyBurstCandidates(AnomalySettings settings, SeverityCatalog catalog, int recentContexts) {
        this.settings = settings;
        this.catalog = catalog;
        this.recentContexts = recentContexts;
    }

    @Override
    public void initializeState(FunctionInitializationContext c) throws Exception {
        marker = c.getOperatorStateStore().getUnionListState(markerDescriptor());
        boolean known = false, legacy = false;
        for (Boolean b : marker.get()) {
            known = true;
            if (!b) legacy = true;
        }
        legacyRestore = c.isRestored() && (!known || legacy);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext c) throws Exception {
        marker.update(List.of(!legacyRestore));
    }

    @Override
    public List<RecentValues<?>> recentValues() {
        return List.of(contexts);
    }

    private void storeContext(String key, LifecycleContext c) throws Exception {
        context.update(c.toRecord());
    }

    @Override
    public void open(Configuration parameters) {
        onsets = getRuntimeContext().getState(onsetsDescriptor(settings));
        held = getRuntimeContext().getListState(heldDescriptor());
        context = getRuntimeContext().getState(contextDescriptor(settings));
        contexts = new RecentValues<>(recentContexts, settings.stateTtl().toMillis(), this::storeContext);
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ScoredDatapoint p, Context ctx, Collector<ScoredDatapoint> out) throws Exception {
        long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        toLifecycle(p, ts, watermark, ctx);
        if (ts <= watermark) {
            ctx.output(ReactivePattern.LATE_POINTS, p);
            return;
        }
        long window = settings.burstWindow().toMillis();
        List<Long> known = onsets.value();
        if (ReactivePattern.isOnset(p, settings.minRelativeChange(), catalog)) {
            release(ts, window, watermark, out);
            List<Long> next = new ArrayList<>();
            if (known != null) for (Long o : known) if (o + window > watermark) next.add(o);
            next.add(ts);
            onsets.update(next);
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
        held.add(thin(p));
        ctx.timerService().registerEventTimeTimer(cleanupTime(ts, window));
    }

    /**
     * Sends the lifecycle what it needs of {@code p} ({@link LifecycleContext}): forwarded when late or while a bound of
     * the series is live, after the datapoints held back (as context); otherwise held back.
     */
    private void toLifecycle(ScoredDatapoint p, long ts, long watermark, Context ctx) throws Exception {
        String key = ctx.getCurrentKey();
        long now = System.currentTimeMillis(); // the state TTL's clock
        LifecycleContext c = contexts.get(key, now);
        if (c == null) {
            ReactiveContext stored = context.value();
            if (stored != null) c = LifecycleContext.from(stored);
            else if (legacyRestore) c = LifecycleContext.legacy();
            else c = new LifecycleContext();
        }
        if (c.isLegacy()) {
            ctx.output(LIFECYCLE_POINTS, ReactiveAnomalies.point(p, settings, catalog));
            counters.inc("anomaly.lifecycle.forwarded", 1);
            contexts.write(key, c, now);
            return;
        }
        long window = settings.burstWindow().toMillis();
        c.prune(watermark, settings.contextPoints());
        c.pruneBounds(watermark, settings.quiet().toMillis() + settings.flapWindow().toMillis());
        if (ReactivePattern.isOnset(p, settings.minRelativeChange(), catalog)) c.addOnset(p, window);
        c.extend(p, settings.minRelativeChange());
        boolean late = ts <= watermark;
        boolean forward = late || c.live();
        if (c.live()) {
            List<ReactivePoint> shipped = c.takeUnsent(key);
            for (ReactivePoint x : shipped) ctx.output(LIFECYCLE_POINTS, x);
            counters.inc("anomaly.lifecycle.context", shipped.size());
        }
        if (forward) ctx.output(LIFECYCLE_POINTS, ReactiveAnomalies.point(p, settings, catalog));
        counters.inc(forward ? "anomaly.lifecycle.forwarded" : "anomaly.lifecycle.heldBack", 1);
        if (!late) c.add(p, forward);
        contexts.write(key, c, now);
    }

    private static final Resource NO_RESOURCE = new Resource("", "", "");

    /**
     * What a held datapoint keeps: everything CEP and the lifecycle read of a datapoint that is not an onset candidate
     * (it can only confirm a burst: its value, score, band, timestamp, unit; and what the onset condition reads, which it
     * failed), without the series' identity (account, region, dimensions, resource), which only the onset's datapoint
     * gives an anomaly. Held for the watermark in state, and in CEP's buffer once released: a third of the bytes.
     */
    static ScoredDatapoint thin(ScoredDatapoint p) {
        MetricDatapoint d = p.getDatapoint();
        MetricDatapoint t = new MetricDatapoint("", "", "", d.getNamespace(), d.getMetricName(), Map.of(), d.getTimestamp(),
                d.getMin(), d.getMax(), d.getSum(), d.getCount(), Map.of(), d.getUnit(), NO_RESOURCE, null);
        return new ScoredDatapoint(p.getSeriesKey(), p.getStat(), p.getValue(), p.getScore(), p.getDirection(), p.getExpected(),
                p.getLower(), p.getUpper(), p.getWarm(), p.getAnomalous(), t);
    }

    /** Held datapoints the onset at {@code onset} covers go to CEP now (arrival order); the others stay. */
    private void release(long onset, long window, long watermark, Collector<ScoredDatapoint> out) throws Exception {
        Iterable<ScoredDatapoint> all = held.get();
        if (all == null) return;
        List<ScoredDatapoint> rest = new ArrayList<>();
        boolean changed = false;
        for (ScoredDatapoint h : all) {
            long t = h.getDatapoint().getTimestamp();
            if (t <= watermark) {
                changed = true;
            } else if (onset <= t && t <= onset + window) {
                emit(out, h, t);
                changed = true;
            } else {
                rest.add(h);
            }
        }
        if (changed) held.update(rest);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<ScoredDatapoint> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        List<ScoredDatapoint> rest = new ArrayList<>();
        Iterable<ScoredDatapoint> all = held.get();
        if (all != null) for (ScoredDatapoint h : all) if (h.getDatapoint().getTimestamp() > watermark) rest.add(h);
        if (rest.isEmpty()) held.clear();
        else held.update(rest);
        List<Long> known = onsets.value();
        if (known != null) {
            long window = settings.burstWindow().toMillis();
            List<Long> next = new ArrayList<>();
            for (Long o : known) if (o + window > watermark) next.add(o);
            if (next.isEmpty()) onsets.clear();
            else if (next.size() != known.size()) onsets.update(next);
        }
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
