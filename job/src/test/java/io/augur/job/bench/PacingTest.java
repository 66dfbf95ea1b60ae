package io.augur.job.bench;

import io.augur.job.topology.EventTimeWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The paced run's clock, the insight release rule and the percentiles of the latency bench. */
class PacingTest {
    private static final long OOO = 300_000;

    @Test
    void interleaveCoversEveryNumberOnceAndAlternatesTheTwoHalves() {
        for (long count : new long[] {1, 2, 7, 10, 1001}) {
            Set<Long> seen = new HashSet<>();
            long half = (count + 1) / 2;
            for (long seq = 0; seq < count; seq++) {
                long n = Pacing.interleave(seq, count);
                assertThat(n).isBetween(0L, count - 1);
                assertThat(seen.add(n)).as("count %d seq %d", count, seq).isTrue();
                // the first half (one source subtask) gives the even numbers, the second the odd ones
                assertThat(n % 2 == 0).isEqualTo(seq < half);
            }
            assertThat(seen).hasSize((int) count);
        }
    }

    @Test
    void dueTimeCountsFromTheRunsFirstDatapoint() {
        Pacing p = new Pacing(1_000_000_000L, 50_000, 700_000, 300_000, 10_000, OOO);
        assertThat(p.dueNanos(700_000)).isEqualTo(1_000_000_000L);
        assertThat(p.dueNanos(700_001)).isEqualTo(1_000_000_000L + 20_000);
        assertThat(p.dueNanos(750_000)).isEqualTo(2_000_000_000L);
        assertThat(p.inRun(699_999)).isFalse();
        assertThat(p.inRun(700_000)).isTrue();
        assertThat(p.inRun(999_999)).isTrue();
        assertThat(p.inRun(1_000_000)).isFalse();
    }

    /**
     * The release index is the first datapoint after which the job's watermark (the real generator, minimum over the two
     * source subtasks that take even and odd numbers) is at or past the insight event's time.
     */
    @Test
    void releaseIndexIsTheRecordAfterWhichTheWatermarkReachesTheEventTime() {
        int series = 20;
        Pacing p = new Pacing(0, 1000, 0, series * 30L, series, OOO);
        long start = BenchData.START;
        List<Long> times = List.of(
                start + 10 * 60_000L,                       // a timer or held input at a minute (an anomaly's timestamp)
                start + 12 * 60_000L - OOO - 1,             // the watermark itself (an input applied when it arrived behind it)
                start + 13 * 60_000L + 1,                   // just after a minute
                start + 14 * 60_000L - 1);                  // just before one
        for (long t : times) {
            long release = p.releaseIndex(t);
            assertThat(watermarkAfter(release, series)).as("time %d", t).isGreaterThanOrEqualTo(t);
            assertThat(watermarkAfter(release - 1, series)).as("time %d", t).isLessThan(t);
        }
        assertThat(p.releaseIndex(start + 10 * 60_000L)).isEqualTo(16L * series + 1); // 10 min + 5 min + 1 ms -> minute 16
    }

