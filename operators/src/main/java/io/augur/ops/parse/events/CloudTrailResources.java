package io.augur.ops.parse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources a CloudTrail record touches, as the identities {@link ResourceIdentities} gives their metrics, so that a
 * change and the metrics of what it changed meet on one ARN. Sources, in this order, deduplicated by ARN:
 * <ol>
 *   <li>the record's {@code resources[]} ({ARN, type}): known ARN kinds mapped, others kept as they are;</li>
 *   <li>{@code requestParameters} and {@code responseElements}, read per service: a parameter name means different
 *       things in different services ({@code tableName} is a DynamoDB table, but also a Glue table), so each service's
 *       fields are read only for records of that service;</li>
 *   <li>ARN-valued tagging parameters any service may use ({@code resourceArn}, {@code resource}, {@code resourceArns[]},
 *       {@code resourceARNList[]} …).</li>
 * </ol>
 * Missing or oddly typed fields are skipped: extraction never fails a record.
 */
public final class CloudTrailResources {
    /** Deep enough for RunInstances' instancesSet.items[].instanceId and ELBv2's loadBalancers[].loadBalancerArn. */
    private static final int MAX_DEPTH = 6;

    private CloudTrailResources() {}

    public static List<Resource> extract(JsonNode record, String account, String region) {
        Collector c = new Collector(account, region);
        for (JsonNode r : array(record, "resources")) {
            String arn = firstText(r, "ARN", "arn");
            if (arn != null && arn.startsWith("arn:")) c.add(ResourceIdentities.fromArn(arn, firstText(r, "type")));
        }
        JsonNode req = record.path("requestParameters");
        JsonNode resp = record.path("responseElements");
        String source = str(record, "eventSource");
        String name = str(record, "eventName");
        if (source != null) {
            switch (source) {
                case "ec2.amazonaws.com" -> ec2(c, req, resp);
                case "autoscaling.amazonaws.com" -> autoScaling(c, req);
                case "lambda.amazonaws.com" -> lambda(c, req, resp);
                case "rds.amazonaws.com" -> rds(c, req, resp);
                case "dynamodb.amazonaws.com" -> dynamoDb(c, req, resp);
                case "elasticloadbalancing.amazonaws.com" -> elb(c, req, resp);
                case "apigateway.amazonaws.com" -> apiGateway(c, req, resp, name);
                case "sqs.amazonaws.com" -> {
                    c.add(str(req, "queueUrl"), q -> ResourceIdentities.sqsQueue(account, region, q));
                    c.add(str(req, "queueName"), q -> ResourceIdentities.sqsQueue(account, region, q));
                    c.add(str(resp, "queueUrl"), q -> ResourceIdentities.sqsQueue(account, region, q));
                }
                case "sns.amazonaws.com" -> {
                    c.add(str(req, "topicArn"), t -> ResourceIdentities.snsTopic(account, region, t));
                    c.add(str(resp, "topicArn"), t -> ResourceIdentities.snsTopic(account, region, t));
                    if ("CreateTopic".equals(name)) c.add(str(req, "name"), t -> ResourceIdentities.snsTopic(account, region, t));
                }
                case "kinesis.amazonaws.com" -> {
                    c.add(str(req, "streamName"), s -> ResourceIdentities.kinesisStream(account, region, s));
                    c.addArn(str(req, "streamARN"), "AWS::Kinesis::Stream");
                }
                case "ecs.amazonaws.com" -> ecs(c, req, resp);
                case "cloudformation.amazonaws.com" -> {
                    c.add(str(req, "stackName"), s -> ResourceIdentities.cloudFormationStack(account, region, s));
                    c.add(str(resp, "stackId"), s -> ResourceIdentities.cloudFormationStack(account, region, s));
                }
                case "codedeploy.amazonaws.com" -> {
                    String app = str(req, "applicationName");
                    String group = str(req, "deploymentGroupName");
                    if (app != null && group != null) c.add(ResourceIdentities.codeDeployDeploymentGroup(account, region, app, group));
                }
                case "iam.amazonaws.com" -> iam(c, req);
                case "s3.amazonaws.com" -> c.add(str(req, "bucketName"),
                        b -> ResourceIdentities.named("AWS::S3::Bucket", b, "arn:aws:s3:::" + b));
                case "kms.amazonaws.com" -> {
                    c.add(str(req, "keyId"), k -> k.startsWith("arn:") ? ResourceIdentities.fromArn(k, "AWS::KMS::Key")
                            : k.startsWith("alias/") ? ResourceIdentities.named("AWS::KMS::Alias", k, c.arn("kms", k))
                            : ResourceIdentities.named("AWS::KMS::Key", k, c.arn("kms", "key/" + k)));
                    c.addArn(str(resp.path("keyMetadata"), "arn"), "AWS::KMS::Key");
                }
                case "secretsmanager.amazonaws.com" -> c.add(str(req, "secretId"),
                        s -> s.startsWith("arn:") ? ResourceIdentities.fromArn(s, "AWS::SecretsManager::Secret")
                                : ResourceIdentities.named("AWS::SecretsManager::Secret", s, c.arn("secretsmanager", "secret:" + s)));
                case "ssm.amazonaws.com" -> {
                    if (name != null && name.contains("Parameter")) {
                        c.add(str(req, "name"), p -> ResourceIdentities.named("AWS::SSM::Parameter", p,
                                c.arn("ssm", "parameter" + (p.startsWith("/") ? p : "/" + p))));
                    }
                    for (JsonNode id : array(req, "instanceIds")) c.add(id.asText(null), c::ec2Id);
                }
                case "glue.amazonaws.com" -> glue(c, req, name);
                case "tagging.amazonaws.com" -> {
                    for (JsonNode arn : array(req, "resourceARNList")) c.addArn(arn.asText(null), null);
                }
                default -> { }
            }
        }
        // Tagging and resource-policy calls of any service name their resource by ARN.
        for (String f : new String[] {"resourceArn", "resourceARN", "ResourceArn", "ResourceARN", "resource", "resourceName"}) {
            String v = str(req, f);
            if (v != null && v.startsWith("arn:")) c.addArn(v, null);
        }
        for (String f : new String[] {"resourceArns", "resourceARNList"}) {
            for (JsonNode arn : array(req, f)) c.addArn(arn.asText(null), null);
        }
        return c.list();
    }

