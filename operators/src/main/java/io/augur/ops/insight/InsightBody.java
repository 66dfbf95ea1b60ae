package io.augur.ops.insight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.ChangeEvent;
import io.augur.schema.InsightMessageType;
import io.augur.schema.Resource;
import io.augur.schema.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * DevOps Guru's notification body, as one JSON document for every sink: the SNS message fields (accountId, region,
 * messageType, insightId, insightName, insightUrl, insightType, insightDescription, startTime/startTimeISO, anomalies with
 * sourceDetails and associatedResourceArns, resourceCollection) plus the EventBridge detail's extras (insightSeverity in
 * lower case, endTime/endTimeISO when closed, anomalies' anomalySeverity, closeTime, limit, type, description,
 * anomalyResources, and recommendations for NEW_RECOMMENDATION). Field spellings follow DevOps Guru's published examples:
 * period as a string, dimensions as a JSON string.
 *
 * <p>One Augur extension: {@code relatedEvents}, the change events related to the insight in DevOps Guru's Event model
 * (id, time, eventSource, name, dataSource, eventClass, resources), which DevOps Guru shows in its console but does not
 * put in notifications. Consumers that do not know it ignore it.
 */
public final class InsightBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything one body says. {@code anomalies} and {@code recommendations} are those this message carries. */
    public record View(String accountId, String region, InsightMessageType messageType, String insightId, String insightName,
                       String insightUrl, AnomalyKind insightType, String insightDescription, Severity severity, long startTime,
                       Long endTime, List<Anomaly> anomalies, String causalAnomalyId, List<Recommendation> recommendations,
                       List<String> stackNames, String tagKey, String application, List<ChangeEvent> relatedEvents) {}

    private InsightBody() {}

    public static String render(View v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("accountId", v.accountId());
        o.put("region", v.region());
        o.put("messageType", v.messageType().name());
        o.put("insightId", v.insightId());
        o.put("insightName", v.insightName());
        o.put("insightUrl", v.insightUrl());
        o.put("insightType", v.insightType().name());
        o.put("insightDescription", v.insightDescription());
        o.put("insightSeverity", v.severity().name().toLowerCase(Locale.ROOT));
        time(o, "startTime", v.startTime());
        if (v.endTime() != null) time(o, "endTime", v.endTime());
        if (!v.anomalies().isEmpty()) {
            ArrayNode as = o.putArray("anomalies");
            for (Anomaly a : v.anomalies()) anomaly(as.addObject(), a, v.insightType() == AnomalyKind.REACTIVE ? v.causalAnomalyId() : null);
        }
        if (!v.recommendations().isEmpty()) {
            ArrayNode rs = o.putArray("recommendations");
            for (Recommendation r : v.recommendations()) recommendation(rs.addObject(), r);
        }
        resourceCollection(o.putObject("resourceCollection"), v);
        ArrayNode es = o.putArray("relatedEvents");
        for (ChangeEvent e : v.relatedEvents()) event(es.addObject(), e);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void anomaly(ObjectNode o, Anomaly a, String causalId) {
        o.put("id", a.getId());
        time(o, "startTime", a.getStartTime());
        if (a.getEndTime() != null) time(o, "endTime", a.getEndTime());
        time(o, "openTime", a.getOpenTime());
        if (a.getCloseTime() != null) time(o, "closeTime", a.getCloseTime());
        o.put("anomalySeverity", a.getSeverity().name().toLowerCase(Locale.ROOT));
        if (causalId != null) o.put("type", a.getId().equals(causalId) ? "CAUSAL" : "CONTEXTUAL");
        if (!a.getName().isEmpty()) o.put("name", a.getName());
        if (!a.getDescription().isEmpty()) o.put("description", a.getDescription());
        if (a.getLimit() != null) o.put("limit", a.getLimit());
        if (a.getPredictionStart() != null || a.getPredictionEnd() != null) {
            ObjectNode p = o.putObject("predictionTimeRange");
            if (a.getPredictionStart() != null) time(p, "startTime", a.getPredictionStart());
            if (a.getPredictionEnd() != null) time(p, "endTime", a.getPredictionEnd());
        }
        ObjectNode d = o.putArray("sourceDetails").addObject();
        d.put("dataSource", "CW_METRICS");
        ObjectNode id = d.putObject("dataIdentifiers");
        id.put("namespace", a.getNamespace());
        id.put("name", a.getMetricName());
        id.put("stat", a.getStat());
        id.put("unit", a.getUnit());
        id.put("period", Integer.toString(a.getPeriod()));
        id.put("dimensions", dimensions(a.getDimensions()));
        o.putArray("associatedResourceArns").add(a.getResource().getArn());
        ObjectNode r = o.putArray("anomalyResources").addObject();
        r.put("type", a.getResource().getType());
        r.put("name", a.getResource().getName());
    }

    static void recommendation(ObjectNode o, Recommendation r) {
        o.put("name", r.name());
        o.put("description", r.description());
        o.put("reason", r.reason());
        o.put("link", r.link());
        o.put("category", r.category());
        ArrayNode ras = o.putArray("relatedAnomalies");
        for (Anomaly a : r.relatedAnomalies()) {
            ObjectNode ra = ras.addObject();
            ra.put("anomalyId", a.getId());
            ObjectNode m = ra.putObject("sourceDetails").putArray("cloudWatchMetrics").addObject();
            m.put("metricName", a.getMetricName());
            m.put("namespace", a.getNamespace());
            resource(ra.putArray("resources").addObject(), a.getResource());
            ra.putArray("associatedResourceArns").add(a.getResource().getArn());
        }
        ArrayNode res = o.putArray("relatedEvents");
        for (ChangeEvent e : r.relatedEvents()) {
            ObjectNode re = res.addObject();
            re.put("name", e.getName());
            ArrayNode rr = re.putArray("resources");
            for (Resource x : e.getResources()) resource(rr.addObject(), x);
        }
    }

    static void resourceCollection(ObjectNode o, View v) {
        if (v.tagKey() != null) {
            ObjectNode t = o.putArray("tags").addObject();
            t.put("appBoundaryKey", v.tagKey());
            t.putArray("tagValues").add(v.application());
        } else {
            ArrayNode stacks = o.putObject("cloudFormation").putArray("stackNames");
            if (v.stackNames().isEmpty()) stacks.add("*");
            for (String s : v.stackNames()) stacks.add(s);
        }
    }

    static void event(ObjectNode o, ChangeEvent e) {
        o.put("id", e.getId());
        time(o, "time", e.getTime());
        o.put("eventSource", e.getEventSource());
        o.put("name", e.getName());
        o.put("dataSource", e.getDataSource().name());
        o.put("eventClass", e.getEventClass().name());
        ArrayNode rs = o.putArray("resources");
        for (Resource r : e.getResources()) {
            ObjectNode ro = rs.addObject();
            resource(ro, r);
            ro.put("arn", r.getArn());
        }
    }

    private static void resource(ObjectNode o, Resource r) {
        o.put("name", r.getName());
        o.put("type", r.getType());
    }

    private static void time(ObjectNode o, String field, long ms) {
        o.put(field, ms);
        o.put(field + "ISO", Instant.ofEpochMilli(ms).toString());
    }

    /** {"K":"V",…} with keys sorted, as a string (DevOps Guru's spelling). */
    static String dimensions(Map<String, String> dims) {
        ObjectNode d = JSON.createObjectNode();
        for (Map.Entry<String, String> e : new TreeMap<>(dims).entrySet()) d.put(e.getKey(), e.getValue());
        return d.toString();
    }
}
