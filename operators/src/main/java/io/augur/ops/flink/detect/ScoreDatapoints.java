package io.augur.ops.flink.detect;

import io.augur.ops.detect.BaselineDetector;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.detect.Score;
import io.augur.ops.detect.Statistics;
import io.augur.ops.detect.StoredBaseline;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.RecentValues;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.ops.flink.StateTtl;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ScoredDatapoint;
import io.augur.schema.SeriesBaseline;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.List;

/**
 * Keyed by series and statistic: scores every datapoint against the series' learned baseline (kept in keyed state,
 * RocksDB in production) and updates it. All scores go out; points at or over the metric's sensitivity, in a direction
 * the metric cares about ({@link DetectorSettings#threshold(String, String)} and
 * {@link DetectorSettings#direction(String, String)}), also go to {@link #ANOMALOUS_POINTS}. A thin shell around
 * {@link BaselineDetector}.
 */
public class ScoreDatapoints extends KeyedProcessFunction<String, MetricDatapoint, ScoredDatapoint> implements WriteBackOperator.WritesBack {
    public static final String STATE_NAME = "series-baseline";
    public static final OutputTag<ScoredDatapoint> ANOMALOUS_POINTS =
            new OutputTag<>("anomalous-points", new AvroTypeInfo<>(ScoredDatapoint.class));

    private final DetectorSettings settings;
    private final Duration ttl;
    private final CacheCapacity recentBaselines;
    private transient BaselineDetector detector;
    private transient ValueState<SeriesBaseline> baseline;
    /**
     * Series just scored: the baseline deserialized (a read of the state is an Avro deserialization on RocksDB) with
     * the series' alert settings, so that one lookup per datapoint finds both.
     */
    private transient RecentValues<Series> recent;
    private transient IoCounters counters;

    /**
     * @param settings the detector and the alert settings (default sensitivity, per-namespace and per-metric
     *                 sensitivity and direction overrides)
     * @param ttl      a series silent this long loses its baseline
     */
    public ScoreDatapoints(DetectorSettings settings, Duration ttl) {
        this(settings, ttl, DEFAULT_RECENT_BASELINES);
    }

    /**
     * @param recentBaselines how many series' baselines each task keeps deserialized next to the keyed state (written
     *                        through: the state stays the truth), so that a series' next datapoint does not read its
     *                        baseline back; 0: none
     */
    public ScoreDatapoints(DetectorSettings settings, Duration ttl, int recentBaselines) {
        this(settings, ttl, CacheCapacity.of(recentBaselines));
    }

    /** {@code recentBaselines}: as above, a fixed number or a share of the slot's heap ({@code detector.recent-baselines}). */
    public ScoreDatapoints(DetectorSettings settings, Duration ttl, CacheCapacity recentBaselines) {
        this.settings = settings;
        this.ttl = ttl;
        this.recentBaselines = recentBaselines;
    }

    /** Series per task whose baseline is kept deserialized, for the constructor without a capacity (the job's {@code detector.recent-baselines} is {@code auto} by default). */
    public static final int DEFAULT_RECENT_BASELINES = 20_000;

    /** The key: series id and the statistic Augur learns for it. */
    public static KeySelector<MetricDatapoint, String> seriesStatKey() {
        return new SeriesStatKey();
    }

    /**
     * {@link #seriesStatKey()}: series id|stat. De-duplication and scoring run chained and keyed alike, and with object
     * reuse scoring gets the very datapoint de-duplication got: the key of the last datapoint a thread keyed is kept
     * (by identity of the datapoint, which no operator changes), so the chain builds and hashes one key String per
     * datapoint, not one per operator, and the in-memory maps compare keys by identity.
     */
    static final class SeriesStatKey implements KeySelector<MetricDatapoint, String> {
        private static final long serialVersionUID = 1L;
        private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

        @Override
        public String getKey(MetricDatapoint m) {
            Object[] last = LAST.get();
            if (last[0] == m) return (String) last[1];
            String key = m.getSeriesId() + "|" + Statistics.statFor(m);
            last[0] = m;
            last[1] = key;
            return key;
        }
    }

    /** A series' baseline with its alert settings (a function of the series' namespace and metric, which its key fixes). */
    static final class Series {
        final SeriesBaseline baseline;
        final double threshold;
        final DetectorSettings.DirectionFilter direction;

        Series(SeriesBaseline baseline, DetectorSettings settings, MetricDatapoint m) {
            this.baseline = baseline;
            this.threshold = settings.threshold(m.getNamespace(), m.getMetricName());
            this.direction = settings.direction(m.getNamespace(), m.getMetricName());
        }
    }

    public static ValueStateDescriptor<SeriesBaseline> descriptor(Duration ttl) {
        return StateTtl.expireAfterSilence(new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(SeriesBaseline.class)), ttl);
    }

    @Override
    public void open(Configuration parameters) {
        detector = new BaselineDetector(settings);
        baseline = getRuntimeContext().getState(descriptor(ttl));
        recent = RecentValues.open(getRuntimeContext(), "baselines", recentBaselines, ttl.toMillis(), this::store);
        counters = new IoCounters(getRuntimeContext());
    }

    @Override
    public void processElement(MetricDatapoint m, Context ctx, Collector<ScoredDatapoint> out) throws Exception {
        String stat = Statistics.statFor(m);
        double value = Statistics.value(m, stat);
        if (Double.isNaN(value)) {
            counters.inc("detector.noValue", 1); // e.g. Average of a datapoint with SampleCount 0
            return;
        }
        String key = ctx.getCurrentKey();
        long now = System.currentTimeMillis(); // the state TTL's clock
        Series series = recent.get(key, now);
        if (series == null) {
            SeriesBaseline state = StoredBaseline.load(baseline.value()); // either stored form
            series = new Series(state == null ? detector.newState() : state, settings, m);
        }
        double threshold = series.threshold;
        DetectorSettings.DirectionFilter direction = series.direction;
        Score s = detector.score(series.baseline, m.getTimestamp(), value, threshold, direction);
        recent.write(key, series, now);

        boolean anomalous = s.warm() && s.anomalyScore() >= threshold && direction.accepts(s.direction());
        // every field set on the record itself (the same record as its builder's, without the builder's checks and copies)
        ScoredDatapoint scored = new ScoredDatapoint();
        scored.setSeriesKey(key);
        scored.setStat(stat);
        scored.setValue(value);
        scored.setScore(s.anomalyScore());
        scored.setDirection(s.direction());
        scored.setExpected(s.expected());
        scored.setLower(s.lower());
        scored.setUpper(s.upper());
        scored.setWarm(s.warm());
        scored.setAnomalous(anomalous);
        scored.setDatapoint(m);
        out.collect(scored);
        counters.inc("detector.scored", 1);
        if (anomalous) {
            counters.inc("detector.anomalous", 1);
            ctx.output(ANOMALOUS_POINTS, scored);
        }
    }

    @Override
    public void close() throws Exception {
        if (recent != null) recent.close(); // gives its place in the thread's key slots back
        super.close();
    }

    @Override
    public List<RecentValues<?>> recentValues() {
        return List.of(recent);
    }

    /** In its stored form ({@link StoredBaseline}: the pattern memory sparse), serialized by the update on RocksDB. */
    private void store(String key, Series s) throws Exception {
        StoredBaseline.store(s.baseline, baseline::update);
    }
}
