package io.augur.ops.flink;

import io.augur.schema.MetricDatapoint;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decides once, right behind the metric watermark assigner (chained, same parallelism), which datapoints are late:
 * a datapoint at or behind the watermark of its own channel goes to {@link #LATE} (counted as {@code late.metrics}),
 * every other one goes on. The watermark of an operator downstream is the minimum over its input channels, and each
 * channel's watermark travels in order with its records, so a datapoint ahead of its channel's watermark here is ahead
 * of every later operator's watermark too: the event-time operators behind never see a late datapoint (their own
 * checks stay as counters), and whether a datapoint is late depends only on the records before it on its channel,
 * not on how fast the other channels' watermarks travel.
 *
 * <p>A late datapoint is neither de-duplicated nor scored: the detector's baseline follows its series in event time,
 * and one behind the watermark would be scored against a baseline that has moved past it (and teach it an old value as
 * the newest: {@code BaselineDetector} takes a timestamp at or before the series' last as one step on); no pattern could
 * use it either. It is written to the late-points output as it was accepted. (With {@code watermark.idleness}, a channel
 * that wakes up after idling can be behind a downstream watermark that moved on without it; those datapoints are
 * counted by the anomaly step's own check, {@code anomaly.latePoints}.)
 */
public class LateDatapoints extends ProcessFunction<MetricDatapoint, MetricDatapoint> {
    public static final String COUNTER = "late.metrics";
    public static final OutputTag<MetricDatapoint> LATE = new OutputTag<>("late-datapoints", new AvroTypeInfo<>(MetricDatapoint.class));
    private transient IoCounters counters;

    @Override
    public void open(Configuration parameters) {
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(MetricDatapoint m, Context ctx, Collector<MetricDatapoint> out) {
        Long ts = ctx.timestamp();
        if (ts != null && ts <= ctx.timerService().currentWatermark()) {
            counters.inc(COUNTER, 1);
            ctx.output(LATE, m);
            return;
        }
        out.collect(m);
    }
}
