package io.augur.ops.flink.anomaly;

import io.augur.ops.flink.EventTimeHold;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.StateTtl;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ChangeEvent;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keyed by resource ARN: a deployment in progress on a resource delays the opening of reactive anomalies on it until
 * the deployment ends (CodeDeploy SUCCESS, FAILURE or STOP), at most {@code maxHold} after it started: deployments
 * disturb metrics briefly and a deployment that breaks something shows it after it ends. The anomaly is not hidden:
 * its revisions are held and then emitted, the opening one with OpenTime = the release time. Proactive anomalies and
 * anomalies that opened outside deployments pass unchanged.
 *
 * <p>Both inputs are applied in event-time order: an anomaly revision waits until the watermark (the minimum of both
 * inputs') passes its time, so a deployment event delivered later than the metrics (CloudTrail and EventBridge take
 * minutes) still counts.
 */
public class DeploymentHold extends KeyedCoProcessFunction<String, Anomaly, ChangeEvent, Anomaly> {
    private final long maxHold;
    private final Duration ttl;
    private transient MapState<String, Long> starts, ends;
    private transient EventTimeHold<Anomaly> pending;
    private transient MapState<String, List<Anomaly>> held;
    /** Anomalies released after a hold and not closed yet: their opening time as reported, for their later revisions. */
    private transient MapState<String, Long> retimed;
    private transient IoCounters counters;

    public DeploymentHold(Duration maxHold, Duration ttl) {
        this.maxHold = maxHold.toMillis();
        this.ttl = ttl;
    }

