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
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
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
    private transient ValueState<List<Long>> onsets;
    private transient ListState<ScoredDatapoint> held;

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
        this.settings = settings;
        this.catalog = catalog;
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
