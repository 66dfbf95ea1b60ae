package io.augur.ops.insight;

import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventDataSource;
import io.augur.schema.Resource;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** The words of insights: names, descriptions, and how resources and change events are called in them. */
public final class InsightText {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final Map<String, String> TYPE_LABELS = Map.ofEntries(
            Map.entry("AWS::Lambda::Function", "Lambda function"),
            Map.entry("AWS::EC2::Instance", "EC2 instance"),
            Map.entry("AWS::EC2::Volume", "EBS volume"),
            Map.entry("AWS::AutoScaling::AutoScalingGroup", "Auto Scaling group"),
            Map.entry("AWS::RDS::DBInstance", "RDS DB instance"),
            Map.entry("AWS::RDS::DBCluster", "RDS DB cluster"),
            Map.entry("AWS::DynamoDB::Table", "DynamoDB table"),
            Map.entry("AWS::ElasticLoadBalancingV2::LoadBalancer", "load balancer"),
            Map.entry("AWS::ElasticLoadBalancing::LoadBalancer", "classic load balancer"),
            Map.entry("AWS::SQS::Queue", "SQS queue"),
            Map.entry("AWS::SNS::Topic", "SNS topic"),
            Map.entry("AWS::Kinesis::Stream", "Kinesis stream"),
            Map.entry("AWS::ApiGateway::RestApi", "API Gateway REST API"),
            Map.entry("AWS::ECS::Service", "ECS service"),
            Map.entry("AWS::CloudFormation::Stack", "CloudFormation stack"),
            Map.entry("AWS::CodeDeploy::DeploymentGroup", "CodeDeploy deployment group"));

    private InsightText() {}

    /** e.g. "Lambda function checkout-api". */
    public static String resourceLabel(Resource r) {
        return TYPE_LABELS.getOrDefault(r.getType(), r.getType()) + " " + r.getName();
    }

    /** "AWS/Lambda" → "Lambda". */
    public static String service(String namespace) {
        return namespace.startsWith("AWS/") ? namespace.substring(4) : namespace;
    }

    public static String minute(long ms) {
        return MINUTE.format(Instant.ofEpochMilli(ms));
    }

    /** Six significant digits, plain. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** How a change event is named in descriptions and recommendation reasons. */
    public static String eventLabel(ChangeEvent e) {
        if (e.getDataSource() == EventDataSource.AWS_CODE_DEPLOY) {
            String state = e.getName().substring(e.getName().lastIndexOf(' ') + 1);
            return "CodeDeploy deployment " + e.getDeploymentId() + " of " + e.getActor() + " (" + state + ")";
        }
        String on = e.getResources().isEmpty() ? "" : " on " + resourceLabel(e.getResources().get(0));
        if (e.getDataSource() == EventDataSource.AWS_CONFIG) return "Config change" + on;
        if (e.getDataSource() == EventDataSource.AWS_CLOUDFORMATION) return e.getName() + " in stack " + e.getActor();
        return e.getName() + on + (e.getActor() == null ? "" : " by " + shortActor(e.getActor()));
    }

    /** arn:aws:sts::1:assumed-role/DeployRole/jane → DeployRole/jane. */
    static String shortActor(String actor) {
        if (!actor.startsWith("arn:")) return actor;
        String res = actor.substring(actor.lastIndexOf(':') + 1);
        int slash = res.indexOf('/');
        return slash < 0 ? res : res.substring(slash + 1);
    }

    /** "rose" / "fell" / "changed". */
    static String movement(Anomaly a) {
        return a.getDirection() > 0 ? "rose" : a.getDirection() < 0 ? "fell" : "changed";
    }

    public static String insightName(AnomalyKind kind, Anomaly causal, String application, boolean repeated) {
        String what = service(causal.getNamespace()) + " " + causal.getMetricName();
        String name = kind == AnomalyKind.PROACTIVE
                ? what + " predicted to reach its limit in application " + application
                : what + " anomalous in application " + application;
        return repeated ? "Repeated Insight: " + name : name;
    }

    /** The insight's description: what happened first, how wide it is, what changed just before, whether it repeats. */
    public static String description(AnomalyKind kind, Anomaly causal, int anomalies, int resources, String application,
                                     ChangeEvent cause, long onset, boolean repeated) {
        StringBuilder sb = new StringBuilder();
        if (kind == AnomalyKind.PROACTIVE) {
            sb.append(capitalize(resourceLabel(causal.getResource()))).append(": ").append(causal.getMetricName())
                    .append(" (").append(causal.getStat()).append(") is heading for ")
                    .append(causal.getLimit() == null ? "its limit" : number(causal.getLimit()) + " " + causal.getUnit());
            if (causal.getPredictionStart() != null) {
                sb.append(", predicted to reach it ");
                if (causal.getPredictionEnd() != null && !causal.getPredictionEnd().equals(causal.getPredictionStart())) {
                    sb.append("between ").append(minute(causal.getPredictionStart())).append(" and ").append(minute(causal.getPredictionEnd()));
                } else {
                    sb.append("at ").append(minute(causal.getPredictionStart()));
                }
            }
            sb.append('.');
        } else {
            sb.append("At ").append(minute(onset)).append(", ").append(causal.getMetricName()).append(" (").append(causal.getStat())
                    .append(") of ").append(resourceLabel(causal.getResource())).append(' ').append(movement(causal)).append(" unusually.");
        }
        if (anomalies > 1) {
            sb.append(' ').append(anomalies).append(" anomalies on ").append(resources).append(resources == 1 ? " resource" : " resources")
                    .append(" of application ").append(application).append('.');
        }
        if (cause != null) {
            long minutes = Math.max(0, (onset - cause.getTime()) / 60_000);
            sb.append(" It began ").append(minutes == 0 ? "less than a minute" : minutes + (minutes == 1 ? " minute" : " minutes"))
                    .append(" after ").append(eventLabel(cause)).append(" at ").append(minute(cause.getTime()))
                    .append(": a likely cause.");
        }
        if (repeated) {
            sb.append(" Augur has detected this is a repeated insight and treats repeated insights as 'Low Severity'.");
        }
        return sb.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
