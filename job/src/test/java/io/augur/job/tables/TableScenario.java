package io.augur.job.tables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Resource;
import io.augur.schema.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A known input for the table tests, built as the CEP patterns and the insight correlation emit it (T0 = 2025-01-01 10:00 UTC):
 * <ul>
 *   <li>ins-a, checkout, REACTIVE HIGH, closed after 45 min: Lambda errors (CAUSAL) + ALB 5xx (CONTEXTUAL), two
 *       recommendations; a Lambda deployment 20 min and a CodeDeploy deployment 10 min before it began (and one to
 *       checkout-api-v2, another function, 5 min before);</li>
 *   <li>ins-b, orders, REACTIVE MEDIUM, closed after 15 min: DynamoDB throttling; a Config change 2 min before;</li>
 *   <li>ins-c, checkout, REACTIVE LOW, open since 15:00: Lambda p99 duration on the same function as ins-a; a config
 *       change 3 h before (outside the default 60-minute window);</li>
 *   <li>ins-d, orders, PROACTIVE MEDIUM, open: RDS free storage reaching 0 from 2025-01-04 10:00 (range in the body);</li>
 *   <li>ins-e, billing, PROACTIVE LOW, open: Lambda concurrency reaching 1000 from 2025-01-21 (range only in the anomaly);</li>
 *   <li>x-sqs: an SQS anomaly no insight names (outside coverage).</li>
 * </ul>
 */
final class TableScenario {
    static final long T0 = Instant.parse("2025-01-01T10:00:00Z").toEpochMilli();
    static final long MIN = 60_000L;
    static final long HOUR = 60 * MIN;
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final String CHECKOUT_API = "arn:aws:lambda:us-east-1:123456789012:function:checkout-api";
    static final String ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/checkout-alb/50dc6c495c0c9188";
    static final String ORDERS_TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    static final String ORDERS_DB = "arn:aws:rds:us-east-1:123456789012:db:orders-db";
    static final String BILLING_FN = "arn:aws:lambda:us-east-1:123456789012:function:billing-fn";
    static final String JOBS_QUEUE = "arn:aws:sqs:us-east-1:123456789012:jobs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableScenario() {}

    // --- anomalies (as the CEP patterns emit their revisions) ---

    private static Anomaly.Builder anomaly(String id, AnomalyKind kind, Severity severity, long start, String namespace, String metric,
                                           String stat, Map<String, String> dims, String type, String name, String arn) {
        return Anomaly.newBuilder().setId(id).setKind(kind).setSeverity(severity).setStatus(AnomalyStatus.ONGOING).setRevision(0)
                .setStartTime(start).setOpenTime(start + 3 * MIN).setUpdateTime(start + 3 * MIN).setAccountId(ACCOUNT).setRegion(REGION)
                .setSeriesKey(id).setNamespace(namespace).setMetricName(metric).setDimensions(dims).setStat(stat).setPeriod(60)
                .setResource(Resource.newBuilder().setType(type).setName(name).setArn(arn).build()).setDirection(kind == AnomalyKind.REACTIVE ? 1 : -1)
                .setPeakScore(0.9).setName(metric + " on " + type + " " + name);
    }

    private static Anomaly closed(Anomaly a, int revision, long end, long close) {
        return Anomaly.newBuilder(a).setRevision(revision).setStatus(AnomalyStatus.CLOSED).setEndTime(end).setCloseTime(close).setUpdateTime(close).build();
    }

