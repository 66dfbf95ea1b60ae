package io.augur.job.topology;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.job.config.ConfigKey;
import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.DeploymentTargets;
import io.augur.ops.anomaly.LimitCatalog;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.SeriesKeyTypeInfo;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.ops.flink.avro.AvroCodersTypeInfo;
import io.augur.ops.flink.anomaly.BurstCandidates;
import io.augur.ops.flink.anomaly.CountLatePoints;
import io.augur.ops.flink.anomaly.DeploymentEvents;
import io.augur.ops.flink.anomaly.DeploymentHold;
import io.augur.ops.flink.anomaly.ForecastExhaustion;
import io.augur.ops.flink.anomaly.ProactiveAnomalies;
import io.augur.ops.flink.anomaly.ProactivePattern;
import io.augur.ops.flink.anomaly.ReactiveAnomalies;
import io.augur.ops.flink.anomaly.ReactivePattern;
import io.augur.schema.Anomaly;
import io.augur.schema.BurstMatch;
import io.augur.schema.ChangeEvent;
import io.augur.schema.ExhaustionForecast;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ReactivePoint;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.time.Duration;
import java.util.Map;

/**
 * The anomaly step of the topology: scored datapoints (keyed by series) to DevOps Guru anomaly revisions.
 * <pre>
 * scores ─┬─ (same keys, forward) burst candidates ─ CEP burst pattern ─┐ (late datapoints ─ count ─ late-points)
 *         │                       └─ (compact datapoints, forward) ─ reactive lifecycle ─┐
 *         └─ limit? ─ keyBy limited series ─ forecaster ─┬─ CEP agreeing forecasts ─┐
 *                                                └───────── proactive lifecycle ─┤
 * change events ─ CodeDeploy, per resource ─ keyBy ARN ─ deployment hold (keyBy ARN) ─┴─ anomalies
 * </pre>
 */
public final class AnomalyStep {

    // uids of the operators with keyed state (savepoints map state by uid: never change them; `augur state` reads them)
    public static final String BURST_CANDIDATES_UID = "anomaly-burst-candidates";
    public static final String REACTIVE_PATTERN_UID = "anomaly-reactive-pattern";
    public static final String REACTIVE_LIFECYCLE_UID = "anomaly-reactive-lifecycle";
    public static final String FORECAST_UID = "anomaly-forecast";
    public static final String PROACTIVE_PATTERN_UID = "anomaly-proactive-pattern";
    public static final String PROACTIVE_LIFECYCLE_UID = "anomaly-proactive-lifecycle";
    public static final String DEPLOYMENT_HOLD_UID = "anomaly-deployment-hold";
    /** What the step produces: anomaly revisions, and the datapoints that came too late for the patterns. */
    public record Result(DataStream<Anomaly> anomalies, DataStream<MetricDatapoint> latePoints) {}

    private AnomalyStep() {}

