package io.augur.ops.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the insight tables read from a DevOps Guru notification body (the SNS body plus the EventBridge detail extras).
 * Lenient, because the body is a wire format: field names are looked up as written by DevOps Guru ({@code startTime})
 * and capitalized as in its API ({@code StartTime}); times may be epoch milliseconds (number or digits) or ISO-8601
 * (also the {@code …ISO} twin fields); a missing or unreadable field is null, never an error.
 */
public final class NotificationBody {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final JsonNode root;

    private NotificationBody(JsonNode root) {
        this.root = root;
    }

    /** A body; malformed JSON reads as an empty body (the tables then fall back to the notification's own fields). */
    public static NotificationBody parse(String json) {
        if (json == null || json.isBlank()) return new NotificationBody(MAPPER.createObjectNode());
        try {
            JsonNode n = MAPPER.readTree(json);
            return new NotificationBody(n != null && n.isObject() ? n : MAPPER.createObjectNode());
        } catch (JsonProcessingException e) {
            return new NotificationBody(MAPPER.createObjectNode());
        }
    }

    public Long startTime() {
        return time(root, "startTime");
    }

    public Long endTime() {
        return time(root, "endTime");
    }

    public String description() {
        return text(root, "insightDescription");
    }

    public String insightUrl() {
        return text(root, "insightUrl");
    }

    /** ResourceCollection as compact JSON with sorted keys, or null. */
    public String resourceCollection() {
        JsonNode rc = field(root, "resourceCollection");
        return rc.isObject() && rc.size() > 0 ? canonical(rc) : null;
    }

    /** The insight's PredictionTimeRange.StartTime, or else the earliest of its anomalies'. */
    public Long predictionStart() {
        Long t = time(field(root, "predictionTimeRange"), "startTime");
        if (t != null) return t;
        Long min = null;
        for (AnomalyEntry a : anomalies()) if (a.predictionStart() != null && (min == null || a.predictionStart() < min)) min = a.predictionStart();
        return min;
    }

    /** The insight's PredictionTimeRange.EndTime, or else the latest of its anomalies'. */
    public Long predictionEnd() {
        Long t = time(field(root, "predictionTimeRange"), "endTime");
        if (t != null) return t;
        Long max = null;
        for (AnomalyEntry a : anomalies()) if (a.predictionEnd() != null && (max == null || a.predictionEnd() > max)) max = a.predictionEnd();
        return max;
    }

    /** One entry of {@code anomalies[]}. */
    public record AnomalyEntry(String id, String type, String severity, Long startTime, Long endTime, Long openTime, Long closeTime,
                               Double limit, Long predictionStart, Long predictionEnd, String namespace, String metricName, String stat,
                               String unit, Integer period, String dimensions, List<String> resourceArns, String resourceType,
                               String resourceName, String description) {
    }

    /** One entry of {@code recommendations[]}. */
    public record RecommendationEntry(String name, String description, String reason, String link, String category,
                                      List<String> relatedAnomalyIds, List<String> relatedEvents) {
    }

    public List<AnomalyEntry> anomalies() {
        List<AnomalyEntry> out = new ArrayList<>();
        for (JsonNode a : field(root, "anomalies")) {
            String id = text(a, "id");
            if (id == null) continue;
            JsonNode ids = field(first(field(a, "sourceDetails")), "dataIdentifiers");
            JsonNode resource = first(field(a, "anomalyResources"));
            JsonNode prediction = field(a, "predictionTimeRange");
            List<String> arns = new ArrayList<>();
            for (JsonNode arn : field(a, "associatedResourceArns")) if (arn.isTextual()) arns.add(arn.asText());
            out.add(new AnomalyEntry(id, upper(text(a, "type")), upper(text(a, "anomalySeverity")),
                    time(a, "startTime"), time(a, "endTime"), time(a, "openTime"), time(a, "closeTime"),
                    number(a, "limit"), time(prediction, "startTime"), time(prediction, "endTime"),
                    text(ids, "namespace"), text(ids, "name"), text(ids, "stat"), text(ids, "unit"),
                    number(ids, "period") == null ? null : number(ids, "period").intValue(), dimensions(field(ids, "dimensions")),
                    List.copyOf(arns), text(resource, "type"), text(resource, "name"), text(a, "description")));
        }
        return out;
    }

    public AnomalyEntry anomaly(String id) {
        for (AnomalyEntry a : anomalies()) if (a.id().equals(id)) return a;
        return null;
    }

