package io.augur.job.bench;

import java.util.Arrays;

/**
 * The clock of a paced bench run, as plain arithmetic: which datapoint each generated record is, when it is due, and
 * which record released an insight event. Datapoint {@code n} of the bench's input is minute {@code n / series} of series
 * {@code n % series} ({@link BenchData}); a paced run emits datapoints {@code first .. first + count - 1}, datapoint
 * {@code n} due at {@code t0 + (n - first) / rate} (its ingest time: the clock starts at the scheduled emission, so a
 * source that falls behind its schedule counts as latency).
 *
 * @param t0Nanos          the first emission ({@link System#nanoTime})
 * @param rate             datapoints per second offered
 * @param first            the first datapoint number of the run (0 for a fresh job; after a restore, the first minute
 *                         after the checkpoint)
 * @param count            datapoints in the run
 * @param series           series in the input
 * @param outOfOrdernessMs the job's {@code watermark.out-of-orderness}
 */
public record Pacing(long t0Nanos, double rate, long first, long count, int series, long outOfOrdernessMs) {
    /**
     * The datapoint number of sequence number {@code seq} of a run of {@code count} records. The sequence source gives each
     * of its two subtasks one half; interleaving them (even numbers from the first half, odd from the second) makes both
     * advance event time together.
     */
    public static long interleave(long seq, long count) {
        long half = (count + 1) / 2;
        return seq < half ? 2 * seq : 2 * (seq - half) + 1;
    }

    /** When datapoint {@code n} is due (its ingest time), in {@link System#nanoTime} terms. */
    public long dueNanos(long n) {
        return t0Nanos + (long) ((n - first) * 1e9 / rate);
    }

    /**
     * The datapoint whose ingest released an insight event of event time {@code timeMs} ({@code InsightNotification.time},
     * EventBridge's {@code Time}). The insight correlation stamps an event with the event time at which it was applied:
     * the time of a held input or timer that fired when the watermark reached it, or the watermark itself for an input
     * that arrived behind it. Either way the event could not exist before the watermark reached {@code timeMs}, and the
     * watermark ({@code EventTimeWatermarks}: newest timestamp - out-of-orderness - 1 ms, emitted at once, the minimum
     * over the two source subtasks downstream) reaches it with the first record of the first minute whose timestamp is
     * at least {@code timeMs + out-of-orderness + 1 ms} on both subtasks: the later of that minute's first two
     * datapoints (even numbers on one subtask, odd on the other), i.e. {@code minute * series + 1}. A run's watermark starts
     * from nothing (a restored job's too), so an event time before the run's first minute was released by the run's
     * first two records ({@code first + 1}); one beyond the input (the end of input stamps {@code Long.MAX_VALUE}) gives
     * {@code Long.MAX_VALUE}.
     */
    public long releaseIndex(long timeMs) {
        if (timeMs > Long.MAX_VALUE / 4) return Long.MAX_VALUE;
        long since = timeMs + outOfOrdernessMs + 1 - BenchData.START;
        long minute = Math.max(0, Math.floorDiv(since + 59_999, 60_000L));
        if (minute >= (Long.MAX_VALUE - 1) / series) return Long.MAX_VALUE;
        return Math.max(first + 1, minute * series + 1);
    }

    /** Whether datapoint {@code n} is in this run (a release index past its end means the end of input released it). */
    public boolean inRun(long n) {
        return n >= first && n < first + count;
    }

    /**
     * p50, p99 and max of the first {@code size} values (nanoseconds), in milliseconds, and the count: the nearest rank
     * below ({@code sorted[floor(q * (size - 1))]}). NaN when empty. Sorts that part of the array.
     */
    public static double[] summary(long[] nanos, int size) {
        if (size == 0) return new double[] {Double.NaN, Double.NaN, Double.NaN, 0};
        Arrays.sort(nanos, 0, size);
        return new double[] {nanos[(int) (0.50 * (size - 1))] / 1e6, nanos[(int) (0.99 * (size - 1))] / 1e6, nanos[size - 1] / 1e6, size};
    }
}
