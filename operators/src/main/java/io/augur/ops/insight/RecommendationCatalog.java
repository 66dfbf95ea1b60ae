package io.augur.ops.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The recommendation rules, kept as data in {@code io/augur/ops/insight/recommendations.json} (see its "about" for the
 * format), matched against an insight's anomalies and its likely cause.
 */
public final class RecommendationCatalog implements Serializable {
    public static final String RESOURCE = "/io/augur/ops/insight/recommendations.json";

    /** One rule. Null or empty conditions match anything. */
    public record Rule(String id, String name, String description, String reason, String link, String category,
                       Set<AnomalyKind> kinds, Set<String> resourceTypes, Set<String> namespaces, Set<String> metrics, Integer direction,
                       boolean causal, int minResources, Set<EventClass> eventClasses, List<String> eventNames) implements Serializable {

        boolean hasAnomalyConditions() {
            return !resourceTypes.isEmpty() || !namespaces.isEmpty() || !metrics.isEmpty() || direction != null || causal;
        }

        boolean hasEventConditions() {
            return !eventClasses.isEmpty() || !eventNames.isEmpty();
        }

        boolean matches(Anomaly a, boolean isCausal) {
            return (kinds.isEmpty() || kinds.contains(a.getKind()))
                    && (resourceTypes.isEmpty() || resourceTypes.contains(a.getResource().getType()))
                    && (namespaces.isEmpty() || namespaces.contains(a.getNamespace()))
                    && (metrics.isEmpty() || metrics.contains(a.getMetricName()))
                    && (direction == null || direction == a.getDirection())
                    && (!causal || isCausal);
        }

        boolean matches(ChangeEvent e) {
            if (e == null) return false;
            if (!eventClasses.isEmpty() && !eventClasses.contains(e.getEventClass())) return false;
            if (eventNames.isEmpty()) return true;
            for (String glob : eventNames) if (glob(glob).matcher(e.getName()).matches()) return true;
            return false;
        }
    }

    private final List<Rule> rules;

    public RecommendationCatalog(List<Rule> rules) {
        Set<String> ids = new HashSet<>();
        for (Rule r : rules) if (!ids.add(r.id())) throw new IllegalArgumentException("recommendation rule id '" + r.id() + "' is used twice");
        this.rules = List.copyOf(rules);
    }

    public static RecommendationCatalog loadDefault() {
        try (InputStream in = RecommendationCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " missing from the classpath");
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RecommendationCatalog parse(JsonNode root) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : root.path("rules")) {
            JsonNode w = r.path("when");
            Set<AnomalyKind> kinds = new LinkedHashSet<>();
            for (String k : strings(w.get("kinds"))) kinds.add(AnomalyKind.valueOf(k));
            Set<EventClass> classes = new LinkedHashSet<>();
            for (String c : strings(w.get("eventClasses"))) classes.add(EventClass.valueOf(c));
            rules.add(new Rule(text(r, "id"), text(r, "name"), text(r, "description"), text(r, "reason"), text(r, "link"), text(r, "category"),
                    kinds, new LinkedHashSet<>(strings(w.get("resourceTypes"))), new LinkedHashSet<>(strings(w.get("namespaces"))),
                    new LinkedHashSet<>(strings(w.get("metrics"))), w.hasNonNull("direction") ? w.get("direction").asInt() : null,
                    w.path("causal").asBoolean(false), w.path("minResources").asInt(0), classes, strings(w.get("eventNames"))));
        }
        return new RecommendationCatalog(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * The recommendations for an insight, in catalog order: {@code anomalies} its anomalies, {@code causalId} the id of its
     * causal anomaly (or null), {@code cause} its likely cause (or null), {@code application} its application.
     */
    public List<Recommendation> match(List<Anomaly> anomalies, String causalId, ChangeEvent cause, String application) {
        List<Recommendation> out = new ArrayList<>();
        Set<String> resources = new HashSet<>();
        for (Anomaly a : anomalies) resources.add(a.getResource().getArn());
        for (Rule r : rules) {
            if (resources.size() < r.minResources()) continue;
            if (r.hasEventConditions() && !r.matches(cause)) continue;
            List<Anomaly> related = new ArrayList<>();
            for (Anomaly a : anomalies) {
                boolean anomalyOk = r.hasAnomalyConditions() ? r.matches(a, a.getId().equals(causalId))
                        : r.kinds().isEmpty() || r.kinds().contains(a.getKind());
                if (anomalyOk) related.add(a);
            }
            if (related.isEmpty()) continue;
            List<ChangeEvent> events = r.hasEventConditions() ? List.of(cause) : List.of();
            out.add(new Recommendation(r.id(), r.name(), r.description(), reason(r.reason(), related.get(0), cause, application),
                    r.link(), r.category(), related, events));
        }
        return out;
    }

    static String reason(String template, Anomaly a, ChangeEvent cause, String application) {
        return template
                .replace("{resourceType}", a.getResource().getType())
                .replace("{resource}", InsightText.resourceLabel(a.getResource()))
                .replace("{metric}", a.getMetricName())
                .replace("{stat}", a.getStat())
                .replace("{app}", application)
                .replace("{limit}", a.getLimit() == null ? "its limit" : InsightText.number(a.getLimit()) + " " + a.getUnit())
                .replace("{eventTime}", cause == null ? "" : InsightText.minute(cause.getTime()))
                .replace("{event}", cause == null ? "" : InsightText.eventLabel(cause));
    }

    private static Pattern glob(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) sb.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        return Pattern.compile(sb.toString());
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new IllegalArgumentException("recommendation rule " + n.path("id").asText("?") + ": missing '" + f + "'");
        }
        return v.textValue();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null) for (JsonNode s : n) out.add(s.asText());
        return out;
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
