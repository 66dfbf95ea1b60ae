package io.augur.ops.table;

import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Resource;
import io.augur.schema.Severity;

import java.util.Map;

/** Records for the table tests: one reactive insight on checkout-api (Lambda errors, CAUSAL) and an ALB (CONTEXTUAL). */
public final class TableFixtures {
    /** 2025-01-01T10:00:00Z: the first anomalous datapoint. */
    public static final long T0 = 1_735_725_600_000L;
    public static final long MIN = 60_000L;
    public static final String LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout-api";
    public static final String ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/checkout-alb/50dc6c495c0c9188";

    private TableFixtures() {}

    /** NEW_INSIGHT, as DevOps Guru's SNS body (dimensions as a JSON string, period as text, severity lower case). */
    public static final String NEW_INSIGHT_BODY = """
            {"accountId":"123456789012","region":"us-east-1","messageType":"NEW_INSIGHT","insightId":"ins-1",
             "insightName":"Errors rose in checkout","insightUrl":"https://console.aws.amazon.com/devops-guru/#/insight/reactive/ins-1",
             "insightType":"REACTIVE","insightDescription":"Lambda errors and ALB 5xx in checkout","insightSeverity":"medium",
             "startTime":1735725600000,"startTimeISO":"2025-01-01T10:00:00Z",
             "anomalies":[{"id":"an-lambda","startTime":1735725600000,"startTimeISO":"2025-01-01T10:00:00Z",
               "openTime":1735725780000,"openTimeISO":"2025-01-01T10:03:00Z","anomalySeverity":"high","type":"CAUSAL",
               "sourceDetails":[{"dataSource":"CW_METRICS","dataIdentifiers":{"namespace":"AWS/Lambda","name":"Errors","stat":"Sum",
                 "unit":"None","period":"60","dimensions":"{\\"FunctionName\\":\\"checkout-api\\"}"}}],
               "associatedResourceArns":["arn:aws:lambda:us-east-1:123456789012:function:checkout-api"],
               "anomalyResources":[{"name":"checkout-api","type":"AWS::Lambda::Function"}]}],
             "resourceCollection":{"cloudFormation":{"stackNames":["checkout"]}}}""";

    /** NEW_ASSOCIATION: only the newly associated ALB anomaly (CONTEXTUAL), times as ISO text only. */
    public static final String ASSOCIATION_BODY = """
            {"accountId":"123456789012","region":"us-east-1","messageType":"NEW_ASSOCIATION","insightId":"ins-1",
             "insightName":"Errors rose in checkout","insightType":"REACTIVE","insightSeverity":"high","startTimeISO":"2025-01-01T10:00:00Z",
             "anomalies":[{"id":"an-alb","startTimeISO":"2025-01-01T10:02:00Z","openTimeISO":"2025-01-01T10:06:00Z",
               "anomalySeverity":"medium","type":"CONTEXTUAL",
               "sourceDetails":[{"dataSource":"CW_METRICS","dataIdentifiers":{"namespace":"AWS/ApplicationELB","name":"HTTPCode_Target_5XX_Count",
                 "stat":"Sum","unit":"Count","period":60,"dimensions":{"LoadBalancer":"app/checkout-alb/50dc6c495c0c9188"}}}],
               "associatedResourceArns":["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/checkout-alb/50dc6c495c0c9188"]}],
             "resourceCollection":{"cloudFormation":{"stackNames":["checkout"]}}}""";

    /** NEW_RECOMMENDATION: two recommendations (EventBridge detail's recommendations[]). */
    public static final String RECOMMENDATION_BODY = """
            {"accountId":"123456789012","region":"us-east-1","messageType":"NEW_RECOMMENDATION","insightId":"ins-1",
             "insightName":"Errors rose in checkout","insightType":"REACTIVE","insightSeverity":"high","startTime":1735725600000,
             "anomalies":[],
             "recommendations":[
               {"name":"Roll back the recent deployment of checkout-api","description":"The errors began 4 minutes after deployment d-1.",
                "reason":"UpdateFunctionCode on checkout-api preceded the errors","link":"https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html",
                "category":"DEPLOYMENT","relatedAnomalies":[{"anomalyId":"an-lambda"}],"relatedEvents":[{"name":"UpdateFunctionCode"}]},
               {"name":"Check the target group health","description":"5xx rose on the load balancer.","reason":"HTTPCode_Target_5XX_Count rose",
                "link":"https://docs.aws.amazon.com/elasticloadbalancing/","relatedAnomalies":[{"anomalyId":"an-alb"}]}],
             "resourceCollection":{"cloudFormation":{"stackNames":["checkout"]}}}""";

