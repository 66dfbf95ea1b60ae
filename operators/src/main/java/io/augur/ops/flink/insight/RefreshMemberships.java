package io.augur.ops.flink.insight;

import io.augur.ops.coverage.AwsMemberships;
import io.augur.ops.flink.IoCounters;
import io.augur.schema.CoverageItem;
import io.augur.schema.CoverageSettings;
import io.augur.schema.ResourceMembership;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Lists the covered resources' stacks and tags from the AWS APIs ({@link AwsMemberships}) when the coverage settings
 * change and then every {@code interval} (a processing-time timer), as membership items for the coverage operators.
 * Keyed by a constant: one subtask does it. A failed listing is logged and counted ({@code coverage.refreshFailed}),
 * and retried at the next interval.
 */
public class RefreshMemberships extends KeyedProcessFunction<Integer, CoverageSettings, CoverageItem> {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshMemberships.class);
    private final AwsMemberships.Settings aws;
    private final Duration interval;
    private transient ValueState<CoverageSettings> current;
    private transient ValueState<Long> next;
    private transient IoCounters counters;

    public RefreshMemberships(AwsMemberships.Settings aws, Duration interval) {
        this.aws = aws;
        this.interval = interval;
    }

    @Override
    public void open(Configuration parameters) {
        current = getRuntimeContext().getState(new ValueStateDescriptor<>("refresh-settings", new AvroTypeInfo<>(CoverageSettings.class)));
        next = getRuntimeContext().getState(new ValueStateDescriptor<>("refresh-next", Types.LONG));
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(CoverageSettings s, Context ctx, Collector<CoverageItem> out) throws Exception {
        CoverageSettings c = current.value();
        if (c != null && s.getRevision() <= c.getRevision()) return;
        current.update(s);
        refresh(s, ctx.timerService().currentProcessingTime(), out);
        if (next.value() == null) schedule(ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CoverageItem> out) throws Exception {
        next.clear();
        CoverageSettings s = current.value();
        if (s == null) return;
        refresh(s, timestamp, out);
        schedule(ctx.timerService());
    }

    private void schedule(org.apache.flink.streaming.api.TimerService timers) throws Exception {
        long at = timers.currentProcessingTime() + interval.toMillis();
        timers.registerProcessingTimeTimer(at);
        next.update(at);
    }

    private void refresh(CoverageSettings s, long now, Collector<CoverageItem> out) {
        try (AwsMemberships api = new AwsMemberships(aws)) {
            int n = 0;
            for (ResourceMembership m : api.list(s, now)) {
                out.collect(CoverageItems.membership(m));
                n++;
            }
            counters.inc("coverage.refreshed", n);
            LOG.info("coverage refresh (revision {}): {} resource memberships listed", s.getRevision(), n);
        } catch (RuntimeException e) {
            counters.inc("coverage.refreshFailed", 1);
            LOG.warn("coverage refresh (revision {}) failed; retrying in {}: {}", s.getRevision(), interval, e.toString());
        }
    }
}
