package io.augur.ops.resource;

import io.augur.schema.Resource;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * One resource identity for metrics and change events. A metric's namespace and dimensions and a CloudTrail call's
 * parameters both end up in the factory methods below, so that the two meet on the same ARN.
 *
 * <p>Namespaces Augur does not know keep a generic identity ({@value #GENERIC_TYPE}): they are never dropped.
 */
public final class ResourceIdentities {
    public static final String GENERIC_TYPE = "AWS::CloudWatch::Generic";

    private ResourceIdentities() {}

    /** The resource a CloudWatch metric series belongs to. */
    public static Resource fromMetric(String account, String region, String namespace, Map<String, String> dims) {
        switch (namespace) {
            case "AWS/EC2":
                if (dims.containsKey("InstanceId")) return ec2Instance(account, region, dims.get("InstanceId"));
                if (dims.containsKey("AutoScalingGroupName")) return autoScalingGroup(account, region, dims.get("AutoScalingGroupName"));
                break;
            case "AWS/AutoScaling":
                if (dims.containsKey("AutoScalingGroupName")) return autoScalingGroup(account, region, dims.get("AutoScalingGroupName"));
                break;
            case "AWS/EBS":
                if (dims.containsKey("VolumeId")) return ebsVolume(account, region, dims.get("VolumeId"));
                break;
            case "AWS/Lambda":
                if (dims.containsKey("FunctionName")) return lambdaFunction(account, region, dims.get("FunctionName"));
                break;
            case "AWS/RDS":
                if (dims.containsKey("DBInstanceIdentifier")) return rdsInstance(account, region, dims.get("DBInstanceIdentifier"));
                if (dims.containsKey("DBClusterIdentifier")) return rdsCluster(account, region, dims.get("DBClusterIdentifier"));
                break;
            case "AWS/DynamoDB":
                if (dims.containsKey("TableName")) return dynamoDbTable(account, region, dims.get("TableName"));
                break;
            case "AWS/ApplicationELB":
            case "AWS/NetworkELB":
            case "AWS/GatewayELB":
                if (dims.containsKey("LoadBalancer")) return loadBalancerV2(account, region, dims.get("LoadBalancer"));
                break;
            case "AWS/ELB":
                if (dims.containsKey("LoadBalancerName")) return classicLoadBalancer(account, region, dims.get("LoadBalancerName"));
                break;
            case "AWS/ApiGateway":
                if (dims.containsKey("ApiId")) return httpApi(account, region, dims.get("ApiId"));
                if (dims.containsKey("ApiName")) return restApi(account, region, dims.get("ApiName"));
                break;
            case "AWS/SQS":
                if (dims.containsKey("QueueName")) return sqsQueue(account, region, dims.get("QueueName"));
                break;
            case "AWS/SNS":
                if (dims.containsKey("TopicName")) return snsTopic(account, region, dims.get("TopicName"));
                break;
            case "AWS/Kinesis":
                if (dims.containsKey("StreamName")) return kinesisStream(account, region, dims.get("StreamName"));
                break;
            case "AWS/ECS":
            case "ECS/ContainerInsights":
                if (dims.containsKey("ServiceName") && dims.containsKey("ClusterName")) {
                    return ecsService(account, region, dims.get("ClusterName"), dims.get("ServiceName"));
                }
                if (dims.containsKey("ClusterName")) return ecsCluster(account, region, dims.get("ClusterName"));
                break;
            default:
                break;
        }
        return generic(account, region, namespace, dims);
    }

    public static Resource ec2Instance(String account, String region, String instanceId) {
        return of("AWS::EC2::Instance", instanceId, "arn:aws:ec2:" + region + ":" + account + ":instance/" + instanceId);
    }

    /** Real ASG ARNs carry a UUID that neither metrics nor most API calls show: Augur's identity omits it. */
    public static Resource autoScalingGroup(String account, String region, String name) {
        return of("AWS::AutoScaling::AutoScalingGroup", name,
                "arn:aws:autoscaling:" + region + ":" + account + ":autoScalingGroup:*:autoScalingGroupName/" + name);
    }

    public static Resource ebsVolume(String account, String region, String volumeId) {
        return of("AWS::EC2::Volume", volumeId, "arn:aws:ec2:" + region + ":" + account + ":volume/" + volumeId);
    }

    /** Accepts a function name, a partial ARN or a full (possibly qualified) function ARN. */
    public static Resource lambdaFunction(String account, String region, String nameOrArn) {
        String name = nameOrArn;
        if (name.startsWith("arn:")) {
            String[] p = name.split(":");
            // arn:aws:lambda:region:account:function:name[:qualifier]
            if (p.length >= 7) {
                region = p[3];
                account = p[4];
                name = p[6];
            }
        } else if (name.contains(":function:")) {
            name = name.substring(name.indexOf(":function:") + 10);
            if (name.contains(":")) name = name.substring(0, name.indexOf(':'));
        }
        return of("AWS::Lambda::Function", name, "arn:aws:lambda:" + region + ":" + account + ":function:" + name);
    }

    public static Resource rdsInstance(String account, String region, String id) {
        return of("AWS::RDS::DBInstance", id, "arn:aws:rds:" + region + ":" + account + ":db:" + id);
    }

    public static Resource rdsCluster(String account, String region, String id) {
        return of("AWS::RDS::DBCluster", id, "arn:aws:rds:" + region + ":" + account + ":cluster:" + id);
    }

    public static Resource dynamoDbTable(String account, String region, String nameOrArn) {
        String name = afterLast(nameOrArn, ":table/");
        if (name.contains("/")) name = name.substring(0, name.indexOf('/')); // table/x/index/y or /stream/...
        return of("AWS::DynamoDB::Table", name, "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name);
    }

    /** ALB, NLB or GWLB; {@code lb} is the metric dimension form {@code app/name/id}, or a full load balancer ARN. */
    public static Resource loadBalancerV2(String account, String region, String lb) {
        String suffix = lb.startsWith("arn:") ? afterLast(lb, ":loadbalancer/") : lb;
        String[] parts = suffix.split("/");
        String name = parts.length >= 2 ? parts[1] : suffix;
        return of("AWS::ElasticLoadBalancingV2::LoadBalancer", name,
                "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/" + suffix);
    }

    public static Resource classicLoadBalancer(String account, String region, String name) {
        return of("AWS::ElasticLoadBalancing::LoadBalancer", name,
                "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/" + name);
    }

    /**
     * REST APIs. CloudWatch names them by ApiName while CloudTrail names them by restApiId: the identity uses the name,
     * so a CloudTrail call only meets the metric when its parameters carry the name.
     */
    public static Resource restApi(String account, String region, String apiName) {
        return of("AWS::ApiGateway::RestApi", apiName, "arn:aws:apigateway:" + region + "::/restapis/" + apiName);
    }

    public static Resource httpApi(String account, String region, String apiId) {
        return of("AWS::ApiGatewayV2::Api", apiId, "arn:aws:apigateway:" + region + "::/apis/" + apiId);
    }

    /** Accepts a queue name, a queue URL (https://sqs.region.amazonaws.com/account/name) or a queue ARN. */
    public static Resource sqsQueue(String account, String region, String nameUrlOrArn) {
        String name = nameUrlOrArn;
        if (name.startsWith("arn:")) {
            String[] p = name.split(":");
            region = p[3];
            account = p[4];
            name = p[5];
        } else if (name.startsWith("http")) {
            String[] p = name.split("/");
            name = p[p.length - 1];
            if (p.length >= 2 && p[p.length - 2].matches("\\d{12}")) account = p[p.length - 2];
        }
        return of("AWS::SQS::Queue", name, "arn:aws:sqs:" + region + ":" + account + ":" + name);
    }

    public static Resource snsTopic(String account, String region, String nameOrArn) {
        String name = nameOrArn;
        if (name.startsWith("arn:")) {
            String[] p = name.split(":");
            region = p[3];
            account = p[4];
            name = p[5];
        }
        return of("AWS::SNS::Topic", name, "arn:aws:sns:" + region + ":" + account + ":" + name);
    }

    public static Resource kinesisStream(String account, String region, String nameOrArn) {
        String name = afterLast(nameOrArn, ":stream/");
        return of("AWS::Kinesis::Stream", name, "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name);
    }

    public static Resource ecsService(String account, String region, String cluster, String service) {
        String c = afterLast(cluster, ":cluster/");
        String s = afterLast(service, "/");
        return of("AWS::ECS::Service", s, "arn:aws:ecs:" + region + ":" + account + ":service/" + c + "/" + s);
    }

    public static Resource ecsCluster(String account, String region, String cluster) {
        String c = afterLast(cluster, ":cluster/");
        return of("AWS::ECS::Cluster", c, "arn:aws:ecs:" + region + ":" + account + ":cluster/" + c);
    }

    /** Namespaces Augur has no mapping for: the namespace and the sorted dimensions are the identity. */
    public static Resource generic(String account, String region, String namespace, Map<String, String> dims) {
        String dimPart = canonicalDimensions(dims);
        String name = dimPart.isEmpty() ? namespace : dimPart;
        return of(GENERIC_TYPE, name,
                "arn:augur:cloudwatch:" + region + ":" + account + ":generic/" + namespace + (dimPart.isEmpty() ? "" : "/" + dimPart));
    }

    /** {@code a=1,b=2}, keys sorted: the canonical form used in series ids. */
    public static String canonicalDimensions(Map<String, String> dims) {
        if (dims.isEmpty()) return "";
        StringJoiner j = new StringJoiner(",");
        for (Map.Entry<String, String> e : new TreeMap<>(dims).entrySet()) j.add(e.getKey() + "=" + e.getValue());
        return j.toString();
    }

    /** The series id: one per account, region, namespace, metric and dimension set. */
    public static String seriesId(String account, String region, String namespace, String metric, Map<String, String> dims) {
        return account + "|" + region + "|" + namespace + "|" + metric + "|" + canonicalDimensions(dims);
    }

    private static String afterLast(String s, String marker) {
        int i = s.lastIndexOf(marker);
        return i < 0 ? s : s.substring(i + marker.length());
    }

    private static Resource of(String type, String name, String arn) {
        return Resource.newBuilder().setType(type).setName(name).setArn(arn).build();
    }
}