    private static void ec2(Collector c, JsonNode req, JsonNode resp) {
        // Anywhere in request and response: RunInstances/StopInstances' instancesSet.items[], AttachVolume's pair, …
        for (JsonNode side : new JsonNode[] {req, resp}) {
            collect(side, "instanceId", 0, id -> { if (id.startsWith("i-")) c.add(id, c::ec2Id); });
            collect(side, "volumeId", 0, id -> { if (id.startsWith("vol-")) c.add(id, c::ec2Id); });
        }
        // CreateTags/DeleteTags: resourcesSet.items[].resourceId, any kind of EC2 id.
        for (JsonNode item : array(req.path("resourcesSet"), "items")) c.add(str(item, "resourceId"), c::ec2Id);
        // Security group rule changes name the group at the top level (CreateSecurityGroup returns it).
        c.add(str(req, "groupId"), c::ec2Id);
        c.add(str(resp, "groupId"), c::ec2Id);
    }

    private static void autoScaling(Collector c, JsonNode req) {
        c.add(str(req, "autoScalingGroupName"), n -> n.startsWith("arn:") ? ResourceIdentities.fromArn(n, null)
                : ResourceIdentities.autoScalingGroup(c.account, c.region, n));
        c.add(str(req, "instanceId"), c::ec2Id);
        for (JsonNode id : array(req, "instanceIds")) c.add(id.asText(null), c::ec2Id);
        // CreateOrUpdateTags/DeleteTags: tags[] of {resourceId, resourceType: auto-scaling-group, key, value}.
        for (JsonNode tag : array(req, "tags")) {
            if ("auto-scaling-group".equals(str(tag, "resourceType"))) {
                c.add(str(tag, "resourceId"), n -> ResourceIdentities.autoScalingGroup(c.account, c.region, n));
            }
        }
    }