    @Test
    void eventTimesBeforeTheRunOrAfterTheInputAreReleasedByItsFirstRecordsOrItsEnd() {
        Pacing p = new Pacing(0, 1000, 400, 200, 20, OOO);
        assertThat(p.releaseIndex(BenchData.START)).isEqualTo(401);
        assertThat(p.inRun(p.releaseIndex(BenchData.START + 60 * 60_000L))).isFalse();
        assertThat(p.releaseIndex(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE); // the end of input's final advance
        assertThat(p.inRun(p.releaseIndex(Long.MAX_VALUE))).isFalse();
    }

    @Test
    void summaryIsTheNearestRankBelow() {
        long[] xs = new long[200];
        for (int i = 0; i < 200; i++) xs[i] = (200 - i) * 1_000_000L; // 200 ms down to 1 ms, unsorted
        double[] q = Pacing.summary(xs, 200);
        assertThat(q[0]).isEqualTo(100.0); // sorted[floor(0.5 * 199)] = sorted[99] = 100 ms
        assertThat(q[1]).isEqualTo(198.0); // sorted[floor(0.99 * 199)] = sorted[197]
        assertThat(q[2]).isEqualTo(200.0);
        assertThat(q[3]).isEqualTo(200.0);
        assertThat(Pacing.summary(new long[4], 0)[3]).isZero();
        assertThat(Pacing.summary(new long[4], 0)[1]).isNaN();
    }

    @Test
    void latenciesSummariseARangeOfDatapointNumbers() {
        PipelineBench.Latencies l = new PipelineBench.Latencies(100);
        for (int n = 0; n < 30; n++) l.add(n, n < 10 ? 1_000_000_000L : 1_000_000L * n);
        double[] cold = l.summary(0, 10);
        double[] steady = l.summary(10, 30);
        assertThat(cold[3]).isEqualTo(10);
        assertThat(cold[1]).isEqualTo(1000.0);
        assertThat(steady[3]).isEqualTo(20);
        assertThat(steady[2]).isEqualTo(29.0);
        assertThat(l.summary(25)[3]).isEqualTo(5);
    }

    @Test
    void insightEventsAreTimedFromTheirReleaseAndThoseOfTheEndOfInputCounted() throws Exception {
        int series = 10;
        Pacing p = new Pacing(5_000_000_000L, 100, 0, series * 30L, series, OOO);
        long t = BenchData.START + 10 * 60_000L; // released by datapoint 161, due 1.61 s after t0
        String body = "{\"Entries\":[{\"Detail\":\"{}\",\"DetailType\":\"DevOps Guru New Insight Open\",\"Source\":\"aws.devops-guru\",\"Time\":"
                + (t / 1000.0) + "},{\"Detail\":\"{}\",\"DetailType\":\"DevOps Guru Insight Closed\",\"Time\":\""
                + java.time.Instant.ofEpochMilli(Long.MAX_VALUE) + "\"}]}";
        List<PipelineBench.InsightArrival> a = PipelineBench.arrivals(body, 5_000_000_000L + 1_610_000_000L + 250_000_000L);
        assertThat(a).extracting(PipelineBench.InsightArrival::timeMs).containsExactly(t, Long.MAX_VALUE);
        PipelineBench.InsightLatency l = PipelineBench.insightLatency(p, a, 100);
        assertThat(l.events()).isEqualTo(2);
        assertThat(l.samples()).isEqualTo(1);
        assertThat(l.releasedInWarmUp()).isZero();
        assertThat(l.releasedByEndOfInput()).isEqualTo(1);
        assertThat(l.p99Ms()).isEqualTo(250.0);
        assertThat(l.eventsByType()).containsEntry("DevOps Guru New Insight Open", 1L).containsEntry("DevOps Guru Insight Closed", 1L);
        // measured from datapoint 200 on, the event released by datapoint 161 belongs to the warm-up
        PipelineBench.InsightLatency w = PipelineBench.insightLatency(p, a, 200);
        assertThat(w.samples()).isZero();
        assertThat(w.releasedInWarmUp()).isEqualTo(1);
        assertThat(w.p99Ms()).isNaN();
    }

    /** The job's watermark after datapoints 0..n of the bench's input: the job's own generator on each source subtask. */
    private static long watermarkAfter(long n, int series) {
        long[] marks = new long[2];
        for (int subtask = 0; subtask < 2; subtask++) {
            EventTimeWatermarks.Eager<Object> g = new EventTimeWatermarks.Eager<>(Duration.ofMillis(OOO));
            long[] last = {Long.MIN_VALUE};
            WatermarkOutput out = new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark w) {
                    last[0] = w.getTimestamp();
                }

                @Override
                public void markIdle() {
                }

                @Override
                public void markActive() {
                }
            };
            for (long k = subtask; k <= n; k += 2) g.onEvent(null, BenchData.START + (k / series) * 60_000L, out);
            marks[subtask] = last[0];
        }
        return Math.min(marks[0], marks[1]);
    }
}
