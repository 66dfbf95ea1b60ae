package io.augur.ops.table;

import java.util.List;

import static io.augur.ops.table.ColumnType.BIGINT;
import static io.augur.ops.table.ColumnType.DOUBLE;
import static io.augur.ops.table.ColumnType.INT;
import static io.augur.ops.table.ColumnType.STRING;
import static io.augur.ops.table.ColumnType.TIMESTAMP;

/**
 * The insight tables: every column in order. The job's sinks, {@code augur query}, the shipped PostgreSQL and Athena DDL
 * and the notebook all follow these definitions (a test compares the shipped DDL with them). Rows are filled by
 * {@link TableRows}.
 */
public final class Tables {
    private Tables() {}

    public static final TableDef INSIGHTS = new TableDef("insights", List.of(
            c("id", STRING, "Insight id (deterministic)."),
            c("type", STRING, "REACTIVE or PROACTIVE."),
            c("name", STRING, "Insight name."),
            c("description", STRING, "Insight description."),
            c("severity", STRING, "LOW, MEDIUM or HIGH: the worst anomaly's."),
            c("status", STRING, "ONGOING or CLOSED."),
            c("start_time", TIMESTAMP, "InsightTimeRange.StartTime."),
            c("end_time", TIMESTAMP, "InsightTimeRange.EndTime, once closed."),
            c("prediction_start", TIMESTAMP, "Proactive: PredictionTimeRange.StartTime."),
            c("prediction_end", TIMESTAMP, "Proactive: PredictionTimeRange.EndTime."),
            c("opened_at", TIMESTAMP, "When Augur opened the insight (event time of NEW_INSIGHT)."),
            c("closed_at", TIMESTAMP, "When Augur closed it (event time of CLOSED_INSIGHT)."),
            c("application", STRING, "Stack name, devops-guru-* tag value, or account the insight belongs to."),
            c("resource_collection", STRING, "ResourceCollection as JSON (cloudFormation.stackNames or tags)."),
            c("account_id", STRING, "AWS account."),
            c("region", STRING, "AWS region."),
            c("anomaly_count", INT, "Distinct anomalies associated so far."),
            c("recommendation_count", INT, "Distinct recommendations so far."),
            c("updated_at", TIMESTAMP, "Event time of the latest lifecycle event."),
            c("version", BIGINT, "Row version, +1 each time the row changed.")),
            true, "start_time", "One row per insight, upserted as it changes.");

    public static final TableDef ANOMALIES = new TableDef("anomalies", List.of(
            c("id", STRING, "Anomaly id (deterministic)."),
            c("insight_id", STRING, "AssociatedInsightId; null until an insight names the anomaly."),
            c("kind", STRING, "REACTIVE or PROACTIVE."),
            c("type", STRING, "CAUSAL or CONTEXTUAL (reactive anomalies in an insight)."),
            c("severity", STRING, "LOW, MEDIUM or HIGH."),
            c("status", STRING, "ONGOING or CLOSED."),
            c("name", STRING, "Anomaly name."),
            c("description", STRING, "Anomaly description."),
            c("resource_arn", STRING, "ARN of the resource the metric belongs to."),
            c("resource_type", STRING, "CloudFormation type, e.g. AWS::Lambda::Function."),
            c("resource_name", STRING, "Resource name."),
            c("namespace", STRING, "CloudWatch namespace."),
            c("metric_name", STRING, "CloudWatch metric name."),
            c("stat", STRING, "Statistic: Sum, Average, Maximum, p99..."),
            c("unit", STRING, "Metric unit."),
            c("period_seconds", INT, "Seconds between datapoints (CloudWatch Period)."),
            c("dimensions", STRING, "Metric dimensions as a JSON object."),
            c("direction", STRING, "ABOVE or BELOW the expected band."),
            c("peak_score", DOUBLE, "Highest anomaly score (reactive) or forecast confidence (proactive)."),
            c("start_time", TIMESTAMP, "AnomalyTimeRange.StartTime."),
            c("end_time", TIMESTAMP, "AnomalyTimeRange.EndTime, once closed."),
            c("open_time", TIMESTAMP, "AnomalyReportedTimeRange.OpenTime."),
            c("close_time", TIMESTAMP, "AnomalyReportedTimeRange.CloseTime."),
            c("limit_value", DOUBLE, "Proactive: the limit the metric is heading for."),
            c("prediction_start", TIMESTAMP, "Proactive: earliest time the limit may be reached."),
            c("prediction_end", TIMESTAMP, "Proactive: latest time the limit may be reached within the horizon."),
            c("account_id", STRING, "AWS account."),
            c("region", STRING, "AWS region."),
            c("revision", INT, "The anomaly revision the row shows."),
            c("updated_at", TIMESTAMP, "Event time of the latest revision or insight event."),
            c("version", BIGINT, "Row version, +1 each time the row changed.")),
            true, "start_time", "One row per anomaly, upserted as it changes.");

