package io.augur.job.bench;

/**
 * The plan of the steady-state latency run: the full pipeline restored from the full run's checkpoint, fed the input's
 * minutes after it at the paced rate. Minutes {@code startMinute .. measuredFromMinute - 1} are the warm-up, the rest are
 * measured:
 * <ul>
 *   <li>the warm-up is at least one pass over every series (each series' state read back from RocksDB into the caches,
 *   as after a restart) and at least {@code watermark.idleness} plus {@value #MARGIN_SECONDS} s of wall time at the
 *   paced rate: the bench has no change events, and until their (empty) channel counts as idle it holds back the
 *   watermark of everything that also takes change events (insight correlation), as in the first minute of any job;
 *   the restore and deployment of the job fall in it too;</li>
 *   <li>the measured part is at least {@value #MIN_MEASURED_MINUTES} minutes and {@code latencySeconds} of data, and,
 *   when the restored baselines are warm (at least {@value #WARM_BASELINE_MINUTES} minutes of history: the detector's
 *   default warm-up is an hour), {@value #INSIGHT_MINUTES} minutes with {@link BenchData}'s incident starting in its
 *   second minute, so that insights open within the run.</li>
 * </ul>
 *
 * @param startMinute        the first minute of the run: the minute after the newest datapoint in the checkpoint
 * @param measuredFromMinute the first measured minute
 * @param endMinute          the minute after the run's last
 * @param inputMinutes       the input length BenchData places the incident by ({@link Integer#MAX_VALUE}: none)
 */
public record SteadyRun(long startMinute, long measuredFromMinute, long endMinute, int series, double rate, int inputMinutes, long outOfOrdernessMs) {
    static final double MARGIN_SECONDS = 10;
    static final int MIN_MEASURED_MINUTES = 2;
    static final int WARM_BASELINE_MINUTES = 60;
    static final int INSIGHT_MINUTES = 20;

    /**
     * @param checkpointMaxIndex the highest datapoint number in the full run's checkpoint
     * @param rate               datapoints per second offered
     */
    public static SteadyRun plan(long checkpointMaxIndex, int series, double rate, int latencySeconds, long idlenessMs, long outOfOrdernessMs) {
        long start = checkpointMaxIndex / series + 1;
        long warm = Math.max(1, (long) Math.ceil((idlenessMs / 1000.0 + MARGIN_SECONDS) * rate / series));
        long from = start + warm;
        boolean warmBaselines = start >= WARM_BASELINE_MINUTES;
        long measured = Math.max(Math.max(MIN_MEASURED_MINUTES, (long) Math.ceil(latencySeconds * rate / series)), warmBaselines ? INSIGHT_MINUTES : 0);
        return new SteadyRun(start, from, from + measured, series, rate, warmBaselines ? incidentMinutes(from + 1) : Integer.MAX_VALUE, outOfOrdernessMs);
    }

    /** The input length (minutes) for which BenchData's incident (at 60 % of it) starts at minute {@code from} or the one after. */
    static int incidentMinutes(long from) {
        int m = (int) Math.ceil(from * 10 / 6.0);
        while ((long) m * 6 / 10 < from) m++;
        return m;
    }

    public boolean incident() {
        return inputMinutes != Integer.MAX_VALUE;
    }

    public long first() {
        return startMinute * series;
    }

    public long count() {
        return (endMinute - startMinute) * series;
    }

    public Pacing pacing(long t0Nanos) {
        return new Pacing(t0Nanos, rate, first(), count(), series, outOfOrdernessMs);
    }
}
