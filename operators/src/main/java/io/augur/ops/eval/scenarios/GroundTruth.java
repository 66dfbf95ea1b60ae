package io.augur.ops.eval.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What {@code augur simulate} injected ({@code ground-truth.json}): the fleet's size, the run's length, every incident. */
public record GroundTruth(String scenario, long start, long end, int periodSeconds, int resources, List<Incident> incidents) {

    /**
     * One injected incident. {@code causeEventId}, {@code exhaustion} and {@code limitMetric} (proactive) may be null.
     * {@code trendSignals} ({@code resourceArn|metricName}): what a proactive incident's trend itself moves from its onset
     * (the limit metric of the trending resource; a Lambda concurrency creep, a function slowing down, also its Duration
     * and its load balancer's response time); ground truths without the list: the trending resource's limit metric.
     */
    public record Incident(String id, String kind, boolean proactive, long onset, long end, String application, String primaryResource,
                           Set<String> resources, String causeEventId, Long exhaustion, String limitMetric, Set<String> trendSignals) {}

    public double resourceDays() {
        return resources * (end - start) / 86_400_000.0;
    }

    public static GroundTruth read(Path file) throws IOException {
        return parse(new ObjectMapper().readTree(file.toFile()));
    }

    public static GroundTruth parse(JsonNode root) {
        List<Incident> incidents = new ArrayList<>();
        for (JsonNode i : root.path("incidents")) {
            Set<String> resources = new LinkedHashSet<>();
            resources.add(text(i, "primaryResource"));
            for (JsonNode r : i.path("affectedResources")) resources.add(r.asText());
            String limitMetric = i.path("limit").hasNonNull("metricName") ? i.get("limit").get("metricName").asText() : null;
            Set<String> trend = new LinkedHashSet<>();
            if (i.has("trendSignals")) {
                for (JsonNode t : i.get("trendSignals")) trend.add(text(t, "resource") + "|" + text(t, "metric"));
            } else if (limitMetric != null) {
                trend.add(text(i, "primaryResource") + "|" + limitMetric);
            }
            incidents.add(new Incident(text(i, "id"), text(i, "kind"), "PROACTIVE".equals(text(i, "expectedInsight")),
                    i.path("onsetEpochMs").asLong(), i.path("endEpochMs").asLong(), text(i, "application"), text(i, "primaryResource"),
                    resources, i.hasNonNull("causeEventId") ? i.get("causeEventId").asText() : null,
                    i.hasNonNull("exhaustionEpochMs") ? i.get("exhaustionEpochMs").asLong() : null, limitMetric, trend));
        }
        return new GroundTruth(root.path("scenario").asText(""), root.path("startEpochMs").asLong(), root.path("endEpochMs").asLong(),
                root.path("periodSeconds").asInt(60), root.path("counts").path("resources").asInt(), incidents);
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) throw new IllegalArgumentException("ground truth: incident field '" + f + "' missing");
        return v.asText();
    }
}