    public static final TableDef INSIGHT_EVENTS = new TableDef("insight_events", List.of(
            c("id", STRING, "Lifecycle event id (insight id + message type + sequence)."),
            c("insight_id", STRING, "Insight id."),
            c("message_type", STRING, "NEW_INSIGHT, NEW_ASSOCIATION, SEVERITY_UPGRADED, NEW_RECOMMENDATION or CLOSED_INSIGHT."),
            c("sequence", INT, "0 for NEW_INSIGHT, +1 for every later event of the insight."),
            c("severity", STRING, "The insight's severity after the event."),
            c("insight_type", STRING, "REACTIVE or PROACTIVE."),
            c("insight_name", STRING, "Insight name."),
            c("application", STRING, "Application the insight belongs to."),
            c("account_id", STRING, "AWS account."),
            c("region", STRING, "AWS region."),
            c("event_time", TIMESTAMP, "Event time of the lifecycle event."),
            c("start_time", TIMESTAMP, "Insight start time, from the body."),
            c("end_time", TIMESTAMP, "Insight end time, from the body (CLOSED_INSIGHT)."),
            c("anomaly_ids", STRING, "Ids of the anomalies the body lists, comma-separated."),
            c("anomaly_count", INT, "Anomalies the body lists."),
            c("recommendation_count", INT, "Recommendations the body carries."),
            c("body", STRING, "The DevOps Guru notification body (JSON).")),
            false, "event_time", "The insight lifecycle events: an append-only log.");

    public static final TableDef RECOMMENDATIONS = new TableDef("recommendations", List.of(
            c("id", STRING, "Insight id + a hash of the recommendation name."),
            c("insight_id", STRING, "Insight id."),
            c("name", STRING, "Recommendation name."),
            c("description", STRING, "What to do."),
            c("reason", STRING, "Why."),
            c("link", STRING, "Documentation link."),
            c("category", STRING, "Category."),
            c("related_anomaly_ids", STRING, "RelatedAnomalies ids, comma-separated."),
            c("related_events", STRING, "RelatedEvents names, comma-separated."),
            c("updated_at", TIMESTAMP, "Event time of the lifecycle event that carried it."),
            c("version", BIGINT, "Sequence of the lifecycle event that carried it.")),
            true, "updated_at", "One row per recommendation of an insight.");

    public static final TableDef CHANGE_EVENTS = new TableDef("change_events", List.of(
            c("id", STRING, "Event id (CloudTrail eventID, or deterministic for CodeDeploy/Config)."),
            c("event_time", TIMESTAMP, "When the change happened."),
            c("event_source", STRING, "e.g. lambda.amazonaws.com, codedeploy.amazonaws.com."),
            c("name", STRING, "e.g. UpdateFunctionConfiguration, or a CodeDeploy state."),
            c("data_source", STRING, "AWS_CLOUD_TRAIL, AWS_CODE_DEPLOY or AWS_CONFIG."),
            c("event_class", STRING, "INFRASTRUCTURE, DEPLOYMENT, SECURITY_CHANGE, CONFIG_CHANGE or SCHEMA_CHANGE."),
            c("account_id", STRING, "AWS account."),
            c("region", STRING, "AWS region."),
            c("resource_arn", STRING, "ARN of the first resource the event touched."),
            c("resource_type", STRING, "Type of the first resource."),
            c("resource_name", STRING, "Name of the first resource."),
            c("resource_arns", STRING, "ARNs of every resource touched, comma-separated."),
            c("error_code", STRING, "errorCode of a failed CloudTrail call."),
            c("actor", STRING, "Who made the change."),
            c("deployment_id", STRING, "CodeDeploy deployment id.")),
            false, "event_time", "Normalized CloudTrail, CodeDeploy and Config change events: an append-only log.");

    /** Every table, in the order the job attaches them. */
    public static final List<TableDef> ALL = List.of(INSIGHTS, ANOMALIES, INSIGHT_EVENTS, RECOMMENDATIONS, CHANGE_EVENTS);

    public static TableDef byName(String name) {
        for (TableDef t : ALL) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no insight table " + name);
    }

    private static Column c(String name, ColumnType type, String doc) {
        return new Column(name, type, doc);
    }
}