    /** CLOSED_INSIGHT: the EventBridge detail with endTime. */
    public static final String CLOSED_BODY = """
            {"accountId":"123456789012","region":"us-east-1","messageType":"CLOSED_INSIGHT","insightId":"ins-1",
             "insightName":"Errors rose in checkout","insightType":"REACTIVE","insightSeverity":"high",
             "startTime":1735725600000,"endTime":1735728300000,"endTimeISO":"2025-01-01T10:45:00Z",
             "anomalies":[{"id":"an-lambda","startTime":1735725600000,"openTime":1735725780000,"closeTime":1735728000000,"type":"CAUSAL"},
                          {"id":"an-alb","startTime":1735725720000,"openTime":1735726080000,"closeTime":1735728300000,"type":"CONTEXTUAL"}],
             "resourceCollection":{"cloudFormation":{"stackNames":["checkout"]}}}""";

    public static InsightNotification event(InsightMessageType type, int sequence, Severity severity, long time, String body) {
        return InsightNotification.newBuilder()
                .setId("ins-1-" + type + "-" + sequence).setInsightId("ins-1").setMessageType(type).setSequence(sequence)
                .setSeverity(severity).setInsightType(AnomalyKind.REACTIVE).setInsightName("Errors rose in checkout")
                .setAccountId("123456789012").setRegion("us-east-1").setApplication("checkout").setTime(time).setBody(body)
                .build();
    }

    public static InsightNotification newInsight() {
        return event(InsightMessageType.NEW_INSIGHT, 0, Severity.MEDIUM, T0 + 5 * MIN, NEW_INSIGHT_BODY);
    }

    public static InsightNotification association() {
        return event(InsightMessageType.NEW_ASSOCIATION, 1, Severity.HIGH, T0 + 8 * MIN, ASSOCIATION_BODY);
    }

    public static InsightNotification recommendation() {
        return event(InsightMessageType.NEW_RECOMMENDATION, 2, Severity.HIGH, T0 + 10 * MIN, RECOMMENDATION_BODY);
    }

    public static InsightNotification closed() {
        return event(InsightMessageType.CLOSED_INSIGHT, 3, Severity.HIGH, T0 + 50 * MIN, CLOSED_BODY);
    }

    /** A revision of the Lambda errors anomaly. */
    public static Anomaly lambdaErrors(int revision, AnomalyStatus status, long updateTime) {
        boolean closed = status == AnomalyStatus.CLOSED;
        return Anomaly.newBuilder()
                .setId("an-lambda").setKind(AnomalyKind.REACTIVE).setSeverity(Severity.HIGH).setStatus(status).setRevision(revision)
                .setStartTime(T0).setEndTime(closed ? T0 + 38 * MIN : null).setOpenTime(T0 + 3 * MIN).setCloseTime(closed ? updateTime : null)
                .setUpdateTime(updateTime).setAccountId("123456789012").setRegion("us-east-1")
                .setSeriesKey("123456789012|us-east-1|AWS/Lambda|Errors|FunctionName=checkout-api|Sum").setNamespace("AWS/Lambda")
                .setMetricName("Errors").setDimensions(Map.of("FunctionName", "checkout-api")).setStat("Sum").setUnit("None").setPeriod(60)
                .setResource(Resource.newBuilder().setType("AWS::Lambda::Function").setName("checkout-api").setArn(LAMBDA_ARN).build())
                .setDirection(1).setPeakScore(0.97).setName("Errors rose on AWS::Lambda::Function checkout-api")
                .setDescription("Errors Sum rose above its expected band").build();
    }
}
