package io.augur.ops.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.AnomalyKind;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;

import java.time.Instant;

/**
 * Realistic DevOps Guru notification bodies (SNS fields plus the EventBridge detail extras), for the payload tests here
 * and the notification sink tests in the job module (through this module's test jar).
 */
public final class InsightBodies {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final long START = Instant.parse("2026-03-02T10:15:00Z").toEpochMilli();
    /** An insight's duration: a CLOSED_INSIGHT body ends this long after its start. */
    public static final long DURATION = 3_600_000;

    private InsightBodies() {}

    static ObjectNode body(String insightId, InsightMessageType type, Severity severity, int anomalies, int datapoints, int recommendations) {
        return body(insightId, type, severity, START, "checkout", anomalies, datapoints, recommendations);
    }

    /** A body of insight {@code insightId} of stack {@code application} starting at {@code start}. */
    public static ObjectNode body(String insightId, InsightMessageType type, Severity severity, long start, String application,
                                  int anomalies, int datapoints, int recommendations) {
        ObjectNode b = MAPPER.createObjectNode();
        b.put("accountId", "123456789012");
        b.put("region", "us-east-1");
        b.put("messageType", type.name());
        b.put("insightId", insightId);
        b.put("insightName", "Latency anomalies in AWS/Lambda and AWS/ApplicationELB in stack " + application);
        b.put("insightUrl", "https://augur.example/insights/" + insightId);
        b.put("insightType", "REACTIVE");
        b.put("insightDescription", "Latency of the checkout API rose after deployment d-ABC123");
        b.put("insightSeverity", severity.name().toLowerCase());
        b.put("startTime", start);
        b.put("startTimeISO", Instant.ofEpochMilli(start).toString());
        if (type == InsightMessageType.CLOSED_INSIGHT) {
            b.put("endTime", start + DURATION);
            b.put("endTimeISO", Instant.ofEpochMilli(start + DURATION).toString());
        }
        ArrayNode an = b.putArray("anomalies");
        for (int i = 0; i < anomalies; i++) {
            ObjectNode a = an.addObject();
            a.put("id", "AL" + insightId.substring(Math.max(0, insightId.length() - 8)) + "-" + i);
            a.put("startTime", start + i * 60_000L);
            a.put("startTimeISO", Instant.ofEpochMilli(start + i * 60_000L).toString());
            a.put("openTime", start + i * 60_000L + 300_000);
            a.put("openTimeISO", Instant.ofEpochMilli(start + i * 60_000L + 300_000).toString());
            a.put("anomalySeverity", severity.name().toLowerCase());
            ObjectNode sd = a.putArray("sourceDetails").addObject();
            sd.put("dataSource", "CW_METRICS");
            ObjectNode di = sd.putObject("dataIdentifiers");
            di.put("namespace", "AWS/Lambda");
            di.put("name", "Duration");
            di.put("stat", "p99");
            di.put("unit", "Milliseconds");
            di.put("period", "60");
            di.putObject("dimensions").put("FunctionName", application + "-" + i);
            ArrayNode dps = a.putArray("datapoints");
            for (int d = 0; d < datapoints; d++) {
                dps.addObject().put("timestamp", start + d * 60_000L).put("value", 120.5 + d);
            }
            a.putArray("associatedResourceArns").add("arn:aws:lambda:us-east-1:123456789012:function:" + application + "-" + i);
        }
        b.putObject("resourceCollection").putObject("cloudFormation").putArray("stackNames").add(application);
        if (recommendations > 0) {
            ArrayNode rs = b.putArray("recommendations");
            for (int r = 0; r < recommendations; r++) {
                ObjectNode rec = rs.addObject();
                rec.put("name", "Roll back deployment d-ABC123 " + r);
                rec.put("description", "The latency rose within minutes of the deployment.");
                rec.put("link", "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html");
                rec.put("reason", "DEPLOYMENT");
                rec.put("category", "DEPLOYMENT");
            }
        }
        return b;
    }

    static InsightNotification notification(String insightId, InsightMessageType type, int sequence, Severity severity, String body) {
        return InsightNotification.newBuilder()
                .setId(insightId + ":" + type + ":" + sequence)
                .setInsightId(insightId).setMessageType(type).setSequence(sequence).setSeverity(severity)
                .setInsightType(AnomalyKind.REACTIVE)
                .setInsightName("Latency anomalies in AWS/Lambda and AWS/ApplicationELB in stack checkout")
                .setAccountId("123456789012").setRegion("us-east-1").setApplication("checkout")
                .setTime(START + sequence * 60_000L).setBody(body).build();
    }
}
