package io.augur.ops.flink.dedup;

import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.deadletter.DeadLetters;
import io.augur.ops.dedup.RecentTimestamps;
import io.augur.ops.flink.IoCounters;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Keyed by series id: drops datapoints already accepted (at-least-once delivery), sending them to the dead-letter
 * output as DUPLICATE. State: the last few timestamps per series ({@link SeriesSeen}), expired when a series is silent
 * for the TTL.
 */
public class DedupDatapoints extends KeyedProcessFunction<String, MetricDatapoint, MetricDatapoint> {
    public static final String STATE_NAME = "series-seen";
    private final int capacity;
    private final Duration ttl;
    private final int deadLetterPayloadChars;
    private transient ValueState<SeriesSeen> seen;
    private transient IoCounters counters;

    public DedupDatapoints(int capacity, Duration ttl, int deadLetterPayloadChars) {
        this.capacity = capacity;
        this.ttl = ttl;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    public static ValueStateDescriptor<SeriesSeen> descriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(SeriesSeen.class)), ttl);
    }

    @Override
    public void open(Configuration parameters) {
        seen = getRuntimeContext().getState(descriptor(ttl));
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(MetricDatapoint m, Context ctx, Collector<MetricDatapoint> out) throws Exception {
        SeriesSeen s = seen.value();
        List<Long> recent = s == null ? new ArrayList<>(capacity + 1) : new ArrayList<>(s.getRecent());
        if (RecentTimestamps.add(recent, m.getTimestamp(), capacity)) {
            seen.update(SeriesSeen.newBuilder().setRecent(recent).build());
            out.collect(m);
        } else {
            counters.duplicate(IoCounters.ACCEPTED_METRICS);
            ctx.output(SideOutputs.DEAD_LETTERS, DeadLetters.of(DeadLetterReason.DUPLICATE,
                    "datapoint already received for series " + m.getSeriesId() + " at " + m.getTimestamp(),
                    "dedup", ctx.timerService().currentProcessingTime(),
                    RecordJson.metric(m).getBytes(StandardCharsets.UTF_8), deadLetterPayloadChars));
        }
    }
}
