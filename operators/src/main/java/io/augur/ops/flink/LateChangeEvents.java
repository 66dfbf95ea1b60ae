package io.augur.ops.flink;

import io.augur.schema.ChangeEvent;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;

/**
 * Decides once, right behind the change-event watermark assigner (chained, same parallelism), what a late change event
 * is: one at or behind the watermark of its own channel (CloudTrail and EventBridge deliver minutes late) is kept, and
 * re-timestamped to just ahead of that watermark (watermark + 1 ms), counted as {@code late.events}. Its own
 * {@code Time} is unchanged: that is what insights and tables show, and what related-event windows and deployment holds
 * measure from. The record timestamp is when event time learns of it: every event-time operator behind applies it at
 * that time, in event-time order with everything else, as it would a change event that happened then (a late deployment
 * still links to an insight as a cause when its own time is in the cause window; an anomaly that was decided before
 * event time reached it does not see it). Without this, each operator judged it against its own watermark, the minimum
 * of its inputs', which reaches it at a different moment from run to run.
 *
 * <p>An on-time change event passes with its own time as timestamp. Since a record ahead of its channel's watermark
 * here is ahead of every later operator's watermark, no operator behind sees a change event behind its watermark.
 */
public class LateChangeEvents extends ProcessFunction<ChangeEvent, ChangeEvent> {
    public static final String COUNTER = "late.events";
    private transient IoCounters counters;

    @Override
    public void open(Configuration parameters) {
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ChangeEvent e, Context ctx, Collector<ChangeEvent> out) {
        Long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (ts != null && ts <= watermark && watermark < Long.MAX_VALUE) {
            counters.inc(COUNTER, 1);
            ((TimestampedCollector<ChangeEvent>) out).setAbsoluteTimestamp(watermark + 1);
        }
        out.collect(e);
    }
}
