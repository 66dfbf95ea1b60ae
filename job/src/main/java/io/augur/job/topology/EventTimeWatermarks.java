package io.augur.job.topology;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Event time for metrics and change events: bounded out-of-orderness, with the watermark emitted as soon as a record
 * moves it forward rather than on Flink's periodic timer. A record is then late exactly when it arrives after a record
 * more than the bound newer on the same channel, whatever the processing speed: a replay of the same files finds the same
 * late datapoints every time (with the periodic generator, a late datapoint fell on either side of the watermark
 * depending on when the 200 ms timer fired). The cost is one watermark per advance of the newest timestamp, which for
 * minute-aligned metric-stream datapoints is about one a minute per channel.
 *
 * <p>Idleness (a channel without records for {@code idle} stops holding back event time) is for unbounded sources. A
 * bounded replay does without it: a replay subtask that has nothing to read finishes, which releases event time, and
 * idleness, measured in processing time, would make what is late depend on how fast the machine is.
 */
public final class EventTimeWatermarks {
    private EventTimeWatermarks() {}

    public static <T> WatermarkStrategy<T> strategy(Duration outOfOrderness, Duration idle, boolean bounded, SerializableTimestampAssigner<T> time) {
        WatermarkStrategy<T> s = WatermarkStrategy.<T>forGenerator(ctx -> new Eager<>(outOfOrderness)).withTimestampAssigner(time);
        return bounded || idle == null || idle.isZero() ? s : s.withIdleness(idle);
    }

    /** Bounded out-of-orderness, emitted when it advances. */
    public static final class Eager<T> implements WatermarkGenerator<T> {
        private final long bound;
        private long emitted = Long.MIN_VALUE;

        public Eager(Duration outOfOrderness) {
            if (outOfOrderness.isNegative()) throw new IllegalArgumentException("out-of-orderness must not be negative");
            this.bound = outOfOrderness.toMillis();
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            long wm = timestamp - bound - 1;
            if (timestamp > Long.MIN_VALUE + bound + 1 && wm > emitted) {
                emitted = wm;
                output.emitWatermark(new Watermark(wm));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // everything was emitted on arrival; re-emitting marks an output active again after idleness
            if (emitted != Long.MIN_VALUE) output.emitWatermark(new Watermark(emitted));
        }
    }
}
