package io.augur.ops.flink.dedup;

import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.deadletter.DeadLetters;
import io.augur.ops.dedup.SeenWindow;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.RecentValues;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.ops.flink.SideOutputs;
import io.augur.ops.flink.StateTtl;
import io.augur.ops.format.RecordJson;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.SeriesSeen;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Keyed by series (in the topology by series id|stat, like scoring, so that it chains to it; the statistic is a
 * function of the series): drops datapoints already accepted (at-least-once delivery), sending them to the dead-letter
 * output as DUPLICATE. State: which timestamps of the series were accepted within the look-back window
 * ({@link SeenWindow}, stored as {@link SeriesSeen}; v1 state is migrated on first access), expired when a series is
 * silent for the TTL. A datapoint older than the window cannot be checked: it is accepted and counted as
 * {@value IoCounters#DEDUP_UNCHECKED}.
 */
public class DedupDatapoints extends KeyedProcessFunction<String, MetricDatapoint, MetricDatapoint> implements WriteBackOperator.WritesBack {
    public static final String STATE_NAME = "series-seen";
    private final Duration window;
    private final Duration ttl;
    private final int deadLetterPayloadChars;
    private final CacheCapacity recentSeries;
    private transient ValueState<SeriesSeen> seen;
    /** Windows of series just seen, as objects (a read of the state is an Avro deserialization plus {@link SeenWindow#of}). */
    private transient RecentValues<SeenWindow> recent;
    private transient IoCounters counters;

    public DedupDatapoints(Duration window, Duration ttl, int deadLetterPayloadChars) {
        this(window, ttl, deadLetterPayloadChars, 0); // none: tests that drive the state TTL's clock see every expiry
    }

    /** @param recentSeries series per task whose window is kept in memory next to the keyed state; 0: none */
    public DedupDatapoints(Duration window, Duration ttl, int deadLetterPayloadChars, int recentSeries) {
        this(window, ttl, deadLetterPayloadChars, CacheCapacity.of(recentSeries));
    }

    /** {@code recentSeries}: a fixed number or a share of the slot's heap ({@code dedup.recent-series}). */
    public DedupDatapoints(Duration window, Duration ttl, int deadLetterPayloadChars, CacheCapacity recentSeries) {
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("dedup.window must be positive, not " + window);
        this.window = window;
        this.ttl = ttl;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
        this.recentSeries = recentSeries;
    }

    public static ValueStateDescriptor<SeriesSeen> descriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(SeriesSeen.class)), ttl);
    }

    @Override
    public void open(Configuration parameters) {
        seen = getRuntimeContext().getState(descriptor(ttl));
        recent = RecentValues.open(getRuntimeContext(), "dedup", recentSeries, ttl.toMillis(), this::store);
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(MetricDatapoint m, Context ctx, Collector<MetricDatapoint> out) throws Exception {
        String key = ctx.getCurrentKey();
        long now = System.currentTimeMillis(); // the state TTL's clock
        SeenWindow w = recent.get(key, now);
        if (w == null) w = SeenWindow.of(seen.value(), window.toMillis());
        SeenWindow.Verdict v = w.offer(m.getTimestamp());
        if (v == SeenWindow.Verdict.NEW || w.migrated()) recent.write(key, w, now);
        if (v == SeenWindow.Verdict.NEW) {
            out.collect(m);
        } else if (v == SeenWindow.Verdict.UNCHECKED) {
            counters.inc(IoCounters.DEDUP_UNCHECKED, 1);
            out.collect(m);
        } else {
            counters.duplicate(IoCounters.ACCEPTED_METRICS);
            ctx.output(SideOutputs.DEAD_LETTERS, DeadLetters.of(DeadLetterReason.DUPLICATE,
                    "datapoint already received for series " + m.getSeriesId() + " at " + m.getTimestamp(),
                    "dedup", ctx.timerService().currentProcessingTime(),
                    RecordJson.metric(m).getBytes(StandardCharsets.UTF_8), deadLetterPayloadChars));
        }
    }

    @Override
    public void close() throws Exception {
        if (recent != null) recent.close(); // gives its place in the thread's key slots back
        super.close();
    }

    @Override
    public List<RecentValues<?>> recentValues() {
        return List.of(recent);
    }

    private void store(String key, SeenWindow w) throws Exception {
        seen.update(w.toRecord());
    }
}
