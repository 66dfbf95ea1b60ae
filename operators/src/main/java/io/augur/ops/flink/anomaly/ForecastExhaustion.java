package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.ExhaustionForecaster;
import io.augur.ops.anomaly.ExhaustionForecaster.Forecast;
import io.augur.ops.anomaly.LimitCatalog;
import io.augur.ops.anomaly.LimitCatalog.Limit;
import io.augur.ops.detect.Statistics;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.RecentValues;
import io.augur.ops.flink.StateTtl;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.ExhaustionForecast;
import io.augur.ops.anomaly.StoredForecastHistory;
import io.augur.schema.ForecastHistory;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.MetricValue;
import io.augur.schema.ScoredDatapoint;
import io.augur.ops.resource.ResourceIdentities;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Keyed by series (only series with a limit, see {@link #hasLimit}; key: {@link #forecastKey}): downsamples the series
 * into buckets (the maximum when it rises towards its limit, the minimum when it falls), keeps a bounded history of them in keyed state, and
 * when a bucket closes (an event-time timer at its end, so every datapoint within the watermark's tolerance is in)
 * emits one {@link ExhaustionForecast}, timestamped at the bucket's end.
 *
 * <p>A metric that reports another series' limit (DynamoDB {@code ProvisionedWriteCapacityUnits} for
 * {@code ConsumedWriteCapacityUnits}, see {@link LimitCatalog#reportedLimitOf}) is keyed like that series, so its
 * newest value is kept in the same keyed state ({@code limitValue}) and is the limit of the forecasts.
 *
 * <p><b>Histories in memory</b> (issue 9): the histories of recent series are kept deserialized
 * ({@link RecentValues}, {@code forecastHistories}) and, run by a {@link WriteBackOperator} (as in the job), written to
 * the keyed state {@code forecast-history}, in their stored form, only before each checkpoint and savepoint, instead of
 * read and written there (on RocksDB a get, a put and a generic Avro round trip of the whole history) at every
 * datapoint. A series not in memory (after a restart, or beyond the capacity) is read from the keyed state as before;
 * expiry follows the state's TTL. The datapoints a history keeps are copies ({@link StoredForecastHistory#retained}): the
 * job reuses input records, so the datapoint at hand is overwritten by the next one.
 */
public class ForecastExhaustion extends KeyedProcessFunction<String, ScoredDatapoint, ExhaustionForecast>
        implements WriteBackOperator.WritesBack {
    public static final String STATE_NAME = "forecast-history";
    /** Series per task whose history is kept in memory, for the constructor without a capacity (the job's {@code anomaly.recent-forecasts} is {@code auto}). */
    public static final int DEFAULT_RECENT_FORECASTS = 10_000;
    /**
     * Heap per cached history, for {@code auto} capacities: a history at the default 50 h retention (200 closed buckets
     * in boxed lists, the newest datapoint, an open bucket's, pending limit reports) takes about 13.6 KB
     * ({@code ForecastHeapTest}, which fails when it grows past this figure over 1.2); a younger history far less.
     */
    public static final long HEAP_BYTES_PER_HISTORY = 16_500;
    /**
     * Of {@code cache.heap-share}, the part the forecaster's {@code auto} cache may fill, on top of the scoring chain's
     * caches: series with a limit are a minority of a fleet (7 % of the bench's) and a full history takes about 2.5 times
     * a chain series' heap, so this part of the share holds the full histories of every limited series of a task whose
     * chain caches are full when up to 6 % of its series have a limit (and far more young histories).
     */
    public static final double HEAP_SHARE_FRACTION = 0.15;

    private final AnomalySettings settings;
    private final LimitCatalog limits;
    private final CacheCapacity recentForecasts;
    private transient ExhaustionForecaster forecaster;
    private transient ValueState<ForecastHistory> history;
    private transient RecentValues<ForecastHistory> histories;
    private transient IoCounters counters;

    public ForecastExhaustion(AnomalySettings settings, LimitCatalog limits) {
        this(settings, limits, CacheCapacity.of(DEFAULT_RECENT_FORECASTS));
    }

    /** {@code recentForecasts}: series per task whose history is kept in memory ({@code anomaly.recent-forecasts}; 0: none). */
    public ForecastExhaustion(AnomalySettings settings, LimitCatalog limits, CacheCapacity recentForecasts) {
        this.settings = settings;
        this.limits = limits;
        this.recentForecasts = recentForecasts;
    }

    /** The forecaster's share of the caches' heap share ({@link #HEAP_SHARE_FRACTION}), at {@link #HEAP_BYTES_PER_HISTORY}. */
    public static CacheCapacity autoCapacity(double cachesHeapShare) {
        return CacheCapacity.auto(cachesHeapShare * HEAP_SHARE_FRACTION, HEAP_BYTES_PER_HISTORY);
    }

    /**
     * Only series with a limit, and metrics reporting a limit, go to the forecaster: a filter before the keyed operator,
     * so others cost nothing.
     */
    public static FilterFunction<ScoredDatapoint> hasLimit(LimitCatalog limits) {
        return p -> {
            MetricDatapoint dp = p.getDatapoint();
            return limits.limitFor(dp.getNamespace(), dp.getMetricName(), dp.getDimensions()) != null
                    || limits.reportedLimitOf(dp.getNamespace(), dp.getMetricName()) != null;
        };
    }

    /**
     * The forecaster's key: the series key, except for a metric reporting another series' limit, which takes the key
     * of that series (same account, region, namespace and dimensions), so both meet in one keyed state.
     */
    public static KeySelector<ScoredDatapoint, String> forecastKey(LimitCatalog limits) {
        return p -> {
            MetricDatapoint dp = p.getDatapoint();
            LimitCatalog.ReportedLimit r = limits.reportedLimitOf(dp.getNamespace(), dp.getMetricName());
            if (r == null) return p.getSeriesKey();
            return ResourceIdentities.seriesId(dp.getAccountId(), dp.getRegion(), dp.getNamespace(), r.metric(), dp.getDimensions()) + "|" + r.stat();
        };
    }

    public static ValueStateDescriptor<ForecastHistory> descriptor(AnomalySettings s) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(ForecastHistory.class)), s.stateTtl());
    }

    @Override
    public void open(Configuration parameters) {
        forecaster = new ExhaustionForecaster(settings);
        history = getRuntimeContext().getState(descriptor(settings));
        histories = RecentValues.open(getRuntimeContext(), "forecastHistories", recentForecasts, settings.stateTtl().toMillis(),
                (key, h) -> history.update(StoredForecastHistory.stored(h)));
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void close() throws Exception {
        if (histories != null) histories.close(); // gives its place in the thread's key slots back
        super.close();
    }

    @Override
    public List<RecentValues<?>> recentValues() {
        return List.of(histories);
    }

    @Override
    public void processElement(ScoredDatapoint p, Context ctx, Collector<ExhaustionForecast> out) throws Exception {
        MetricDatapoint dp = p.getDatapoint();
        if (limits.reportedLimitOf(dp.getNamespace(), dp.getMetricName()) != null) {
            reportLimit(ctx.getCurrentKey(), dp, ctx.timerService().currentWatermark());
            return;
        }
        Limit limit = limits.limitFor(dp.getNamespace(), dp.getMetricName(), dp.getDimensions());
        if (limit == null) return;
        double v = Statistics.value(dp, limit.stat());
        long ts = dp.getTimestamp();
        if (Double.isNaN(v)) return;
        long bucket = settings.bucket().toMillis();
        long start = Math.floorDiv(ts, bucket) * bucket;
        if (start + bucket <= ctx.timerService().currentWatermark()) {
            counters.inc("anomaly.forecast.latePoints", 1); // its bucket is closed already
            return;
        }
        String key = ctx.getCurrentKey();
        long now = System.currentTimeMillis(); // the state TTL's clock
        ForecastHistory h = readHistory(key, now);
        if (h == null) h = newHistory();
        MetricDatapoint kept = StoredForecastHistory.retained(dp, h);
        List<Long> starts = new ArrayList<>(h.getOpenStarts());
        List<Double> values = new ArrayList<>(h.getOpenValues());
        List<MetricDatapoint> newest = openLatest(h);
        int i = starts.indexOf(start);
        if (i < 0) {
            starts.add(start);
            values.add(v);
            newest.add(kept);
            ctx.timerService().registerEventTimeTimer(start + bucket);
        } else {
            values.set(i, limit.rising() ? Math.max(values.get(i), v) : Math.min(values.get(i), v));
            if (newest.get(i) == null || newest.get(i).getTimestamp() <= ts) newest.set(i, kept);
        }
        h.setOpenStarts(starts);
        h.setOpenValues(values);
        h.setOpenLatest(newest);
        histories.write(key, h, now);
    }

    /**
     * The newest datapoint of each open bucket. v2 state (restored from an older savepoint) kept only the newest datapoint
     * overall, updated on arrival: its open buckets get that one, which is what v2 would have shown for them.
     */
    private static List<MetricDatapoint> openLatest(ForecastHistory h) {
        List<MetricDatapoint> newest = new ArrayList<>(h.getOpenLatest());
        if (newest.size() != h.getOpenStarts().size()) {
            newest.clear();
            for (int k = 0; k < h.getOpenStarts().size(); k++) newest.add(h.getLatest());
        }
        return newest;
    }

    private static ForecastHistory newHistory() {
        return ForecastHistory.newBuilder().setBucketStarts(new ArrayList<>()).setBucketValues(new ArrayList<>())
                .setOpenStarts(new ArrayList<>()).setOpenValues(new ArrayList<>()).setOpenLatest(new ArrayList<>())
                .setPendingLimitTimes(new ArrayList<>()).setPendingLimitValues(new ArrayList<>()).build();
    }

    /**
     * A datapoint of the metric reporting this series' limit: it becomes the limit of the forecasts after its time, when
     * the bucket it falls in closes (reports arrive up to the watermark's tolerance ahead of a closing bucket, and which
     * of them have arrived depends on how the inputs interleave). A report older than every open bucket applies at once.
     */
    private void reportLimit(String key, MetricDatapoint dp, long watermark) throws Exception {
        double v = Statistics.value(dp, "Maximum");
        if (Double.isNaN(v) || v <= 0) return;
        long now = System.currentTimeMillis();
        ForecastHistory h = readHistory(key, now);
        if (h == null) h = newHistory();
        long ts = dp.getTimestamp();
        if (ts <= watermark) {
            applyLimit(h, ts, v);
        } else {
            List<Long> times = new ArrayList<>(h.getPendingLimitTimes());
            List<Double> values = new ArrayList<>(h.getPendingLimitValues());
            int at = 0;
            while (at < times.size() && times.get(at) <= ts) at++;
            times.add(at, ts);
            values.add(at, v);
            h.setPendingLimitTimes(times);
            h.setPendingLimitValues(values);
        }
        histories.write(key, h, now);
        counters.inc("anomaly.forecast.reportedLimits", 1);
    }

    /** The newest report wins; an older one arriving late changes nothing. */
    private static void applyLimit(ForecastHistory h, long time, double value) {
        if (h.getLimitTime() != null && h.getLimitTime() > time) return;
        h.setLimitValue(value);
        h.setLimitTime(time);
    }

    /** Puts in force the pending limit reports from before {@code t}. */
    private static void applyLimitsBefore(ForecastHistory h, long t) {
        List<Long> times = new ArrayList<>(h.getPendingLimitTimes());
        List<Double> values = new ArrayList<>(h.getPendingLimitValues());
        while (!times.isEmpty() && times.get(0) < t) {
            applyLimit(h, times.remove(0), values.remove(0));
        }
        h.setPendingLimitTimes(times);
        h.setPendingLimitValues(values);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<ExhaustionForecast> out) throws Exception {
        String key = ctx.getCurrentKey();
        long now = System.currentTimeMillis();
        ForecastHistory h = readHistory(key, now);
        if (h == null) return;
        long bucket = settings.bucket().toMillis();
        List<Long> openStarts = new ArrayList<>(h.getOpenStarts());
        List<Double> openValues = new ArrayList<>(h.getOpenValues());
        List<MetricDatapoint> openLatest = openLatest(h);
        int i = openStarts.indexOf(t - bucket);
        if (i < 0) return;
        List<Long> starts = new ArrayList<>(h.getBucketStarts());
        List<Double> values = new ArrayList<>(h.getBucketValues());
        starts.add(openStarts.remove(i));
        values.add(openValues.remove(i));
        MetricDatapoint newest = openLatest.remove(i);
        if (newest != null && (h.getLatest() == null || h.getLatest().getTimestamp() <= newest.getTimestamp())) h.setLatest(newest);
        h.setOpenLatest(openLatest);
        applyLimitsBefore(h, t);
        if (h.getLatest() == null) {
            histories.write(key, h, now);
            return;
        }
        long keepFrom = t - settings.historyRetention().toMillis();
        while (!starts.isEmpty() && starts.get(0) < keepFrom) {
            starts.remove(0);
            values.remove(0);
        }
        h.setBucketStarts(starts);
        h.setBucketValues(values);
        h.setOpenStarts(openStarts);
        h.setOpenValues(openValues);
        histories.write(key, h, now);

        MetricDatapoint dp = h.getLatest();
        Limit limit = limits.limitFor(dp.getNamespace(), dp.getMetricName(), dp.getDimensions(), h.getLimitValue());
        if (limit == null) return;
        int n = starts.size();
        long[] times = new long[n];
        double[] vals = new double[n];
        for (int k = 0; k < n; k++) {
            times[k] = starts.get(k) + bucket / 2;
            vals[k] = values.get(k);
        }
        Forecast f = forecaster.forecast(times, vals, n, t, limit.value(), limit.rising(), limit.seasonal());
        if (f == null) return;
        out.collect(toRecord(key, t, dp, limit, f, times, vals, n));
        counters.inc("anomaly.forecasts", 1);
    }

    private ExhaustionForecast toRecord(String key, long t, MetricDatapoint dp, Limit limit, Forecast f, long[] times, double[] vals, int n) {
        List<MetricValue> points = new ArrayList<>();
        double band = settings.confidenceZ() * f.residualScale();
        for (int k = Math.max(0, n - settings.contextPoints()); k < n; k++) {
            double fit = f.fitted(times[k]);
            points.add(MetricValue.newBuilder().setTimestamp(times[k] - settings.bucket().toMillis() / 2).setValue(vals[k])
                    .setExpected(fit).setLower(fit - band).setUpper(fit + band).build());
        }
        return ExhaustionForecast.newBuilder()
                .setSeriesKey(key).setTime(t).setStat(limit.stat()).setLimit(limit.value()).setRising(limit.rising())
                .setSeasonal(f.seasonal()).setLevel(f.level()).setSlopePerHour(f.slopePerHour())
                .setSlopeLowPerHour(f.slopeLow()).setSlopeHighPerHour(f.slopeHigh()).setResidualScale(f.residualScale())
                .setConfidence(f.confidence()).setReaches(f.reaches()).setReachAt(f.reachAt()).setReachEarliest(f.reachEarliest())
                .setReachLatest(f.reachLatest()).setSeverity(limit.severity()).setLimitDescription(limit.description())
                .setPoints(points).setDatapoint(dp).setAgreeingSince(null)
                .build();
    }

    /**
     * The current series' history as the forecaster works on it (null: none): from memory, else from the keyed state in
     * either stored form, then kept in memory as the state holds it. Every change is written back with
     * {@code histories.write} (stored thin: an open bucket's newest datapoint, by {@link StoredForecastHistory#stored}).
     */
    private ForecastHistory readHistory(String key, long now) throws Exception {
        ForecastHistory h = histories.get(key, now);
        if (h != null) return h;
        h = StoredForecastHistory.load(history.value());
        if (h != null) histories.put(key, h, now, false);
        return h;
    }
}