    public static Result build(DataStream<ScoredDatapoint> scores, DataStream<ChangeEvent> events, AugurConfig cfg) {
        AnomalySettings s = settings(cfg);
        LimitCatalog limits = limits(cfg);
        MaintenanceWindows maintenance = parse(AugurConfig.ANOMALY_MAINTENANCE, () -> MaintenanceWindows.parse(cfg.get(AugurConfig.ANOMALY_MAINTENANCE)));
        DeploymentTargets targets = parse(AugurConfig.ANOMALY_DEPLOYMENT_TARGETS, () -> DeploymentTargets.parse(cfg.get(AugurConfig.ANOMALY_DEPLOYMENT_TARGETS)));
        SeverityCatalog severities = SeverityCatalog.builtIn();

        // reactive: CEP finds bursts per series; the lifecycle opens, revises and closes anomalies
        // The scores come out of ScoreDatapoints keyed by the same series key at the same parallelism: reinterpreted as keyed
        // (forward edges, no re-shuffle), so the candidates filter and the forecaster's filter chain to the scoring operator.
        // The chain's keys (and the forecaster's) are stored compactly (SeriesKeyTypeInfo); CEP and the lifecycles keep StringSerializer keys.
        KeyedStream<ScoredDatapoint, String> bySeries = DataStreamUtils.reinterpretAsKeyedStream(scores, ScoredDatapoint::getSeriesKey, SeriesKeyTypeInfo.INSTANCE);
        // only datapoints that can take part in a burst go into CEP's buffers (same matches, far less state churn)
        SingleOutputStreamOperator<ScoredDatapoint> candidates = bySeries
                .transform("Burst candidates", new AvroTypeInfo<>(ScoredDatapoint.class),
                        new WriteBackOperator<>(new BurstCandidates(s, severities, AugurTopology.cacheCapacity(cfg, AugurConfig.ANOMALY_RECENT_CONTEXTS),
                                cfg.getInt(AugurConfig.ANOMALY_CONTEXT_FULL_POINTS))))
                .uid(BURST_CANDIDATES_UID).name("Burst candidates");
        KeyedStream<ScoredDatapoint, String> candidatesBySeries = DataStreamUtils.reinterpretAsKeyedStream(candidates, ScoredDatapoint::getSeriesKey);
        SingleOutputStreamOperator<BurstMatch> bursts = ReactivePattern.apply(candidatesBySeries, s, severities).uid(REACTIVE_PATTERN_UID).name("CEP reactive bursts");
        // lateness is decided before scoring (AugurTopology.lateness): these are only what idleness let through
        DataStream<MetricDatapoint> late = candidates.getSideOutput(ReactivePattern.LATE_POINTS)
                .union(bursts.getSideOutput(ReactivePattern.LATE_POINTS))
                .process(new CountLatePoints()).returns(new AvroTypeInfo<>(MetricDatapoint.class))
                .uid("anomaly-late-points").name("Count late datapoints");
        // the lifecycle gets every datapoint compact from the candidates filter (a side output: forward edge, same keys)
        KeyedStream<ReactivePoint, String> lifecyclePoints = DataStreamUtils.reinterpretAsKeyedStream(
                candidates.getSideOutput(BurstCandidates.LIFECYCLE_POINTS), ReactivePoint::getSeriesKey);
        DataStream<Anomaly> reactive = lifecyclePoints.connect(DataStreamUtils.reinterpretAsKeyedStream(bursts, BurstMatch::getSeriesKey))
                .process(new ReactiveAnomalies(s, severities, maintenance), new AvroTypeInfo<>(Anomaly.class))
                .uid(REACTIVE_LIFECYCLE_UID).name("Reactive anomaly lifecycle");

        // proactive: forecasts of series with a limit; CEP waits for agreeing forecasts; the lifecycle follows them
        SingleOutputStreamOperator<ExhaustionForecast> forecasts = scores
                .filter(ForecastExhaustion.hasLimit(limits)).uid("anomaly-limited-series").name("Series with a limit")
                // crosses the network to the forecaster (keyed, keeps its own state, not its inputs): generated Avro coders,
                // the same bytes as AvroTypeInfo's serializer without the generic writer's per-field dispatch (issue 9)
                .returns(new AvroCodersTypeInfo<>(ScoredDatapoint.class, ScoredDatapoint::new))
                .keyBy(ForecastExhaustion.forecastKey(limits), SeriesKeyTypeInfo.INSTANCE) // a metric reporting a limit joins the series it limits (compact keys)
                // histories kept in memory, written to the keyed state before each snapshot (issue 9)
                .transform("Forecast time to limit", new AvroTypeInfo<>(ExhaustionForecast.class),
                        new WriteBackOperator<>(new ForecastExhaustion(s, limits, recentForecasts(cfg))))
                .uid(FORECAST_UID).name("Forecast time to limit");
        SingleOutputStreamOperator<ExhaustionForecast> agreeing = ProactivePattern.apply(forecasts.keyBy(ExhaustionForecast::getSeriesKey), s)
                .uid(PROACTIVE_PATTERN_UID).name("CEP agreeing forecasts");
        DataStream<Anomaly> proactive = forecasts.connect(agreeing)
                .keyBy(ExhaustionForecast::getSeriesKey, ExhaustionForecast::getSeriesKey)
                .process(new ProactiveAnomalies(s, maintenance), new AvroTypeInfo<>(Anomaly.class))
                .uid(PROACTIVE_LIFECYCLE_UID).name("Proactive anomaly lifecycle");

        // noise control: deployments in progress delay reactive anomalies on their resources (keyed by resource ARN)
        DataStream<ChangeEvent> deployments = events.flatMap(new DeploymentEvents(targets)).returns(new AvroTypeInfo<>(ChangeEvent.class))
                .uid("anomaly-deployment-events").name("CodeDeploy events per resource");
        DataStream<Anomaly> anomalies = reactive.union(proactive).connect(deployments)
                .keyBy(a -> a.getResource().getArn(), DeploymentEvents::resourceArn)
                .process(new DeploymentHold(cfg.getDuration(AugurConfig.ANOMALY_DEPLOYMENT_MAX_HOLD), s.stateTtl()), new AvroTypeInfo<>(Anomaly.class))
                .uid(DEPLOYMENT_HOLD_UID).name("Hold anomalies during deployments");
        return new Result(anomalies, late);
    }

