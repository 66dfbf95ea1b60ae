package io.augur.job.topology;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigKey;
import io.augur.job.sink.Outputs;
import io.augur.job.source.KinesisSources;
import io.augur.job.source.ReplaySources;
import io.augur.job.tables.InsightTables;
import io.augur.ops.flink.dedup.DedupChangeEvents;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.flink.LateChangeEvents;
import io.augur.ops.flink.LateDatapoints;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.SeriesKeyTypeInfo;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.ops.flink.avro.AvroCodersTypeInfo;
import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.ops.flink.parse.ParseRecords;
import io.augur.ops.format.RecordJson;
import io.augur.schema.Anomaly;
import io.augur.schema.ChangeEvent;
import io.augur.schema.DeadLetter;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.RawRecord;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.augur.ops.flink.insight.CorrelateInsights;
import io.augur.ops.flink.insight.CoverageFunction;
import io.augur.ops.flink.insight.CoverageItems;
import io.augur.ops.flink.insight.FilterCoveredDatapoints;
import io.augur.ops.flink.insight.ParseCoverageDocuments;
import io.augur.ops.flink.insight.RefreshMemberships;
import io.augur.ops.flink.insight.ResolveApplications;
import io.augur.ops.insight.InsightCorrelator;
import io.augur.ops.insight.NotificationFilter;
import io.augur.ops.insight.RecommendationCatalog;
import io.augur.schema.Anomaly;
import io.augur.schema.CoverageItem;
import io.augur.schema.CoverageSettings;
import io.augur.schema.InsightInput;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;

import java.time.Duration;
import java.util.Map;

import static io.augur.ops.flink.SideOutputs.CHANGE_EVENTS;
import static io.augur.ops.flink.SideOutputs.DEAD_LETTERS;

/**
 * Augur's dataflow. Sources (Kinesis or replay files) → parse (dead letters aside) → event-time watermarks → lateness
 * (decided once: {@link #lateness}) → de-duplication keyed by series / event id → outputs. Every operator that holds state, and every source and sink,
 * has a fixed uid: savepoints map state by uid, so these names never change.
 */
public final class AugurTopology {

    // uids of the operators with keyed state (savepoints map state by uid: never change them; `augur state` reads them)
    public static final String DEDUP_DATAPOINTS_UID = "dedup-datapoints";
    public static final String DEDUP_CHANGE_EVENTS_UID = "dedup-change-events";
    public static final String SCORE_DATAPOINTS_UID = "score-datapoints";
    public static final String COVERAGE_DATAPOINTS_UID = "coverage-datapoints";
    public static final String COVERAGE_APPLICATIONS_UID = "coverage-applications";
    public static final String CORRELATE_INSIGHTS_UID = "correlate-insights";
    public static final String COVERAGE_REFRESH_UID = "coverage-refresh";
    /** The streams the topology produces; later stages (baselines, patterns, insights) attach here. */
    public record Streams(DataStream<MetricDatapoint> metrics, DataStream<ChangeEvent> events, DataStream<DeadLetter> deadLetters,
                          DataStream<ScoredDatapoint> scores, DataStream<ScoredDatapoint> anomalousPoints,
                          DataStream<Anomaly> anomalies, DataStream<MetricDatapoint> latePoints, CoverageStreams coverage) {}

    /**
     * Coverage, shared by the datapoint filter and insight correlation: the settings (the configuration's, then control
     * documents') broadcast to both, the change events as per-resource coverage items (memberships and routing), the AWS
     * API listings when refresh is on (else null), and the dead letters of bad control documents (null without a control directory).
     */
    public record CoverageStreams(CoverageSettings initial, BroadcastStream<CoverageSettings> settings, DataStream<CoverageItem> eventItems,
                                  DataStream<CoverageItem> listings, DataStream<DeadLetter> deadLetters) {}

    /** Insight correlation's output: every lifecycle event (insights.ndjson), and those the notification filters let through. */
    public record InsightStreams(DataStream<InsightNotification> insights, DataStream<InsightNotification> notifications) {}

    private AugurTopology() {}