    static final Anomaly A_LAMBDA = anomaly("a-lambda", AnomalyKind.REACTIVE, Severity.HIGH, T0, "AWS/Lambda", "Errors", "Sum",
            Map.of("FunctionName", "checkout-api"), "AWS::Lambda::Function", "checkout-api", CHECKOUT_API).build();
    static final Anomaly A_ALB = anomaly("a-alb", AnomalyKind.REACTIVE, Severity.MEDIUM, T0 + 2 * MIN, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
            "Sum", Map.of("LoadBalancer", "app/checkout-alb/50dc6c495c0c9188"), "AWS::ElasticLoadBalancingV2::LoadBalancer", "checkout-alb", ALB).build();
    static final Anomaly B_DDB = anomaly("b-ddb", AnomalyKind.REACTIVE, Severity.MEDIUM, T0 + 2 * HOUR, "AWS/DynamoDB", "ThrottledRequests", "Sum",
            Map.of("TableName", "orders"), "AWS::DynamoDB::Table", "orders", ORDERS_TABLE).build();
    static final Anomaly C_LAMBDA = anomaly("c-lambda", AnomalyKind.REACTIVE, Severity.LOW, T0 + 5 * HOUR, "AWS/Lambda", "Duration", "p99",
            Map.of("FunctionName", "checkout-api"), "AWS::Lambda::Function", "checkout-api", CHECKOUT_API).build();
    static final long D_PREDICTION_START = Instant.parse("2025-01-04T10:00:00Z").toEpochMilli();
    static final long D_PREDICTION_END = Instant.parse("2025-01-06T10:00:00Z").toEpochMilli();
    static final Anomaly D_RDS = anomaly("d-rds", AnomalyKind.PROACTIVE, Severity.MEDIUM, T0 + 3 * HOUR, "AWS/RDS", "FreeStorageSpace", "Minimum",
            Map.of("DBInstanceIdentifier", "orders-db"), "AWS::RDS::DBInstance", "orders-db", ORDERS_DB)
            .setLimit(0.0).setPredictionStart(D_PREDICTION_START).setPredictionEnd(D_PREDICTION_END).build();
    static final Anomaly E_LAMBDA = anomaly("e-lambda", AnomalyKind.PROACTIVE, Severity.LOW, T0 + 6 * HOUR, "AWS/Lambda", "ConcurrentExecutions", "Maximum",
            Map.of("FunctionName", "billing-fn"), "AWS::Lambda::Function", "billing-fn", BILLING_FN)
            .setLimit(1000.0).setPredictionStart(Instant.parse("2025-01-21T00:00:00Z").toEpochMilli())
            .setPredictionEnd(Instant.parse("2025-01-25T00:00:00Z").toEpochMilli()).build();
    static final Anomaly X_SQS = anomaly("x-sqs", AnomalyKind.REACTIVE, Severity.LOW, T0 + 7 * HOUR, "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum",
            Map.of("QueueName", "jobs"), "AWS::SQS::Queue", "jobs", JOBS_QUEUE).build();

    static List<Anomaly> anomalies() {
        return List.of(
                A_LAMBDA,
                Anomaly.newBuilder(A_LAMBDA).setRevision(1).setUpdateTime(T0 + 6 * MIN).setPeakScore(0.97).build(),
                A_ALB,
                closed(A_LAMBDA, 2, T0 + 38 * MIN, T0 + 40 * MIN),
                closed(A_ALB, 1, T0 + 44 * MIN, T0 + 45 * MIN),
                B_DDB,
                closed(B_DDB, 1, T0 + 2 * HOUR + 15 * MIN, T0 + 2 * HOUR + 16 * MIN),
                D_RDS, C_LAMBDA, E_LAMBDA, X_SQS);
    }

    // --- insight lifecycle events (as the insight correlation emits them) ---

