package io.augur.ops.testing;

import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.InsightInput;
import io.augur.schema.MetricValue;
import io.augur.schema.Resource;
import io.augur.schema.Severity;

import java.util.List;
import java.util.Map;

/** Hand-made anomaly revisions and change events, as the CEP patterns and the parser produce them. */
public final class InsightFixtures {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final long T0 = 1_741_000_000_000L; // 2025-03-03T11:06:40Z
    public static final long MIN = 60_000L;

    public static final Resource API = ResourceIdentities.lambdaFunction(ACCOUNT, REGION, "checkout-api");
    public static final Resource DB = ResourceIdentities.rdsInstance(ACCOUNT, REGION, "checkout-db");
    public static final Resource TABLE = ResourceIdentities.dynamoDbTable(ACCOUNT, REGION, "checkout-table");
    public static final Resource ALB = ResourceIdentities.loadBalancerV2(ACCOUNT, REGION, "app/checkout-alb/0123456789abcdef");
    public static final Resource QUEUE = ResourceIdentities.sqsQueue(ACCOUNT, REGION, "checkout-jobs");
    public static final Resource INSTANCE = ResourceIdentities.ec2Instance(ACCOUNT, REGION, "i-0123456789abcdef0");
    public static final Resource GROUP = ResourceIdentities.codeDeployDeploymentGroup(ACCOUNT, REGION, "checkout", "checkout-prod");

    private InsightFixtures() {}

    /** An anomaly revision: ONGOING at revision 0 opened at {@code update}, later revisions as given. */
    public static Anomaly anomaly(String id, AnomalyKind kind, Severity severity, AnomalyStatus status, int revision, long start, long update,
                                  Resource r, String metric, int direction) {
        String namespace = namespace(r);
        return Anomaly.newBuilder().setId(id).setKind(kind).setSeverity(severity).setStatus(status).setRevision(revision)
                .setStartTime(start).setEndTime(status == AnomalyStatus.CLOSED ? update - MIN : null)
                .setOpenTime(revision == 0 ? update : start + 2 * MIN).setCloseTime(status == AnomalyStatus.CLOSED ? update : null)
                .setUpdateTime(update).setAccountId(ACCOUNT).setRegion(REGION)
                .setSeriesKey(ACCOUNT + "|" + REGION + "|" + namespace + "|" + metric + "|" + r.getName() + "|Average")
                .setNamespace(namespace).setMetricName(metric).setDimensions(Map.of(dimension(r), r.getName())).setStat("Average")
                .setUnit("None").setPeriod(60).setResource(r).setDirection(direction).setPeakScore(0.9)
                .setDatapoints(List.of(MetricValue.newBuilder().setTimestamp(start).setValue(1).setExpected(null).setLower(null).setUpper(null).build()))
                .setLimit(kind == AnomalyKind.PROACTIVE ? 0.0 : null)
                .setPredictionStart(kind == AnomalyKind.PROACTIVE ? update + 36 * 60 * MIN : null)
                .setPredictionEnd(kind == AnomalyKind.PROACTIVE ? update + 40 * 60 * MIN : null)
                .setName(metric + " " + (direction > 0 ? "rose" : "fell") + " on " + r.getType() + " " + r.getName())
                .setDescription("").build();
    }

    public static Anomaly reactive(String id, Severity severity, long start, long open, Resource r, String metric) {
        return anomaly(id, AnomalyKind.REACTIVE, severity, AnomalyStatus.ONGOING, 0, start, open, r, metric, metric.startsWith("Free") ? -1 : 1);
    }

    public static Anomaly closed(Anomaly a, int revision, long closeTime) {
        return Anomaly.newBuilder(a).setStatus(AnomalyStatus.CLOSED).setRevision(revision).setEndTime(closeTime - MIN)
                .setCloseTime(closeTime).setUpdateTime(closeTime).build();
    }

    public static Anomaly revised(Anomaly a, int revision, long update, Severity severity) {
        return Anomaly.newBuilder(a).setRevision(revision).setUpdateTime(update).setSeverity(severity).build();
    }

    public static ChangeEvent deployment(String deploymentId, String state, long time) {
        return ChangeEvent.newBuilder().setId("codedeploy:" + deploymentId + ":" + state).setTime(time).setEventSource("codedeploy.amazonaws.com")
                .setName("CodeDeploy deployment " + state).setDataSource(EventDataSource.AWS_CODE_DEPLOY).setEventClass(EventClass.DEPLOYMENT)
                .setResources(List.of(GROUP, ResourceIdentities.codeDeployApplication(ACCOUNT, REGION, "checkout"))).setAccountId(ACCOUNT)
                .setRegion(REGION).setErrorCode(null).setActor("checkout/checkout-prod").setDeploymentId(deploymentId).build();
    }

    public static ChangeEvent cloudTrail(String id, String name, EventClass eventClass, long time, Resource r) {
        return ChangeEvent.newBuilder().setId(id).setTime(time).setEventSource(r.getArn().split(":")[2] + ".amazonaws.com").setName(name)
                .setDataSource(EventDataSource.AWS_CLOUD_TRAIL).setEventClass(eventClass).setResources(List.of(r)).setAccountId(ACCOUNT)
                .setRegion(REGION).setErrorCode(null).setActor("arn:aws:sts::123456789012:assumed-role/DeployRole/jane.doe").setDeploymentId(null).build();
    }

    public static InsightInput input(String application, String stack, Anomaly a) {
        return InsightInput.newBuilder().setApplication(application).setAccountId(ACCOUNT).setRegion(REGION).setStackName(stack)
                .setTagKey(null).setAnomaly(a).setEvent(null).build();
    }

    public static InsightInput input(String application, String stack, ChangeEvent e) {
        return InsightInput.newBuilder().setApplication(application).setAccountId(ACCOUNT).setRegion(REGION).setStackName(stack)
                .setTagKey(null).setAnomaly(null).setEvent(e).build();
    }

    static String namespace(Resource r) {
        return switch (r.getType()) {
            case "AWS::Lambda::Function" -> "AWS/Lambda";
            case "AWS::RDS::DBInstance" -> "AWS/RDS";
            case "AWS::DynamoDB::Table" -> "AWS/DynamoDB";
            case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> "AWS/ApplicationELB";
            case "AWS::SQS::Queue" -> "AWS/SQS";
            case "AWS::EC2::Instance" -> "AWS/EC2";
            default -> "Custom";
        };
    }

    static String dimension(Resource r) {
        return switch (r.getType()) {
            case "AWS::Lambda::Function" -> "FunctionName";
            case "AWS::RDS::DBInstance" -> "DBInstanceIdentifier";
            case "AWS::DynamoDB::Table" -> "TableName";
            case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> "LoadBalancer";
            case "AWS::SQS::Queue" -> "QueueName";
            case "AWS::EC2::Instance" -> "InstanceId";
            default -> "Name";
        };
    }
}
