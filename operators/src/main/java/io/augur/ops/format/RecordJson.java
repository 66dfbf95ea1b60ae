package io.augur.ops.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.ChangeEvent;
import io.augur.schema.DeadLetter;
import io.augur.schema.InsightNotification;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.MetricValue;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON renderings of Augur's records, one object per line in NDJSON outputs. Change events use DevOps Guru's Event
 * field names (Id, Time, EventSource, Name, DataSource, EventClass, Resources[{Type, Name, Arn}]).
 */
public final class RecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String metric(MetricDatapoint m) {
        ObjectNode o = series(m);
        ObjectNode v = o.putObject("value");
        v.put("min", m.getMin());
        v.put("max", m.getMax());
        v.put("sum", m.getSum());
        v.put("count", m.getCount());
        for (Map.Entry<String, Double> p : new TreeMap<>(m.getPercentiles()).entrySet()) v.put(p.getKey(), p.getValue());
        o.put("unit", m.getUnit());
        resource(o.putObject("resource"), m.getResource(), false);
        if (m.getMetricStreamName() != null) o.put("metricStreamName", m.getMetricStreamName());
        return write(o);
    }

    public static String changeEvent(ChangeEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("Id", e.getId());
        o.put("Time", Instant.ofEpochMilli(e.getTime()).toString());
        o.put("EventSource", e.getEventSource());
        o.put("Name", e.getName());
        o.put("DataSource", e.getDataSource().name());
        o.put("EventClass", e.getEventClass().name());
        ArrayNode rs = o.putArray("Resources");
        for (Resource r : e.getResources()) resource(rs.addObject(), r, true);
        o.put("AccountId", e.getAccountId());
        o.put("Region", e.getRegion());
        if (e.getErrorCode() != null) o.put("ErrorCode", e.getErrorCode());
        if (e.getActor() != null) o.put("Actor", e.getActor());
        if (e.getDeploymentId() != null) o.put("DeploymentId", e.getDeploymentId());
        if (!e.getTags().isEmpty()) {
            ObjectNode tags = o.putObject("Tags");
            new TreeMap<>(e.getTags()).forEach(tags::put);
        }
        if (!e.getRemovedTagKeys().isEmpty()) {
            ArrayNode removed = o.putArray("RemovedTagKeys");
            for (String k : e.getRemovedTagKeys()) removed.add(k);
        }
        if (e.getStackName() != null) o.put("StackName", e.getStackName());
        return write(o);
    }

    /**
     * One insight lifecycle event: its record fields, and its notification body (DevOps Guru's SNS/EventBridge shape) as
     * a JSON object under {@code body}.
     */
    public static String insight(InsightNotification n) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", n.getId());
        o.put("insightId", n.getInsightId());
        o.put("messageType", n.getMessageType().name());
        o.put("sequence", n.getSequence());
        o.put("severity", n.getSeverity().name());
        o.put("insightType", n.getInsightType().name());
        o.put("insightName", n.getInsightName());
        o.put("accountId", n.getAccountId());
        o.put("region", n.getRegion());
        o.put("application", n.getApplication());
        o.put("time", n.getTime());
        o.put("timeISO", Instant.ofEpochMilli(n.getTime()).toString());
        try {
            o.set("body", MAPPER.readTree(n.getBody()));
        } catch (JsonProcessingException e) {
            o.put("body", n.getBody());
        }
        return write(o);
    }

    /** An anomalous point: the statistic, its value, the expected value and band, the score and direction. */
    public static String scored(ScoredDatapoint s) {
        MetricDatapoint m = s.getDatapoint();
        ObjectNode o = series(m);
        o.put("stat", s.getStat());
        o.put("value", s.getValue());
        o.put("expected", s.getExpected());
        o.put("lower", s.getLower());
        o.put("upper", s.getUpper());
        o.put("score", s.getScore());
        o.put("direction", s.getDirection() > 0 ? "ABOVE" : s.getDirection() < 0 ? "BELOW" : "NONE");
        o.put("unit", m.getUnit());
        resource(o.putObject("resource"), m.getResource(), false);
        return write(o);
    }

    /**
     * One anomaly revision in DevOps Guru's field names (Id, Severity, Status, AnomalyTimeRange,
     * AnomalyReportedTimeRange, SourceDetails.CloudWatchMetrics with MetricDataSummary, AnomalyResources; proactive:
     * UpdateTime, PredictionTimeRange, Limit, SourceMetadata), times in ISO-8601, plus Augur's own fields (Kind,
     * Revision, AccountId, Region, ResourceArn, SeriesKey, Direction, PeakScore, expected band of each datapoint).
     */
    public static String anomaly(Anomaly a) {
        ObjectNode o = MAPPER.createObjectNode();
        boolean proactive = a.getKind() == AnomalyKind.PROACTIVE;
        o.put("Id", a.getId());
        o.put("Kind", a.getKind().name());
        o.put("Severity", a.getSeverity().name());
        o.put("Status", a.getStatus().name());
        o.put("Revision", a.getRevision());
        ObjectNode range = o.putObject("AnomalyTimeRange");
        range.put("StartTime", iso(a.getStartTime()));
        if (a.getEndTime() != null) range.put("EndTime", iso(a.getEndTime()));
        ObjectNode reported = o.putObject("AnomalyReportedTimeRange");
        reported.put("OpenTime", iso(a.getOpenTime()));
        if (a.getCloseTime() != null) reported.put("CloseTime", iso(a.getCloseTime()));
        o.put("UpdateTime", iso(a.getUpdateTime()));
        if (proactive) {
            ObjectNode prediction = o.putObject("PredictionTimeRange");
            if (a.getPredictionStart() != null) prediction.put("StartTime", iso(a.getPredictionStart()));
            if (a.getPredictionEnd() != null) prediction.put("EndTime", iso(a.getPredictionEnd()));
            if (a.getLimit() != null) o.put("Limit", a.getLimit());
        }
        ObjectNode metric = o.putObject("SourceDetails").putArray("CloudWatchMetrics").addObject();
        metric.put("MetricName", a.getMetricName());
        metric.put("Namespace", a.getNamespace());
        ArrayNode dims = metric.putArray("Dimensions");
        new TreeMap<>(a.getDimensions()).forEach((k, v) -> dims.addObject().put("Name", k).put("Value", v));
        metric.put("Stat", a.getStat());
        metric.put("Unit", a.getUnit());
        metric.put("Period", a.getPeriod());
        ObjectNode summary = metric.putObject("MetricDataSummary");
        ArrayNode pairs = summary.putArray("TimestampMetricValuePairList");
        for (MetricValue v : a.getDatapoints()) {
            ObjectNode p = pairs.addObject();
            p.put("Timestamp", iso(v.getTimestamp()));
            p.put("MetricValue", v.getValue());
            if (v.getExpected() != null) p.put("Expected", v.getExpected());
            if (v.getLower() != null) p.put("Lower", v.getLower());
            if (v.getUpper() != null) p.put("Upper", v.getUpper());
        }
        summary.put("StatusCode", "Complete");
        if (proactive) {
            ObjectNode meta = o.putObject("SourceMetadata");
            meta.put("Source", "Augur");
            meta.put("SourceResourceName", a.getResource().getName());
            meta.put("SourceResourceType", a.getResource().getType());
        }
        o.putArray("AnomalyResources").addObject().put("Name", a.getResource().getName()).put("Type", a.getResource().getType());
        o.put("Name", a.getName());
        o.put("Description", a.getDescription());
        o.put("AccountId", a.getAccountId());
        o.put("Region", a.getRegion());
        o.put("ResourceArn", a.getResource().getArn());
        o.put("SeriesKey", a.getSeriesKey());
        o.put("Direction", a.getDirection() > 0 ? "ABOVE" : a.getDirection() < 0 ? "BELOW" : "NONE");
        o.put("PeakScore", a.getPeakScore());
        return write(o);
    }

    private static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    public static String deadLetter(DeadLetter d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("reason", d.getReason());
        o.put("detail", d.getDetail());
        o.put("origin", d.getOrigin());
        o.put("receivedAt", Instant.ofEpochMilli(d.getReceivedAt()).toString());
        o.put("payloadBytes", d.getPayloadBytes());
        o.put("payload", d.getPayload());
        return write(o);
    }

    /** The fields that name a series and a datapoint's time, shared by every datapoint rendering. */
    private static ObjectNode series(MetricDatapoint m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("seriesId", m.getSeriesId());
        o.put("accountId", m.getAccountId());
        o.put("region", m.getRegion());
        o.put("namespace", m.getNamespace());
        o.put("metricName", m.getMetricName());
        ObjectNode dims = o.putObject("dimensions");
        new TreeMap<>(m.getDimensions()).forEach(dims::put);
        o.put("timestamp", m.getTimestamp());
        o.put("timestampISO", Instant.ofEpochMilli(m.getTimestamp()).toString());
        return o;
    }

    private static void resource(ObjectNode o, Resource r, boolean devopsGuruCase) {
        o.put(devopsGuruCase ? "Type" : "type", r.getType());
        o.put(devopsGuruCase ? "Name" : "name", r.getName());
        o.put(devopsGuruCase ? "Arn" : "arn", r.getArn());
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }
}
