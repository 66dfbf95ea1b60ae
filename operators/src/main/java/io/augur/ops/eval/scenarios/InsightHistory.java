package io.augur.ops.eval.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The insights of an {@code insights.ndjson}, each folded from its lifecycle events: when it was announced
 * (NEW_INSIGHT's time), its start and end, the resources of its anomalies, and its related events.
 */
public final class InsightHistory {
    /**
     * One insight. {@code end} is null while it is open; {@code resourceMetrics} holds "arn|metric name" of its anomalies,
     * {@code resourceMetricSince} when each first appeared in one of its lifecycle events (NEW_INSIGHT or NEW_ASSOCIATION).
     */
    public record Insight(String id, boolean proactive, long announced, long start, Long end, String application, Set<String> resources,
                          Set<String> resourceMetrics, Set<String> relatedEventIds, Map<String, Long> resourceMetricSince) {
        public Insight(String id, boolean proactive, long announced, long start, Long end, String application, Set<String> resources,
                       Set<String> resourceMetrics, Set<String> relatedEventIds) {
            this(id, proactive, announced, start, end, application, resources, resourceMetrics, relatedEventIds, Map.of());
        }

        /** When an anomaly on "arn|metric" was first announced in this insight (no earlier than the insight). */
        public long announcedFor(String resourceMetric) {
            Long t = resourceMetricSince.get(resourceMetric);
            return t == null ? announced : Math.max(announced, t);
        }
    }

    private InsightHistory() {}

    public static List<Insight> read(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String l;
            int n = 0;
            while ((l = r.readLine()) != null) {
                n++;
                if (l.isBlank()) continue;
                try {
                    lines.add(json.readTree(l));
                } catch (IOException e) {
                    throw new IOException(file + " line " + n + " is not JSON: " + e.getMessage().split("\n")[0], e);
                }
            }
        }
        return fold(lines);
    }

    /** Lines as {@code RecordJson.insight} writes them (body as an object, or as a JSON string). */
    public static List<Insight> fold(List<JsonNode> lines) {
        Map<String, Builder> byId = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (JsonNode l : lines) {
            JsonNode body = l.get("body");
            if (body != null && body.isTextual()) {
                try {
                    body = json.readTree(body.textValue());
                } catch (IOException e) {
                    throw new IllegalArgumentException("insight " + l.path("id").asText() + ": body is not JSON");
                }
            }
            if (body == null) body = json.createObjectNode();
            String id = l.path("insightId").asText();
            Builder b = byId.computeIfAbsent(id, k -> new Builder(k));
            String type = l.path("messageType").asText();
            long time = l.path("time").asLong();
            b.proactive = "PROACTIVE".equals(l.path("insightType").asText());
            b.application = l.path("application").asText();
            if ("NEW_INSIGHT".equals(type) || b.announced == null) b.announced = b.announced == null ? time : Math.min(b.announced, time);
            if (body.has("startTime")) b.start = b.start == null ? body.get("startTime").asLong() : Math.min(b.start, body.get("startTime").asLong());
            if ("CLOSED_INSIGHT".equals(type)) b.end = body.has("endTime") ? body.get("endTime").asLong() : time;
            for (JsonNode a : body.path("anomalies")) {
                String metric = a.path("sourceDetails").path(0).path("dataIdentifiers").path("name").asText("");
                for (JsonNode arn : a.path("associatedResourceArns")) {
                    b.resources.add(arn.asText());
                    b.resourceMetrics.add(arn.asText() + "|" + metric);
                    b.since.merge(arn.asText() + "|" + metric, time, Math::min);
                }
            }
            for (JsonNode e : body.path("relatedEvents")) b.events.add(e.path("id").asText());
        }
        List<Insight> out = new ArrayList<>();
        for (Builder b : byId.values()) {
            out.add(new Insight(b.id, b.proactive, b.announced, b.start == null ? b.announced : b.start, b.end, b.application, b.resources, b.resourceMetrics,
                    b.events, b.since));
        }
        return out;
    }

    private static final class Builder {
        final String id;
        boolean proactive;
        Long announced, start, end;
        String application;
        final Set<String> resources = new LinkedHashSet<>();
        final Set<String> resourceMetrics = new LinkedHashSet<>();
        final Set<String> events = new LinkedHashSet<>();
        final Map<String, Long> since = new LinkedHashMap<>();

        Builder(String id) {
            this.id = id;
        }
    }
}
