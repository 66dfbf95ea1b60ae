package io.augur.ops.flink.insight;

import io.augur.ops.coverage.Coverage;
import io.augur.ops.coverage.Memberships;
import io.augur.ops.flink.IoCounters;
import io.augur.schema.CoverageItem;
import io.augur.schema.CoverageSettings;
import io.augur.schema.ResourceMembership;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Keyed by resource ARN, with the coverage settings as broadcast state: what Augur knows of each resource's stack and
 * tags (keyed state, learned from change events and AWS API listings) decides whether the resource is covered and
 * which application it belongs to. The settings start as the configuration's and are replaced by any broadcast
 * settings of a higher revision, while the job runs. Subclasses decide what covered items become.
 */
public abstract class CoverageFunction<O> extends KeyedBroadcastProcessFunction<String, CoverageItem, CoverageSettings, O> {
    public static final String MEMBERSHIP_STATE = "resource-membership";
    public static final MapStateDescriptor<String, CoverageSettings> SETTINGS =
            new MapStateDescriptor<>("coverage-settings", Types.STRING, new AvroTypeInfo<>(CoverageSettings.class));
    static final String CURRENT = "current";

    private final CoverageSettings initial;
    private final Duration membershipTtl;
    private transient ValueState<ResourceMembership> membership;
    private transient Coverage coverage;
    protected transient IoCounters counters;

    protected CoverageFunction(CoverageSettings initial, Duration membershipTtl) {
        this.initial = Coverage.validate(initial);
        this.membershipTtl = membershipTtl;
    }

    /** Membership expires after {@code ttl} without being written or read: a resource silent that long is forgotten. */
    public static ValueStateDescriptor<ResourceMembership> membershipDescriptor(Duration ttl) {
        ValueStateDescriptor<ResourceMembership> d = new ValueStateDescriptor<>(MEMBERSHIP_STATE, new AvroTypeInfo<>(ResourceMembership.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired).build());
        return d;
    }

    @Override
    public void open(Configuration parameters) {
        membership = getRuntimeContext().getState(membershipDescriptor(membershipTtl));
        counters = new IoCounters(getRuntimeContext());
        coverage = new Coverage(initial);
    }

    @Override
    public void processBroadcastElement(CoverageSettings s, Context ctx, Collector<O> out) throws Exception {
        CoverageSettings current = ctx.getBroadcastState(SETTINGS).get(CURRENT);
        long revision = current == null ? initial.getRevision() : current.getRevision();
        if (s.getRevision() > revision) {
            ctx.getBroadcastState(SETTINGS).put(CURRENT, s);
            counters.inc("coverage.settingsApplied", 1);
        }
    }

    @Override
    public void processElement(CoverageItem item, ReadOnlyContext ctx, Collector<O> out) throws Exception {
        apply(item, ctx, out);
    }

    /** Learns what the item says of its resource's membership, then hands it to {@link #handle}. */
    protected final void apply(CoverageItem item, ReadOnlyContext ctx, Collector<O> out) throws Exception {
        Coverage cov = coverage(ctx.getBroadcastState(SETTINGS).get(CURRENT));
        if (item.getMembership() != null) {
            membership.update(Memberships.apply(membership.value(), item.getMembership()));
            counters.inc("coverage.membershipsLearned", 1);
            return;
        }
        ResourceMembership m = null;
        boolean read = false;
        if (item.getEvent() != null && Memberships.saysSomething(item.getEvent())) {
            m = membership.value();
            ResourceMembership next = Memberships.apply(m, item.getArn(), item.getEvent());
            if (next != m) {
                membership.update(next);
                counters.inc("coverage.membershipsLearned", 1);
            }
            m = next;
            read = true;
        }
        handle(item, cov, read ? m : null, read, ctx, out);
    }

    /** Reads the resource's membership (null when unknown). */
    protected ResourceMembership membership() throws Exception {
        return membership.value();
    }

    /**
     * A datapoint, anomaly or change event of the resource. {@code known} is true when {@code m} has been read already
     * (change events that said something about membership); otherwise call {@link #membership()} if needed.
     */
    protected abstract void handle(CoverageItem item, Coverage cov, ResourceMembership m, boolean known, ReadOnlyContext ctx,
                                   Collector<O> out) throws Exception;

    private Coverage coverage(CoverageSettings broadcast) {
        if (broadcast != null && broadcast.getRevision() != coverage.settings().getRevision()) coverage = new Coverage(broadcast);
        return coverage;
    }
}
