package io.augur.ops.flink;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Locale;

/**
 * How many series a task keeps in one of its {@link RecentValues} caches: a fixed number, or {@code auto}, a share of
 * the heap of the task's slot. A series beyond the cache reads and writes its keyed state at every datapoint (on
 * RocksDB a point read and an Avro round trip), which halves the pipeline's throughput when most series are beyond it,
 * so the cache should hold every series of the task when the heap allows; with {@code auto} it does on a heap that
 * can, without the operator sizing it by hand. Resolved on the task manager, when the function opens, from its JVM's
 * maximum heap and its number of slots.
 */
public final class CacheCapacity implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CacheCapacity.class);

    /**
     * Heap per series held in all three caches of the scoring chain together (de-duplication window, baseline, reactive
     * context and held datapoints), with room: a settled series takes about 4.6 KB in the caches ({@code HeapPerSeriesTest},
     * which fails when that grows past this figure over 1.3) and about 10 % more in the whole process ({@code jmap
     * -histo:live} of the pipeline bench, docs/history/benchmarks.md, session 10). Session 8's 8,500 B was measured before the compact
     * forms. The three caches of a task hold the same series, so each is sized with this whole figure.
     */
    public static final long HEAP_BYTES_PER_SERIES = 6_500;
    /** Bounds of an automatic capacity: a small heap still caches a useful number, a huge one no absurd number. */
    static final int AUTO_MIN = 1_000;
    static final int AUTO_MAX = 5_000_000;

    private final int series;
    private final double heapShare;
    /** Heap per series an automatic capacity is sized with (0 for a fixed capacity). */
    private final long bytesPerSeries;

    private CacheCapacity(int series, double heapShare, long bytesPerSeries) {
        this.series = series;
        this.heapShare = heapShare;
        this.bytesPerSeries = bytesPerSeries;
    }

    /** At most {@code series} series per task; 0: none. */
    public static CacheCapacity of(int series) {
        if (series < 0) throw new IllegalArgumentException("a cache holds 0 or more series, not " + series);
        return new CacheCapacity(series, 0, 0);
    }

    /** As many series per task as {@code heapShare} of the slot's heap holds, at {@link #HEAP_BYTES_PER_SERIES} each. */
    public static CacheCapacity auto(double heapShare) {
        return auto(heapShare, HEAP_BYTES_PER_SERIES);
    }

    /**
     * As many series per task as {@code heapShare} of the slot's heap holds, at {@code bytesPerSeries} each: for a cache
     * of another operator than the scoring chain, whose values have their own size (the forecaster's histories).
     */
    public static CacheCapacity auto(double heapShare, long bytesPerSeries) {
        if (!(heapShare > 0 && heapShare < 1)) throw new IllegalArgumentException("the caches' heap share is a fraction in (0,1), not " + heapShare);
        if (bytesPerSeries <= 0) throw new IllegalArgumentException("a series takes some heap, not " + bytesPerSeries + " B");
        return new CacheCapacity(-1, heapShare, bytesPerSeries);
    }

    /** The heap per series an automatic capacity is sized with. */
    public long bytesPerSeries() {
        return bytesPerSeries;
    }

    public boolean isAuto() {
        return series < 0;
    }

    /**
     * Series per task for an automatic capacity: {@code heapShare} of the heap per slot over the heap per series,
     * within [{@value #AUTO_MIN}, {@value #AUTO_MAX}].
     */
    public static int seriesPerTask(long maxHeapBytes, int slotsPerTaskManager, double heapShare, long bytesPerSeries) {
        double n = (double) maxHeapBytes / Math.max(1, slotsPerTaskManager) * heapShare / bytesPerSeries;
        return (int) Math.max(AUTO_MIN, Math.min(AUTO_MAX, Math.floor(n)));
    }

    /** The capacity for the task of {@code context} (logged once per cache when automatic). */
    public int resolve(RuntimeContext context, String cache) {
        if (!isAuto()) return series;
        long heap = Runtime.getRuntime().maxMemory();
        int slots = slotsPerTaskManager(context);
        int n = seriesPerTask(heap, slots, heapShare, bytesPerSeries());
        LOG.info("cache {} (subtask {}): auto capacity {} series ({} % of a {} MB heap over {} slot(s), {} B per series)", cache,
                context.getTaskInfo().getIndexOfThisSubtask(), n, String.format(Locale.ROOT, "%.0f", heapShare * 100),
                heap >> 20, slots, bytesPerSeries());
        return n;
    }

    /** The task manager's slots, from its configuration (1 where it is not known, e.g. in an operator test harness). */
    static int slotsPerTaskManager(RuntimeContext context) {
        if (context instanceof StreamingRuntimeContext s) {
            try {
                return Math.max(1, s.getTaskManagerRuntimeInfo().getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS));
            } catch (RuntimeException e) {
                return 1;
            }
        }
        return 1;
    }

    @Override
    public String toString() {
        if (!isAuto()) return Integer.toString(series);
        return bytesPerSeries == HEAP_BYTES_PER_SERIES ? "auto (" + heapShare + " of the slot's heap)"
                : "auto (" + heapShare + " of the slot's heap at " + bytesPerSeries + " B per series)";
    }
}
