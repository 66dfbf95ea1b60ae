package io.augur.ops.table;

import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyTableState;
import io.augur.schema.ChangeEvent;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightTableState;
import io.augur.schema.Resource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The mapping from Augur's records to the rows of the insight tables ({@link Tables}): the one place to change when a
 * record or the DevOps Guru body gains a field. Record fields win; the notification body fills what the records do not
 * carry (an anomaly's insight id and CAUSAL/CONTEXTUAL type, an insight's start, end, prediction range and resource
 * collection) and stands in for an anomaly revision that has not arrived yet.
 */
public final class TableRows {
    private TableRows() {}

    /** The {@code insights} row of an insight's state: the latest event's fields, the merged bodies for the rest. */
    public static TableRow insight(InsightTableState s) {
        InsightNotification latest = s.getLatest();
        NotificationBody body = NotificationBody.parse(s.getBody());
        boolean closed = s.getClosedAt() != null;
        Long start = body.startTime();
        Long end = body.endTime();
        return new TableRow(Tables.INSIGHTS)
                .set("id", latest.getInsightId())
                .set("type", latest.getInsightType().name())
                .set("name", blankToNull(latest.getInsightName()))
                .set("description", body.description())
                .set("severity", latest.getSeverity().name())
                .set("status", closed ? "CLOSED" : "ONGOING")
                .setTime("start_time", start != null ? start : s.getOpenedAt())
                .setTime("end_time", closed ? (end != null ? end : s.getClosedAt()) : null)
                .setTime("prediction_start", body.predictionStart())
                .setTime("prediction_end", body.predictionEnd())
                .setTime("opened_at", s.getOpenedAt())
                .setTime("closed_at", s.getClosedAt())
                .set("application", blankToNull(latest.getApplication()))
                .set("resource_collection", body.resourceCollection())
                .set("account_id", latest.getAccountId())
                .set("region", latest.getRegion())
                .set("anomaly_count", body.anomalies().size())
                .set("recommendation_count", body.recommendations().size())
                .setTime("updated_at", latest.getTime())
                .set("version", s.getVersion());
    }

    /** The {@code anomalies} row of an anomaly's state: its latest revision, completed by the latest insight event naming it. */
    public static TableRow anomaly(String id, AnomalyTableState s) {
        Anomaly a = s.getRevision();
        InsightNotification n = s.getAssociation();
        NotificationBody.AnomalyEntry e = n == null ? null : NotificationBody.parse(n.getBody()).anomaly(id);
        TableRow r = new TableRow(Tables.ANOMALIES).set("id", id).set("insight_id", n == null ? null : n.getInsightId())
                .set("type", e == null ? null : e.type());
        if (a != null) {
            Resource res = a.getResource();
            r.set("kind", a.getKind().name())
                    .set("severity", a.getSeverity().name())
                    .set("status", a.getStatus().name())
                    .set("name", blankToNull(a.getName()))
                    .set("description", blankToNull(a.getDescription()))
                    .set("resource_arn", res.getArn())
                    .set("resource_type", res.getType())
                    .set("resource_name", res.getName())
                    .set("namespace", a.getNamespace())
                    .set("metric_name", a.getMetricName())
                    .set("stat", a.getStat())
                    .set("unit", a.getUnit())
                    .set("period_seconds", a.getPeriod())
                    .set("dimensions", NotificationBody.json(a.getDimensions()))
                    .set("direction", a.getDirection() > 0 ? "ABOVE" : a.getDirection() < 0 ? "BELOW" : null)
                    .set("peak_score", a.getPeakScore())
                    .setTime("start_time", a.getStartTime())
                    .setTime("end_time", a.getEndTime())
                    .setTime("open_time", a.getOpenTime())
                    .setTime("close_time", a.getCloseTime())
                    .set("limit_value", a.getLimit())
                    .setTime("prediction_start", a.getPredictionStart())
                    .setTime("prediction_end", a.getPredictionEnd())
                    .set("account_id", a.getAccountId())
                    .set("region", a.getRegion())
                    .set("revision", a.getRevision());
        } else if (e != null) {
            // no revision yet: what the insight event says about the anomaly
            boolean closed = e.closeTime() != null || e.endTime() != null;
            r.set("kind", n.getInsightType().name())
                    .set("severity", e.severity())
                    .set("status", closed ? "CLOSED" : "ONGOING")
                    .set("description", e.description())
                    .set("resource_arn", e.resourceArns().isEmpty() ? null : e.resourceArns().get(0))
                    .set("resource_type", e.resourceType())
                    .set("resource_name", e.resourceName())
                    .set("namespace", e.namespace())
                    .set("metric_name", e.metricName())
                    .set("stat", e.stat())
                    .set("unit", e.unit())
                    .set("period_seconds", e.period())
                    .set("dimensions", e.dimensions())
                    .setTime("start_time", e.startTime())
                    .setTime("end_time", e.endTime())
                    .setTime("open_time", e.openTime())
                    .setTime("close_time", e.closeTime())
                    .set("limit_value", e.limit())
                    .setTime("prediction_start", e.predictionStart())
                    .setTime("prediction_end", e.predictionEnd())
                    .set("account_id", n.getAccountId())
                    .set("region", n.getRegion());
        }
        long updated = Math.max(a == null ? Long.MIN_VALUE : a.getUpdateTime(), n == null ? Long.MIN_VALUE : n.getTime());
        return r.setTime("updated_at", updated == Long.MIN_VALUE ? null : updated).set("version", s.getVersion());
    }