    /** {@code anomaly.recent-forecasts}: a number, or {@code auto} (the forecaster's part of {@code cache.heap-share}). */
    public static CacheCapacity recentForecasts(AugurConfig cfg) {
        String v = cfg.get(AugurConfig.ANOMALY_RECENT_FORECASTS);
        return v.equals("auto") ? ForecastExhaustion.autoCapacity(cfg.getDouble(AugurConfig.CACHE_HEAP_SHARE))
                : CacheCapacity.of(cfg.getInt(AugurConfig.ANOMALY_RECENT_FORECASTS));
    }

    /** {@code anomaly.*} keys as settings; a bad value is a configuration error naming the key. */
    public static AnomalySettings settings(AugurConfig cfg) {
        AnomalySettings d = AnomalySettings.defaults();
        int points = cfg.getInt(AugurConfig.ANOMALY_POINTS);
        if (points < 2) throw new ConfigException(AugurConfig.ANOMALY_POINTS.name() + "=" + points + " is not valid: a burst needs at least 2 datapoints");
        double minChange = number(cfg, AugurConfig.ANOMALY_MIN_CHANGE, 0, 100);
        double extreme = number(cfg, AugurConfig.ANOMALY_EXTREME, Double.MIN_VALUE, 1);
        int agreeing = cfg.getInt(AugurConfig.ANOMALY_AGREEING);
        if (agreeing < 1) throw new ConfigException(AugurConfig.ANOMALY_AGREEING.name() + "=0 is not valid: use 1 or more");
        Duration bucket = cfg.getDuration(AugurConfig.ANOMALY_BUCKET);
        if (bucket.isZero() || Duration.ofDays(1).toMillis() % bucket.toMillis() != 0) {
            throw new ConfigException(AugurConfig.ANOMALY_BUCKET.name() + "=" + cfg.get(AugurConfig.ANOMALY_BUCKET) + " is not valid: use a duration that divides a day, such as 5m, 15m or 1h");
        }
        return d.withBurst(points, positive(cfg, AugurConfig.ANOMALY_WINDOW))
                .withReactive(minChange, extreme, cfg.getDuration(AugurConfig.ANOMALY_QUIET), cfg.getDuration(AugurConfig.ANOMALY_FLAP))
                .withProactive(bucket, positive(cfg, AugurConfig.ANOMALY_HORIZON), positive(cfg, AugurConfig.ANOMALY_FIT_WINDOW),
                        cfg.getDuration(AugurConfig.ANOMALY_MIN_HISTORY), cfg.getDuration(AugurConfig.ANOMALY_SEASONAL_HISTORY), agreeing)
                .withStateTtl(positive(cfg, AugurConfig.ANOMALY_STATE_TTL));
    }

    public static LimitCatalog limits(AugurConfig cfg) {
        LimitCatalog c = parse(AugurConfig.ANOMALY_LIMITS, () -> LimitCatalog.of(Map.of(
                "lambda-concurrency", (double) cfg.getInt(AugurConfig.ANOMALY_LAMBDA_CONCURRENCY),
                "sqs-retention-seconds", (double) cfg.getDuration(AugurConfig.ANOMALY_SQS_RETENTION).toSeconds(),
                "dynamodb-write-capacity", (double) cfg.getInt(AugurConfig.ANOMALY_DYNAMODB_WRITE),
                "dynamodb-read-capacity", (double) cfg.getInt(AugurConfig.ANOMALY_DYNAMODB_READ)), cfg.get(AugurConfig.ANOMALY_LIMITS), 60));
        parse(AugurConfig.ANOMALY_LIMITS, () -> {
            c.validate();
            return c;
        });
        return c;
    }

    private static <T> T parse(ConfigKey key, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name() + ": " + e.getMessage());
        }
    }

    private static Duration positive(AugurConfig cfg, ConfigKey key) {
        Duration d = cfg.getDuration(key);
        if (d.isZero() || d.isNegative()) throw new ConfigException(key.name() + "=" + cfg.get(key) + " is not valid: use a positive duration such as 10m or 7d");
        return d;
    }

    private static double number(AugurConfig cfg, ConfigKey key, double min, double max) {
        try {
            double v = Double.parseDouble(cfg.get(key));
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // the error below
        }
        throw new ConfigException(key.name() + "=" + cfg.get(key) + " is not valid: expected " + key.values());
    }
}
