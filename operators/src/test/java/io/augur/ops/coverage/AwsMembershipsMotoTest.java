package io.augur.ops.coverage;

import io.augur.ops.testing.MotoServer;
import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;
import io.augur.schema.ResourceMembership;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The membership refresh against moto: real CloudFormation and Resource Groups Tagging API calls through the AWS SDK. */
class AwsMembershipsMotoTest {
    private static final String STACK_TEMPLATE = """
            {"Resources": {
              "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "checkout-jobs",
                       "Tags": [{"Key": "devops-guru-app", "Value": "checkout"}]}},
              "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "checkout-table", "BillingMode": "PAY_PER_REQUEST",
                        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}}}
            """;
    private static final String OTHER_TEMPLATE = """
            {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "search-jobs",
                                 "Tags": [{"Key": "devops-guru-app", "Value": "search"}]}}}}
            """;
    private static MotoServer moto;
    private static AwsMemberships memberships;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        try (CloudFormationClient cfn = CloudFormationClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(moto.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            cfn.createStack(r -> r.stackName("checkout-prod").templateBody(STACK_TEMPLATE).tags(t -> t.key("team").value("pay")));
            cfn.createStack(r -> r.stackName("search-prod").templateBody(OTHER_TEMPLATE));
        }
        memberships = new AwsMemberships(new AwsMemberships.Settings("us-east-1", moto.endpoint(), MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
    }

    @AfterAll
    static void stop() {
        if (memberships != null) memberships.close();
        if (moto != null) moto.close();
    }

    @Test
    void stacksModeListsTheStacksResourcesUnderAugursIdentities() {
        List<ResourceMembership> m = memberships.list(settings(CoverageMode.STACKS, List.of("checkout-prod"), null, List.of()), 42L);
        assertThat(m).extracting(ResourceMembership::getArn, ResourceMembership::getStackName, ResourceMembership::getReplaceTags,
                        ResourceMembership::getTime, ResourceMembership::getOrigin)
                .containsExactlyInAnyOrder(
                        tuple("arn:aws:sqs:us-east-1:123456789012:checkout-jobs", "checkout-prod", false, 42L, "ListStackResources"),
                        tuple("arn:aws:dynamodb:us-east-1:123456789012:table/checkout-table", "checkout-prod", false, 42L, "ListStackResources"));

        List<ResourceMembership> all = memberships.list(settings(CoverageMode.STACKS, List.of("*"), null, List.of()), 42L);
        assertThat(all).extracting(ResourceMembership::getArn, ResourceMembership::getStackName).containsExactlyInAnyOrder(
                tuple("arn:aws:sqs:us-east-1:123456789012:checkout-jobs", "checkout-prod"),
                tuple("arn:aws:dynamodb:us-east-1:123456789012:table/checkout-table", "checkout-prod"),
                tuple("arn:aws:sqs:us-east-1:123456789012:search-jobs", "search-prod"));
    }

    @Test
    void tagsModeListsResourcesWithTheBoundaryKeyAndValue() {
        List<ResourceMembership> m = memberships.list(settings(CoverageMode.TAGS, List.of(), "devops-guru-app", List.of("checkout")), 7L);
        assertThat(m).extracting(ResourceMembership::getArn, ResourceMembership::getTags, ResourceMembership::getReplaceTags)
                .containsExactly(tuple("arn:aws:sqs:us-east-1:123456789012:checkout-jobs", Map.of("devops-guru-app", "checkout"), true));

        List<ResourceMembership> any = memberships.list(settings(CoverageMode.TAGS, List.of(), "devops-guru-app", List.of("*")), 7L);
        assertThat(any).extracting(ResourceMembership::getArn).containsExactlyInAnyOrder(
                "arn:aws:sqs:us-east-1:123456789012:checkout-jobs", "arn:aws:sqs:us-east-1:123456789012:search-jobs");
    }

    @Test
    void accountModeListsEveryTaggedResourceAndTheListingsNameApplications() {
        List<ResourceMembership> m = memberships.list(settings(CoverageMode.ACCOUNT, List.of(), null, List.of()), 9L);
        assertThat(m).extracting(ResourceMembership::getArn).contains(
                "arn:aws:cloudformation:us-east-1:123456789012:stack/checkout-prod/*",
                "arn:aws:sqs:us-east-1:123456789012:checkout-jobs", "arn:aws:sqs:us-east-1:123456789012:search-jobs");
        Coverage account = new Coverage(settings(CoverageMode.ACCOUNT, List.of(), null, List.of()));
        ResourceMembership queue = m.stream().filter(x -> x.getArn().endsWith(":checkout-jobs")).findFirst().orElseThrow();
        assertThat(account.applicationOf("123456789012", queue.getArn(), Memberships.apply(null, queue)))
                .isEqualTo(new Coverage.Application("checkout", null, "devops-guru-app"));
    }

    private static CoverageSettings settings(CoverageMode mode, List<String> stacks, String key, List<String> values) {
        return CoverageSettings.newBuilder().setRevision(1).setMode(mode).setAccounts(List.of()).setStackNames(stacks)
                .setTagKey(key).setTagValues(values).setOrigin("test").build();
    }
}
