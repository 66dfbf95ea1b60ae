package io.augur.ops.flink.insight;

import io.augur.ops.flink.EventTimeHold;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.insight.InsightCorrelator;
import io.augur.schema.InsightInput;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Comparator;
import java.util.List;

/**
 * Keyed by account, region and application: insight correlation ({@link InsightCorrelator}) over the application's
 * anomaly revisions and change events, with its state in keyed state and one event-time timer per key for closes,
 * time-outs and clean-up. A key whose state has nothing left (no open insight, no recent event, no recent history)
 * is cleared, timer included.
 * <p>Inputs are applied in event-time order: each is held (keyed state, an event-time timer at its timestamp) until the
 * watermark passes it, then applied with the others of that timestamp in a fixed order (change events first, then
 * anomalies by id and revision), before the closes due at that time. Without this, results depended on how the
 * parallel anomaly and event streams interleave: an anomaly running ahead of the watermark could find an insight that
 * had closed in event time still open, or miss one that was still open. Inputs already behind the watermark are
 * applied at once.</p>
 */
public class CorrelateInsights extends KeyedProcessFunction<String, InsightInput, InsightNotification> {
    public static final String STATE_NAME = "insight-state";
    public static final String PENDING_STATE_NAME = "insight-pending-inputs";
    private static final Comparator<InsightInput> SAME_TIME_ORDER = Comparator
            .comparing((InsightInput i) -> i.getAnomaly() != null)
            .thenComparing(i -> i.getAnomaly() != null ? i.getAnomaly().getId() : i.getEvent() != null ? i.getEvent().getId() : "")
            .thenComparingInt(i -> i.getAnomaly() != null ? i.getAnomaly().getRevision() : 0);

    private final InsightCorrelator correlator;
    private transient ValueState<InsightState> state;
    private transient EventTimeHold<InsightInput> pending;
    private transient IoCounters counters;

    public CorrelateInsights(InsightCorrelator correlator) {
        this.correlator = correlator;
    }

    public static KeySelector<InsightInput, String> applicationKey() {
        return InsightCorrelator::key;
    }

    public static ValueStateDescriptor<InsightState> descriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(InsightState.class));
    }

    /** Inputs waiting for the watermark, by event time. */
    public static MapStateDescriptor<Long, List<InsightInput>> pendingDescriptor() {
        return new MapStateDescriptor<>(PENDING_STATE_NAME, Types.LONG, new ListTypeInfo<>(new AvroTypeInfo<>(InsightInput.class)));
    }

    /** Every keyed state of the operator (for savepoint tools: {@code augur state}). */
    public static List<StateDescriptor<?, ?>> stateDescriptors() {
        return List.of(descriptor(), pendingDescriptor());
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(descriptor());
        pending = EventTimeHold.list(getRuntimeContext().getMapState(pendingDescriptor()), SAME_TIME_ORDER);
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(InsightInput in, Context ctx, Collector<InsightNotification> out) throws Exception {
        Long t = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (t != null && t > watermark) {
            pending.hold(t, in, ctx.timerService());
            return;
        }
        if (t != null) counters.inc("insights.lateInputs", 1); // lateness is decided at the sources: only a channel back from idleness brings one
        InsightState st = state.value();
        if (st == null) st = InsightCorrelator.newState(in);
        apply(st, in, Math.max(t == null ? Long.MIN_VALUE : t, watermark), out);
        persist(st, ctx.timerService(), false);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<InsightNotification> out) throws Exception {
        InsightState st = state.value();
        for (InsightInput in : pending.take(timestamp)) {
            if (st == null) st = InsightCorrelator.newState(in);
            apply(st, in, timestamp, out);
        }
        if (st == null) return;
        // the end of a bounded input, once every held input has been applied
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE && pending.isEmpty();
        Long next = st.getNextTimer();
        if (endOfInput) {
            st.setNextTimer(null);
            emit(correlator.advance(st, Long.MAX_VALUE, true), out);
        } else if (next != null && next <= timestamp) {
            st.setNextTimer(null); // this one has fired
            emit(correlator.advance(st, timestamp, false), out);
        }
        persist(st, ctx.timerService(), endOfInput);
    }

    private void apply(InsightState st, InsightInput in, long now, Collector<InsightNotification> out) {
        emit(correlator.process(st, in, now), out);
        counters.inc(in.getAnomaly() != null ? "insights.anomaliesIn" : "insights.eventsIn", 1);
    }

    private void emit(List<InsightNotification> notifications, Collector<InsightNotification> out) {
        for (InsightNotification n : notifications) {
            out.collect(n);
            counters.inc("insights." + n.getMessageType().name(), 1);
        }
    }

    /** Stores the state (or clears an empty one) and keeps exactly one timer at the next wake-up. */
    private void persist(InsightState st, org.apache.flink.streaming.api.TimerService timers, boolean endOfInput) throws Exception {
        Long registered = st.getNextTimer();
        Long next = InsightCorrelator.isEmpty(st) || endOfInput ? null : correlator.nextWakeUp(st);
        // a timer at a held input's timestamp stays: it is that input's too
        if (registered != null && !registered.equals(next) && !pending.holdsAt(registered)) timers.deleteEventTimeTimer(registered);
        if (next != null && !next.equals(registered)) timers.registerEventTimeTimer(next);
        st.setNextTimer(next);
        if (InsightCorrelator.isEmpty(st)) state.clear();
        else state.update(st);
    }
}
