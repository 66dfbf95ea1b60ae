package io.augur.ops.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Fits a notification body (a JSON object) into a byte budget without breaking the JSON: the bulky, least important
 * parts go first. Arrays are halved in this order until the body fits: anomaly datapoints, recommendations and their
 * related events/anomalies, resource lists, anomaly source details, then the anomalies themselves; then long strings
 * are shortened; as a last resort only the top-level scalar fields stay. A trimmed body carries {@code "truncated": true}.
 * Deterministic: the same body and budget always give the same result.
 */
public final class JsonBudget {
    /** Array fields trimmed first to last. */
    static final List<String> TRIM_ORDER = List.of(
            "datapoints", "timestampMetricValuePairList", "TimestampMetricValuePairList", "metricValues",
            "relatedEvents", "relatedAnomalies", "recommendations",
            "associatedResourceArns", "anomalyResources", "sourceDetails", "anomalies");
    static final String MARKER = "truncated";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MIN_STRING = 64;

    private JsonBudget() {}

    /** The body, or a trimmed copy, and whether it was trimmed. */
    public record Fitted(String json, boolean truncated) {
        public int bytes() {
            return utf8Length(json);
        }
    }

    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** {@code json} if it has at most {@code maxBytes} UTF-8 bytes, otherwise a trimmed, still valid JSON object. */
    public static Fitted fit(String json, int maxBytes) {
        if (utf8Length(json) <= maxBytes) return new Fitted(json, false);
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            parsed = null;
        }
        ObjectNode root;
        if (parsed instanceof ObjectNode o) {
            root = o;
        } else {
            root = MAPPER.createObjectNode();
            root.put("body", json);
        }
        root.put(MARKER, true);
        if (fits(root, maxBytes)) return done(root);

        for (String name : TRIM_ORDER) {
            while (!fits(root, maxBytes)) {
                List<ArrayNode> arrays = new ArrayList<>();
                collectArrays(root, name, arrays);
                arrays.removeIf(a -> a.isEmpty());
                if (arrays.isEmpty()) break;
                for (ArrayNode a : arrays) halve(a);
            }
            if (fits(root, maxBytes)) return done(root);
        }
        // Any other array, largest first.
        while (!fits(root, maxBytes)) {
            List<ArrayNode> arrays = new ArrayList<>();
            collectArrays(root, null, arrays);
            arrays.removeIf(a -> a.isEmpty());
            if (arrays.isEmpty()) break;
            arrays.sort(Comparator.comparingInt(JsonBudget::size).reversed());
            halve(arrays.get(0));
        }
        if (fits(root, maxBytes)) return done(root);
        // Long strings, longest first.
        while (!fits(root, maxBytes) && shortenLongestString(root)) {
            // keep shortening
        }
        if (fits(root, maxBytes)) return done(root);
        ObjectNode minimal = MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode()) minimal.set(e.getKey(), e.getValue());
        }
        minimal.put(MARKER, true);
        while (!fits(minimal, maxBytes) && shortenLongestString(minimal)) {
            // keep shortening
        }
        if (fits(minimal, maxBytes)) return done(minimal);
        ObjectNode bare = MAPPER.createObjectNode().put(MARKER, true);
        return done(bare);
    }

    private static Fitted done(ObjectNode root) {
        return new Fitted(write(root), true);
    }

    private static boolean fits(JsonNode n, int maxBytes) {
        return utf8Length(write(n)) <= maxBytes;
    }

    private static int size(JsonNode n) {
        return utf8Length(write(n));
    }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void halve(ArrayNode a) {
        int keep = a.size() / 2;
        while (a.size() > keep) a.remove(a.size() - 1);
    }

    /** Arrays under field {@code name} (or every array when name is null), depth first. */
    private static void collectArrays(JsonNode node, String name, List<ArrayNode> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isArray() && (name == null || name.equals(e.getKey()))) out.add((ArrayNode) e.getValue());
                collectArrays(e.getValue(), name, out);
            }
        } else if (node.isArray()) {
            for (JsonNode c : node) {
                if (c.isArray() && name == null) out.add((ArrayNode) c);
                collectArrays(c, name, out);
            }
        }
    }

    /** Halves the longest string value longer than {@link #MIN_STRING} characters; false when there is none. */
    private static boolean shortenLongestString(JsonNode root) {
        Object[] best = new Object[3]; // container, key (String) or index (Integer), length
        findLongestString(root, best);
        if (best[0] == null) return false;
        String s = best[0] instanceof ObjectNode o ? o.get((String) best[1]).asText() : ((ArrayNode) best[0]).get((Integer) best[1]).asText();
        String cut = cut(s, Math.max(MIN_STRING / 2, s.length() / 2));
        if (best[0] instanceof ObjectNode o) o.set((String) best[1], TextNode.valueOf(cut));
        else ((ArrayNode) best[0]).set((Integer) best[1], TextNode.valueOf(cut));
        return true;
    }

    private static void findLongestString(JsonNode node, Object[] best) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                consider(node, e.getKey(), e.getValue(), best);
                findLongestString(e.getValue(), best);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                consider(node, i, node.get(i), best);
                findLongestString(node.get(i), best);
            }
        }
    }

    private static void consider(JsonNode container, Object key, JsonNode value, Object[] best) {
        if (!value.isTextual()) return;
        int len = value.asText().length();
        if (len > MIN_STRING && (best[2] == null || len > (Integer) best[2])) {
            best[0] = container;
            best[1] = key;
            best[2] = len;
        }
    }

    /** The first {@code maxChars} characters (never splitting a surrogate pair), with an ellipsis when cut. */
    public static String cut(String s, int maxChars) {
        if (s.length() <= maxChars) return s;
        if (maxChars <= 0) return "";
        int end = maxChars - 1;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "…";
    }
}