    public List<RecommendationEntry> recommendations() {
        List<RecommendationEntry> out = new ArrayList<>();
        for (JsonNode r : field(root, "recommendations")) {
            String name = text(r, "name");
            if (name == null) continue;
            List<String> anomalyIds = new ArrayList<>();
            for (JsonNode a : field(r, "relatedAnomalies")) {
                String id = a.isTextual() ? a.asText() : text(a, "anomalyId") != null ? text(a, "anomalyId") : text(a, "id");
                if (id != null) anomalyIds.add(id);
            }
            List<String> events = new ArrayList<>();
            for (JsonNode e : field(r, "relatedEvents")) {
                String n = e.isTextual() ? e.asText() : text(e, "name");
                if (n != null) events.add(n);
            }
            out.add(new RecommendationEntry(name, text(r, "description"), text(r, "reason"), text(r, "link"), text(r, "category"),
                    List.copyOf(anomalyIds), List.copyOf(events)));
        }
        return out;
    }

    /**
     * Two bodies of one insight merged into one: every field of {@code update} is added; where both have a field,
     * objects merge recursively, {@code anomalies[]} merge by id and {@code recommendations[]} by name, and for anything
     * else {@code update} wins when {@code updateWins} (it is the later event), else the field is kept.
     */
    public static String merge(String base, String update, boolean updateWins) {
        ObjectNode b = (ObjectNode) parse(base).root.deepCopy();
        mergeInto(b, (ObjectNode) parse(update).root, updateWins);
        return b.toString();
    }

    /** The body re-serialized compactly (malformed: {}). */
    public static String normalize(String body) {
        return parse(body).root.toString();
    }

    private static void mergeInto(ObjectNode base, ObjectNode update, boolean updateWins) {
        for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            JsonNode cur = base.get(e.getKey());
            String key = arrayKey(e.getKey());
            if (cur == null || cur.isNull()) {
                base.set(e.getKey(), v.deepCopy());
            } else if (cur.isObject() && v.isObject()) {
                mergeInto((ObjectNode) cur, (ObjectNode) v, updateWins);
            } else if (cur.isArray() && v.isArray() && key != null) {
                mergeByKey((com.fasterxml.jackson.databind.node.ArrayNode) cur, v, key, updateWins);
            } else if (updateWins) {
                base.set(e.getKey(), v.deepCopy());
            }
        }
    }

    private static void mergeByKey(com.fasterxml.jackson.databind.node.ArrayNode base, JsonNode update, String key, boolean updateWins) {
        for (JsonNode u : update) {
            if (!u.isObject() || text(u, key) == null) continue;
            ObjectNode match = null;
            for (JsonNode b : base) if (b.isObject() && text(u, key).equals(text(b, key))) match = (ObjectNode) b;
            if (match == null) base.add(u.deepCopy());
            else mergeInto(match, (ObjectNode) u, updateWins);
        }
    }

    private static String arrayKey(String field) {
        return switch (field) {
            case "anomalies", "Anomalies" -> "id";
            case "recommendations", "Recommendations" -> "name";
            default -> null;
        };
    }

    // --- lenient field access ---

    /** {@code name} or {@code Name}; MissingNode when neither is there. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) return MissingNode.getInstance();
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) v = node.get(Character.toUpperCase(name.charAt(0)) + name.substring(1));
        return v == null || v.isNull() ? MissingNode.getInstance() : v;
    }

    private static JsonNode first(JsonNode array) {
        return array.isArray() && !array.isEmpty() ? array.get(0) : MissingNode.getInstance();
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (v.isMissingNode() || v.isContainerNode()) return null;
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    private static Double number(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Epoch ms from a number, digits, or ISO-8601 text; falls back to the {@code nameISO} twin. */
    static Long time(JsonNode node, String name) {
        Long t = parseTime(field(node, name));
        return t != null ? t : parseTime(field(node, name + "ISO"));
    }

    private static Long parseTime(JsonNode v) {
        if (v.isNumber()) return v.asLong();
        if (!v.isTextual()) return null;
        String s = v.asText().trim();
        if (s.isEmpty()) return null;
        if (s.chars().allMatch(Character::isDigit)) return Long.parseLong(s);
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(java.util.Locale.ROOT);
    }

    /** Dimensions as a JSON object with sorted keys: from an object, a JSON string (as SNS sends it), or [{name, value}]. */
    private static String dimensions(JsonNode v) {
        if (v.isTextual()) {
            try {
                v = MAPPER.readTree(v.asText());
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        Map<String, String> out = new TreeMap<>();
        if (v != null && v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().asText());
            }
        } else if (v != null && v.isArray()) {
            for (JsonNode d : v) if (text(d, "name") != null) out.put(text(d, "name"), String.valueOf(text(d, "value")));
        } else {
            return null;
        }
        return json(out);
    }

    /** A map as a JSON object with sorted keys. */
    public static String json(Map<String, String> map) {
        ObjectNode o = MAPPER.createObjectNode();
        new TreeMap<>(map).forEach(o::put);
        return o.toString();
    }

    private static String canonical(JsonNode n) {
        try {
            Object sorted = MAPPER.treeToValue(n, Object.class);
            return SORTED.writeValueAsString(sorted);
        } catch (JsonProcessingException e) {
            return n.toString();
        }
    }
}