    /** Sources chosen by {@code source.type}. */
    public static Streams build(StreamExecutionEnvironment env, AugurConfig cfg) {
        DataStream<RawRecord> raw;
        if ("files".equals(cfg.get(AugurConfig.SOURCE_TYPE))) {
            Duration monitor = cfg.getDuration(AugurConfig.REPLAY_MONITOR);
            raw = ReplaySources.files(env, cfg.getList(AugurConfig.REPLAY_METRICS), "metrics", "replay-metrics-source", monitor);
            if (cfg.isSet(AugurConfig.REPLAY_EVENTS)) {
                raw = raw.union(ReplaySources.files(env, cfg.getList(AugurConfig.REPLAY_EVENTS), "events", "replay-events-source", monitor));
            }
        } else {
            raw = KinesisSources.stream(env, cfg, cfg.get(AugurConfig.KINESIS_METRICS_STREAM), "kinesis-metrics-source");
            if (cfg.isSet(AugurConfig.KINESIS_EVENTS_STREAM)) {
                raw = raw.union(KinesisSources.stream(env, cfg, cfg.get(AugurConfig.KINESIS_EVENTS_STREAM), "kinesis-events-source"));
            }
        }
        return build(raw, cfg);
    }

    /** The topology from raw records on. */
    public static Streams build(DataStream<RawRecord> raw, AugurConfig cfg) {
        int payloadChars = cfg.getInt(AugurConfig.DEAD_LETTER_PAYLOAD);
        SingleOutputStreamOperator<MetricDatapoint> parsed = raw
                .process(new ParseRecords(cfg.getInt(AugurConfig.PARSE_MAX_RECORD), cfg.getInt(AugurConfig.PARSE_MAX_DECOMPRESSED), payloadChars))
                .uid("parse-records").name("Parse AWS records");

        Duration ooo = cfg.getDuration(AugurConfig.WATERMARK_OUT_OF_ORDERNESS);
        Duration idle = cfg.getDuration(AugurConfig.WATERMARK_IDLENESS);
        // a replay read once ends: no idleness (see EventTimeWatermarks)
        boolean bounded = "files".equals(cfg.get(AugurConfig.SOURCE_TYPE)) && cfg.getDuration(AugurConfig.REPLAY_MONITOR).isZero();
        DataStream<MetricDatapoint> metrics = parsed
                .assignTimestampsAndWatermarks(EventTimeWatermarks.<MetricDatapoint>strategy(ooo, idle, bounded, (m, t) -> m.getTimestamp()))
                .uid("metric-watermarks").name("Metric event time");
        DataStream<ChangeEvent> events = parsed.getSideOutput(CHANGE_EVENTS)
                .assignTimestampsAndWatermarks(EventTimeWatermarks.<ChangeEvent>strategy(ooo, idle, bounded, (e, t) -> e.getTime()))
                .uid("event-watermarks").name("Change-event event time");
        Lateness lateness = lateness(metrics, events);
        metrics = lateness.metrics();
        events = lateness.events();

        // De-duplication is keyed like scoring (series id|stat: the statistic is a function of the series), so without the
        // coverage filter in between the scores need no second shuffle: de-duplication chains to scoring (issue 9).
        SingleOutputStreamOperator<MetricDatapoint> uniqueMetrics = metrics
                .keyBy(ScoreDatapoints.seriesStatKey(), SeriesKeyTypeInfo.INSTANCE)
                .transform("De-duplicate datapoints", new AvroTypeInfo<>(MetricDatapoint.class), new WriteBackOperator<>(new DedupDatapoints(
                        cfg.getDuration(AugurConfig.DEDUP_WINDOW), cfg.getDuration(AugurConfig.DEDUP_SERIES_TTL), payloadChars, cacheCapacity(cfg, AugurConfig.DEDUP_RECENT_SERIES))))
                .uid(DEDUP_DATAPOINTS_UID).name("De-duplicate datapoints");
        SingleOutputStreamOperator<ChangeEvent> uniqueEvents = events
                .keyBy(ChangeEvent::getId)
                .process(new DedupChangeEvents(cfg.getDuration(AugurConfig.DEDUP_EVENT_TTL), payloadChars))
                .uid(DEDUP_CHANGE_EVENTS_UID).name("De-duplicate change events");

        CoverageStreams coverage = coverage(raw.getExecutionEnvironment(), uniqueEvents, cfg, "files".equals(cfg.get(AugurConfig.SOURCE_TYPE)));
        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(DEAD_LETTERS)
                .union(uniqueMetrics.getSideOutput(DEAD_LETTERS), uniqueEvents.getSideOutput(DEAD_LETTERS));
        if (coverage.deadLetters() != null) deadLetters = deadLetters.union(coverage.deadLetters());

        KeyedStream<MetricDatapoint, String> toScore = filtersDatapoints(cfg, coverage.initial())
                ? coveredDatapoints(uniqueMetrics, coverage, cfg).keyBy(ScoreDatapoints.seriesStatKey(), SeriesKeyTypeInfo.INSTANCE)
                : DataStreamUtils.reinterpretAsKeyedStream(uniqueMetrics, ScoreDatapoints.seriesStatKey(), SeriesKeyTypeInfo.INSTANCE);
        SingleOutputStreamOperator<ScoredDatapoint> scores = toScore
                // the job's operator writes the baselines it holds in memory back to the keyed state before each snapshot (issue 9)
                .transform("Score datapoints against baselines", new AvroTypeInfo<>(ScoredDatapoint.class), new WriteBackOperator<>(
                        new ScoreDatapoints(detectorSettings(cfg), cfg.getDuration(AugurConfig.DETECTOR_STATE_TTL), cacheCapacity(cfg, AugurConfig.DETECTOR_RECENT_BASELINES))))
                .uid(SCORE_DATAPOINTS_UID).name("Score datapoints against baselines");
        AnomalyStep.Result anomalies = anomalies(scores, uniqueEvents, cfg);
        return new Streams(uniqueMetrics, uniqueEvents, deadLetters, scores, scores.getSideOutput(ScoreDatapoints.ANOMALOUS_POINTS),
                anomalies.anomalies(), lateness.latePoints().union(anomalies.latePoints()), coverage);
    }

