package io.augur.ops.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns insight lifecycle events into OpsCenter changes, one OpsItem per insight, as DevOps Guru's OpsCenter
 * integration does: NEW_INSIGHT creates the item (title, Markdown description, severity, category, the insight id as
 * searchable operational data, and {@code /aws/dedup} = {@code {"dedupString": insightId}} so a repeated creation
 * never makes a second open item); NEW_ASSOCIATION, SEVERITY_UPGRADED and NEW_RECOMMENDATION update it; CLOSED_INSIGHT
 * sets it Resolved.
 */
public final class OpsItemPlan {
    public static final int MAX_TITLE = 1024;
    public static final int MAX_DESCRIPTION = 2048;
    /** OperationalData values are at most 20 KB. */
    public static final int MAX_DATA_VALUE_BYTES = 20 * 1024;
    public static final String DEDUP_KEY = "/aws/dedup";
    public static final String INSIGHT_ID_KEY = "augur:insightId";
    public static final String LAST_NOTIFICATION_KEY = "augur:lastNotification";
    public static final String NOTIFICATION_ID_KEY = "augur:notificationId";
    public static final String RECOMMENDATIONS_KEY = "augur:recommendations";
    public static final String INSIGHT_URL_KEY = "augur:insightUrl";
    public static final String RESOLVED = "Resolved";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OpsItemPlan() {}

    /** Source may not contain "aws", "amazon" or "amzn" (any case) and is at most 128 characters. */
    public static String checkSource(String source) {
        String s = source.toLowerCase(Locale.ROOT);
        if (source.isBlank() || source.length() > 128 || s.contains("aws") || s.contains("amazon") || s.contains("amzn")) {
            return "OpsItem source '" + source + "' is not allowed: use 1-128 characters without 'aws', 'amazon' or 'amzn' (e.g. Augur)";
        }
        return null;
    }

    public static OpsItemChange change(InsightNotification n) {
        JsonNode body = parse(n.getBody());
        Map<String, String> data = new LinkedHashMap<>();
        Set<String> searchable = Set.of(INSIGHT_ID_KEY, DEDUP_KEY);
        data.put(NOTIFICATION_ID_KEY, n.getId());
        data.put(LAST_NOTIFICATION_KEY, JsonBudget.fit(n.getBody(), MAX_DATA_VALUE_BYTES).json());
        InsightMessageType type = n.getMessageType();
        switch (type) {
            case NEW_INSIGHT: {
                data.put(INSIGHT_ID_KEY, n.getInsightId());
                data.put(DEDUP_KEY, dedup(n.getInsightId()));
                String url = text(body, "insightUrl");
                if (!url.isEmpty()) data.put(INSIGHT_URL_KEY, url);
                long start = body.path("startTime").isNumber() ? body.path("startTime").asLong() : n.getTime();
                return new OpsItemChange(true, title(n), description(n, body), DevOpsGuruNames.opsItemSeverity(n.getSeverity()), null,
                        data, searchable, start, null);
            }
            case SEVERITY_UPGRADED:
                return new OpsItemChange(false, null, null, DevOpsGuruNames.opsItemSeverity(n.getSeverity()), null, data, searchable, null, null);
            case NEW_RECOMMENDATION:
                if (body.path("recommendations").isArray()) {
                    ObjectNode r = MAPPER.createObjectNode();
                    r.set("recommendations", body.get("recommendations"));
                    data.put(RECOMMENDATIONS_KEY, JsonBudget.fit(JsonBudget.write(r), MAX_DATA_VALUE_BYTES).json());
                }
                return new OpsItemChange(false, null, null, null, null, data, searchable, null, null);
            case NEW_ASSOCIATION:
                return new OpsItemChange(false, null, null, null, null, data, searchable, null, null);
            case CLOSED_INSIGHT: {
                Long end = body.path("endTime").isNumber() ? body.path("endTime").asLong() : n.getTime();
                return new OpsItemChange(false, null, null, null, RESOLVED, data, searchable, null, end);
            }
            default:
                throw new IllegalArgumentException("unknown message type " + type);
        }
    }

    /** {@code {"dedupString":"<insightId>"}}. */
    public static String dedup(String insightId) {
        return JsonBudget.write(MAPPER.createObjectNode().put("dedupString", insightId));
    }

    /** The value of the OperationalData filter that finds an insight's OpsItem with DescribeOpsItems. */
    public static String insightIdFilter(String insightId) {
        return JsonBudget.write(MAPPER.createObjectNode().put("key", INSIGHT_ID_KEY).put("value", insightId));
    }

    static String title(InsightNotification n) {
        String name = n.getInsightName().isBlank() ? n.getInsightId() : n.getInsightName();
        return JsonBudget.cut("DevOps Guru insight (Augur): " + name, MAX_TITLE);
    }

    /** Markdown, at most 2,048 characters; what does not fit is cut at a line and marked. */
    static String description(InsightNotification n, JsonNode body) {
        StringBuilder b = new StringBuilder();
        b.append("**").append(n.getInsightName()).append("**\n\n");
        String d = text(body, "insightDescription");
        if (!d.isEmpty()) b.append(d).append("\n\n");
        b.append("- Insight: ").append(n.getInsightId()).append('\n');
        b.append("- Severity: ").append(n.getSeverity()).append(", type: ").append(n.getInsightType()).append('\n');
        if (!n.getApplication().isEmpty()) b.append("- Application: ").append(n.getApplication()).append('\n');
        b.append("- Account: ").append(n.getAccountId()).append(", region: ").append(n.getRegion()).append('\n');
        String start = text(body, "startTimeISO");
        b.append("- Started: ").append(start.isEmpty() ? Instant.ofEpochMilli(n.getTime()).toString() : start).append('\n');
        String url = text(body, "insightUrl");
        if (!url.isEmpty()) b.append("- Details: ").append(url).append('\n');
        JsonNode anomalies = body.path("anomalies");
        if (anomalies.isArray() && anomalies.size() > 0) {
            b.append("\nAnomalies (").append(anomalies.size()).append("):\n");
            for (JsonNode a : anomalies) {
                for (JsonNode s : a.path("sourceDetails")) {
                    JsonNode id = s.path("dataIdentifiers");
                    b.append("- ").append(id.path("namespace").asText()).append(' ').append(id.path("name").asText())
                            .append(" (").append(id.path("stat").asText()).append(')');
                    JsonNode dims = id.path("dimensions");
                    if (dims.isObject() && dims.size() > 0) b.append(' ').append(JsonBudget.write(dims));
                    b.append(" since ").append(a.path("startTimeISO").asText()).append('\n');
                }
            }
        }
        return fitLines(b.toString(), MAX_DESCRIPTION);
    }

    /** Cuts at the last whole line that fits and adds a marker line; never more than {@code max} characters. */
    static String fitLines(String s, int max) {
        if (s.length() <= max) return s;
        String marker = "\n… (truncated)";
        int limit = max - marker.length();
        int cut = s.lastIndexOf('\n', limit);
        String head = cut > 0 ? s.substring(0, cut) : JsonBudget.cut(s, limit);
        if (head.length() > limit) head = head.substring(0, limit);
        return head + marker;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            return n == null ? MAPPER.createObjectNode() : n;
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isValueNode() ? v.asText() : "";
    }
}
