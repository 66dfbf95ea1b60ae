package io.augur.ops.flink.anomaly;

import io.augur.ops.flink.IoCounters;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts the datapoints that reached the patterns behind the watermark ({@code anomaly.latePoints}) and passes their
 * datapoints on (the late-points output). Lateness is decided before scoring ({@link io.augur.ops.flink.LateDatapoints}),
 * so only a channel that wakes up after idling, behind a watermark that moved on without it, brings any here: they
 * were scored and are in the metrics output, but no pattern uses them.
 */
public class CountLatePoints extends ProcessFunction<ScoredDatapoint, MetricDatapoint> {
    public static final String COUNTER = "anomaly.latePoints";
    private transient IoCounters counters;

    @Override
    public void open(Configuration parameters) {
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ScoredDatapoint p, Context ctx, Collector<MetricDatapoint> out) {
        counters.inc(COUNTER, 1);
        out.collect(p.getDatapoint());
    }
}
