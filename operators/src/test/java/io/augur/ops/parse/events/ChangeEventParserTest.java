package io.augur.ops.parse.events;

import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.parse.ParseResult;
import io.augur.ops.parse.RecordParser;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.Resource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Fixtures in AWS's exact formats, through the public facade {@link RecordParser}, bytes as stored (gzip included). */
class ChangeEventParserTest {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";

    private final RecordParser parser = new RecordParser();

    // ---- EventBridge: CloudTrail ------------------------------------------------------------------------------------

    @Test
    void updateFunctionConfigurationBecomesConfigChangeOnTheMetricsLambdaIdentity() {
        ParseResult r = parse("eventbridge-cloudtrail-update-function-configuration.json");

        assertThat(r.read()).isEqualTo(1);
        assertThat(r.events).hasSize(1);
        ChangeEvent e = r.events.get(0);
        assertThat(e.getId()).isEqualTo("c2f3a1d4-5b6e-4f70-8a91-b2c3d4e5f607");
        assertThat(e.getTime()).isEqualTo(Instant.parse("2024-05-14T09:21:05Z").toEpochMilli());
        assertThat(e.getEventSource()).isEqualTo("lambda.amazonaws.com");
        assertThat(e.getName()).isEqualTo("UpdateFunctionConfiguration20150331v2");
        assertThat(e.getDataSource()).isEqualTo(EventDataSource.AWS_CLOUD_TRAIL);
        assertThat(e.getEventClass()).isEqualTo(EventClass.CONFIG_CHANGE);
        assertThat(e.getAccountId()).isEqualTo(ACCOUNT);
        assertThat(e.getRegion()).isEqualTo(REGION);
        assertThat(e.getErrorCode()).isNull();
        assertThat(e.getActor()).isEqualTo("arn:aws:sts::123456789012:assumed-role/DeployRole/jane.doe");
        assertThat(e.getDeploymentId()).isNull();
        // The request's name and the response's ARN are one resource, the one the function's metrics belong to.
        Resource metricResource = ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/Lambda", Map.of("FunctionName", "checkout-api"));
        assertThat(e.getResources()).containsExactly(metricResource);
        assertThat(e.getResources().get(0).getArn()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:checkout-api");
    }

    @Test
    void modifyDbInstanceTouchesTheRdsInstanceOnly() {
        ParseResult r = parse("eventbridge-cloudtrail-modify-db-instance.json");

        assertThat(r.read()).isEqualTo(1);
        ChangeEvent e = single(r);
        assertThat(e.getId()).isEqualTo("0d9c8b7a-6e5f-4a3b-9c2d-1e0f9a8b7c6d");
        assertThat(e.getName()).isEqualTo("ModifyDBInstance");
        assertThat(e.getEventClass()).isEqualTo(EventClass.CONFIG_CHANGE);
        assertThat(e.getActor()).isEqualTo("arn:aws:iam::123456789012:user/ops-admin");
        assertThat(e.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/RDS", Map.of("DBInstanceIdentifier", "orders-db")));
        assertThat(e.getResources().get(0).getArn()).isEqualTo("arn:aws:rds:us-east-1:123456789012:db:orders-db");
    }

    @Test
    void runInstancesTouchesEveryLaunchedInstance() {
        ParseResult r = parse("eventbridge-cloudtrail-run-instances.json");

        ChangeEvent e = single(r);
        assertThat(e.getName()).isEqualTo("RunInstances");
        assertThat(e.getEventClass()).isEqualTo(EventClass.INFRASTRUCTURE);
        assertThat(e.getTime()).isEqualTo(Instant.parse("2024-05-14T10:10:06Z").toEpochMilli());
        assertThat(e.getResources()).extracting(Resource::getArn).containsExactly(
                "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60001",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60002");
        assertThat(e.getResources().get(1)).isEqualTo(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/EC2", Map.of("InstanceId", "i-0a1b2c3d4e5f60002")));
    }

    @Test
    void createTagsTouchesTheTaggedInstanceAndVolume() {
        ParseResult r = parse("eventbridge-cloudtrail-create-tags.json");

        ChangeEvent e = single(r);
        assertThat(e.getName()).isEqualTo("CreateTags");
        assertThat(e.getEventClass()).isEqualTo(EventClass.INFRASTRUCTURE);
        assertThat(e.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/EC2", Map.of("InstanceId", "i-0a1b2c3d4e5f60001")),
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/EBS", Map.of("VolumeId", "vol-0fedcba9876543210")));
        // the tags it sets on them: coverage learns the devops-guru-* application from them
        assertThat(e.getTags()).containsExactly(Map.entry("devops-guru-checkout", "checkout"));
        assertThat(e.getRemovedTagKeys()).isEmpty();
        assertThat(e.getStackName()).isNull();
    }

    // ---- EventBridge: CloudFormation stack events -----------------------------------------------------------------

    @Test
    void cloudFormationResourceStatusChangeNamesTheResourceAndItsStack() {
        ChangeEvent e = single(parse("cloudformation-resource-status-change.json"));

        assertThat(e.getId()).isEqualTo("cloudformation:checkout-prod:ApiFunction:UPDATE_COMPLETE:2024-05-14T08:02:17Z");
        assertThat(e.getTime()).isEqualTo(Instant.parse("2024-05-14T08:02:17Z").toEpochMilli());
        assertThat(e.getEventSource()).isEqualTo("cloudformation.amazonaws.com");
        assertThat(e.getName()).isEqualTo("CloudFormation AWS::Lambda::Function UPDATE_COMPLETE");
        assertThat(e.getDataSource()).isEqualTo(EventDataSource.AWS_CLOUDFORMATION);
        assertThat(e.getEventClass()).isEqualTo(EventClass.DEPLOYMENT);
        assertThat(e.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/Lambda", Map.of("FunctionName", "checkout-api")));
        assertThat(e.getStackName()).isEqualTo("checkout-prod");
        assertThat(e.getActor()).isEqualTo("checkout-prod");
    }

    @Test
    void cloudFormationStackStatusChangeIsAChangeOfTheStack() {
        ChangeEvent e = single(parse("cloudformation-stack-status-change.json"));

        assertThat(e.getId()).isEqualTo("cloudformation:checkout-prod:UPDATE_COMPLETE:2024-05-14T08:02:41Z");
        assertThat(e.getName()).isEqualTo("CloudFormation stack UPDATE_COMPLETE");
        assertThat(e.getEventClass()).isEqualTo(EventClass.DEPLOYMENT);
        assertThat(e.getResources()).extracting(Resource::getArn)
                .containsExactly("arn:aws:cloudformation:us-east-1:123456789012:stack/checkout-prod/*");
        assertThat(e.getStackName()).isEqualTo("checkout-prod");
    }

    @Test
    void cloudFormationStatusesThatAreNotFinishedAreIgnored() {
        String inProgress = new String(fixture("cloudformation-resource-status-change.json"), StandardCharsets.UTF_8)
                .replace("\"UPDATE_COMPLETE\"", "\"UPDATE_IN_PROGRESS\"");
        ParseResult r = parseBytes(inProgress.getBytes(StandardCharsets.UTF_8));
        assertThat(r.events).isEmpty();
        assertThat(r.ignored).containsExactly(Map.entry("NOT_A_CHANGE", 1));

        String deleted = new String(fixture("cloudformation-resource-status-change.json"), StandardCharsets.UTF_8)
                .replace("\"UPDATE_COMPLETE\"", "\"DELETE_COMPLETE\"");
        ChangeEvent e = single(parseBytes(deleted.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.getEventClass()).isEqualTo(EventClass.INFRASTRUCTURE);
        assertThat(e.getStackName()).as("a deleted resource has left its stack").isNull();
    }

    @Test
    void failedCallIsKeptWithItsErrorCode() {
        ParseResult r = parse("eventbridge-cloudtrail-failed-set-desired-capacity.json");

        ChangeEvent e = single(r);
        assertThat(e.getName()).isEqualTo("SetDesiredCapacity");
        assertThat(e.getErrorCode()).isEqualTo("ValidationError");
        assertThat(e.getEventClass()).isEqualTo(EventClass.INFRASTRUCTURE);
        assertThat(e.getActor()).isEqualTo("arn:aws:sts::123456789012:assumed-role/OpsRole/oncall-bob");
        assertThat(e.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/AutoScaling", Map.of("AutoScalingGroupName", "web-asg")));
    }

    @Test
    void readOnlyDescribeInstancesIsIgnored() {
        ParseResult r = parse("eventbridge-cloudtrail-describe-instances.json");

        assertThat(r.read()).isEqualTo(1);
        assertThat(r.events).isEmpty();
        assertThat(r.rejections).isEmpty();
        assertThat(r.ignored).containsExactly(Map.entry("READ_ONLY_CALL", 1));
    }

    // ---- CloudTrail log file and CloudWatch Logs subscription (gzip) -----------------------------------------------

    @Test
    void cloudTrailLogFileYieldsOneItemPerRecord() {
        ParseResult r = parse("cloudtrail-log-file.json.gz");

        assertThat(r.read()).isEqualTo(8);
        assertThat(r.rejections).isEmpty();
        // GetFunction and AssumeRole are reads; ConsoleLogin is a sign-in, not a change.
        assertThat(r.ignored).containsExactly(Map.entry("NOT_A_CHANGE", 1), Map.entry("READ_ONLY_CALL", 2));
        assertThat(r.events).extracting(ChangeEvent::getName).containsExactly(
                "UpdateFunctionCode20150331v2", "UpdateTable", "AuthorizeSecurityGroupIngress", "RegisterTargets", "UpdateService");
        assertThat(r.events).extracting(ChangeEvent::getEventClass).containsExactly(
                EventClass.DEPLOYMENT, EventClass.SCHEMA_CHANGE, EventClass.SECURITY_CHANGE, EventClass.INFRASTRUCTURE, EventClass.DEPLOYMENT);
        assertThat(r.events).extracting(ChangeEvent::getId).containsExactly(
                "a0000001-0000-4000-8000-000000000001", "a0000003-0000-4000-8000-000000000003",
                "a0000004-0000-4000-8000-000000000004", "a0000007-0000-4000-8000-000000000007",
                "a0000008-0000-4000-8000-000000000008");

        // A full ARN in functionName and a version-qualified ARN in the response: still the one function.
        assertThat(r.events.get(0).getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/Lambda", Map.of("FunctionName", "checkout-api")));
        assertThat(r.events.get(1).getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/DynamoDB", Map.of("TableName", "orders")));
        assertThat(r.events.get(2).getResources()).extracting(Resource::getType, Resource::getArn).containsExactly(
                org.assertj.core.groups.Tuple.tuple("AWS::EC2::SecurityGroup", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a1b2c3d4e5f67890"));
        assertThat(r.events.get(3).getResources()).extracting(Resource::getArn).containsExactly(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/73e2d6bc24d8a067",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60001");
        assertThat(r.events.get(3).getActor()).isEqualTo("arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling");
        assertThat(r.events.get(4).getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/ECS", Map.of("ClusterName", "prod", "ServiceName", "checkout-svc")));
    }

    @Test
    void cloudWatchLogsDataMessageYieldsOneItemPerLogEvent() {
        ParseResult r = parse("cloudwatch-logs-cloudtrail-data.json.gz");

        assertThat(r.read()).isEqualTo(4);
        assertThat(r.rejections).isEmpty();
        // ListQueues is a read; Lambda Invoke is a data event.
        assertThat(r.ignored).containsExactly(Map.entry("NOT_A_CHANGE", 1), Map.entry("READ_ONLY_CALL", 1));
        assertThat(r.events).hasSize(2);

        ChangeEvent sqs = r.events.get(0);
        assertThat(sqs.getId()).isEqualTo("e0000001-0000-4000-8000-000000000001");
        assertThat(sqs.getName()).isEqualTo("SetQueueAttributes");
        assertThat(sqs.getEventClass()).isEqualTo(EventClass.CONFIG_CHANGE);
        assertThat(sqs.getTime()).isEqualTo(Instant.parse("2024-05-14T13:00:00Z").toEpochMilli());
        assertThat(sqs.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/SQS", Map.of("QueueName", "orders-queue")));

        ChangeEvent reboot = r.events.get(1);
        assertThat(reboot.getName()).isEqualTo("RebootDBInstance");
        assertThat(reboot.getEventClass()).isEqualTo(EventClass.INFRASTRUCTURE);
        assertThat(reboot.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/RDS", Map.of("DBInstanceIdentifier", "orders-db")));
    }

    @Test
    void cloudWatchLogsControlMessageIsOneIgnoredItem() {
        ParseResult r = parse("cloudwatch-logs-control-message.json.gz");

        assertThat(r.read()).isEqualTo(1);
        assertThat(r.ignored).containsExactly(Map.entry("CONTROL_MESSAGE", 1));
    }

    // ---- CodeDeploy ------------------------------------------------------------------------------------------------

    @Test
    void codeDeployDeploymentStartAndSuccess() {
        ChangeEvent start = single(parse("codedeploy-deployment-start.json"));
        ChangeEvent success = single(parse("codedeploy-deployment-success.json"));

        Resource group = ResourceIdentities.codeDeployDeploymentGroup(ACCOUNT, REGION, "checkout-app", "checkout-prod");
        assertThat(group.getArn()).isEqualTo("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:checkout-app/checkout-prod");
        assertThat(group.getType()).isEqualTo("AWS::CodeDeploy::DeploymentGroup");

        assertThat(start.getId()).isEqualTo("codedeploy:d-7ABCDEF12:START");
        assertThat(start.getTime()).isEqualTo(Instant.parse("2024-05-14T14:00:00Z").toEpochMilli());
        assertThat(start.getEventSource()).isEqualTo("codedeploy.amazonaws.com");
        assertThat(start.getName()).isEqualTo("CodeDeploy deployment START");
        assertThat(start.getDataSource()).isEqualTo(EventDataSource.AWS_CODE_DEPLOY);
        assertThat(start.getEventClass()).isEqualTo(EventClass.DEPLOYMENT);
        assertThat(start.getResources()).containsExactly(group, ResourceIdentities.codeDeployApplication(ACCOUNT, REGION, "checkout-app"));
        assertThat(start.getResources().get(1).getArn()).isEqualTo("arn:aws:codedeploy:us-east-1:123456789012:application:checkout-app");
        assertThat(start.getActor()).isEqualTo("checkout-app/checkout-prod");
        assertThat(start.getDeploymentId()).isEqualTo("d-7ABCDEF12");
        assertThat(start.getAccountId()).isEqualTo(ACCOUNT);
        assertThat(start.getRegion()).isEqualTo(REGION);

        assertThat(success.getId()).isEqualTo("codedeploy:d-7ABCDEF12:SUCCESS");
        assertThat(success.getName()).isEqualTo("CodeDeploy deployment SUCCESS");
        assertThat(success.getTime()).isEqualTo(Instant.parse("2024-05-14T14:06:41Z").toEpochMilli());
        assertThat(success.getDeploymentId()).isEqualTo(start.getDeploymentId());
    }

    @Test
    void codeDeployInstanceEventTouchesGroupAndInstance() {
        ChangeEvent e = single(parse("codedeploy-instance-success.json"));

        assertThat(e.getId()).isEqualTo("codedeploy:d-7ABCDEF12:SUCCESS:i-0a1b2c3d4e5f60001");
        assertThat(e.getName()).isEqualTo("CodeDeploy instance SUCCESS");
        assertThat(e.getResources()).containsExactly(
                ResourceIdentities.codeDeployDeploymentGroup(ACCOUNT, REGION, "checkout-app", "checkout-prod"),
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/EC2", Map.of("InstanceId", "i-0a1b2c3d4e5f60001")),
                ResourceIdentities.codeDeployApplication(ACCOUNT, REGION, "checkout-app"));
    }

    @Test
    void codeDeployDuplicateDeliveryGetsTheSameId() {
        byte[] bytes = fixture("codedeploy-deployment-success.json");
        ParseResult r = new ParseResult();
        parser.parse(bytes, r);
        parser.parse(bytes, r);
        assertThat(r.events).extracting(ChangeEvent::getId).containsExactly("codedeploy:d-7ABCDEF12:SUCCESS", "codedeploy:d-7ABCDEF12:SUCCESS");
    }

    // ---- AWS Config ------------------------------------------------------------------------------------------------

    @Test
    void configUpdateOfRdsInstanceUsesTheIdentifierNotTheResourceId() {
        ChangeEvent e = single(parse("config-item-change-update.json"));

        assertThat(e.getId()).isEqualTo("config:AWS::RDS::DBInstance:db-ABCDEFGHIJKLMNOPQRSTUVWXY1:2024-05-14T10:04:58.372Z");
        assertThat(e.getTime()).isEqualTo(Instant.parse("2024-05-14T10:04:58.372Z").toEpochMilli());
        assertThat(e.getEventSource()).isEqualTo("config.amazonaws.com");
        assertThat(e.getName()).isEqualTo("Config UPDATE AWS::RDS::DBInstance");
        assertThat(e.getDataSource()).isEqualTo(EventDataSource.AWS_CONFIG);
        assertThat(e.getEventClass()).isEqualTo(EventClass.CONFIG_CHANGE);
        assertThat(e.getAccountId()).isEqualTo(ACCOUNT);
        assertThat(e.getRegion()).isEqualTo(REGION);
        assertThat(e.getActor()).isNull();
        assertThat(e.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/RDS", Map.of("DBInstanceIdentifier", "orders-db")));
        assertThat(e.getTags()).isEmpty();
        assertThat(e.getStackName()).isNull();
    }

    @Test
    void configItemTagsAreTheResourcesTagsAndNameItsStack() {
        String tagged = new String(fixture("config-item-change-update.json"), StandardCharsets.UTF_8)
                .replace("\"tags\": {}", "\"tags\": {\"aws:cloudformation:stack-name\": \"orders-prod\", \"devops-guru-orders\": \"orders\"}");
        ChangeEvent e = single(parseBytes(tagged.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.getTags()).containsExactly(Map.entry("aws:cloudformation:stack-name", "orders-prod"), Map.entry("devops-guru-orders", "orders"));
        assertThat(e.getStackName()).isEqualTo("orders-prod");
    }

    @Test
    void configOversizedNotificationIsReadFromItsSummary() {
        ChangeEvent e = single(parse("config-oversized-item-change.json"));

        assertThat(e.getId()).isEqualTo("config:AWS::EC2::SecurityGroup:sg-0a1b2c3d4e5f67890:2024-05-14T12:02:31.507Z");
        assertThat(e.getName()).isEqualTo("Config UPDATE AWS::EC2::SecurityGroup");
        assertThat(e.getEventClass()).isEqualTo(EventClass.SECURITY_CHANGE);
        assertThat(e.getTime()).isEqualTo(Instant.parse("2024-05-14T12:02:31.507Z").toEpochMilli());
        assertThat(e.getResources()).extracting(Resource::getType, Resource::getName, Resource::getArn).containsExactly(
                org.assertj.core.groups.Tuple.tuple("AWS::EC2::SecurityGroup", "sg-0a1b2c3d4e5f67890",
                        "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a1b2c3d4e5f67890"));
    }

    @Test
    void configCreateAndDeleteAreInfrastructure() {
        String item = """
                {"version":"0","id":"x","detail-type":"Config Configuration Item Change","source":"aws.config",
                 "account":"123456789012","time":"2024-05-14T12:00:00Z","region":"us-east-1","resources":[],
                 "detail":{"messageType":"ConfigurationItemChangeNotification","recordVersion":"1.3",
                  "configurationItemDiff":{"changedProperties":{},"changeType":"%s"},
                  "configurationItem":{"resourceType":"AWS::Lambda::Function","resourceId":"checkout-api","resourceName":"checkout-api",
                   "ARN":"arn:aws:lambda:us-east-1:123456789012:function:checkout-api","awsRegion":"us-east-1",
                   "awsAccountId":"123456789012","configurationItemCaptureTime":"2024-05-14T11:59:00.000Z",
                   "configurationItemStatus":"%s"}}}""";
        ChangeEvent created = single(parseBytes(String.format(item, "CREATE", "ResourceDiscovered").replace("\n", " ").getBytes(StandardCharsets.UTF_8)));
        ChangeEvent deleted = single(parseBytes(String.format(item, "DELETE", "ResourceDeleted").replace("\n", " ").getBytes(StandardCharsets.UTF_8)));
        assertThat(created.getEventClass()).isEqualTo(EventClass.INFRASTRUCTURE);
        assertThat(created.getName()).isEqualTo("Config CREATE AWS::Lambda::Function");
        assertThat(deleted.getEventClass()).isEqualTo(EventClass.INFRASTRUCTURE);
        assertThat(created.getResources()).containsExactly(
                ResourceIdentities.fromMetric(ACCOUNT, REGION, "AWS/Lambda", Map.of("FunctionName", "checkout-api")));
    }

    // ---- dead letters ----------------------------------------------------------------------------------------------

    @Test
    void recordWithoutEventTimeIsRejectedAloneInItsLogFile() {
        String file = "{\"Records\":[" + record("\"eventTime\":\"2024-05-14T12:00:00Z\",", "e-1") + ","
                + record("", "e-2") + "," + record("\"eventTime\":\"2024-05-14T12:00:01Z\",", "e-3") + "]}";
        ParseResult r = parseBytes(gzip(file.getBytes(StandardCharsets.UTF_8)));

        assertThat(r.read()).isEqualTo(3);
        assertThat(r.events).extracting(ChangeEvent::getId).containsExactly("e-1", "e-3");
        assertThat(r.rejections).hasSize(1);
        ParseResult.Rejection bad = r.rejections.get(0);
        assertThat(bad.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(bad.detail()).isEqualTo("Records[1]: missing field 'eventTime'");
        // The payload is that record only, not the whole file.
        assertThat(new String(bad.payload(), StandardCharsets.UTF_8)).contains("\"eventID\":\"e-2\"").doesNotContain("e-1");
    }

    @Test
    void eventTimeThatIsNotIsoIsAnInvalidTimestamp() {
        ParseResult r = parseBytes(("{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ec2\","
                + "\"account\":\"123456789012\",\"time\":\"2024-05-14T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":"
                + record("\"eventTime\":\"14/05/2024 12:00:00\",", "e-9") + "}").getBytes(StandardCharsets.UTF_8));

        assertThat(r.read()).isEqualTo(1);
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.INVALID_TIMESTAMP);
            assertThat(rej.detail()).contains("eventTime").contains("14/05/2024 12:00:00");
        });
    }

    @Test
    void eventTimeOfWrongTypeIsAWrongType() {
        ParseResult r = parseBytes(("{\"Records\":[" + record("\"eventTime\":1715688000000,", "e-1") + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.rejections).singleElement().extracting(ParseResult.Rejection::reason).isEqualTo(DeadLetterReason.WRONG_TYPE);
    }

    @Test
    void logEventWhoseMessageIsNotJsonIsRejectedAlone() {
        String good = record("\"eventTime\":\"2024-05-14T12:00:00Z\",", "e-1").replace("\"", "\\\"");
        String payload = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"ct\",\"logStream\":\"s\","
                + "\"subscriptionFilters\":[\"f\"],\"logEvents\":["
                + "{\"id\":\"1\",\"timestamp\":1715688000000,\"message\":\"" + good + "\"},"
                + "{\"id\":\"2\",\"timestamp\":1715688000001,\"message\":\"{\\\"eventVersion\\\":\\\"1.09\\\", truncated\"}]}";
        ParseResult r = parseBytes(gzip(payload.getBytes(StandardCharsets.UTF_8)));

        assertThat(r.read()).isEqualTo(2);
        assertThat(r.events).extracting(ChangeEvent::getId).containsExactly("e-1");
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.MALFORMED_JSON);
            assertThat(rej.detail()).startsWith("logEvents[1]: ");
            assertThat(new String(rej.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"eventVersion\":\"1.09\", truncated");
        });
    }

    @Test
    void unknownDetailTypeIsAnUnknownFormatNamingIt() {
        String event = "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\","
                + "\"account\":\"123456789012\",\"time\":\"2024-05-14T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
                + "\"detail\":{\"instance-id\":\"i-0a1b2c3d4e5f60001\",\"state\":\"running\"}}";
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        ParseResult r = parseBytes(bytes);

        assertThat(r.read()).isEqualTo(1);
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.UNKNOWN_FORMAT);
            assertThat(rej.detail()).contains("'EC2 Instance State-change Notification'");
            assertThat(rej.payload()).isEqualTo(bytes);
        });
    }

    @Test
    void codeDeployEventWithoutDeploymentIdIsMissingField() {
        String event = new String(fixture("codedeploy-deployment-start.json"), StandardCharsets.UTF_8)
                .replace("\"deploymentId\": \"d-7ABCDEF12\",", "");
        ParseResult r = parseBytes(event.getBytes(StandardCharsets.UTF_8));
        assertThat(r.rejections).singleElement().satisfies(rej -> {
            assertThat(rej.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
            assertThat(rej.detail()).contains("deploymentId");
        });
    }

    @Test
    void oddShapesNeverThrowAndAreCountedOnce() {
        ParseResult r = new ParseResult();
        parser.parse("{\"Records\":\"not an array\"}".getBytes(StandardCharsets.UTF_8), r);
        parser.parse("{\"Records\":[42, null]}".getBytes(StandardCharsets.UTF_8), r);
        parser.parse("{\"messageType\":\"SOMETHING\",\"logEvents\":[]}".getBytes(StandardCharsets.UTF_8), r);
        parser.parse("{\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":\"x\"}".getBytes(StandardCharsets.UTF_8), r);
        parser.parse("{\"detail-type\":\"Config Configuration Item Change\",\"detail\":{\"messageType\":\"ConfigurationItemChangeNotification\",\"configurationItem\":{}}}"
                .getBytes(StandardCharsets.UTF_8), r);

        assertThat(r.read()).isEqualTo(6);
        assertThat(r.rejections).extracting(ParseResult.Rejection::reason).containsExactly(
                DeadLetterReason.WRONG_TYPE, DeadLetterReason.WRONG_TYPE, DeadLetterReason.WRONG_TYPE,
                DeadLetterReason.UNKNOWN_FORMAT, DeadLetterReason.WRONG_TYPE, DeadLetterReason.MISSING_FIELD);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** A compact UpdateFunctionConfiguration record; {@code timeField} is spliced in (empty = no eventTime). */
    private static String record(String timeField, String eventId) {
        return "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::123456789012:user/a\","
                + "\"accountId\":\"123456789012\"}," + timeField + "\"eventSource\":\"lambda.amazonaws.com\","
                + "\"eventName\":\"UpdateFunctionConfiguration20150331v2\",\"awsRegion\":\"us-east-1\","
                + "\"requestParameters\":{\"functionName\":\"checkout-api\"},\"responseElements\":null,\"eventID\":\"" + eventId + "\","
                + "\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"123456789012\"}";
    }

    private ChangeEvent single(ParseResult r) {
        assertThat(r.rejections).isEmpty();
        assertThat(r.ignored).isEmpty();
        assertThat(r.events).hasSize(1);
        assertThat(r.read()).isEqualTo(1);
        return r.events.get(0);
    }

    private ParseResult parse(String fixtureName) {
        return parseBytes(fixture(fixtureName));
    }

    private ParseResult parseBytes(byte[] bytes) {
        ParseResult r = new ParseResult();
        parser.parse(bytes, r);
        return r;
    }

    static byte[] fixture(String name) {
        try (InputStream in = ChangeEventParserTest.class.getResourceAsStream("/fixtures/events/" + name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }
}