    /** The {@code insight_events} row of a lifecycle event. */
    public static TableRow insightEvent(InsightNotification n) {
        NotificationBody body = NotificationBody.parse(n.getBody());
        List<String> ids = new ArrayList<>();
        for (NotificationBody.AnomalyEntry a : body.anomalies()) ids.add(a.id());
        return new TableRow(Tables.INSIGHT_EVENTS)
                .set("id", n.getId())
                .set("insight_id", n.getInsightId())
                .set("message_type", n.getMessageType().name())
                .set("sequence", n.getSequence())
                .set("severity", n.getSeverity().name())
                .set("insight_type", n.getInsightType().name())
                .set("insight_name", blankToNull(n.getInsightName()))
                .set("application", blankToNull(n.getApplication()))
                .set("account_id", n.getAccountId())
                .set("region", n.getRegion())
                .setTime("event_time", n.getTime())
                .setTime("start_time", body.startTime())
                .setTime("end_time", body.endTime())
                .set("anomaly_ids", ids.isEmpty() ? null : String.join(",", ids))
                .set("anomaly_count", ids.size())
                .set("recommendation_count", body.recommendations().size())
                .set("body", n.getBody());
    }

    /** The {@code recommendations} rows a lifecycle event carries (NEW_RECOMMENDATION), versioned by the event's sequence. */
    public static List<TableRow> recommendations(InsightNotification n) {
        List<TableRow> out = new ArrayList<>();
        for (NotificationBody.RecommendationEntry rec : NotificationBody.parse(n.getBody()).recommendations()) {
            out.add(new TableRow(Tables.RECOMMENDATIONS)
                    .set("id", recommendationId(n.getInsightId(), rec.name()))
                    .set("insight_id", n.getInsightId())
                    .set("name", rec.name())
                    .set("description", rec.description())
                    .set("reason", rec.reason())
                    .set("link", rec.link())
                    .set("category", rec.category())
                    .set("related_anomaly_ids", rec.relatedAnomalyIds().isEmpty() ? null : String.join(",", rec.relatedAnomalyIds()))
                    .set("related_events", rec.relatedEvents().isEmpty() ? null : String.join(",", rec.relatedEvents()))
                    .setTime("updated_at", n.getTime())
                    .set("version", (long) n.getSequence()));
        }
        return out;
    }

    /** The {@code change_events} row of a change event. */
    public static TableRow changeEvent(ChangeEvent e) {
        List<String> arns = new ArrayList<>();
        for (Resource r : e.getResources()) if (r.getArn() != null && !r.getArn().isEmpty()) arns.add(r.getArn());
        Resource first = e.getResources().isEmpty() ? null : e.getResources().get(0);
        return new TableRow(Tables.CHANGE_EVENTS)
                .set("id", e.getId())
                .setTime("event_time", e.getTime())
                .set("event_source", e.getEventSource())
                .set("name", e.getName())
                .set("data_source", e.getDataSource().name())
                .set("event_class", e.getEventClass().name())
                .set("account_id", e.getAccountId())
                .set("region", e.getRegion())
                .set("resource_arn", first == null ? null : blankToNull(first.getArn()))
                .set("resource_type", first == null ? null : blankToNull(first.getType()))
                .set("resource_name", first == null ? null : blankToNull(first.getName()))
                .set("resource_arns", arns.isEmpty() ? null : String.join(",", arns))
                .set("error_code", e.getErrorCode())
                .set("actor", e.getActor())
                .set("deployment_id", e.getDeploymentId());
    }

    /** Deterministic: the insight id and the first 16 hex digits of SHA-256 of the recommendation name. */
    public static String recommendationId(String insightId, String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return insightId + "-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