    private static void lambda(Collector c, JsonNode req, JsonNode resp) {
        // functionName may be a name, "name:alias", a partial ARN or a full (qualified) ARN: lambdaFunction takes all.
        c.add(str(req, "functionName"), f -> ResourceIdentities.lambdaFunction(c.account, c.region, f));
        c.add(str(resp, "functionArn"), f -> ResourceIdentities.lambdaFunction(c.account, c.region, f));
        // Event source mappings also touch the queue, stream or table they consume.
        c.addArn(str(req, "eventSourceArn"), null);
    }

    private static void rds(Collector c, JsonNode req, JsonNode resp) {
        c.add(str(req, "dBInstanceIdentifier"), id -> c.rds(id, false));
        c.add(str(req, "newDBInstanceIdentifier"), id -> c.rds(id, false));
        c.add(str(req, "dBClusterIdentifier"), id -> c.rds(id, true));
        String respInstance = str(resp, "dBInstanceIdentifier");
        c.add(respInstance, id -> c.rds(id, false));
        // An instance's response names its cluster too; the call did not touch the cluster, so only a cluster call's.
        if (respInstance == null) c.add(str(resp, "dBClusterIdentifier"), id -> c.rds(id, true));
        c.add(str(req, "dBParameterGroupName"), g -> ResourceIdentities.named("AWS::RDS::DBParameterGroup", g, c.arn("rds", "pg:" + g)));
        c.add(str(req, "dBClusterParameterGroupName"),
                g -> ResourceIdentities.named("AWS::RDS::DBClusterParameterGroup", g, c.arn("rds", "cluster-pg:" + g)));
    }

    private static void dynamoDb(Collector c, JsonNode req, JsonNode resp) {
        c.add(str(req, "tableName"), t -> ResourceIdentities.dynamoDbTable(c.account, c.region, t));
        c.add(str(resp.path("tableDescription"), "tableName"), t -> ResourceIdentities.dynamoDbTable(c.account, c.region, t));
        c.add(str(resp.path("tableDescription"), "tableArn"), t -> ResourceIdentities.dynamoDbTable(c.account, c.region, t));
    }

    private static void elb(Collector c, JsonNode req, JsonNode resp) {
        for (JsonNode side : new JsonNode[] {req, resp}) {
            collect(side, "loadBalancerArn", 0, arn -> c.addArn(arn, "AWS::ElasticLoadBalancingV2::LoadBalancer"));
            collect(side, "targetGroupArn", 0, arn -> c.addArn(arn, "AWS::ElasticLoadBalancingV2::TargetGroup"));
        }
        for (JsonNode arn : array(req, "loadBalancerArns")) c.addArn(arn.asText(null), "AWS::ElasticLoadBalancingV2::LoadBalancer");
        // Listener and rule ARNs embed their load balancer: listener[-rule]/app/NAME/LBID/LISTENERID[/RULEID].
        for (String f : new String[] {"listenerArn", "ruleArn"}) {
            String arn = str(req, f);
            if (arn != null) {
                String[] p = arn.split(":", 6);
                String[] s = p.length == 6 ? p[5].split("/") : new String[0];
                if (s.length >= 4) c.add(ResourceIdentities.loadBalancerV2(p[4], p[3], s[1] + "/" + s[2] + "/" + s[3]));
            }
        }
        // Classic ELB (API version 2012-06-01) names load balancers; v2's responses also carry loadBalancerName, so
        // only the request's top level counts.
        c.add(str(req, "loadBalancerName"), n -> ResourceIdentities.classicLoadBalancer(c.account, c.region, n));
        for (JsonNode n : array(req, "loadBalancerNames")) {
            c.add(n.asText(null), x -> ResourceIdentities.classicLoadBalancer(c.account, c.region, x));
        }
        for (JsonNode t : array(req, "targets")) {
            c.add(str(t, "id"), id -> id.startsWith("arn:") ? ResourceIdentities.fromArn(id, null) : id.startsWith("i-") ? c.ec2Id(id) : null);
        }
        for (JsonNode i : array(req, "instances")) c.add(str(i, "instanceId"), c::ec2Id);
    }

