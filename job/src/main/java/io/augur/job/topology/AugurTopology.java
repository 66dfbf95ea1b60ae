package io.augur.job.topology;

import io.augur.job.config.AugurConfig;
import io.augur.job.sink.Outputs;
import io.augur.job.source.KinesisSources;
import io.augur.job.source.ReplaySources;
import io.augur.job.tables.InsightTables;
import io.augur.ops.flink.dedup.DedupChangeEvents;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.ops.flink.parse.ParseRecords;
import io.augur.ops.format.RecordJson;
import io.augur.schema.ChangeEvent;
import io.augur.schema.DeadLetter;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.RawRecord;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Map;

import static io.augur.ops.flink.SideOutputs.CHANGE_EVENTS;
import static io.augur.ops.flink.SideOutputs.DEAD_LETTERS;

/**
 * Augur's dataflow. Sources (Kinesis or replay files) → parse (dead letters aside) → event-time watermarks →
 * de-duplication keyed by series / event id → outputs. Every operator that holds state, and every source and sink,
 * has a fixed uid: savepoints map state by uid, so these names never change.
 */
public final class AugurTopology {
    /** The streams the topology produces; later stages (baselines, patterns, insights) attach here. */
    public record Streams(DataStream<MetricDatapoint> metrics, DataStream<ChangeEvent> events, DataStream<DeadLetter> deadLetters,
                          DataStream<ScoredDatapoint> scores, DataStream<ScoredDatapoint> anomalousPoints) {}

    private AugurTopology() {}

    /** Sources chosen by {@code source.type}. */
    public static Streams build(StreamExecutionEnvironment env, AugurConfig cfg) {
        DataStream<RawRecord> raw;
        if ("files".equals(cfg.get(AugurConfig.SOURCE_TYPE))) {
            raw = ReplaySources.files(env, cfg.getList(AugurConfig.REPLAY_METRICS), "metrics", "replay-metrics-source");
            if (cfg.isSet(AugurConfig.REPLAY_EVENTS)) {
                raw = raw.union(ReplaySources.files(env, cfg.getList(AugurConfig.REPLAY_EVENTS), "events", "replay-events-source"));
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
        DataStream<MetricDatapoint> metrics = parsed
                .assignTimestampsAndWatermarks(WatermarkStrategy.<MetricDatapoint>forBoundedOutOfOrderness(ooo)
                        .withTimestampAssigner((m, t) -> m.getTimestamp()).withIdleness(idle))
                .uid("metric-watermarks").name("Metric event time");
        DataStream<ChangeEvent> events = parsed.getSideOutput(CHANGE_EVENTS)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<ChangeEvent>forBoundedOutOfOrderness(ooo)
                        .withTimestampAssigner((e, t) -> e.getTime()).withIdleness(idle))
                .uid("event-watermarks").name("Change-event event time");

        SingleOutputStreamOperator<MetricDatapoint> uniqueMetrics = metrics
                .keyBy(MetricDatapoint::getSeriesId)
                .process(new DedupDatapoints(cfg.getInt(AugurConfig.DEDUP_CAPACITY), cfg.getDuration(AugurConfig.DEDUP_SERIES_TTL), payloadChars))
                .uid("dedup-datapoints").name("De-duplicate datapoints");
        SingleOutputStreamOperator<ChangeEvent> uniqueEvents = events
                .keyBy(ChangeEvent::getId)
                .process(new DedupChangeEvents(cfg.getDuration(AugurConfig.DEDUP_EVENT_TTL), payloadChars))
                .uid("dedup-change-events").name("De-duplicate change events");

        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(DEAD_LETTERS)
                .union(uniqueMetrics.getSideOutput(DEAD_LETTERS), uniqueEvents.getSideOutput(DEAD_LETTERS));

        SingleOutputStreamOperator<ScoredDatapoint> scores = uniqueMetrics
                .keyBy(ScoreDatapoints.seriesStatKey())
                .process(new ScoreDatapoints(detectorSettings(cfg), cfg.getDuration(AugurConfig.DETECTOR_STATE_TTL)))
                .uid("score-datapoints").name("Score datapoints against baselines");
        return new Streams(uniqueMetrics, uniqueEvents, deadLetters, scores, scores.getSideOutput(ScoreDatapoints.ANOMALOUS_POINTS));
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
     * The insight tables (issue 10, {@code tables.*}): change_events now. When the insight and anomaly streams exist,
     * pass them here instead of null: {@code InsightTables.attach(env, cfg, defaultPath, insights, anomalies, s.events())}.
     */
    public static InsightTables.Attached writeTables(StreamExecutionEnvironment env, Streams s, AugurConfig cfg) {
        return InsightTables.attach(env, cfg, null, null, null, s.events());
    }

    /** The NDJSON outputs of this stage: normalized records and dead letters. */
    public static void writeOutputs(Streams s, Outputs outputs) {
        outputs.write(s.metrics(), "metrics", RecordJson::metric);
        outputs.write(s.events(), "change-events", RecordJson::changeEvent);
        outputs.write(s.deadLetters(), "dead-letter", RecordJson::deadLetter);
        outputs.write(s.anomalousPoints(), "anomalous-points", RecordJson::scored);
    }
}