    private static ObjectNode entry(Anomaly a, String type) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", a.getId());
        o.put("startTime", a.getStartTime());
        o.put("startTimeISO", Instant.ofEpochMilli(a.getStartTime()).toString());
        o.put("openTime", a.getOpenTime());
        o.put("anomalySeverity", a.getSeverity().name().toLowerCase());
        if (type != null) o.put("type", type);
        ObjectNode ids = o.putArray("sourceDetails").addObject().put("dataSource", "CW_METRICS").putObject("dataIdentifiers");
        ids.put("namespace", a.getNamespace()).put("name", a.getMetricName()).put("stat", a.getStat()).put("unit", a.getUnit())
                .put("period", String.valueOf(a.getPeriod())).put("dimensions", io.augur.ops.table.NotificationBody.json(a.getDimensions()));
        o.putArray("associatedResourceArns").add(a.getResource().getArn());
        return o;
    }

    private static InsightNotification event(String insight, InsightMessageType type, int seq, Severity severity, AnomalyKind kind,
                                             String name, String application, long time, long start, Long end, List<ObjectNode> anomalies,
                                             ArrayNode recommendations, ObjectNode extra) {
        ObjectNode b = JSON.createObjectNode();
        b.put("accountId", ACCOUNT).put("region", REGION).put("messageType", type.name()).put("insightId", insight).put("insightName", name)
                .put("insightUrl", "https://console.aws.amazon.com/devops-guru/#/insight/" + kind.name().toLowerCase() + "/" + insight)
                .put("insightType", kind.name()).put("insightDescription", name + " (" + application + ")")
                .put("insightSeverity", severity.name().toLowerCase()).put("startTime", start)
                .put("startTimeISO", Instant.ofEpochMilli(start).toString());
        if (end != null) b.put("endTime", end).put("endTimeISO", Instant.ofEpochMilli(end).toString());
        ArrayNode as = b.putArray("anomalies");
        anomalies.forEach(as::add);
        b.putObject("resourceCollection").putObject("cloudFormation").putArray("stackNames").add(application);
        if (recommendations != null) b.set("recommendations", recommendations);
        if (extra != null) b.setAll(extra);
        return InsightNotification.newBuilder().setId(insight + "-" + type + "-" + seq).setInsightId(insight).setMessageType(type).setSequence(seq)
                .setSeverity(severity).setInsightType(kind).setInsightName(name).setAccountId(ACCOUNT).setRegion(REGION)
                .setApplication(application).setTime(time).setBody(b.toString()).build();
    }

    static final String RECOMMENDATION_1 = "Roll back the recent deployment of checkout-api";
    static final String RECOMMENDATION_2 = "Check the health of the checkout-alb targets";

    static List<InsightNotification> insightEvents() {
        String a = "Errors rose in checkout";
        ArrayNode recs = JSON.createArrayNode();
        ObjectNode r1 = recs.addObject().put("name", RECOMMENDATION_1).put("description", "Errors began 20 minutes after UpdateFunctionCode.")
                .put("reason", "A deployment preceded the errors").put("link", "https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html")
                .put("category", "DEPLOYMENT");
        r1.putArray("relatedAnomalies").addObject().put("anomalyId", "a-lambda");
        r1.putArray("relatedEvents").addObject().put("name", "UpdateFunctionCode");
        ObjectNode r2 = recs.addObject().put("name", RECOMMENDATION_2).put("description", "5xx rose on the load balancer.")
                .put("reason", "HTTPCode_Target_5XX_Count rose").put("link", "https://docs.aws.amazon.com/elasticloadbalancing/");
        r2.putArray("relatedAnomalies").addObject().put("anomalyId", "a-alb");

        String d = "Free storage heading for zero on orders-db";
        ObjectNode dEntry = entry(D_RDS, null).put("limit", 0.0);
        dEntry.putObject("predictionTimeRange").put("startTime", D_PREDICTION_START).put("endTime", D_PREDICTION_END);

        List<InsightNotification> out = new ArrayList<>();
        out.add(event("ins-a", InsightMessageType.NEW_INSIGHT, 0, Severity.HIGH, AnomalyKind.REACTIVE, a, "checkout", T0 + 5 * MIN, T0, null,
                List.of(entry(A_LAMBDA, "CAUSAL")), null, null));
        out.add(event("ins-a", InsightMessageType.NEW_ASSOCIATION, 1, Severity.HIGH, AnomalyKind.REACTIVE, a, "checkout", T0 + 8 * MIN, T0, null,
                List.of(entry(A_ALB, "CONTEXTUAL")), null, null));
        out.add(event("ins-a", InsightMessageType.NEW_RECOMMENDATION, 2, Severity.HIGH, AnomalyKind.REACTIVE, a, "checkout", T0 + 10 * MIN, T0, null,
                List.of(), recs, null));
        out.add(event("ins-a", InsightMessageType.CLOSED_INSIGHT, 3, Severity.HIGH, AnomalyKind.REACTIVE, a, "checkout", T0 + 50 * MIN, T0, T0 + 45 * MIN,
                List.of(entry(A_LAMBDA, "CAUSAL"), entry(A_ALB, "CONTEXTUAL")), null, null));
        String b = "DynamoDB throttling on orders";
        out.add(event("ins-b", InsightMessageType.NEW_INSIGHT, 0, Severity.MEDIUM, AnomalyKind.REACTIVE, b, "orders", T0 + 2 * HOUR + 5 * MIN, T0 + 2 * HOUR, null,
                List.of(entry(B_DDB, "CAUSAL")), null, null));
        out.add(event("ins-b", InsightMessageType.CLOSED_INSIGHT, 1, Severity.MEDIUM, AnomalyKind.REACTIVE, b, "orders", T0 + 2 * HOUR + 20 * MIN,
                T0 + 2 * HOUR, T0 + 2 * HOUR + 15 * MIN, List.of(entry(B_DDB, "CAUSAL")), null, null));
        out.add(event("ins-d", InsightMessageType.NEW_INSIGHT, 0, Severity.MEDIUM, AnomalyKind.PROACTIVE, d, "orders", T0 + 3 * HOUR + 5 * MIN, T0 + 3 * HOUR, null,
                List.of(dEntry), null, null));
        out.add(event("ins-c", InsightMessageType.NEW_INSIGHT, 0, Severity.LOW, AnomalyKind.REACTIVE, "Latency rose in checkout", "checkout",
                T0 + 5 * HOUR + 5 * MIN, T0 + 5 * HOUR, null, List.of(entry(C_LAMBDA, "CAUSAL")), null, null));
        out.add(event("ins-e", InsightMessageType.NEW_INSIGHT, 0, Severity.LOW, AnomalyKind.PROACTIVE, "Concurrency heading for the limit on billing-fn",
                "billing", T0 + 6 * HOUR + 5 * MIN, T0 + 6 * HOUR, null, List.of(entry(E_LAMBDA, null)), null, null));
        return out;
    }

    // --- change events (as the parsers emit them) ---

    private static ChangeEvent change(String id, long time, String source, String name, EventDataSource ds, EventClass cls, String... arns) {
        List<Resource> rs = new ArrayList<>();
        for (String arn : arns) rs.add(Resource.newBuilder().setType("").setName(arn.substring(arn.lastIndexOf(':') + 1)).setArn(arn).build());
        return ChangeEvent.newBuilder().setId(id).setTime(time).setEventSource(source).setName(name).setDataSource(ds).setEventClass(cls)
                .setResources(rs).setAccountId(ACCOUNT).setRegion(REGION).build();
    }

    static List<ChangeEvent> changeEvents() {
        return List.of(
                change("ch-1", T0 - 20 * MIN, "lambda.amazonaws.com", "UpdateFunctionCode", EventDataSource.AWS_CLOUD_TRAIL, EventClass.DEPLOYMENT, CHECKOUT_API),
                change("codedeploy:d-1:SUCCESS", T0 - 10 * MIN, "codedeploy.amazonaws.com", "CodeDeploy deployment SUCCESS", EventDataSource.AWS_CODE_DEPLOY,
                        EventClass.DEPLOYMENT, "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:checkout/checkout-prod",
                        "arn:aws:codedeploy:us-east-1:123456789012:application:checkout"),
                change("ch-5", T0 - 5 * MIN, "ec2.amazonaws.com", "CreateTags", EventDataSource.AWS_CLOUD_TRAIL, EventClass.INFRASTRUCTURE, CHECKOUT_API),
                // a deployment to another function whose ARN starts with checkout-api's: not a change to checkout-api
                change("ch-6", T0 - 5 * MIN, "lambda.amazonaws.com", "UpdateFunctionCode", EventDataSource.AWS_CLOUD_TRAIL, EventClass.DEPLOYMENT,
                        CHECKOUT_API + "-v2"),
                change("ch-3", T0 + 2 * HOUR - 2 * MIN, "config.amazonaws.com", "Config UPDATE AWS::DynamoDB::Table", EventDataSource.AWS_CONFIG,
                        EventClass.CONFIG_CHANGE, ORDERS_TABLE),
                change("ch-4", T0 + 2 * HOUR, "lambda.amazonaws.com", "UpdateFunctionConfiguration", EventDataSource.AWS_CLOUD_TRAIL,
                        EventClass.CONFIG_CHANGE, CHECKOUT_API));
    }
}
