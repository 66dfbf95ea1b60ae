package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.StateTtl;
import io.augur.schema.MetricDatapoint;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * Held datapoints are appended to a list state (a RocksDB merge, no read), thin ({@link #thin}: without the series'
 * identity, which a datapoint that can only confirm a burst does not need); onset candidates and coarse cleanup timers
 * (one per {@code burstWindow} of event time) read it.
 */
public class BurstCandidates extends KeyedProcessFunction<String, ScoredDatapoint, ScoredDatapoint> {
    /**
     * Every scored datapoint (late ones included: the lifecycle judges lateness by its own watermark) as the reactive
     * lifecycle gets it ({@link ReactiveAnomalies#point}): compact, so the whole datapoint is not serialized to it, and
     * no further copy of it in the chain behind the scoring operator.
     */
    public static final OutputTag<ReactivePoint> LIFECYCLE_POINTS = new OutputTag<>("lifecycle-points", new AvroTypeInfo<>(ReactivePoint.class));
    private final AnomalySettings settings;
    private final SeverityCatalog catalog;
    private final int recentSeries;
    private transient ValueState<List<Long>> onsets;
    private transient ListState<ScoredDatapoint> held;
    /**
     * Run by {@link Operator}: the held datapoints of up to {@code recentSeries} series per task are kept in memory (the
     * complete list per series) and written to the keyed state before each checkpoint and savepoint, not serialized
     * on arrival and deserialized on every timer; null under a plain operator (tests), where the state is used directly.
     */
    private transient Map<String, Held> memory;

    /** A series' held datapoints in memory; dirty: the keyed state does not hold this list yet. */
    private static final class Held {
        List<ScoredDatapoint> list;
        boolean dirty;

        Held(List<ScoredDatapoint> list) {
            this.list = list;
        }
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
        return List.of(onsetsDescriptor(s), heldDescriptor());
    }

    public BurstCandidates(AnomalySettings settings, SeverityCatalog catalog) {
        this(settings, catalog, DEFAULT_RECENT_SERIES);
    }

    /** Series per task whose held datapoints the job's {@link Operator} keeps in memory. */
    public static final int DEFAULT_RECENT_SERIES = 20_000;

    /** @param recentSeries series per task whose held datapoints the job's {@link Operator} keeps in memory; 0: none */
    public BurstCandidates(AnomalySettings settings, SeverityCatalog catalog, int recentSeries) {
        this.settings = settings;
        this.catalog = catalog;
        this.recentSeries = recentSeries;
    }

    @Override
    public void open(Configuration parameters) {
        onsets = getRuntimeContext().getState(onsetsDescriptor(settings));
        held = getRuntimeContext().getListState(heldDescriptor());
    }

    @Override
    public void processElement(ScoredDatapoint p, Context ctx, Collector<ScoredDatapoint> out) throws Exception {
        ctx.output(LIFECYCLE_POINTS, ReactiveAnomalies.point(p, settings, catalog));
        long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (ts <= watermark) {
            ctx.output(ReactivePattern.LATE_POINTS, p);
            return;
        }
        long window = settings.burstWindow().toMillis();
        List<Long> known = onsets.value();
        if (ReactivePattern.isOnset(p, settings.minRelativeChange(), catalog)) {
            release(ctx.getCurrentKey(), ts, window, watermark, out);
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
        Held m = inMemory(ctx.getCurrentKey(), true);
        if (m != null) {
            m.list.add(thin(p));
            m.dirty = true;
        } else {
            held.add(thin(p));
        }
        ctx.timerService().registerEventTimeTimer(cleanupTime(ts, window));
    }

    /** The series' held datapoints in memory, loaded from the state when {@code load} and there is room; else null. */
    private Held inMemory(String key, boolean load) throws Exception {
        if (memory == null) return null;
        Held m = memory.get(key);
        if (m != null || !load || memory.size() >= recentSeries) return m;
        List<ScoredDatapoint> list = new ArrayList<>();
        Iterable<ScoredDatapoint> stored = held.get();
        if (stored != null) for (ScoredDatapoint h : stored) list.add(h);
        m = new Held(list);
        memory.put(key, m);
        return m;
    }

    /** The series' held datapoints are now {@code rest}. */
    private void replaceHeld(Held m, List<ScoredDatapoint> rest) throws Exception {
        if (m == null) {
            if (rest.isEmpty()) held.clear();
            else held.update(rest);
        } else {
            m.list = rest;
            m.dirty = true;
        }
    }

    /** Writes the held datapoints kept in memory to the keyed state under their keys. */
    void flush(AbstractStreamOperator<?> op) throws Exception {
        if (memory == null || memory.isEmpty()) return;
        Object current = op.getCurrentKey();
        for (Map.Entry<String, Held> e : memory.entrySet()) {
            Held m = e.getValue();
            if (!m.dirty) continue;
            op.setCurrentKey(e.getKey());
            if (m.list.isEmpty()) held.clear();
            else held.update(m.list);
            m.dirty = false;
        }
        if (current != null) op.setCurrentKey(current);
    }

    /**
     * The operator to run this function with in the job: held datapoints of the series a task keeps in memory are
     * written to the keyed state before every checkpoint and savepoint (a snapshot holds exactly the lists the state
     * would have held). Under a plain {@link KeyedProcessOperator} (tests) the state is used directly.
     */
    public static final class Operator extends KeyedProcessOperator<String, ScoredDatapoint, ScoredDatapoint> {
        private static final long serialVersionUID = 1L;

        public Operator(BurstCandidates function) {
            super(function);
        }

        @Override
        public void open() throws Exception {
            super.open();
            BurstCandidates f = (BurstCandidates) userFunction;
            if (f.recentSeries > 0) f.memory = new HashMap<>();
        }

        @Override
        public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
            super.prepareSnapshotPreBarrier(checkpointId);
            ((BurstCandidates) userFunction).flush(this);
        }
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
    private void release(String key, long onset, long window, long watermark, Collector<ScoredDatapoint> out) throws Exception {
        Held m = inMemory(key, false);
        Iterable<ScoredDatapoint> all = m != null ? m.list : held.get();
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
        if (changed) replaceHeld(m, rest);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<ScoredDatapoint> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        List<ScoredDatapoint> rest = new ArrayList<>();
        String key = ctx.getCurrentKey();
        Held m = inMemory(key, false);
        Iterable<ScoredDatapoint> all = m != null ? m.list : held.get();
        if (all != null) for (ScoredDatapoint h : all) if (h.getDatapoint().getTimestamp() > watermark) rest.add(h);
        if (m != null && rest.isEmpty()) {
            memory.remove(key); // nothing held: the memory of a silent series is not kept
            m = null;
        }
        replaceHeld(m, rest);
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
