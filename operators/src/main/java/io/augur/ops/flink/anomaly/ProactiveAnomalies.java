package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.Anomalies;
import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.ops.flink.EventTimeHold;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.StateTtl;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ExhaustionForecast;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ProactiveAnomalyState;
import io.augur.schema.Severity;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The lifecycle of proactive anomalies, per series. Input 1: every forecast; input 2: the proactive pattern's matches.
 * Both are applied in event-time order (held until the watermark passes them, so a match and the forecasts around it
 * are seen in their order whatever the arrival order of the two inputs).
 * <ul>
 *   <li><b>Open</b> (revision 0) on a match: PredictionTimeRange from the forecast's band, Limit, the downsampled
 *       datapoints with the fitted trend; not in a maintenance window of the resource.</li>
 *   <li><b>Revisions</b> when the severity goes up (the limit may be reached within {@code imminent}), or when the
 *       forecast time to the limit moved by more than a quarter, at most one per {@code revisionInterval}.</li>
 *   <li><b>Closed</b> when the trend turns: {@code agreeing} consecutive forecasts no longer reach the limit within
 *       the horizon; or when forecasts stop coming for {@code staleAfter}.</li>
 * </ul>
 */
public class ProactiveAnomalies extends KeyedCoProcessFunction<String, ExhaustionForecast, ExhaustionForecast, Anomaly> {
    public static final String STATE_NAME = "proactive-anomaly";

    private final AnomalySettings settings;
    private final MaintenanceWindows maintenance;
    private transient ValueState<ProactiveAnomalyState> state;
    private transient EventTimeHold<ExhaustionForecast> forecasts, matches;
    private transient IoCounters counters;

    public ProactiveAnomalies(AnomalySettings settings, MaintenanceWindows maintenance) {
        this.settings = settings;
        this.maintenance = maintenance;
    }

