package io.augur.ops.flink.insight;

import io.augur.ops.flink.IoCounters;
import io.augur.ops.insight.InsightCorrelator;
import io.augur.schema.InsightInput;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * Keyed by account, region and application: insight correlation ({@link InsightCorrelator}) over the application's
 * anomaly revisions and change events, with its state in keyed state and one event-time timer per key for closes,
 * time-outs and clean-up. A key whose state has nothing left (no open insight, no recent event, no recent history)
 * is cleared, timer included.
 */
public class CorrelateInsights extends KeyedProcessFunction<String, InsightInput, InsightNotification> {
    public static final String STATE_NAME = "insight-state";

    private final InsightCorrelator correlator;
    private transient ValueState<InsightState> state;
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

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(descriptor());
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(InsightInput in, Context ctx, Collector<InsightNotification> out) throws Exception {
        InsightState st = state.value();
        if (st == null) st = InsightCorrelator.newState(in);
        long now = Math.max(ctx.timestamp() == null ? Long.MIN_VALUE : ctx.timestamp(), ctx.timerService().currentWatermark());
        emit(correlator.process(st, in, now), out);
        counters.inc(in.getAnomaly() != null ? "insights.anomaliesIn" : "insights.eventsIn", 1);
        persist(st, ctx.timerService(), false);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<InsightNotification> out) throws Exception {
        InsightState st = state.value();
        if (st == null) return;
        st.setNextTimer(null); // this one has fired
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        emit(correlator.advance(st, endOfInput ? Long.MAX_VALUE : timestamp, endOfInput), out);
        persist(st, ctx.timerService(), endOfInput);
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
        if (registered != null && !registered.equals(next)) timers.deleteEventTimeTimer(registered);
        if (next != null && !next.equals(registered)) timers.registerEventTimeTimer(next);
        st.setNextTimer(next);
        if (InsightCorrelator.isEmpty(st)) state.clear();
        else state.update(st);
    }
}