    /** A cache's capacity setting: {@code auto} (a share of the slot's heap, {@code cache.heap-share}) or a number of series. */
    public static CacheCapacity cacheCapacity(AugurConfig cfg, ConfigKey key) {
        String v = cfg.get(key);
        return v.equals("auto") ? CacheCapacity.auto(cfg.getDouble(AugurConfig.CACHE_HEAP_SHARE)) : CacheCapacity.of(cfg.getInt(key));
    }

    /** On-time datapoints and change events (late change events re-timestamped), and the late datapoints. */
    public record Lateness(DataStream<MetricDatapoint> metrics, DataStream<ChangeEvent> events, DataStream<MetricDatapoint> latePoints) {}

    /**
     * Step: lateness decided once, right behind the watermark assigners (chained to them: same parallelism, forward).
     * A record ahead of its own channel's watermark there is ahead of every later operator's watermark, so no event-time
     * operator behind judges lateness again (their checks only count what idleness lets through). Late datapoints go to
     * the late-points output, unscored ({@link LateDatapoints}); late change events are kept, re-timestamped to just
     * ahead of the watermark ({@link LateChangeEvents}).
     */
    static Lateness lateness(DataStream<MetricDatapoint> metrics, DataStream<ChangeEvent> events) {
        // on-time datapoints cross the network to de-duplication (keyed, stateless for the record type): serialized with the
        // generated Avro coders (the same bytes as AvroTypeInfo's serializer, cheaper per datapoint; issue 9)
        SingleOutputStreamOperator<MetricDatapoint> onTime = metrics.process(new LateDatapoints())
                .returns(new AvroCodersTypeInfo<>(MetricDatapoint.class, MetricDatapoint::new)).uid("late-datapoints").name("Late datapoints");
        SingleOutputStreamOperator<ChangeEvent> onTimeEvents = events.process(new LateChangeEvents())
                .returns(new AvroTypeInfo<>(ChangeEvent.class)).uid("late-change-events").name("Late change events");
        if (metrics.getParallelism() > 0) onTime.setParallelism(metrics.getParallelism());
        if (events.getParallelism() > 0) onTimeEvents.setParallelism(events.getParallelism());
        return new Lateness(onTime, onTimeEvents, onTime.getSideOutput(LateDatapoints.LATE));
    }

    /** Step: scored datapoints (and change events, for deployments) to DevOps Guru anomalies. See {@link AnomalyStep}. */
    static AnomalyStep.Result anomalies(DataStream<ScoredDatapoint> scores, DataStream<ChangeEvent> events, AugurConfig cfg) {
        return AnomalyStep.build(scores, events, cfg);
    }

    // ---- insights (issue 6): coverage and correlation ---------------------------------------------------------------