    private static void apiGateway(Collector c, JsonNode req, JsonNode resp, String eventName) {
        // REST APIs: CloudTrail knows the id, CloudWatch the name (ApiName). See ResourceIdentities.restApiById.
        c.add(str(req, "restApiId"), id -> ResourceIdentities.restApiById(c.account, c.region, id));
        // HTTP and WebSocket APIs: both sides use the id (ApiId dimension).
        c.add(str(req, "apiId"), id -> ResourceIdentities.httpApi(c.account, c.region, id));
        if ("CreateRestApi".equals(eventName) || "ImportRestApi".equals(eventName)) {
            c.add(str(resp, "name"), n -> ResourceIdentities.restApi(c.account, c.region, n));
            c.add(str(resp, "id"), id -> ResourceIdentities.restApiById(c.account, c.region, id));
        }
        if ("CreateApi".equals(eventName) || "ImportApi".equals(eventName)) {
            c.add(str(resp, "apiId"), id -> ResourceIdentities.httpApi(c.account, c.region, id));
        }
    }

    private static void ecs(Collector c, JsonNode req, JsonNode resp) {
        String cluster = str(req, "cluster");
        String clusterOrDefault = cluster == null ? "default" : cluster; // ECS's own default when no cluster is given
        int before = c.size();
        for (String f : new String[] {"service", "serviceName"}) {
            c.add(str(req, f), s -> s.startsWith("arn:") ? ResourceIdentities.fromArn(s, "AWS::ECS::Service")
                    : ResourceIdentities.ecsService(c.account, c.region, clusterOrDefault, s));
        }
        c.addArn(str(resp.path("service"), "serviceArn"), "AWS::ECS::Service");
        c.addArn(str(resp.path("taskDefinition"), "taskDefinitionArn"), "AWS::ECS::TaskDefinition");
        c.add(str(req, "clusterName"), n -> ResourceIdentities.ecsCluster(c.account, c.region, n));
        // Cluster-level calls (RunTask, UpdateCluster, DeleteCluster …): the cluster, when no service was named.
        if (c.size() == before && cluster != null) c.add(ResourceIdentities.ecsCluster(c.account, c.region, cluster));
    }

    private static void iam(Collector c, JsonNode req) {
        c.add(str(req, "roleName"), n -> ResourceIdentities.named("AWS::IAM::Role", n, c.iamArn("role/" + n)));
        c.add(str(req, "userName"), n -> ResourceIdentities.named("AWS::IAM::User", n, c.iamArn("user/" + n)));
        c.add(str(req, "groupName"), n -> ResourceIdentities.named("AWS::IAM::Group", n, c.iamArn("group/" + n)));
        c.add(str(req, "instanceProfileName"), n -> ResourceIdentities.named("AWS::IAM::InstanceProfile", n, c.iamArn("instance-profile/" + n)));
        c.addArn(str(req, "policyArn"), "AWS::IAM::ManagedPolicy");
    }

    private static void glue(Collector c, JsonNode req, String eventName) {
        String db = str(req, "databaseName");
        if (db == null || eventName == null) return;
        if (eventName.endsWith("Table")) {
            String table = str(req, "name");
            if (table == null) table = str(req.path("tableInput"), "name");
            if (table != null) {
                c.add(ResourceIdentities.named("AWS::Glue::Table", db + "/" + table, c.arn("glue", "table/" + db + "/" + table)));
                return;
            }
        }
        c.add(ResourceIdentities.named("AWS::Glue::Database", db, c.arn("glue", "database/" + db)));
    }

