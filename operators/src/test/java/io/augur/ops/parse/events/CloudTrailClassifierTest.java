package io.augur.ops.parse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.parse.RecordParser;
import io.augur.schema.EventClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudTrailClassifierTest {
    private static final CloudTrailClassifier DEFAULT = CloudTrailClassifier.loadDefault();

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            // deployments
            "lambda.amazonaws.com, UpdateFunctionCode20150331v2, DEPLOYMENT",
            "lambda.amazonaws.com, PublishVersion20150331, DEPLOYMENT",
            "lambda.amazonaws.com, UpdateAlias20150331, DEPLOYMENT",
            "ecs.amazonaws.com, UpdateService, DEPLOYMENT",
            "ecs.amazonaws.com, RegisterTaskDefinition, DEPLOYMENT",
            "cloudformation.amazonaws.com, UpdateStack, DEPLOYMENT",
            "cloudformation.amazonaws.com, CreateStack, DEPLOYMENT",
            "cloudformation.amazonaws.com, ExecuteChangeSet, DEPLOYMENT",
            "codedeploy.amazonaws.com, CreateDeployment, DEPLOYMENT",
            "elasticbeanstalk.amazonaws.com, UpdateEnvironment, DEPLOYMENT",
            "apigateway.amazonaws.com, CreateDeployment, DEPLOYMENT",
            "autoscaling.amazonaws.com, StartInstanceRefresh, DEPLOYMENT",
            // configuration
            "lambda.amazonaws.com, UpdateFunctionConfiguration20150331v2, CONFIG_CHANGE",
            "lambda.amazonaws.com, PutFunctionConcurrency20171031, CONFIG_CHANGE",
            "lambda.amazonaws.com, DeleteFunctionConcurrency20171031, CONFIG_CHANGE",
            "rds.amazonaws.com, ModifyDBInstance, CONFIG_CHANGE",
            "rds.amazonaws.com, ModifyDBCluster, CONFIG_CHANGE",
            "rds.amazonaws.com, ModifyDBParameterGroup, CONFIG_CHANGE",
            "dynamodb.amazonaws.com, UpdateTable, CONFIG_CHANGE",
            "dynamodb.amazonaws.com, UpdateTimeToLive, CONFIG_CHANGE",
            "dynamodb.amazonaws.com, UpdateContinuousBackups, CONFIG_CHANGE",
            "elasticloadbalancing.amazonaws.com, ModifyLoadBalancerAttributes, CONFIG_CHANGE",
            "elasticloadbalancing.amazonaws.com, ModifyTargetGroupAttributes, CONFIG_CHANGE",
            "elasticloadbalancing.amazonaws.com, ModifyListener, CONFIG_CHANGE",
            "sqs.amazonaws.com, SetQueueAttributes, CONFIG_CHANGE",
            "sns.amazonaws.com, SetTopicAttributes, CONFIG_CHANGE",
            "ec2.amazonaws.com, ModifyInstanceAttribute, CONFIG_CHANGE",
            "ec2.amazonaws.com, ModifyVolume, CONFIG_CHANGE",
            "autoscaling.amazonaws.com, PutScalingPolicy, CONFIG_CHANGE",
            "ssm.amazonaws.com, PutParameter, CONFIG_CHANGE",
            "apigateway.amazonaws.com, UpdateStage, CONFIG_CHANGE",
            "kinesis.amazonaws.com, UpdateShardCount, CONFIG_CHANGE",
            // infrastructure
            "ec2.amazonaws.com, RunInstances, INFRASTRUCTURE",
            "ec2.amazonaws.com, TerminateInstances, INFRASTRUCTURE",
            "ec2.amazonaws.com, StopInstances, INFRASTRUCTURE",
            "ec2.amazonaws.com, RebootInstances, INFRASTRUCTURE",
            "ec2.amazonaws.com, CreateTags, INFRASTRUCTURE",
            "ec2.amazonaws.com, DeleteTags, INFRASTRUCTURE",
            "dynamodb.amazonaws.com, CreateTable, INFRASTRUCTURE",
            "dynamodb.amazonaws.com, DeleteTable, INFRASTRUCTURE",
            "rds.amazonaws.com, CreateDBInstance, INFRASTRUCTURE",
            "rds.amazonaws.com, RebootDBInstance, INFRASTRUCTURE",
            "autoscaling.amazonaws.com, SetDesiredCapacity, INFRASTRUCTURE",
            "autoscaling.amazonaws.com, UpdateAutoScalingGroup, INFRASTRUCTURE",
            "elasticloadbalancing.amazonaws.com, CreateLoadBalancer, INFRASTRUCTURE",
            "elasticloadbalancing.amazonaws.com, RegisterTargets, INFRASTRUCTURE",
            "elasticloadbalancing.amazonaws.com, DeregisterTargets, INFRASTRUCTURE",
            "lambda.amazonaws.com, TagResource20170331v2, INFRASTRUCTURE",
            "lambda.amazonaws.com, CreateFunction20150331, INFRASTRUCTURE",
            "tagging.amazonaws.com, TagResources, INFRASTRUCTURE",
            "states.amazonaws.com, TagResource, INFRASTRUCTURE",
            // security
            "iam.amazonaws.com, AttachRolePolicy, SECURITY_CHANGE",
            "iam.amazonaws.com, PutRolePolicy, SECURITY_CHANGE",
            "kms.amazonaws.com, PutKeyPolicy, SECURITY_CHANGE",
            "kms.amazonaws.com, ScheduleKeyDeletion, SECURITY_CHANGE",
            "kms.amazonaws.com, DisableKey, SECURITY_CHANGE",
            "ec2.amazonaws.com, AuthorizeSecurityGroupIngress, SECURITY_CHANGE",
            "ec2.amazonaws.com, RevokeSecurityGroupEgress, SECURITY_CHANGE",
            "ec2.amazonaws.com, ModifySecurityGroupRules, SECURITY_CHANGE",
            "lambda.amazonaws.com, AddPermission20150331v2, SECURITY_CHANGE",
            "lambda.amazonaws.com, RemovePermission20150331v2, SECURITY_CHANGE",
            "s3.amazonaws.com, PutBucketPolicy, SECURITY_CHANGE",
            "s3.amazonaws.com, PutBucketAcl, SECURITY_CHANGE",
            "secretsmanager.amazonaws.com, PutSecretValue, SECURITY_CHANGE",
            "secretsmanager.amazonaws.com, RotateSecret, SECURITY_CHANGE",
            // schema
            "glue.amazonaws.com, CreateTable, SCHEMA_CHANGE",
            "glue.amazonaws.com, UpdateTable, SCHEMA_CHANGE",
            "glue.amazonaws.com, DeleteTable, SCHEMA_CHANGE",
            // an exact row beats a later catch-all
            "elasticloadbalancing.amazonaws.com, CreateLoadBalancerListeners, CONFIG_CHANGE",
    })
    void classifiesChanges(String source, String name, EventClass expected) {
        assertThat(DEFAULT.classify(source, name)).contains(expected);
    }

    @ParameterizedTest(name = "{0} {1} is not a change")
    @CsvSource({
            "lambda.amazonaws.com, Invoke",
            "dynamodb.amazonaws.com, PutItem",
            "dynamodb.amazonaws.com, UpdateItem",
            "dynamodb.amazonaws.com, BatchWriteItem",
            "dynamodb.amazonaws.com, TransactWriteItems",
            "sqs.amazonaws.com, SendMessage",
            "sqs.amazonaws.com, DeleteMessageBatch",
            "sns.amazonaws.com, Publish",
            "kinesis.amazonaws.com, PutRecords",
            "monitoring.amazonaws.com, PutMetricData",
            "logs.amazonaws.com, PutLogEvents",
            "s3.amazonaws.com, PutObject",
            "signin.amazonaws.com, ConsoleLogin",
            "sts.amazonaws.com, GetCallerIdentity",
            "sts.amazonaws.com, AssumeRole",
            "ssm.amazonaws.com, CreateOpsItem",
            "ssm.amazonaws.com, UpdateInstanceInformation",
            "ecs.amazonaws.com, SubmitTaskStateChange",
            "kms.amazonaws.com, CreateGrant",
            "cloudformation.amazonaws.com, CreateChangeSet",
            "unknown.amazonaws.com, CreateWidget",
    })
    void dataPlaneAndUnknownCallsAreNotChanges(String source, String name) {
        assertThat(DEFAULT.classify(source, name)).isEmpty();
    }

    @Test
    void dynamoDbUpdateTableChangingKeysOrIndexesIsASchemaChange() throws Exception {
        JsonNode gsi = json("{\"tableName\":\"orders\",\"globalSecondaryIndexUpdates\":[{\"delete\":{\"indexName\":\"by-date\"}}]}");
        JsonNode attrs = json("{\"tableName\":\"orders\",\"attributeDefinitions\":[{\"attributeName\":\"k\",\"attributeType\":\"S\"}]}");
        JsonNode billing = json("{\"tableName\":\"orders\",\"billingMode\":\"PAY_PER_REQUEST\",\"globalSecondaryIndexUpdates\":[]}");

        assertThat(DEFAULT.classify("dynamodb.amazonaws.com", "UpdateTable", gsi)).contains(EventClass.SCHEMA_CHANGE);
        assertThat(DEFAULT.classify("dynamodb.amazonaws.com", "UpdateTable", attrs)).contains(EventClass.SCHEMA_CHANGE);
        assertThat(DEFAULT.classify("dynamodb.amazonaws.com", "UpdateTable", billing)).contains(EventClass.CONFIG_CHANGE);
        assertThat(DEFAULT.classify("dynamodb.amazonaws.com", "UpdateTable", null)).contains(EventClass.CONFIG_CHANGE);
        // Only UpdateTable is refined: CreateTable also has attributeDefinitions.
        assertThat(DEFAULT.classify("dynamodb.amazonaws.com", "CreateTable", attrs)).contains(EventClass.INFRASTRUCTURE);
    }

    @Test
    void beanstalkUpdateEnvironmentWithoutVersionIsAConfigChange() throws Exception {
        assertThat(DEFAULT.classify("elasticbeanstalk.amazonaws.com", "UpdateEnvironment",
                json("{\"environmentName\":\"web-prod\",\"versionLabel\":\"v42\"}"))).contains(EventClass.DEPLOYMENT);
        assertThat(DEFAULT.classify("elasticbeanstalk.amazonaws.com", "UpdateEnvironment",
                json("{\"environmentName\":\"web-prod\",\"optionSettings\":[]}"))).contains(EventClass.CONFIG_CHANGE);
    }

    @ParameterizedTest
    @CsvSource({"GetFunction20150331v2, true", "ListQueues, true", "DescribeInstances, true", "Decrypt, true",
            "GenerateDataKey, true", "AssumeRoleWithWebIdentity, true", "BatchGetItem, true", "LookupEvents, true",
            "HeadObject, true", "Getaway, false", "Listener, false", "UpdateService, false", "PutItem, false",
            "TestFailover, true", "Describe, true"})
    void readOnlyNameHeuristic(String name, boolean readOnly) {
        assertThat(CloudTrailClassifier.looksReadOnly(name)).isEqualTo(readOnly);
    }

    @Test
    void exactRowsAreKnownSoTheyCanOverrideTheReadOnlyHeuristic() {
        assertThat(DEFAULT.hasExactRule("elasticache.amazonaws.com", "TestFailover")).isTrue();
        assertThat(DEFAULT.classify("elasticache.amazonaws.com", "TestFailover")).contains(EventClass.INFRASTRUCTURE);
        // Glob rows do not count as exact.
        assertThat(DEFAULT.hasExactRule("iam.amazonaws.com", "GetRole")).isFalse();
    }

    @Test
    void firstMatchWinsAndNoneStopsTheSearch() throws Exception {
        CloudTrailClassifier c = new CloudTrailClassifier(new ByteArrayInputStream("""
                # comment
                eventSource,eventNamePattern,eventClass

                svc.amazonaws.com, PutSpecial, SECURITY_CHANGE
                svc.amazonaws.com, PutData*, NONE
                svc.amazonaws.com, Put*, CONFIG_CHANGE
                *, Tag*, INFRASTRUCTURE
                """.getBytes(StandardCharsets.UTF_8)));

        assertThat(c.rules()).hasSize(4);
        assertThat(c.classify("svc.amazonaws.com", "PutSpecial")).contains(EventClass.SECURITY_CHANGE);
        assertThat(c.classify("svc.amazonaws.com", "PutDataBatch")).isEmpty();
        assertThat(c.classify("svc.amazonaws.com", "PutSetting")).contains(EventClass.CONFIG_CHANGE);
        assertThat(c.classify("other.amazonaws.com", "TagResource")).contains(EventClass.INFRASTRUCTURE);
        assertThat(c.classify("other.amazonaws.com", "PutSetting")).isEmpty();
        // Matching is case-sensitive, like eventName.
        assertThat(c.classify("svc.amazonaws.com", "putSetting")).isEmpty();
    }

    @Test
    void rowsCanBeGivenAsAList() {
        CloudTrailClassifier c = new CloudTrailClassifier(List.of(
                new CloudTrailClassifier.Rule("a.amazonaws.com", "*Thing", EventClass.DEPLOYMENT)));
        assertThat(c.classify("a.amazonaws.com", "ShipThing")).isEqualTo(Optional.of(EventClass.DEPLOYMENT));
        assertThat(c.classify("a.amazonaws.com", "ShipThings")).isEmpty();
    }

    @Test
    void malformedRowsFailWithTheLineNumber() {
        assertThatThrownBy(() -> new CloudTrailClassifier(new ByteArrayInputStream(
                "a.amazonaws.com,Put*,CONFIG_CHANGE\na.amazonaws.com,Put*\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 2:");
        assertThatThrownBy(() -> new CloudTrailClassifier(new ByteArrayInputStream(
                "a.amazonaws.com,Put*,CONFIG\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown eventClass 'CONFIG'");
    }

    @Test
    void defaultTableIsWellFormedAndEveryRowIsReachable() {
        List<CloudTrailClassifier.Rule> rules = DEFAULT.rules();
        assertThat(rules).hasSizeGreaterThan(200);
        // A row that an earlier row of the same source always pre-empts is dead: an editing mistake.
        for (int i = 0; i < rules.size(); i++) {
            CloudTrailClassifier.Rule later = rules.get(i);
            for (int j = 0; j < i; j++) {
                CloudTrailClassifier.Rule earlier = rules.get(j);
                boolean sameOrWiderSource = earlier.eventSource().equals("*") || earlier.eventSource().equals(later.eventSource());
                boolean shadows = covers(earlier.eventNamePattern(), later.eventNamePattern());
                assertThat(sameOrWiderSource && shadows)
                        .as("row %s,%s is shadowed by %s,%s", later.eventSource(), later.eventNamePattern(),
                                earlier.eventSource(), earlier.eventNamePattern())
                        .isFalse();
            }
        }
    }

    @Test
    void globMatching() {
        assertThat(CloudTrailClassifier.glob("*", "")).isTrue();
        assertThat(CloudTrailClassifier.glob("Update*", "UpdateFunctionCode20150331v2")).isTrue();
        assertThat(CloudTrailClassifier.glob("*FunctionUrlConfig*", "DeleteFunctionUrlConfig")).isTrue();
        assertThat(CloudTrailClassifier.glob("*Item", "PutItem")).isTrue();
        assertThat(CloudTrailClassifier.glob("*Item", "PutItems")).isFalse();
        assertThat(CloudTrailClassifier.glob("A*B*C", "AxxBxxBxxC")).isTrue();
        assertThat(CloudTrailClassifier.glob("A*B*C", "AxxCxxB")).isFalse();
    }

    /** Whether every name {@code later} matches is matched by {@code earlier} (conservative: false when unsure). */
    private static boolean covers(String earlier, String later) {
        if (!later.contains("*")) return CloudTrailClassifier.glob(earlier, later);
        if (earlier.equals("*")) return true;
        int star = earlier.indexOf('*');
        if (star < 0 || star != earlier.lastIndexOf('*')) return false;
        if (star == earlier.length() - 1) return later.startsWith(earlier.substring(0, star)); // Prefix*
        if (star == 0) return later.endsWith(earlier.substring(1));                           // *Suffix
        return false;
    }

    private static JsonNode json(String s) throws Exception {
        return RecordParser.mapper().readTree(s);
    }
}
