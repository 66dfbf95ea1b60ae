package io.augur.ops.coverage;

import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.CoverageSettings;
import io.augur.schema.Resource;
import io.augur.schema.ResourceMembership;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesRequest;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refreshes what Augur knows of resources' stacks and tags from the AWS APIs, for resources created before Augur
 * started (whose creation events it never saw):
 * <ul>
 *   <li>CloudFormation DescribeStacks and ListStackResources: the resources of the covered stacks (every stack in
 *       STACKS mode with {@code *});</li>
 *   <li>Resource Groups Tagging API GetResources: every tagged resource's complete tag set (TAGS mode: only those with
 *       the boundary key and values; ACCOUNT mode: all, as {@code devops-guru-*} tags and
 *       {@code aws:cloudformation:stack-name} name their application).</li>
 * </ul>
 * ARNs are mapped to Augur's identities ({@link ResourceIdentities}), so that they meet the metrics' resources.
 */
public final class AwsMemberships implements AutoCloseable {
    /** Where and as whom to call. Empty endpoint: AWS's; empty keys: the default credentials chain. */
    public record Settings(String region, String endpoint, String accessKeyId, String secretKey) implements Serializable {}

    private final CloudFormationClient cloudFormation;
    private final ResourceGroupsTaggingApiClient tagging;
    private final String region;

    public AwsMemberships(Settings s) {
        this.region = s.region();
        AwsCredentialsProvider creds = s.accessKeyId() == null || s.accessKeyId().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(), s.secretKey()));
        var cfn = CloudFormationClient.builder().region(Region.of(s.region())).credentialsProvider(creds)
                .httpClientBuilder(ApacheHttpClient.builder());
        var tag = ResourceGroupsTaggingApiClient.builder().region(Region.of(s.region())).credentialsProvider(creds)
                .httpClientBuilder(ApacheHttpClient.builder());
        if (s.endpoint() != null && !s.endpoint().isEmpty()) {
            cfn.endpointOverride(URI.create(s.endpoint()));
            tag.endpointOverride(URI.create(s.endpoint()));
        }
        this.cloudFormation = cfn.build();
        this.tagging = tag.build();
    }

    /** Every membership the APIs give for the coverage, stack listings first, then tag listings. */
    public List<ResourceMembership> list(CoverageSettings coverage, long now) {
        List<ResourceMembership> out = new ArrayList<>();
        switch (coverage.getMode()) {
            case STACKS -> out.addAll(stackResources(coverage.getStackNames(), now));
            case TAGS -> out.addAll(taggedResources(coverage.getTagKey(), coverage.getTagValues(), now));
            default -> out.addAll(taggedResources(null, List.of(), now));
        }
        return out;
    }

    List<ResourceMembership> stackResources(List<String> names, long now) {
        List<Stack> stacks = new ArrayList<>();
        if (names.contains(Coverage.ANY)) {
            cloudFormation.describeStacksPaginator(r -> { }).stacks().forEach(st -> {
                if (st.stackStatus() != StackStatus.DELETE_COMPLETE) stacks.add(st);
            });
        } else {
            for (String n : names) stacks.addAll(cloudFormation.describeStacks(r -> r.stackName(n)).stacks());
        }
        List<ResourceMembership> out = new ArrayList<>();
        for (Stack st : stacks) {
            Resource stackId = ResourceIdentities.cloudFormationStack("", region, st.stackId());
            String[] arn = stackId.getArn().split(":");
            String account = arn[4];
            String stackRegion = arn[3];
            for (StackResourceSummary r : cloudFormation.listStackResourcesPaginator(q -> q.stackName(st.stackName())).stackResourceSummaries()) {
                Resource id = ResourceIdentities.fromCloudFormation(account, stackRegion, r.resourceType(), r.physicalResourceId());
                if (id == null) continue;
                out.add(Memberships.listing(id.getArn(), st.stackName(), Map.of(), false, now, "ListStackResources"));
            }
        }
        return out;
    }

    List<ResourceMembership> taggedResources(String key, List<String> values, long now) {
        GetResourcesRequest.Builder req = GetResourcesRequest.builder();
        if (key != null) {
            TagFilter.Builder f = TagFilter.builder().key(key);
            if (!values.isEmpty() && !values.contains(Coverage.ANY)) f.values(values);
            req.tagFilters(f.build());
        }
        List<ResourceMembership> out = new ArrayList<>();
        for (ResourceTagMapping m : tagging.getResourcesPaginator(req.build()).resourceTagMappingList()) {
            Map<String, String> tags = new LinkedHashMap<>();
            for (Tag t : m.tags()) tags.put(t.key(), t.value());
            String arn = ResourceIdentities.fromArn(m.resourceARN(), null).getArn();
            out.add(Memberships.listing(arn, null, tags, true, now, "GetResources"));
        }
        return out;
    }

    @Override
    public void close() {
        cloudFormation.close();
        tagging.close();
    }
}