    /** Every textual value of {@code field} in the tree (objects and arrays), to a bounded depth. */
    private static void collect(JsonNode node, String field, int depth, java.util.function.Consumer<String> sink) {
        if (node == null || depth > MAX_DEPTH) return;
        if (node.isObject()) {
            JsonNode v = node.get(field);
            if (v != null && v.isTextual()) sink.accept(v.textValue());
            for (JsonNode child : node) if (child.isContainerNode()) collect(child, field, depth + 1, sink);
        } else if (node.isArray()) {
            for (JsonNode child : node) collect(child, field, depth + 1, sink);
        }
    }

    static String str(JsonNode obj, String field) {
        if (obj == null) return null;
        JsonNode n = obj.get(field);
        return n != null && n.isTextual() && !n.textValue().isEmpty() ? n.textValue() : null;
    }

    private static String firstText(JsonNode obj, String... fields) {
        for (String f : fields) {
            String v = str(obj, f);
            if (v != null) return v;
        }
        return null;
    }

    private static Iterable<JsonNode> array(JsonNode obj, String field) {
        JsonNode n = obj == null ? null : obj.get(field);
        return n != null && n.isArray() ? n : List.of();
    }

    /** Resources in first-seen order, one per ARN. */
    private static final class Collector {
        final String account;
        final String region;
        private final Map<String, Resource> byArn = new LinkedHashMap<>();

        Collector(String account, String region) {
            this.account = account;
            this.region = region;
        }

        void add(Resource r) {
            if (r != null) byArn.putIfAbsent(r.getArn(), r);
        }

        void add(String value, java.util.function.Function<String, Resource> factory) {
            if (value != null && !value.isEmpty()) add(factory.apply(value));
        }

        void addArn(String arn, String typeIfUnknown) {
            if (arn != null && arn.startsWith("arn:")) add(ResourceIdentities.fromArn(arn, typeIfUnknown));
        }

        Resource rds(String id, boolean cluster) {
            if (id.startsWith("arn:")) return ResourceIdentities.fromArn(id, null);
            return cluster ? ResourceIdentities.rdsCluster(account, region, id) : ResourceIdentities.rdsInstance(account, region, id);
        }

        /** An EC2 id by its prefix; null (skipped) for kinds without a known ARN form. */
        Resource ec2Id(String id) {
            if (id.startsWith("i-")) return ResourceIdentities.ec2Instance(account, region, id);
            if (id.startsWith("vol-")) return ResourceIdentities.ebsVolume(account, region, id);
            if (id.startsWith("sg-")) return ResourceIdentities.named("AWS::EC2::SecurityGroup", id, arn("ec2", "security-group/" + id));
            if (id.startsWith("subnet-")) return ResourceIdentities.named("AWS::EC2::Subnet", id, arn("ec2", "subnet/" + id));
            if (id.startsWith("vpc-")) return ResourceIdentities.named("AWS::EC2::VPC", id, arn("ec2", "vpc/" + id));
            if (id.startsWith("eni-")) return ResourceIdentities.named("AWS::EC2::NetworkInterface", id, arn("ec2", "network-interface/" + id));
            if (id.startsWith("lt-")) return ResourceIdentities.named("AWS::EC2::LaunchTemplate", id, arn("ec2", "launch-template/" + id));
            // Images and snapshots are regional but not account-scoped in their ARNs.
            if (id.startsWith("ami-")) return ResourceIdentities.named("AWS::EC2::Image", id, "arn:aws:ec2:" + region + "::image/" + id);
            if (id.startsWith("snap-")) return ResourceIdentities.named("AWS::EC2::Snapshot", id, "arn:aws:ec2:" + region + "::snapshot/" + id);
            return null;
        }

        String arn(String service, String resource) {
            return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
        }

        String iamArn(String resource) {
            return "arn:aws:iam::" + account + ":" + resource;
        }

        int size() {
            return byArn.size();
        }

        List<Resource> list() {
            return new ArrayList<>(byArn.values());
        }
    }
}
