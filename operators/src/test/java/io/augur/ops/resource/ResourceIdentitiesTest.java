package io.augur.ops.resource;

import io.augur.schema.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceIdentitiesTest {
    private static final String A = "123456789012";
    private static final String R = "eu-west-1";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "AWS/EC2            | InstanceId=i-0abc                      | AWS::EC2::Instance                         | arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
            "AWS/EC2            | AutoScalingGroupName=web-asg           | AWS::AutoScaling::AutoScalingGroup         | arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/web-asg",
            "AWS/EBS            | VolumeId=vol-0123                      | AWS::EC2::Volume                           | arn:aws:ec2:eu-west-1:123456789012:volume/vol-0123",
            "AWS/Lambda         | FunctionName=checkout,Resource=checkout | AWS::Lambda::Function                     | arn:aws:lambda:eu-west-1:123456789012:function:checkout",
            "AWS/RDS            | DBInstanceIdentifier=orders-db         | AWS::RDS::DBInstance                       | arn:aws:rds:eu-west-1:123456789012:db:orders-db",
            "AWS/RDS            | DBClusterIdentifier=orders-cluster     | AWS::RDS::DBCluster                        | arn:aws:rds:eu-west-1:123456789012:cluster:orders-cluster",
            "AWS/DynamoDB       | TableName=orders,Operation=GetItem     | AWS::DynamoDB::Table                       | arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
            "AWS/ApplicationELB | LoadBalancer=app/web/50dc6c495c0c9188,TargetGroup=targetgroup/t/1 | AWS::ElasticLoadBalancingV2::LoadBalancer | arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
            "AWS/NetworkELB     | LoadBalancer=net/edge/73e2d6bc24d8a067 | AWS::ElasticLoadBalancingV2::LoadBalancer  | arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/edge/73e2d6bc24d8a067",
            "AWS/ELB            | LoadBalancerName=legacy                | AWS::ElasticLoadBalancing::LoadBalancer    | arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/legacy",
            "AWS/ApiGateway     | ApiName=orders-api,Stage=prod          | AWS::ApiGateway::RestApi                   | arn:aws:apigateway:eu-west-1::/restapis/orders-api",
            "AWS/ApiGateway     | ApiId=a1b2c3                           | AWS::ApiGatewayV2::Api                     | arn:aws:apigateway:eu-west-1::/apis/a1b2c3",
            "AWS/SQS            | QueueName=jobs                         | AWS::SQS::Queue                            | arn:aws:sqs:eu-west-1:123456789012:jobs",
            "AWS/SNS            | TopicName=alerts                       | AWS::SNS::Topic                            | arn:aws:sns:eu-west-1:123456789012:alerts",
            "AWS/Kinesis        | StreamName=clicks                      | AWS::Kinesis::Stream                       | arn:aws:kinesis:eu-west-1:123456789012:stream/clicks",
            "AWS/ECS            | ClusterName=prod,ServiceName=web       | AWS::ECS::Service                          | arn:aws:ecs:eu-west-1:123456789012:service/prod/web",
            "AWS/ECS            | ClusterName=prod                       | AWS::ECS::Cluster                          | arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
            "AWS/S3             | BucketName=logs,StorageType=StandardStorage | AWS::CloudWatch::Generic              | arn:augur:cloudwatch:eu-west-1:123456789012:generic/AWS/S3/BucketName=logs,StorageType=StandardStorage",
            "AWS/EC2            | ''                                     | AWS::CloudWatch::Generic                   | arn:augur:cloudwatch:eu-west-1:123456789012:generic/AWS/EC2",
    })
    void metricDimensionsMapToTheResource(String namespace, String dims, String type, String arn) {
        Resource r = ResourceIdentities.fromMetric(A, R, namespace, dims(dims));
        assertThat(r.getType()).isEqualTo(type);
        assertThat(r.getArn()).isEqualTo(arn);
    }

    @Test
    void apiCallParametersMeetTheMetricIdentity() {
        assertThat(ResourceIdentities.lambdaFunction(A, R, "arn:aws:lambda:eu-west-1:123456789012:function:checkout:live"))
                .isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/Lambda", Map.of("FunctionName", "checkout")));
        assertThat(ResourceIdentities.sqsQueue(A, R, "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"))
                .isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/SQS", Map.of("QueueName", "jobs")));
        assertThat(ResourceIdentities.loadBalancerV2(A, R, "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"))
                .isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/ApplicationELB", Map.of("LoadBalancer", "app/web/50dc6c495c0c9188")));
        assertThat(ResourceIdentities.dynamoDbTable(A, R, "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/by-customer"))
                .isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/DynamoDB", Map.of("TableName", "orders")));
        assertThat(ResourceIdentities.snsTopic(A, R, "arn:aws:sns:eu-west-1:123456789012:alerts"))
                .isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/SNS", Map.of("TopicName", "alerts")));
        assertThat(ResourceIdentities.kinesisStream(A, R, "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"))
                .isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/Kinesis", Map.of("StreamName", "clicks")));
    }

    @Test
    void seriesIdsDoNotDependOnDimensionOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(ResourceIdentities.seriesId(A, R, "N", "M", ab)).isEqualTo(ResourceIdentities.seriesId(A, R, "N", "M", ba))
                .isEqualTo("123456789012|eu-west-1|N|M|a=1,b=2");
    }

    private static Map<String, String> dims(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s == null || s.isBlank()) return m;
        for (String kv : s.split(",")) m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        return m;
    }

    @Test
    void aSeriesIdOrSeriesKeyGivesBackTheResourceOfItsMetric() {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("TableName", "orders");
        dims.put("Operation", "GetItem");
        String id = ResourceIdentities.seriesId(A, R, "AWS/DynamoDB", "SuccessfulRequestLatency", dims);
        assertThat(ResourceIdentities.fromSeriesKey(id, false)).isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/DynamoDB", dims));
        assertThat(ResourceIdentities.fromSeriesKey(id + "|p99", true).getArn()).isEqualTo("arn:aws:dynamodb:eu-west-1:123456789012:table/orders");

        Map<String, String> odd = Map.of("BucketName", "a,b|c", "StorageType", "x=y");
        String oddId = ResourceIdentities.seriesId(A, R, "AWS/S3", "BucketSizeBytes", odd);
        assertThat(ResourceIdentities.fromSeriesKey(oddId + "|avg", true)).isEqualTo(ResourceIdentities.fromMetric(A, R, "AWS/S3", odd));
        assertThat(ResourceIdentities.fromSeriesKey("not-a-series", false)).isNull();
        assertThat(ResourceIdentities.fromSeriesKey(A + "|" + R + "|AWS/EC2|CPUUtilization|", false).getArn())
                .isEqualTo("arn:augur:cloudwatch:eu-west-1:123456789012:generic/AWS/EC2");
    }
}
