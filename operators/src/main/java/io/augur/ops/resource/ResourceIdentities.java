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
    /** Type of a resource known only by an ARN of a kind Augur does not map, when the input names no type. */
    public static final String UNKNOWN_TYPE = "AWS::Unknown";

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
        } else if (name.contains(":")) {
            // A qualified name "my-function:PROD" or "my-function:3": the function is the part before the qualifier.
            name = name.substring(0, name.indexOf(':'));
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

    /**
     * REST APIs known only by their id (CloudTrail's {@code restApiId}, an ARN {@code …::/restapis/ID}). The ARN is
     * AWS's real one, but it does not equal {@link #restApi}'s name-based identity that metrics use (CloudWatch's
     * AWS/ApiGateway dimension is ApiName): an id-only change event meets REST API metrics only through a later id→name
     * lookup. Calls that carry both (CreateRestApi's response has id and name) get both identities.
     */
    public static Resource restApiById(String account, String region, String restApiId) {
        return of("AWS::ApiGateway::RestApi", restApiId, "arn:aws:apigateway:" + region + "::/restapis/" + restApiId);
    }

    /** Like Auto Scaling groups, real stack ARNs end in a UUID that most calls do not show: the identity omits it. */
    public static Resource cloudFormationStack(String account, String region, String nameOrArn) {
        String name = nameOrArn;
        if (name.startsWith("arn:")) {
            String[] p = name.split(":", 6);
            if (p.length == 6) {
                region = p[3];
                account = p[4];
                String[] r = p[5].split("/"); // stack/NAME/UUID
                if (r.length >= 2) name = r[1];
            }
        }
        return of("AWS::CloudFormation::Stack", name, "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + name + "/*");
    }

    /** A CodeDeploy deployment group; the ARN is AWS's own form (…:deploymentgroup:APPLICATION/GROUP). */
    public static Resource codeDeployDeploymentGroup(String account, String region, String application, String group) {
        return of("AWS::CodeDeploy::DeploymentGroup", application + "/" + group,
                "arn:aws:codedeploy:" + region + ":" + account + ":deploymentgroup:" + application + "/" + group);
    }

    /** A CodeDeploy application (…:application:NAME). */
    public static Resource codeDeployApplication(String account, String region, String application) {
        return of("AWS::CodeDeploy::Application", application, "arn:aws:codedeploy:" + region + ":" + account + ":application:" + application);
    }

    /**
     * The identity of a CloudFormation resource from its type and physical id, as CloudFormation's stack events and
     * ListStackResources name it: a function or table name, an instance id, a queue URL, a load balancer ARN, … Null when
     * the physical id alone does not identify the resource (a CodeDeploy deployment group needs its application too).
     */
    public static Resource fromCloudFormation(String account, String region, String type, String physicalId) {
        if (physicalId == null || physicalId.isEmpty()) return null;
        if (physicalId.startsWith("arn:")) return fromArn(physicalId, type);
        switch (type) {
            case "AWS::Lambda::Function": return lambdaFunction(account, region, physicalId);
            case "AWS::EC2::Instance": return ec2Instance(account, region, physicalId);
            case "AWS::EC2::Volume": return ebsVolume(account, region, physicalId);
            case "AWS::AutoScaling::AutoScalingGroup": return autoScalingGroup(account, region, physicalId);
            case "AWS::RDS::DBInstance": return rdsInstance(account, region, physicalId);
            case "AWS::RDS::DBCluster": return rdsCluster(account, region, physicalId);
            case "AWS::DynamoDB::Table": return dynamoDbTable(account, region, physicalId);
            case "AWS::SQS::Queue": return sqsQueue(account, region, physicalId);
            case "AWS::SNS::Topic": return snsTopic(account, region, physicalId);
            case "AWS::Kinesis::Stream": return kinesisStream(account, region, physicalId);
            case "AWS::ElasticLoadBalancing::LoadBalancer": return classicLoadBalancer(account, region, physicalId);
            case "AWS::ECS::Cluster": return ecsCluster(account, region, physicalId);
            case "AWS::CodeDeploy::Application": return codeDeployApplication(account, region, physicalId);
            case "AWS::CloudFormation::Stack": return cloudFormationStack(account, region, physicalId);
            default: return null;
        }
    }

    /** A resource Augur has no factory for, named by the caller: type, short name and ARN are taken as given. */
    public static Resource named(String type, String name, String arn) {
        return of(type, name, arn);
    }

    /**
     * The identity of the resource an ARN names. ARNs of the kinds the factories above know map to the same identity
     * their metrics get (so an ALB ARN from CloudTrail equals the AWS/ApplicationELB LoadBalancer dimension's
     * identity); any other ARN is kept as it is, with {@code typeIfUnknown} (or {@value #UNKNOWN_TYPE}) as its type
     * and the ARN's last path segment as its name. A string that is not an ARN is kept as its own name and ARN.
     */
    public static Resource fromArn(String arn, String typeIfUnknown) {
        String type = typeIfUnknown == null || typeIfUnknown.isEmpty() ? UNKNOWN_TYPE : typeIfUnknown;
        String[] p = arn.split(":", 6);
        if (p.length < 6 || !"arn".equals(p[0])) return of(type, arn, arn);
        String service = p[2];
        String region = p[3];
        String account = p[4];
        String res = p[5];
        switch (service) {
            case "lambda":
                if (res.startsWith("function:")) return lambdaFunction(account, region, arn);
                break;
            case "ec2":
                if (res.startsWith("instance/")) return ec2Instance(account, region, res.substring(9));
                if (res.startsWith("volume/")) return ebsVolume(account, region, res.substring(7));
                break;
            case "autoscaling": {
                int i = res.indexOf(":autoScalingGroupName/");
                if (res.startsWith("autoScalingGroup:") && i >= 0) {
                    return autoScalingGroup(account, region, res.substring(i + ":autoScalingGroupName/".length()));
                }
                break;
            }
            case "rds":
                if (res.startsWith("db:")) return rdsInstance(account, region, res.substring(3));
                if (res.startsWith("cluster:")) return rdsCluster(account, region, res.substring(8));
                break;
            case "dynamodb":
                if (res.startsWith("table/")) return dynamoDbTable(account, region, res.substring(6));
                break;
            case "elasticloadbalancing":
                if (res.startsWith("loadbalancer/")) {
                    String lb = res.substring(13);
                    if (lb.startsWith("app/") || lb.startsWith("net/") || lb.startsWith("gwy/")) return loadBalancerV2(account, region, lb);
                    if (!lb.contains("/")) return classicLoadBalancer(account, region, lb);
                }
                break;
            case "sqs":
                if (!res.contains(":") && !res.contains("/")) return sqsQueue(account, region, res);
                break;
            case "sns":
                if (!res.contains(":") && !res.contains("/")) return snsTopic(account, region, res); // not a subscription
                break;
            case "kinesis":
                if (res.startsWith("stream/")) {
                    String s = res.substring(7);
                    if (s.contains("/")) s = s.substring(0, s.indexOf('/')); // stream/NAME/consumer/…
                    return kinesisStream(account, region, s);
                }
                break;
            case "ecs":
                if (res.startsWith("service/")) {
                    String[] s = res.substring(8).split("/");
                    if (s.length == 2) return ecsService(account, region, s[0], s[1]); // old-format ARNs lack the cluster
                }
                if (res.startsWith("cluster/")) return ecsCluster(account, region, res.substring(8));
                break;
            case "apigateway": {
                String[] s = res.split("/"); // /restapis/ID[/…] or /apis/ID[/…]
                if (s.length >= 3 && s[0].isEmpty() && "restapis".equals(s[1])) return restApiById(account, region, s[2]);
                if (s.length >= 3 && s[0].isEmpty() && "apis".equals(s[1])) return httpApi(account, region, s[2]);
                break;
            }
            case "cloudformation":
                if (res.startsWith("stack/")) return cloudFormationStack(account, region, arn);
                break;
            case "codedeploy":
                if (res.startsWith("application:")) return codeDeployApplication(account, region, res.substring(12));
                if (res.startsWith("deploymentgroup:") && res.indexOf('/') > 0) {
                    String g = res.substring(16);
                    int slash = g.indexOf('/');
                    return codeDeployDeploymentGroup(account, region, g.substring(0, slash), g.substring(slash + 1));
                }
                break;
            default:
                break;
        }
        return of(type, lastSegment(res), arn);
    }

    private static String lastSegment(String arnResource) {
        int i = Math.max(arnResource.lastIndexOf('/'), arnResource.lastIndexOf(':'));
        String s = i < 0 ? arnResource : arnResource.substring(i + 1);
        return s.isEmpty() ? arnResource : s;
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

    /**
     * The resource of a series from its id ({@link #seriesId}: {@code account|region|namespace|metric|dims}) or, with
     * {@code withStat}, from a series key ({@code <series id>|<stat>}, the key of the detector and anomaly operators);
     * null when {@code key} is neither. A dimension value containing {@code ,} or {@code |} is read back whole.
     */
    public static Resource fromSeriesKey(String key, boolean withStat) {
        String[] p = key.split("\\|", -1);
        int end = withStat ? p.length - 1 : p.length;
        if (end < 5) return null;
        String dimPart = String.join("|", java.util.Arrays.asList(p).subList(4, end));
        Map<String, String> dims = new java.util.LinkedHashMap<>();
        String last = null;
        if (!dimPart.isEmpty()) {
            for (String kv : dimPart.split(",", -1)) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    last = kv.substring(0, i);
                    dims.put(last, kv.substring(i + 1));
                } else if (last != null) {
                    dims.put(last, dims.get(last) + "," + kv);
                } else {
                    return null;
                }
            }
        }
        return fromMetric(p[0], p[1], p[2], dims);
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
