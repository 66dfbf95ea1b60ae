package io.augur.ops.flink.dedup;

import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.deadletter.DeadLetters;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.SideOutputs;
import io.augur.ops.flink.StateTtl;
import io.augur.ops.format.RecordJson;
import io.augur.schema.ChangeEvent;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Keyed by event id: an event id seen within the TTL is a duplicate (CloudTrail and EventBridge repeat events). */
public class DedupChangeEvents extends KeyedProcessFunction<String, ChangeEvent, ChangeEvent> {
    public static final String STATE_NAME = "event-seen";
    private final Duration ttl;
    private final int deadLetterPayloadChars;
    private transient ValueState<Long> firstSeen;
    private transient IoCounters counters;

    public DedupChangeEvents(Duration ttl, int deadLetterPayloadChars) {
        this.ttl = ttl;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    public static ValueStateDescriptor<Long> descriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>(STATE_NAME, Types.LONG), ttl);
    }

    @Override
    public void open(Configuration parameters) {
        firstSeen = getRuntimeContext().getState(descriptor(ttl));
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ChangeEvent e, Context ctx, Collector<ChangeEvent> out) throws Exception {
        if (firstSeen.value() == null) {
            firstSeen.update(ctx.timerService().currentProcessingTime());
            out.collect(e);
        } else {
            counters.duplicate(IoCounters.ACCEPTED_EVENTS);
            ctx.output(SideOutputs.DEAD_LETTERS, DeadLetters.of(DeadLetterReason.DUPLICATE,
                    "change event " + e.getId() + " already received", "dedup",
                    ctx.timerService().currentProcessingTime(),
                    RecordJson.changeEvent(e).getBytes(StandardCharsets.UTF_8), deadLetterPayloadChars));
        }
    }
}
