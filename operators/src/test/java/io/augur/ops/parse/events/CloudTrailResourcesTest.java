package io.augur.ops.parse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.parse.RecordParser;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CloudTrailResourcesTest {
    private static final String A = "123456789012";
    private static final String R = "us-east-1";

    private static Resource metric(String namespace, Map<String, String> dims) {
        return ResourceIdentities.fromMetric(A, R, namespace, dims);
    }

    @Test
    void lambdaFunctionNameInEveryFormMapsToTheMetricIdentity() {
        Resource fn = metric("AWS/Lambda", Map.of("FunctionName", "checkout-api"));
        for (String name : List.of("checkout-api", "checkout-api:PROD", "checkout-api:42", "123456789012:function:checkout-api",
                "arn:aws:lambda:us-east-1:123456789012:function:checkout-api",
                "arn:aws:lambda:us-east-1:123456789012:function:checkout-api:PROD")) {
            assertThat(extract("lambda.amazonaws.com", "UpdateAlias20150331", "{\"functionName\":\"" + name + "\"}", "null"))
                    .as(name).containsExactly(fn);
        }
    }

    @Test
    void lambdaEventSourceMappingAlsoTouchesTheQueue() {
        assertThat(extract("lambda.amazonaws.com", "CreateEventSourceMapping20150331",
                "{\"functionName\":\"worker\",\"eventSourceArn\":\"arn:aws:sqs:us-east-1:123456789012:jobs\"}", "null"))
                .containsExactly(metric("AWS/Lambda", Map.of("FunctionName", "worker")), metric("AWS/SQS", Map.of("QueueName", "jobs")));
    }

    @Test
    void ec2InstancesFromRequestAndResponseAreDeduplicated() {
        List<Resource> rs = extract("ec2.amazonaws.com", "StopInstances",
                "{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0001\"},{\"instanceId\":\"i-0002\"}]},\"force\":false}",
                "{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0001\",\"currentState\":{\"code\":64,\"name\":\"stopping\"}},"
                        + "{\"instanceId\":\"i-0002\"}]}}");
        assertThat(rs).containsExactly(metric("AWS/EC2", Map.of("InstanceId", "i-0001")), metric("AWS/EC2", Map.of("InstanceId", "i-0002")));
    }

    @Test
    void attachVolumeTouchesVolumeAndInstance() {
        assertThat(extract("ec2.amazonaws.com", "AttachVolume", "{\"volumeId\":\"vol-0abc\",\"instanceId\":\"i-0def\",\"device\":\"/dev/sdf\"}",
                "{\"volumeId\":\"vol-0abc\",\"instanceId\":\"i-0def\",\"status\":\"attaching\"}"))
                .containsExactlyInAnyOrder(metric("AWS/EBS", Map.of("VolumeId", "vol-0abc")), metric("AWS/EC2", Map.of("InstanceId", "i-0def")));
    }

    @Test
    void autoScalingGroupAndItsInstances() {
        assertThat(extract("autoscaling.amazonaws.com", "DetachInstances",
                "{\"autoScalingGroupName\":\"web-asg\",\"instanceIds\":[\"i-0001\"],\"shouldDecrementDesiredCapacity\":true}", "null"))
                .containsExactly(metric("AWS/AutoScaling", Map.of("AutoScalingGroupName", "web-asg")), metric("AWS/EC2", Map.of("InstanceId", "i-0001")));
    }

    @Test
    void rdsInstanceAndCluster() {
        assertThat(extract("rds.amazonaws.com", "ModifyDBCluster", "{\"dBClusterIdentifier\":\"orders-aurora\",\"applyImmediately\":true}",
                "{\"dBClusterIdentifier\":\"orders-aurora\",\"status\":\"available\"}"))
                .containsExactly(metric("AWS/RDS", Map.of("DBClusterIdentifier", "orders-aurora")));
        // An instance's response also names its cluster; the instance call did not change the cluster.
        assertThat(extract("rds.amazonaws.com", "RebootDBInstance", "{\"dBInstanceIdentifier\":\"orders-1\"}",
                "{\"dBInstanceIdentifier\":\"orders-1\",\"dBClusterIdentifier\":\"orders-aurora\"}"))
                .containsExactly(metric("AWS/RDS", Map.of("DBInstanceIdentifier", "orders-1")));
    }

    @Test
    void dynamoDbTable() {
        assertThat(extract("dynamodb.amazonaws.com", "UpdateTimeToLive", "{\"tableName\":\"orders\",\"timeToLiveSpecification\":{}}",
                "{\"timeToLiveSpecification\":{}}"))
                .containsExactly(metric("AWS/DynamoDB", Map.of("TableName", "orders")));
    }

    @Test
    void loadBalancersV2ClassicAndListeners() {
        Resource alb = metric("AWS/ApplicationELB", Map.of("LoadBalancer", "app/web-alb/50dc6c495c0c9188"));
        String albArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188";
        assertThat(extract("elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
                "{\"loadBalancerArn\":\"" + albArn + "\",\"attributes\":[]}", "{\"attributes\":[]}")).containsExactly(alb);
        assertThat(extract("elasticloadbalancing.amazonaws.com", "AddTags", "{\"resourceArns\":[\"" + albArn + "\"],\"tags\":[]}", "null"))
                .containsExactly(alb);
        assertThat(extract("elasticloadbalancing.amazonaws.com", "ModifyListener",
                "{\"listenerArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2\"}",
                "null")).containsExactly(alb);
        Resource nlb = metric("AWS/NetworkELB", Map.of("LoadBalancer", "net/tcp-nlb/7c3f8e2a1b0d9e4f"));
        assertThat(extract("elasticloadbalancing.amazonaws.com", "SetSubnets",
                "{\"loadBalancerArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/tcp-nlb/7c3f8e2a1b0d9e4f\"}",
                "null")).containsExactly(nlb);
        assertThat(extract("elasticloadbalancing.amazonaws.com", "ConfigureHealthCheck", "{\"loadBalancerName\":\"legacy-elb\",\"healthCheck\":{}}",
                "{\"healthCheck\":{}}")).containsExactly(metric("AWS/ELB", Map.of("LoadBalancerName", "legacy-elb")));
    }

    @Test
    void createLoadBalancerV2ResponseNamesTheNewAlbButNotAClassicOne() {
        String albArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188";
        assertThat(extract("elasticloadbalancing.amazonaws.com", "CreateLoadBalancer", "{\"name\":\"web-alb\",\"subnets\":[]}",
                "{\"loadBalancers\":[{\"loadBalancerArn\":\"" + albArn + "\",\"loadBalancerName\":\"web-alb\",\"type\":\"application\"}]}"))
                .containsExactly(metric("AWS/ApplicationELB", Map.of("LoadBalancer", "app/web-alb/50dc6c495c0c9188")));
    }

    @Test
    void apiGatewayRestApiByIdHttpApiById() {
        assertThat(extract("apigateway.amazonaws.com", "UpdateStage", "{\"restApiId\":\"a1b2c3d4e5\",\"stageName\":\"prod\"}", "null"))
                .extracting(Resource::getType, Resource::getName, Resource::getArn)
                .containsExactly(tuple("AWS::ApiGateway::RestApi", "a1b2c3d4e5", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5"));
        assertThat(extract("apigateway.amazonaws.com", "UpdateApi", "{\"apiId\":\"x9y8z7\"}", "null"))
                .containsExactly(metric("AWS/ApiGateway", Map.of("ApiId", "x9y8z7")));
        // CreateRestApi's response has both: the name-based identity meets the ApiName metrics.
        assertThat(extract("apigateway.amazonaws.com", "CreateRestApi", "{\"name\":\"orders-api\"}",
                "{\"id\":\"a1b2c3d4e5\",\"name\":\"orders-api\",\"createdDate\":\"May 14, 2024, 1:00:00 PM\"}"))
                .contains(metric("AWS/ApiGateway", Map.of("ApiName", "orders-api")))
                .hasSize(2);
    }

    @Test
    void sqsSnsKinesis() {
        Resource queue = metric("AWS/SQS", Map.of("QueueName", "orders-queue"));
        assertThat(extract("sqs.amazonaws.com", "SetQueueAttributes",
                "{\"queueUrl\":\"https://sqs.us-east-1.amazonaws.com/123456789012/orders-queue\",\"attributes\":{}}", "null"))
                .containsExactly(queue);
        assertThat(extract("sqs.amazonaws.com", "CreateQueue", "{\"queueName\":\"orders-queue\"}",
                "{\"queueUrl\":\"https://sqs.us-east-1.amazonaws.com/123456789012/orders-queue\"}")).containsExactly(queue);
        assertThat(extract("sns.amazonaws.com", "SetTopicAttributes",
                "{\"topicArn\":\"arn:aws:sns:us-east-1:123456789012:alerts\",\"attributeName\":\"DeliveryPolicy\"}", "null"))
                .containsExactly(metric("AWS/SNS", Map.of("TopicName", "alerts")));
        Resource stream = metric("AWS/Kinesis", Map.of("StreamName", "clicks"));
        assertThat(extract("kinesis.amazonaws.com", "UpdateShardCount", "{\"streamName\":\"clicks\",\"targetShardCount\":8}", "null"))
                .containsExactly(stream);
        assertThat(extract("kinesis.amazonaws.com", "UpdateShardCount",
                "{\"streamARN\":\"arn:aws:kinesis:us-east-1:123456789012:stream/clicks\",\"targetShardCount\":8}", "null"))
                .containsExactly(stream);
    }

    @Test
    void ecsServiceClusterAndDefaultCluster() {
        assertThat(extract("ecs.amazonaws.com", "UpdateService", "{\"cluster\":\"arn:aws:ecs:us-east-1:123456789012:cluster/prod\",\"service\":\"checkout-svc\"}", "null"))
                .containsExactly(metric("AWS/ECS", Map.of("ClusterName", "prod", "ServiceName", "checkout-svc")));
        assertThat(extract("ecs.amazonaws.com", "UpdateService", "{\"service\":\"checkout-svc\"}", "null"))
                .containsExactly(metric("AWS/ECS", Map.of("ClusterName", "default", "ServiceName", "checkout-svc")));
        assertThat(extract("ecs.amazonaws.com", "RunTask", "{\"cluster\":\"prod\",\"taskDefinition\":\"batch:3\"}", "null"))
                .containsExactly(metric("AWS/ECS", Map.of("ClusterName", "prod")));
    }

    @Test
    void cloudFormationStackFromNameAndStackId() {
        assertThat(extract("cloudformation.amazonaws.com", "UpdateStack", "{\"stackName\":\"checkout\",\"templateURL\":\"https://x\"}",
                "{\"stackId\":\"arn:aws:cloudformation:us-east-1:123456789012:stack/checkout/8a1d1e10-12ab-11ef-9c2e-0affe1a2b3c4\"}"))
                .extracting(Resource::getType, Resource::getArn)
                .containsExactly(tuple("AWS::CloudFormation::Stack", "arn:aws:cloudformation:us-east-1:123456789012:stack/checkout/*"));
    }

    @Test
    void taggingByArnInAnyService() {
        String fnArn = "arn:aws:lambda:us-east-1:123456789012:function:checkout-api";
        assertThat(extract("lambda.amazonaws.com", "TagResource20170331v2", "{\"resource\":\"" + fnArn + "\",\"tags\":{}}", "null"))
                .containsExactly(metric("AWS/Lambda", Map.of("FunctionName", "checkout-api")));
        assertThat(extract("dynamodb.amazonaws.com", "TagResource",
                "{\"resourceArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\",\"tags\":[]}", "null"))
                .containsExactly(metric("AWS/DynamoDB", Map.of("TableName", "orders")));
        assertThat(extract("tagging.amazonaws.com", "TagResources",
                "{\"resourceARNList\":[\"arn:aws:ec2:us-east-1:123456789012:instance/i-0001\","
                        + "\"arn:aws:rds:us-east-1:123456789012:db:orders-db\",\"arn:aws:s3:::my-bucket\"],\"tags\":{}}", "null"))
                .extracting(Resource::getType, Resource::getArn)
                .containsExactly(
                        tuple("AWS::EC2::Instance", "arn:aws:ec2:us-east-1:123456789012:instance/i-0001"),
                        tuple("AWS::RDS::DBInstance", "arn:aws:rds:us-east-1:123456789012:db:orders-db"),
                        tuple(ResourceIdentities.UNKNOWN_TYPE, "arn:aws:s3:::my-bucket"));
    }

    @Test
    void ec2CreateTagsMapsEachIdByItsPrefix() {
        assertThat(extract("ec2.amazonaws.com", "CreateTags",
                "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0001\"},{\"resourceId\":\"vol-0002\"},{\"resourceId\":\"sg-0003\"}]},\"tagSet\":{}}",
                "{\"_return\":true}"))
                .extracting(Resource::getType, Resource::getArn)
                .containsExactly(
                        tuple("AWS::EC2::Instance", "arn:aws:ec2:us-east-1:123456789012:instance/i-0001"),
                        tuple("AWS::EC2::Volume", "arn:aws:ec2:us-east-1:123456789012:volume/vol-0002"),
                        tuple("AWS::EC2::SecurityGroup", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0003"));
    }

    @Test
    void recordResourcesAreKeptMappedOrAsTheyAre() throws Exception {
        JsonNode rec = RecordParser.mapper().readTree("""
                {"eventSource":"kms.amazonaws.com","eventName":"DisableKey",
                 "requestParameters":{"keyId":"arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-0000-0000-0000-000000000000"},
                 "resources":[{"accountId":"123456789012","type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-0000-0000-0000-000000000000"},
                              {"accountId":"123456789012","ARN":"arn:aws:example:us-east-1:123456789012:widget/w-1"},
                              {"accountId":"123456789012","type":"AWS::DynamoDB::Table","ARN":"arn:aws:dynamodb:us-east-1:123456789012:table/orders"}]}
                """);
        assertThat(CloudTrailResources.extract(rec, A, R))
                .extracting(Resource::getType, Resource::getName, Resource::getArn)
                .containsExactly(
                        tuple("AWS::KMS::Key", "1a2b3c4d-0000-0000-0000-000000000000", "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-0000-0000-0000-000000000000"),
                        tuple(ResourceIdentities.UNKNOWN_TYPE, "w-1", "arn:aws:example:us-east-1:123456789012:widget/w-1"),
                        tuple("AWS::DynamoDB::Table", "orders", "arn:aws:dynamodb:us-east-1:123456789012:table/orders"));
    }

    @Test
    void codeDeployCallNamesTheDeploymentGroup() {
        assertThat(extract("codedeploy.amazonaws.com", "CreateDeployment",
                "{\"applicationName\":\"checkout-app\",\"deploymentGroupName\":\"checkout-prod\",\"revision\":{}}", "{\"deploymentId\":\"d-1\"}"))
                .containsExactly(ResourceIdentities.codeDeployDeploymentGroup(A, R, "checkout-app", "checkout-prod"));
    }

    @Test
    void missingOrOddlyTypedParametersYieldNothingAndNeverFail() {
        assertThat(extract("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "null", "null")).isEmpty();
        assertThat(extract("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "{\"functionName\":42}", "\"x\"")).isEmpty();
        assertThat(extract("ec2.amazonaws.com", "CreateTags", "{\"resourcesSet\":{\"items\":\"x\"}}", "[]")).isEmpty();
    }

    @Test
    void fromArnMapsKnownArnsToMetricIdentities() {
        assertThat(ResourceIdentities.fromArn("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:"
                + "1b7a2f3c-0000-0000-0000-000000000000:autoScalingGroupName/web-asg", null))
                .isEqualTo(metric("AWS/AutoScaling", Map.of("AutoScalingGroupName", "web-asg")));
        assertThat(ResourceIdentities.fromArn("arn:aws:ecs:us-east-1:123456789012:service/prod/checkout-svc", null))
                .isEqualTo(metric("AWS/ECS", Map.of("ClusterName", "prod", "ServiceName", "checkout-svc")));
        assertThat(ResourceIdentities.fromArn("arn:aws:kinesis:us-east-1:123456789012:stream/clicks/consumer/app:1715", null))
                .isEqualTo(metric("AWS/Kinesis", Map.of("StreamName", "clicks")));
        assertThat(ResourceIdentities.fromArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/legacy-elb", null))
                .isEqualTo(metric("AWS/ELB", Map.of("LoadBalancerName", "legacy-elb")));
        assertThat(ResourceIdentities.fromArn("arn:aws:sns:us-east-1:123456789012:alerts:5f1c-sub", "AWS::SNS::Subscription").getType())
                .isEqualTo("AWS::SNS::Subscription");
        assertThat(ResourceIdentities.fromArn("not-an-arn", null).getArn()).isEqualTo("not-an-arn");
    }

    private static List<Resource> extract(String source, String name, String req, String resp) {
        try {
            JsonNode rec = RecordParser.mapper().readTree("{\"eventSource\":\"" + source + "\",\"eventName\":\"" + name
                    + "\",\"requestParameters\":" + req + ",\"responseElements\":" + resp + "}");
            return CloudTrailResources.extract(rec, A, R);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
