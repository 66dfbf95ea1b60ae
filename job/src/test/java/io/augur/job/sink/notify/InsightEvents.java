package io.augur.job.sink.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.AnomalyKind;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Insight lifecycles as the correlation stage emits them, with DevOps Guru-shaped bodies: NEW_INSIGHT (MEDIUM),
 * NEW_ASSOCIATION, SEVERITY_UPGRADED (to HIGH), NEW_RECOMMENDATION, CLOSED_INSIGHT. Insights overlap in time.
 */
final class InsightEvents {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    static final InsightMessageType[] LIFECYCLE = {InsightMessageType.NEW_INSIGHT, InsightMessageType.NEW_ASSOCIATION,
            InsightMessageType.SEVERITY_UPGRADED, InsightMessageType.NEW_RECOMMENDATION, InsightMessageType.CLOSED_INSIGHT};

    private InsightEvents() {}

    static String insightId(int i) {
        return String.format("ADyf4FvaVNDzu9MA2-%04d", i);
    }

    /** Every event of {@code insights} insights, in event-time order. */
    static List<InsightNotification> lifecycles(int insights) {
        List<InsightNotification> out = new ArrayList<>();
        for (int i = 0; i < insights; i++) {
            for (int k = 0; k < LIFECYCLE.length; k++) out.add(event(i, k, 2));
        }
        out.sort(Comparator.comparingLong(InsightNotification::getTime).thenComparing(InsightNotification::getId));
        return out;
    }

    static InsightNotification event(int insight, int sequence, int datapoints) {
        InsightMessageType type = LIFECYCLE[sequence];
        Severity severity = sequence >= 2 ? Severity.HIGH : Severity.MEDIUM;
        String id = insightId(insight);
        long start = T0 + insight * 120_000L;
        long time = start + sequence * 600_000L;
        ObjectNode b = MAPPER.createObjectNode();
        b.put("accountId", "123456789012");
        b.put("region", "us-east-1");
        b.put("messageType", type.name());
        b.put("insightId", id);
        b.put("insightName", "Errors anomalies in AWS/Lambda in stack shop-" + insight);
        b.put("insightUrl", "https://augur.example/insights/" + id);
        b.put("insightType", "REACTIVE");
        b.put("insightDescription", "Lambda errors and ALB 5xx rose together");
        b.put("insightSeverity", severity.name().toLowerCase());
        b.put("startTime", start);
        b.put("startTimeISO", Instant.ofEpochMilli(start).toString());
        if (type == InsightMessageType.CLOSED_INSIGHT) {
            b.put("endTime", time);
            b.put("endTimeISO", Instant.ofEpochMilli(time).toString());
        }
        ArrayNode anomalies = b.putArray("anomalies");
        ObjectNode a = anomalies.addObject();
        a.put("id", "AL-" + id + "-" + sequence);
        a.put("startTime", start);
        a.put("startTimeISO", Instant.ofEpochMilli(start).toString());
        a.put("openTime", start + 300_000);
        a.put("openTimeISO", Instant.ofEpochMilli(start + 300_000).toString());
        a.put("anomalySeverity", severity.name().toLowerCase());
        ObjectNode sd = a.putArray("sourceDetails").addObject();
        sd.put("dataSource", "CW_METRICS");
        ObjectNode di = sd.putObject("dataIdentifiers");
        di.put("namespace", "AWS/Lambda").put("name", "Errors").put("stat", "Sum").put("unit", "Count").put("period", "60");
        di.putObject("dimensions").put("FunctionName", "checkout-" + insight);
        ArrayNode dps = a.putArray("datapoints");
        for (int d = 0; d < datapoints; d++) dps.addObject().put("timestamp", start + d * 60_000L).put("value", 3.0 + d);
        a.putArray("associatedResourceArns").add("arn:aws:lambda:us-east-1:123456789012:function:checkout-" + insight);
        b.putObject("resourceCollection").putObject("cloudFormation").putArray("stackNames").add("shop-" + insight);
        if (type == InsightMessageType.NEW_RECOMMENDATION) {
            b.putArray("recommendations").addObject().put("name", "Roll back the latest deployment")
                    .put("description", "Errors began minutes after deployment d-42").put("link", "https://augur.example/runbooks/rollback")
                    .put("reason", "DEPLOYMENT").put("category", "DEPLOYMENT");
        }
        return InsightNotification.newBuilder()
                .setId(id + "-" + type + "-" + sequence).setInsightId(id).setMessageType(type).setSequence(sequence)
                .setSeverity(severity).setInsightType(AnomalyKind.REACTIVE).setInsightName(b.get("insightName").asText())
                .setAccountId("123456789012").setRegion("us-east-1").setApplication("shop-" + insight)
                .setTime(time).setBody(b.toString()).build();
    }
}
