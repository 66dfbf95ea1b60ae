package io.augur.ops.flink;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.flink.anomaly.ReactivePattern;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.flink.anomaly.BurstCandidates;
import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap a task holds per cached series: the scoring chain's three functions (de-duplication, scoring, burst
 * candidates) run as in the job ({@link WriteBackOperator}s keyed alike, the same key object per datapoint) over
 * {@value #SERIES} series shaped like the pipeline bench's, the watermark 5 minutes behind event time, and everything
 * reachable from the thread's {@link KeySlots} (keys, cache entries, the values: de-duplication window, baseline,
 * lifecycle context and held datapoints) is counted with JOL's object graph (this JVM's real layout). Flink's heap
 * timers (one cleanup timer per series with held datapoints, about 100 B) are not in it.
 *
 * <p>{@link CacheCapacity#HEAP_BYTES_PER_SERIES} sizes the {@code auto} caches with this figure and headroom (what a
 * task's other objects and garbage need per cached series): the test fails when the in-memory forms outgrow it.
 * {@code -Daugur.heap.print=true} prints the figure by class.
 */
class HeapPerSeriesTest {
    static final int SERIES = 2_000;
    private static final long T0 = 1_767_571_200_000L; // 2026-01-05T00:00:00Z, as the bench
    private static final long MIN = 60_000L;

    static {
        System.setProperty("jol.magicFieldOffset", "true"); // field offsets of record classes (Unsafe refuses them)
    }

    /**
     * What the caches reach is not all a cached series costs: Flink's heap timer of its held datapoints, the key's share
     * of the state backend's and the network's objects, and the collector's room. {@code jmap -histo:live} of the
     * pipeline bench's process (every series cached) measures about 10 % more than this test per series
     * (docs/history/benchmarks.md, session 10); the figure the caches are sized with has room beyond that.
     */
    static final double HEADROOM = 1.3;

    @Test
    void theCachesAreSizedWithRoomAboveWhatASettledSeriesTakes() throws Exception {
        Layout settled = measure(SERIES, 120);
        print("120 minutes", settled);
        assertThat(settled.perSeries() * HEADROOM).as("heap per cached series after 2 hours, with room").isLessThanOrEqualTo(CacheCapacity.HEAP_BYTES_PER_SERIES);
    }

    @Test
    void aNewSeriesTakesLittleHeap() throws Exception {
        // after its first datapoint: the baseline's lists in their working forms already (no boxed numbers), the context's
        // values for one datapoint; what a million new series (a restart) make the young collections copy
        Layout first = measure(SERIES, 1);
        print("1 minute", first);
        assertThat(first.perSeries()).as("heap per cached series after its first datapoint").isLessThan(3_000);
    }

    /** {@code -Daugur.heap.minutes=N}: prints the figure after N minutes (to set beside a {@code jmap -histo:live} of the bench). */
    @Test
    void printsTheFigureAfterAnyNumberOfMinutes() throws Exception {
        int minutes = Integer.getInteger("augur.heap.minutes", 0);
        org.junit.jupiter.api.Assumptions.assumeTrue(minutes > 0, "-Daugur.heap.minutes not set");
        print(minutes + " minutes", measure(SERIES, minutes));
    }

    /** Bytes by class of everything the thread's caches reach, per series. */
    record Layout(int series, long total, Map<String, long[]> byClass) {
        double perSeries() {
            return total / (double) series;
        }
    }

    static Layout measure(int series, int minutes) throws Exception {
        KeySlots slots = KeySlots.ofCurrentThread();
        int keysBefore = slots.size(); // 0, unless a test before this one in the thread left a cache open
        GraphLayout before = GraphLayout.parseInstance(slots);
        Duration ttl = Duration.ofDays(2);
        int capacity = series * 2;
        DedupDatapoints dedup = new DedupDatapoints(Duration.ofHours(6), ttl, 4096, CacheCapacity.of(capacity));
        ScoreDatapoints score = new ScoreDatapoints(DetectorSettings.defaults(), Duration.ofDays(7), CacheCapacity.of(capacity));
        BurstCandidates burst = new BurstCandidates(AnomalySettings.defaults(), SeverityCatalog.builtIn(), CacheCapacity.of(capacity), 10);
        KeySelector<MetricDatapoint, String> key = ScoreDatapoints.seriesStatKey();
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, MetricDatapoint> d =
                     new KeyedOneInputStreamOperatorTestHarness<>(new WriteBackOperator<>(dedup), key, Types.STRING);
             KeyedOneInputStreamOperatorTestHarness<String, MetricDatapoint, ScoredDatapoint> s =
                     new KeyedOneInputStreamOperatorTestHarness<>(new WriteBackOperator<>(score), key, Types.STRING);
             KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> b =
                     new KeyedOneInputStreamOperatorTestHarness<>(new WriteBackOperator<>(burst), ScoredDatapoint::getSeriesKey, Types.STRING)) {
            d.open();
            s.open();
            b.open();
            for (int minute = 0; minute < minutes; minute++) {
                long wm = T0 + minute * MIN - 5 * MIN - 1; // watermark.out-of-orderness 5m
                d.processWatermark(new Watermark(wm));
                s.processWatermark(new Watermark(wm));
                b.processWatermark(new Watermark(wm));
                for (int i = 0; i < series; i++) {
                    MetricDatapoint m = datapoint(i, minute);
                    long ts = m.getTimestamp();
                    d.processElement(m, ts);
                    s.processElement(m, ts); // the same object: de-duplication forwards what it got
                    for (ScoredDatapoint x : s.extractOutputValues()) {
                        x.setSeriesKey(key.getKey(m)); // as in the chain: the key object the scoring operator set
                        x.setDatapoint(m);
                        b.processElement(x, ts);
                    }
                    d.getOutput().clear();
                    s.getOutput().clear();
                    clearSideOutputs(s);
                    b.getOutput().clear();
                    clearSideOutputs(b);
                }
            }
            assertThat(slots.size()).isEqualTo(keysBefore + series);
            return layout(series, GraphLayout.parseInstance(slots), before);
        }
    }

    private static void clearSideOutputs(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h) {
        for (var tag : List.of(ScoreDatapoints.ANOMALOUS_POINTS, BurstCandidates.LIFECYCLE_POINTS, ReactivePattern.LATE_POINTS)) {
            var q = h.getSideOutput(tag);
            if (q != null) q.clear();
        }
    }

    /** {@code g} less {@code before} (what the thread's slots held already), by class. */
    private static Layout layout(int series, GraphLayout g, GraphLayout before) {
        Map<String, long[]> byClass = new TreeMap<>();
        for (Class<?> c : g.getClasses()) byClass.put(c.getName(), new long[] {g.getClassCounts().count(c), g.getClassSizes().count(c)});
        for (Class<?> c : before.getClasses()) {
            long[] x = byClass.computeIfAbsent(c.getName(), k -> new long[2]);
            x[0] -= before.getClassCounts().count(c);
            x[1] -= before.getClassSizes().count(c);
        }
        return new Layout(series, g.totalSize() - before.totalSize(), byClass);
    }

    static void print(String what, Layout l) {
        if (!Boolean.getBoolean("augur.heap.print")) return;
        System.out.printf(Locale.ROOT, "heap per cached series, %s: %.0f B (%,d series)%n", what, l.perSeries(), l.series());
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(l.byClass().entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed());
        for (Map.Entry<String, long[]> e : rows) {
            System.out.printf(Locale.ROOT, "  %-70s %8.1f objects %8.1f B%n", e.getKey(), e.getValue()[0] / (double) l.series(),
                    e.getValue()[1] / (double) l.series());
        }
    }

    // ---- the bench's datapoints (job/.../bench/BenchData): ten metrics per resource, a daily cycle and noise ----------

    private record Metric(String namespace, String dimension, String prefix, String name, String unit, double base, double daily, double noise) {}

    private static final Metric[] METRICS = {
        new Metric("AWS/EC2", "InstanceId", "i-0bench", "CPUUtilization", "Percent", 35, 0.4, 0.08),
        new Metric("AWS/EC2", "InstanceId", "i-0bench", "NetworkIn", "Bytes", 4.0e7, 0.5, 0.1),
        new Metric("AWS/EC2", "InstanceId", "i-0bench", "DiskWriteOps", "Count", 900, 0.3, 0.15),
        new Metric("AWS/EC2", "InstanceId", "i-0bench", "StatusCheckFailed", "Count", 0, 0, 0),
        new Metric("AWS/Lambda", "FunctionName", "bench-fn-", "Invocations", "Count", 1200, 0.5, 0.08),
        new Metric("AWS/Lambda", "FunctionName", "bench-fn-", "Errors", "Count", 2, 0.5, 0.5),
        new Metric("AWS/Lambda", "FunctionName", "bench-fn-", "Duration", "Milliseconds", 120, 0.1, 0.05),
        new Metric("AWS/ApplicationELB", "LoadBalancer", "app/bench-alb-", "RequestCount", "Count", 9000, 0.5, 0.05),
        new Metric("AWS/ApplicationELB", "LoadBalancer", "app/bench-alb-", "TargetResponseTime", "Seconds", 0.08, 0.1, 0.05),
        new Metric("AWS/ApplicationELB", "LoadBalancer", "app/bench-alb-", "HealthyHostCount", "Count", 6, 0, 0),
    };
    private static final Resource NO_RESOURCE = new Resource("", "", "");

    /** Series {@code s} at {@code minute}, its strings new objects as a decoded record's are. */
    static MetricDatapoint datapoint(int s, int minute) {
        Metric m = METRICS[s % METRICS.length];
        int r = s / METRICS.length;
        long n = (long) minute * SERIES + s;
        double phase = (r * 37 % 240) - 120;
        double value = Math.max(0, m.base * (1 + m.daily * Math.sin(2 * Math.PI * (minute + phase) / 1440.0)) * (1 + m.noise * noise(n)));
        boolean average = !"Count".equals(m.unit);
        double count = average ? 60 : Math.max(1, Math.round(value));
        double sum = average ? value * count : Math.round(value);
        value = Float.parseFloat(Float.toString((float) value)); // the bench writes up to 6 significant digits
        String dim = fresh(m.prefix + r);
        return MetricDatapoint.newBuilder().setAccountId(fresh("123456789012")).setRegion(fresh("us-east-1"))
                .setSeriesId(fresh("123456789012|us-east-1|" + m.namespace + "|" + m.name + "|" + m.dimension + "=" + dim))
                .setNamespace(fresh(m.namespace)).setMetricName(fresh(m.name)).setDimensions(Map.of(fresh(m.dimension), dim))
                .setTimestamp(T0 + minute * MIN).setMin(average ? value * 0.7 : sum).setMax(average ? value * 1.3 : sum).setSum(sum).setCount(count)
                .setUnit(fresh(m.unit)).setResource(NO_RESOURCE).setPercentiles(Map.of()).build();
    }

    /** A string with its own bytes, as a decoded one has ({@code new String(String)} would share them). */
    private static String fresh(String s) {
        return new String(s.toCharArray());
    }

    private static double noise(long n) {
        long h = n * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        double a = (h & 0xFFFFFF) / (double) 0x1000000, b = ((h >>> 24) & 0xFFFFFF) / (double) 0x1000000;
        return a + b - 1;
    }
}
