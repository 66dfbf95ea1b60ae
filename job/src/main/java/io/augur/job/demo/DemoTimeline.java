package io.augur.job.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines {@code augur demo} prints for one insight lifecycle event (a line of {@code insights.ndjson}): event time,
 * application, message type, severity, insight type and name, then, indented, the likely cause named in the insight's
 * description and the first recommendation. Pure formatting, no Flink.
 */
public final class DemoTimeline {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final Pattern CAUSE = Pattern.compile("It began (.+?): a likely cause\\.");
    private static final String INDENT = " ".repeat(17 + 2);

    private DemoTimeline() {
    }

    public static String header() {
        return String.format("%-17s  %-15s %-18s %-6s  %-9s  %s", "event time (UTC)", "application", "message", "sev.", "type", "insight");
    }

    /**
     * The timeline lines of one lifecycle event; none for a NEW_ASSOCIATION unless {@code associations}.
     */
    public static List<String> lines(JsonNode event, boolean associations) {
        List<String> out = new ArrayList<>();
        String type = event.path("messageType").asText();
        if (type.equals("NEW_ASSOCIATION") && !associations) return out;
        JsonNode body = event.path("body");
        String time = event.hasNonNull("time") ? TIME.format(Instant.ofEpochMilli(event.get("time").asLong())) : "-";
        out.add(String.format("%-17s  %-15s %-18s %-6s  %-9s  %s", time, event.path("application").asText(), type,
                event.path("severity").asText(), event.path("insightType").asText(), event.path("insightName").asText()));
        switch (type) {
            case "NEW_INSIGHT" -> {
                cause(body).ifPresent(c -> out.add(INDENT + "cause: " + c));
                out.add(INDENT + anomalies(body.path("anomalies")));
            }
            case "NEW_ASSOCIATION" -> out.add(INDENT + "+ " + anomalies(body.path("anomalies")));
            case "NEW_RECOMMENDATION" -> {
                cause(body).ifPresent(c -> out.add(INDENT + "cause: " + c));
                JsonNode recs = body.path("recommendations");
                if (recs.size() > 0) {
                    out.add(INDENT + "recommendation: " + recs.get(0).path("name").asText()
                            + (recs.size() > 1 ? " (+" + (recs.size() - 1) + " more)" : ""));
                }
            }
            case "CLOSED_INSIGHT" -> {
                int n = body.path("anomalies").size();
                out.add(INDENT + "closed: " + n + (n == 1 ? " anomaly, " : " anomalies, ") + body.path("startTimeISO").asText()
                        + " to " + body.path("endTimeISO").asText("-"));
            }
            default -> { }
        }
        return out;
    }

    /** The likely cause the insight's description names ("3 minutes after CodeDeploy deployment … at …"), if any. */
    static java.util.Optional<String> cause(JsonNode body) {
        Matcher m = CAUSE.matcher(body.path("insightDescription").asText());
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** "Metric of resource" for the first anomaly, and how many more. */
    static String anomalies(JsonNode anomalies) {
        if (anomalies.size() == 0) return "no anomalies";
        JsonNode a = anomalies.get(0);
        String metric = a.path("sourceDetails").path(0).path("dataIdentifiers").path("name").asText("?");
        JsonNode res = a.path("anomalyResources").path(0);
        String resource = res.hasNonNull("name") ? res.get("name").asText() : a.path("associatedResourceArns").path(0).asText("?");
        String first = metric + " of " + resource + " (" + a.path("anomalySeverity").asText("?") + ")";
        return anomalies.size() > 1 ? first + " and " + (anomalies.size() - 1) + " more" : first;
    }
}