    /** Deployments in progress on the resource: deployment id → start time. */
    public static MapStateDescriptor<String, Long> startsDescriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("deployment-starts", Types.STRING, Types.LONG), ttl);
    }

    /** Finished deployments on the resource: deployment id → end time. */
    public static MapStateDescriptor<String, Long> endsDescriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("deployment-ends", Types.STRING, Types.LONG), ttl);
    }

    /** Anomaly revisions waiting for the watermark, by update time. */
    public static MapStateDescriptor<Long, List<Anomaly>> pendingDescriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("pending-anomalies", Types.LONG, new ListTypeInfo<>(new AvroTypeInfo<>(Anomaly.class))), ttl);
    }

    /** Anomaly revisions held during a deployment, by anomaly id. */
    public static MapStateDescriptor<String, List<Anomaly>> heldDescriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("held-anomalies", Types.STRING, new ListTypeInfo<>(new AvroTypeInfo<>(Anomaly.class))), ttl);
    }

    /** Anomalies released after a hold: anomaly id → the opening time reported. */
    public static MapStateDescriptor<String, Long> retimedDescriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new MapStateDescriptor<>("retimed-anomalies", Types.STRING, Types.LONG), ttl);
    }

    /** Every keyed state of the operator (for savepoint tools: {@code augur state}). */
    public static List<StateDescriptor<?, ?>> stateDescriptors(Duration ttl) {
        return List.of(startsDescriptor(ttl), endsDescriptor(ttl), pendingDescriptor(ttl), heldDescriptor(ttl), retimedDescriptor(ttl));
    }

    @Override
    public void open(Configuration parameters) {
        starts = getRuntimeContext().getMapState(startsDescriptor(ttl));
        ends = getRuntimeContext().getMapState(endsDescriptor(ttl));
        pending = EventTimeHold.list(getRuntimeContext().getMapState(pendingDescriptor(ttl)), null); // arrival order
        held = getRuntimeContext().getMapState(heldDescriptor(ttl));
        retimed = getRuntimeContext().getMapState(retimedDescriptor(ttl));
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement1(Anomaly a, Context ctx, Collector<Anomaly> out) throws Exception {
        if (a.getKind() == AnomalyKind.PROACTIVE) {
            out.collect(a);
            return;
        }
        // Held until the watermark passes both its update time and its record timestamp. The reactive lifecycle
        // applies a quiet series' datapoints in batches, so a revision can be dated before the timer that emitted it
        // (its timestamp): deciding it at once would make it depend on which deployment events had reached this
        // operator by then; held to its timestamp, every change event up to it has been applied, whatever the timing.
        long t = a.getUpdateTime();
        if (t <= ctx.timerService().currentWatermark()) counters.inc("anomaly.hold.behindWatermark", 1);
        if (ctx.timestamp() != null) t = Math.max(t, ctx.timestamp());
        if (t <= ctx.timerService().currentWatermark()) { // only after an idle input: nothing later can change it
            decide(a, ctx, out);
            return;
        }
        pending.hold(t, a, ctx.timerService());
    }

    @Override
    public void processElement2(ChangeEvent e, Context ctx, Collector<Anomaly> out) throws Exception {
        String name = e.getName();
        String state = name.substring(name.lastIndexOf(' ') + 1);
        String deployment = e.getDeploymentId() != null ? e.getDeploymentId() : e.getId();
        // A change event that came late was re-timestamped to when event time learned of it (LateChangeEvents): it
        // takes effect from then, so what it changes does not depend on which anomalies happened to be decided first.
        long time = ctx.timestamp() == null ? e.getTime() : Math.max(e.getTime(), ctx.timestamp());
        switch (state) {
            case "START" -> {
                starts.put(deployment, time);
                ctx.timerService().registerEventTimeTimer(time + maxHold);
            }
            case "SUCCESS", "FAILURE", "STOP" -> {
                ends.put(deployment, time);
                ctx.timerService().registerEventTimeTimer(time);
                ctx.timerService().registerEventTimeTimer(time + maxHold);
            }
            default -> { }
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        release(t, out);
        for (Anomaly a : pending.take(t)) decide(a, ctx, out);
        // deployments long over are forgotten
        for (String d : new ArrayList<>(keys(starts))) {
            Long end = ends.get(d);
            long start = starts.get(d);
            if ((end != null && end + maxHold <= t) || (end == null && start + 2 * maxHold <= t)) {
                starts.remove(d);
                ends.remove(d);
            }
        }
        for (String d : new ArrayList<>(keys(ends))) {
            if (!starts.contains(d) && ends.get(d) + maxHold <= t) ends.remove(d);
        }
    }

    private void decide(Anomaly a, Context ctx, Collector<Anomaly> out) throws Exception {
        List<Anomaly> h = held.get(a.getId());
        if (h != null) {
            h = new ArrayList<>(h);
            h.add(a);
            held.put(a.getId(), h);
            return;
        }
        if (a.getRevision() == 0 && a.getStatus() == AnomalyStatus.ONGOING) {
            long release = releaseTime(a.getOpenTime());
            if (release > a.getOpenTime()) {
                held.put(a.getId(), new ArrayList<>(List.of(a)));
                ctx.timerService().registerEventTimeTimer(release);
                counters.inc("anomaly.delayed.deployment", 1);
                return;
            }
        }
        Long openTime = retimed.get(a.getId());
        if (openTime == null) {
            out.collect(a);
            return;
        }
        if (a.getStatus() == AnomalyStatus.CLOSED) retimed.remove(a.getId());
        out.collect(retime(a, openTime));
    }

    private static Anomaly retime(Anomaly a, long openTime) {
        Anomaly.Builder b = Anomaly.newBuilder(a).setOpenTime(openTime).setUpdateTime(Math.max(a.getUpdateTime(), openTime));
        if (a.getCloseTime() != null) b.setCloseTime(Math.max(a.getCloseTime(), openTime));
        return b.build();
    }

    /** Emits the held anomalies whose deployments are over by {@code t}, the opening revision re-timed to {@code t}. */
    private void release(long t, Collector<Anomaly> out) throws Exception {
        Map<String, List<Anomaly>> due = new TreeMap<>();
        for (Map.Entry<String, List<Anomaly>> e : held.entries()) {
            if (releaseTime(e.getValue().get(0).getOpenTime()) <= t) due.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, List<Anomaly>> e : due.entrySet()) {
            held.remove(e.getKey());
            boolean closed = false;
            for (Anomaly a : e.getValue()) {
                out.collect(retime(a, t));
                closed |= a.getStatus() == AnomalyStatus.CLOSED;
            }
            if (!closed) retimed.put(e.getKey(), t);
        }
    }

    /** When the deployments in progress at {@code time} on this resource end (or their hold runs out); {@code time} when none is. */
    private long releaseTime(long time) throws Exception {
        long release = time;
        for (Map.Entry<String, Long> s : starts.entries()) {
            long start = s.getValue();
            if (start > time || time - start >= maxHold) continue;
            Long end = ends.get(s.getKey());
            if (end != null && end <= time) continue;
            release = Math.max(release, end == null ? start + maxHold : Math.min(end, start + maxHold));
        }
        return release;
    }

    private static <K, V> List<K> keys(MapState<K, V> m) throws Exception {
        List<K> out = new ArrayList<>();
        for (K k : m.keys()) out.add(k);
        return out;
    }
}