    /** The open proactive anomaly of the series, if any. */
    public static ValueStateDescriptor<ProactiveAnomalyState> descriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(ProactiveAnomalyState.class)), s.stateTtl());
    }

    /** Forecasts waiting for the watermark, by time. */
    public static MapStateDescriptor<Long, ExhaustionForecast> forecastsDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("pending-forecasts", Types.LONG, new AvroTypeInfo<>(ExhaustionForecast.class)), s.stateTtl());
    }

    /** CEP's agreeing forecasts waiting for the watermark, by time. */
    public static MapStateDescriptor<Long, ExhaustionForecast> matchesDescriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("pending-matches", Types.LONG, new AvroTypeInfo<>(ExhaustionForecast.class)), s.stateTtl());
    }

    /** Every keyed state of the operator (for savepoint tools: {@code augur state}). */
    public static java.util.List<StateDescriptor<?, ?>> stateDescriptors(AnomalySettings s) {
        return java.util.List.of(descriptor(s), forecastsDescriptor(s), matchesDescriptor(s));
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(descriptor(settings));
        forecasts = EventTimeHold.latest(getRuntimeContext().getMapState(forecastsDescriptor(settings)));
        matches = EventTimeHold.latest(getRuntimeContext().getMapState(matchesDescriptor(settings)));
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement1(ExhaustionForecast f, Context ctx, Collector<Anomaly> out) throws Exception {
        if (f.getTime() <= ctx.timerService().currentWatermark()) {
            counters.inc("anomaly.proactive.lateInputs", 1);
            return;
        }
        forecasts.hold(f.getTime(), f, ctx.timerService());
    }

    @Override
    public void processElement2(ExhaustionForecast m, Context ctx, Collector<Anomaly> out) throws Exception {
        if (m.getTime() <= ctx.timerService().currentWatermark()) {
            counters.inc("anomaly.proactive.lateInputs", 1);
            return;
        }
        matches.hold(m.getTime(), m, ctx.timerService());
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        ProactiveAnomalyState st = state.value();
        if (st == null) st = ProactiveAnomalyState.newBuilder().build();
        ExhaustionForecast m = only(matches.take(t)), f = only(forecasts.take(t));
        if (m != null && st.getOpen() == null) open(st, m, t, ctx, out);
        if (f != null && st.getOpen() != null && t > st.getOpen().getOpenTime()) apply(st, f, t, ctx, out);
        if (st.getOpen() != null && st.getStaleTimer() == t) close(st, t, ctx, out, "anomaly.closed.proactive.stale");
        if (st.getOpen() == null) state.clear();
        else state.update(st);
    }

    private static ExhaustionForecast only(java.util.List<ExhaustionForecast> held) {
        return held.isEmpty() ? null : held.get(0);
    }

    private void open(ProactiveAnomalyState st, ExhaustionForecast m, long t, OnTimerContext ctx, Collector<Anomaly> out) {
        MetricDatapoint dp = m.getDatapoint();
        if (maintenance.covers(dp.getResource().getArn(), t)) {
            counters.inc("anomaly.suppressed.maintenance", 1);
            return;
        }
        long start = m.getAgreeingSince() != null ? m.getAgreeingSince() : t;
        Anomaly a = Anomalies.open(m.getSeriesKey(), dp, m.getStat(), AnomalyKind.PROACTIVE, start, t, (int) (settings.bucket().toMillis() / 1000))
                .setSeverity(severity(m, t))
                .setDirection(m.getRising() ? 1 : -1)
                .setPeakScore(m.getConfidence())
                .setDatapoints(m.getPoints())
                .setLimit(m.getLimit())
                .setPredictionStart(m.getReachEarliest())
                .setPredictionEnd(m.getReachLatest())
                .setName(Anomalies.proactiveName(dp, m.getRising()))
                .setDescription(description(m))
                .build();
        st.setOpen(a);
        st.setTurning(0);
        st.setLastForecast(t);
        st.setLastRevision(t);
        st.setReportedReach(m.getReachAt() == null ? t : m.getReachAt());
        restale(st, t, ctx);
        out.collect(a);
        counters.inc("anomaly.opened.proactive", 1);
    }

    private void apply(ProactiveAnomalyState st, ExhaustionForecast f, long t, OnTimerContext ctx, Collector<Anomaly> out) {
        st.setLastForecast(t);
        restale(st, t, ctx);
        if (!f.getReaches()) {
            st.setTurning(st.getTurning() + 1);
            if (st.getTurning() >= settings.agreeing()) close(st, t, ctx, out, "anomaly.closed.proactive");
            return;
        }
        st.setTurning(0);
        Anomaly open = st.getOpen();
        Severity sev = severity(f, t);
        boolean upgraded = sev.ordinal() > open.getSeverity().ordinal();
        long reach = f.getReachAt() == null ? t : f.getReachAt();
        long ahead = Math.max(st.getReportedReach() - t, settings.bucket().toMillis());
        // the limit reached at both revisions is no news (its "time to reach" is just now)
        boolean stillReached = reach <= t && st.getReportedReach() <= st.getLastRevision();
        boolean moved = !stillReached && Math.abs(reach - st.getReportedReach()) > ahead / 4
                && t - st.getLastRevision() >= settings.revisionInterval().toMillis();
        if (!upgraded && !moved) return;
        Anomaly r = Anomalies.revise(open, t)
                .setSeverity(upgraded ? sev : open.getSeverity())
                .setPeakScore(f.getConfidence())
                .setDatapoints(f.getPoints())
                .setLimit(f.getLimit())
                .setPredictionStart(f.getReachEarliest())
                .setPredictionEnd(f.getReachLatest())
                .setDescription(description(f))
                .build();
        st.setOpen(r);
        st.setLastRevision(t);
        st.setReportedReach(reach);
        out.collect(r);
        counters.inc("anomaly.revised.proactive", 1);
    }

    private void close(ProactiveAnomalyState st, long t, OnTimerContext ctx, Collector<Anomaly> out, String counter) {
        Anomaly closed = Anomalies.revise(st.getOpen(), t).setStatus(AnomalyStatus.CLOSED).setEndTime(t).setCloseTime(t).build();
        out.collect(closed);
        counters.inc(counter, 1);
        if (st.getStaleTimer() != 0 && st.getStaleTimer() != t) ctx.timerService().deleteEventTimeTimer(st.getStaleTimer());
        st.setOpen(null);
        st.setStaleTimer(0L);
    }

    private void restale(ProactiveAnomalyState st, long t, OnTimerContext ctx) {
        if (st.getStaleTimer() != 0 && st.getStaleTimer() != t) ctx.timerService().deleteEventTimeTimer(st.getStaleTimer());
        long at = t + settings.staleAfter().toMillis();
        ctx.timerService().registerEventTimeTimer(at);
        st.setStaleTimer(at);
    }

    /** The limit's severity, one level up once the limit may be reached within {@code imminent}. */
    private Severity severity(ExhaustionForecast f, long t) {
        Long earliest = f.getReachEarliest();
        return earliest != null && earliest - t <= settings.imminent().toMillis() ? Anomalies.up(f.getSeverity()) : f.getSeverity();
    }

    private static String description(ExhaustionForecast f) {
        return Anomalies.proactiveDescription(f.getDatapoint(), f.getStat(), f.getLimit(), f.getLimitDescription(), f.getLevel(),
                f.getSlopePerHour(), f.getReachEarliest(), f.getReachLatest());
    }
}
