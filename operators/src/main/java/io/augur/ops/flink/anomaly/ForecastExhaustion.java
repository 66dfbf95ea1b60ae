package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.ExhaustionForecaster;
import io.augur.ops.anomaly.ExhaustionForecaster.Forecast;
import io.augur.ops.anomaly.LimitCatalog;
import io.augur.ops.anomaly.LimitCatalog.Limit;
import io.augur.ops.detect.Statistics;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.StateTtl;
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
 */
public class ForecastExhaustion extends KeyedProcessFunction<String, ScoredDatapoint, ExhaustionForecast> {
    public static final String STATE_NAME = "forecast-history";

    private final AnomalySettings settings;
    private final LimitCatalog limits;
    private transient ExhaustionForecaster forecaster;
    private transient ValueState<ForecastHistory> history;
    private transient IoCounters counters;

    public ForecastExhaustion(AnomalySettings settings, LimitCatalog limits) {
        this.settings = settings;
        this.limits = limits;
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
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ScoredDatapoint p, Context ctx, Collector<ExhaustionForecast> out) throws Exception {
        MetricDatapoint dp = p.getDatapoint();
        if (limits.reportedLimitOf(dp.getNamespace(), dp.getMetricName()) != null) {
            reportLimit(dp, ctx.timerService().currentWatermark());
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
        ForecastHistory h = readHistory();
        if (h == null) h = newHistory();
        List<Long> starts = new ArrayList<>(h.getOpenStarts());
        List<Double> values = new ArrayList<>(h.getOpenValues());
        List<MetricDatapoint> newest = openLatest(h);
        int i = starts.indexOf(start);
        if (i < 0) {
            starts.add(start);
            values.add(v);
            newest.add(dp);
            ctx.timerService().registerEventTimeTimer(start + bucket);
        } else {
            values.set(i, limit.rising() ? Math.max(values.get(i), v) : Math.min(values.get(i), v));
            if (newest.get(i) == null || newest.get(i).getTimestamp() <= ts) newest.set(i, dp);
        }
        h.setOpenStarts(starts);
        h.setOpenValues(values);
        h.setOpenLatest(newest);
        writeHistory(h);
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
    private void reportLimit(MetricDatapoint dp, long watermark) throws Exception {
        double v = Statistics.value(dp, "Maximum");
        if (Double.isNaN(v) || v <= 0) return;
        ForecastHistory h = readHistory();
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
        writeHistory(h);
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
        ForecastHistory h = readHistory();
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
            writeHistory(h);
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
        writeHistory(h);

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
        out.collect(toRecord(ctx.getCurrentKey(), t, dp, limit, f, times, vals, n));
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

    /** The current series' history as the forecaster works on it, from either stored form (null: none). */
    private ForecastHistory readHistory() throws Exception {
        return StoredForecastHistory.load(history.value());
    }

    /** Stores {@code h} as the current series' history, in its stored form (an open bucket's newest datapoint thin). */
    private void writeHistory(ForecastHistory h) throws Exception {
        history.update(StoredForecastHistory.stored(h));
    }
}
