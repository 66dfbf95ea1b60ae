package io.augur.ops.flink.insight;

import io.augur.ops.coverage.Coverage;
import io.augur.ops.flink.EventTimeHold;
import io.augur.schema.CoverageItem;
import io.augur.schema.CoverageSettings;
import io.augur.schema.InsightInput;
import io.augur.schema.ResourceMembership;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Anomalies and change events of covered resources, with their application: the input of insight correlation.
 * Anomalies and events of resources outside coverage are dropped (counted as {@code coverage.anomaliesDropped} and
 * {@code coverage.eventsDropped}).
 *
 * <p>Inputs are applied in event-time order: each waits until the watermark passes it. A resource's membership is
 * learned from change events that reach this operator over other channels than the resource's later events and
 * anomalies (change events are de-duplicated by event id first); in arrival order, a deployment could be resolved
 * before the stack event that names its deployment group's stack, and then count for the account instead of the
 * application, depending on the run. Same-time inputs go in a fixed order: memberships, change events by id,
 * anomalies by id and revision.
 */
public class ResolveApplications extends CoverageFunction<InsightInput> {
    public static final String PENDING_STATE = "coverage-pending";
    private static final Comparator<CoverageItem> SAME_TIME_ORDER = Comparator
            .comparingInt((CoverageItem i) -> i.getMembership() != null ? 0 : i.getEvent() != null ? 1 : 2)
            .thenComparing(i -> i.getEvent() != null ? i.getEvent().getId() : i.getAnomaly() != null ? i.getAnomaly().getId() : "")
            .thenComparingInt(i -> i.getAnomaly() != null ? i.getAnomaly().getRevision() : 0);

    private transient EventTimeHold<CoverageItem> pending;

    public ResolveApplications(CoverageSettings initial, Duration membershipTtl) {
        super(initial, membershipTtl);
    }

    /** Inputs waiting for the watermark, by event time (cleared by the operator's timers: no TTL). */
    public static MapStateDescriptor<Long, List<CoverageItem>> pendingDescriptor() {
        return new MapStateDescriptor<>(PENDING_STATE, Types.LONG, new ListTypeInfo<>(new AvroTypeInfo<>(CoverageItem.class)));
    }

    @Override
    public void open(Configuration parameters) {
        super.open(parameters);
        pending = EventTimeHold.list(getRuntimeContext().getMapState(pendingDescriptor()), SAME_TIME_ORDER);
    }

    @Override
    public void processElement(CoverageItem item, ReadOnlyContext ctx, Collector<InsightInput> out) throws Exception {
        Long t = ctx.timestamp();
        if (t == null || t <= ctx.timerService().currentWatermark()) {
            if (t != null) counters.inc("coverage.lateInputs", 1); // lateness is decided at the sources: only a channel back from idleness brings one
            apply(item, ctx, out); // no event time (an API listing), or behind the watermark already: now
            return;
        }
        pending.hold(t, item, ctx.timerService());
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<InsightInput> out) throws Exception {
        for (CoverageItem item : pending.take(t)) apply(item, ctx, out);
    }

    @Override
    protected void handle(CoverageItem item, Coverage cov, ResourceMembership m, boolean known, ReadOnlyContext ctx,
                          Collector<InsightInput> out) throws Exception {
        if (item.getAnomaly() == null && item.getEvent() == null) return;
        boolean anomaly = item.getAnomaly() != null;
        String account = anomaly ? item.getAnomaly().getAccountId() : item.getEvent().getAccountId();
        String region = anomaly ? item.getAnomaly().getRegion() : item.getEvent().getRegion();
        Coverage.Application app = cov.coversAccount(account) ? cov.applicationOf(account, item.getArn(), known ? m : membership()) : null;
        if (app == null) {
            counters.inc(anomaly ? "coverage.anomaliesDropped" : "coverage.eventsDropped", 1);
            return;
        }
        out.collect(InsightInput.newBuilder().setApplication(app.name()).setAccountId(account).setRegion(region)
                .setStackName(app.stackName()).setTagKey(app.tagKey())
                .setAnomaly(item.getAnomaly()).setEvent(item.getEvent()).build());
    }
}