    /**
     * Coverage settings and memberships. The configuration's coverage (revision 0) always comes first; with
     * {@code insights.coverage.control-dir} set, every line of every file in that directory is a coverage document
     * (new files are picked up every {@code insights.coverage.control-poll} in a continuous job; a bounded replay reads
     * the directory once). The control stream does not hold back event time: its watermark is always at the end of time.
     */
    public static CoverageStreams coverage(StreamExecutionEnvironment env, DataStream<ChangeEvent> events, AugurConfig cfg, boolean bounded) {
        CoverageSettings initial = InsightConfig.coverage(cfg);
        AvroTypeInfo<CoverageSettings> settingsType = new AvroTypeInfo<>(CoverageSettings.class);
        DataStream<CoverageSettings> settings = env.fromData(settingsType, initial).uid("coverage-configuration").name("Coverage from configuration");
        DataStream<DeadLetter> bad = null;
        if (cfg.isSet(AugurConfig.COVERAGE_CONTROL_DIR)) {
            FileSource.FileSourceBuilder<String> files = FileSource.forRecordStreamFormat(new TextLineInputFormat(),
                    new org.apache.flink.core.fs.Path(cfg.get(AugurConfig.COVERAGE_CONTROL_DIR)));
            if (!bounded) files.monitorContinuously(cfg.getDuration(AugurConfig.COVERAGE_CONTROL_POLL));
            SingleOutputStreamOperator<CoverageSettings> docs = env.fromSource(files.build(), endOfTime(), "Coverage control files")
                    .uid("coverage-control-source")
                    .process(new ParseCoverageDocuments(cfg.getInt(AugurConfig.DEAD_LETTER_PAYLOAD))).returns(settingsType)
                    .uid("coverage-control-documents").name("Parse coverage documents");
            settings = settings.union(docs);
            bad = docs.getSideOutput(DEAD_LETTERS);
        }
        AvroTypeInfo<CoverageItem> itemType = new AvroTypeInfo<>(CoverageItem.class);
        DataStream<CoverageItem> listings = null;
        Duration refresh = cfg.getDuration(AugurConfig.COVERAGE_REFRESH);
        if (!refresh.isZero()) {
            listings = settings.keyBy(s -> 0, Types.INT).process(new RefreshMemberships(InsightConfig.aws(cfg), refresh)).returns(itemType)
                    .uid(COVERAGE_REFRESH_UID).name("List stacks and tags (AWS APIs)").setParallelism(1);
        }
        DataStream<CoverageItem> eventItems = events.flatMap(CoverageItems.events()).returns(itemType)
                .uid("coverage-event-items").name("Change events by resource");
        return new CoverageStreams(initial, settings.broadcast(CoverageFunction.SETTINGS), eventItems, listings, bad);
    }

    /**
     * Whether datapoints go through the coverage filter before scoring: {@code insights.coverage.filter-datapoints}, where
     * auto = when coverage can exclude anything (a mode other than account, listed accounts, or a control directory
     * that may change it). Every account covered and no way to change it: the filter would only cost a shuffle.
     */
    static boolean filtersDatapoints(AugurConfig cfg, CoverageSettings initial) {
        String v = cfg.get(AugurConfig.COVERAGE_FILTER_DATAPOINTS);
        if (!"auto".equals(v)) return Boolean.parseBoolean(v);
        return initial.getMode() != io.augur.schema.CoverageMode.ACCOUNT || !initial.getAccounts().isEmpty()
                || cfg.isSet(AugurConfig.COVERAGE_CONTROL_DIR);
    }

    /** Datapoints of covered resources only (keyed by resource ARN): what is not covered is not scored. */
    public static DataStream<MetricDatapoint> coveredDatapoints(DataStream<MetricDatapoint> metrics, CoverageStreams c, AugurConfig cfg) {
        AvroTypeInfo<CoverageItem> itemType = new AvroTypeInfo<>(CoverageItem.class);
        DataStream<CoverageItem> items = metrics.map(CoverageItems.datapoints()).returns(itemType).uid("coverage-datapoint-items")
                .name("Datapoints by resource").union(c.eventItems());
        if (c.listings() != null) items = items.union(c.listings());
        return items.keyBy(CoverageItem::getArn).connect(c.settings())
                .process(new FilterCoveredDatapoints(c.initial(), cfg.getDuration(AugurConfig.COVERAGE_MEMBERSHIP_TTL)))
                .returns(new AvroTypeInfo<>(MetricDatapoint.class)).uid(COVERAGE_DATAPOINTS_UID).name("Covered datapoints");
    }

