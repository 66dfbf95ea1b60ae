package io.augur.job.topology;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeWatermarksTest {
    static final class Out implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        int idle;

        @Override
        public void emitWatermark(Watermark w) {
            watermarks.add(w.getTimestamp());
        }

        @Override
        public void markIdle() {
            idle++;
        }

        @Override
        public void markActive() {
        }
    }

    @Test
    void theWatermarkFollowsTheNewestRecordAtOnceAndNeverGoesBack() {
        EventTimeWatermarks.Eager<String> g = new EventTimeWatermarks.Eager<>(Duration.ofMinutes(5));
        Out out = new Out();
        long min = 60_000;
        g.onEvent("a", 10 * min, out);
        g.onEvent("b", 10 * min, out);  // same newest timestamp: nothing new
        g.onEvent("c", 7 * min, out);   // older: nothing
        g.onEvent("d", 11 * min, out);
        assertThat(out.watermarks).containsExactly(5 * min - 1, 6 * min - 1);
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(5 * min - 1, 6 * min - 1, 6 * min - 1);
    }

    @Test
    void nothingIsEmittedBeforeTheFirstRecord() {
        EventTimeWatermarks.Eager<String> g = new EventTimeWatermarks.Eager<>(Duration.ofMinutes(5));
        Out out = new Out();
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).isEmpty();
    }
}
