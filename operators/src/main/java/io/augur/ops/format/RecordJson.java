package io.augur.ops.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.ChangeEvent;
import io.augur.schema.DeadLetter;
import io.augur.schema.InsightNotification;
import io.augur.schema.MetricDatapoint;
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