    /**
     * Insight correlation: anomaly revisions and change events of covered resources, keyed by application, into DevOps
     * Guru lifecycle events. Takes the anomalies stream of the CEP patterns; {@link io.augur.job.AugurJob#buildJob} wires
     * it when the topology has one.
     */
    public static InsightStreams insights(DataStream<Anomaly> anomalies, CoverageStreams c, AugurConfig cfg) {
        AvroTypeInfo<CoverageItem> itemType = new AvroTypeInfo<>(CoverageItem.class);
        // Same parallelism as the anomalies' operator: a forward edge keeps one anomaly's revisions in order.
        SingleOutputStreamOperator<CoverageItem> anomalyItems = anomalies.map(CoverageItems.anomalies()).returns(itemType)
                .uid("coverage-anomaly-items").name("Anomalies by resource");
        if (anomalies.getParallelism() > 0) anomalyItems.setParallelism(anomalies.getParallelism());
        DataStream<CoverageItem> items = anomalyItems.union(c.eventItems());
        if (c.listings() != null) items = items.union(c.listings());
        SingleOutputStreamOperator<InsightInput> covered = items.keyBy(CoverageItem::getArn).connect(c.settings())
                .process(new ResolveApplications(c.initial(), cfg.getDuration(AugurConfig.COVERAGE_MEMBERSHIP_TTL)))
                .returns(new AvroTypeInfo<>(InsightInput.class)).uid(COVERAGE_APPLICATIONS_UID).name("Applications of covered resources");
        InsightCorrelator correlator = new InsightCorrelator(InsightConfig.insights(cfg), RecommendationCatalog.loadDefault());
        SingleOutputStreamOperator<InsightNotification> insights = covered.keyBy(CorrelateInsights.applicationKey())
                .process(new CorrelateInsights(correlator)).returns(new AvroTypeInfo<>(InsightNotification.class))
                .uid(CORRELATE_INSIGHTS_UID).name("Correlate insights");
        NotificationFilter filter = InsightConfig.notifications(cfg);
        DataStream<InsightNotification> notifications = insights.filter(n -> filter.test(n)).uid("notification-filter").name("Notification filters");
        return new InsightStreams(insights, notifications);
    }

    /** The same, building its own coverage from the configuration (for jobs without the rest of the topology). */
    public static InsightStreams insights(DataStream<Anomaly> anomalies, DataStream<ChangeEvent> events, AugurConfig cfg) {
        return insights(anomalies, coverage(anomalies.getExecutionEnvironment(), events, cfg, "files".equals(cfg.get(AugurConfig.SOURCE_TYPE))), cfg);
    }

    /** The insight outputs: every lifecycle event, one per line, body as an object. */
    public static void writeInsightOutputs(InsightStreams s, Outputs outputs) {
        outputs.write(s.insights(), "insights", RecordJson::insight);
    }

    /** A watermark strategy for control streams: always at the end of time, so they never hold back event time. */
    static <T> WatermarkStrategy<T> endOfTime() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long timestamp, WatermarkOutput output) {
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(Long.MAX_VALUE));
            }
        });
    }

    /**
     * The detector's settings with the user's alert settings: {@code detector.sensitivity} (low, medium, high, or a
     * score threshold in (0,1]), and per namespace or metric {@code detector.sensitivity.<scope>} and
     * {@code detector.direction.<scope>}.
     */
    public static DetectorSettings detectorSettings(AugurConfig cfg) {
        DetectorSettings s = DetectorSettings.defaults().withSensitivity(cfg.get(AugurConfig.DETECTOR_SENSITIVITY));
        for (Map.Entry<String, String> e : cfg.scoped(AugurConfig.DETECTOR_SENSITIVITY_SCOPED).entrySet()) {
            s = s.withSensitivity(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : cfg.scoped(AugurConfig.DETECTOR_DIRECTION_SCOPED).entrySet()) {
            s = s.withDirection(e.getKey(), DetectorSettings.DirectionFilter.parse(e.getValue()));
        }
        return s;
    }

    /**
     * The insight tables ({@code tables.*}): insights, anomalies, insight_events, recommendations and change_events.
     * Without an insight stage (insights and anomalies null) only change_events is written.
     */
    public static InsightTables.Attached writeTables(StreamExecutionEnvironment env, Streams s, DataStream<InsightNotification> insights,
                                                     DataStream<Anomaly> anomalies, AugurConfig cfg) {
        return InsightTables.attach(env, cfg, null, insights, anomalies, s.events());
    }

    /** The NDJSON outputs of this stage: normalized records and dead letters. */
    public static void writeOutputs(Streams s, Outputs outputs) {
        outputs.write(s.metrics(), "metrics", RecordJson::metric);
        outputs.write(s.events(), "change-events", RecordJson::changeEvent);
        outputs.write(s.deadLetters(), "dead-letter", RecordJson::deadLetter);
        outputs.write(s.anomalousPoints(), "anomalous-points", RecordJson::scored);
        outputs.write(s.anomalies(), "anomalies", RecordJson::anomaly);
        outputs.write(s.latePoints(), "late-points", RecordJson::metric);
    }
}
