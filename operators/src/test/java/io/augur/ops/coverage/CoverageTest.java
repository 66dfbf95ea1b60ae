package io.augur.ops.coverage;

import io.augur.ops.coverage.Coverage.Application;
import io.augur.schema.ChangeEvent;
import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.ResourceMembership;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoverageTest {
    private static final String ACCOUNT = "123456789012";
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:checkout-api";

    @Test
    void accountModeCoversEverythingAndNamesApplicationsByTagThenStackThenAccount() {
        Coverage c = new Coverage(settings(CoverageMode.ACCOUNT, List.of(), List.of(), null, List.of()));
        assertThat(c.needsMembership()).isFalse();
        assertThat(c.applicationOf(ACCOUNT, FN, null)).isEqualTo(new Application(ACCOUNT, null, null));
        assertThat(c.applicationOf(ACCOUNT, FN, member("checkout-prod", Map.of()))).isEqualTo(new Application("checkout-prod", "checkout-prod", null));
        assertThat(c.applicationOf(ACCOUNT, FN, member("checkout-prod", Map.of("DevOps-Guru-Team", "payments", "team", "x"))))
                .isEqualTo(new Application("payments", "checkout-prod", "DevOps-Guru-Team"));
        // the prefix alone, or an empty value, is no boundary
        assertThat(c.applicationOf(ACCOUNT, FN, member(null, Map.of("devops-guru-", "x", "devops-guru-app", ""))))
                .isEqualTo(new Application(ACCOUNT, null, null));
        // a stack is a member of itself
        assertThat(c.applicationOf(ACCOUNT, "arn:aws:cloudformation:us-east-1:123456789012:stack/checkout-prod/*", null))
                .isEqualTo(new Application("checkout-prod", "checkout-prod", null));
    }

    @Test
    void accountsListLimitsEveryMode() {
        Coverage c = new Coverage(settings(CoverageMode.ACCOUNT, List.of("111111111111"), List.of(), null, List.of()));
        assertThat(c.applicationOf(ACCOUNT, FN, null)).isNull();
        assertThat(c.applicationOf("111111111111", FN, null)).isEqualTo(new Application("111111111111", null, null));
    }

    @Test
    void stacksModeCoversOnlyResourcesOfTheListedStacks() {
        Coverage c = new Coverage(settings(CoverageMode.STACKS, List.of(), List.of("checkout-prod"), null, List.of()));
        assertThat(c.needsMembership()).isTrue();
        assertThat(c.applicationOf(ACCOUNT, FN, member("checkout-prod", Map.of()))).isEqualTo(new Application("checkout-prod", "checkout-prod", null));
        assertThat(c.applicationOf(ACCOUNT, FN, member("orders-prod", Map.of()))).isNull();
        assertThat(c.applicationOf(ACCOUNT, FN, null)).isNull();
        Coverage any = new Coverage(settings(CoverageMode.STACKS, List.of(), List.of("*"), null, List.of()));
        assertThat(any.applicationOf(ACCOUNT, FN, member("orders-prod", Map.of()))).isEqualTo(new Application("orders-prod", "orders-prod", null));
        assertThat(any.applicationOf(ACCOUNT, FN, member(null, Map.of("devops-guru-app", "x")))).isNull();
    }

    @Test
    void tagsModeMatchesTheKeyCaseSensitivelyAndTheValues() {
        Coverage c = new Coverage(settings(CoverageMode.TAGS, List.of(), List.of(), "Devops-Guru-App", List.of("checkout", "search")));
        assertThat(c.applicationOf(ACCOUNT, FN, member("checkout-prod", Map.of("Devops-Guru-App", "checkout"))))
                .isEqualTo(new Application("checkout", "checkout-prod", "Devops-Guru-App"));
        assertThat(c.applicationOf(ACCOUNT, FN, member(null, Map.of("devops-guru-app", "checkout")))).as("key is case-sensitive").isNull();
        assertThat(c.applicationOf(ACCOUNT, FN, member(null, Map.of("Devops-Guru-App", "orders")))).as("value not listed").isNull();
        Coverage any = new Coverage(settings(CoverageMode.TAGS, List.of(), List.of(), "devops-guru-app", List.of("*")));
        assertThat(any.applicationOf(ACCOUNT, FN, member(null, Map.of("devops-guru-app", "orders")))).isEqualTo(new Application("orders", null, "devops-guru-app"));
    }

    @Test
    void badSettingsNameTheFix() {
        assertThatThrownBy(() -> new Coverage(settings(CoverageMode.TAGS, List.of(), List.of(), "app", List.of())))
                .hasMessageContaining("devops-guru-");
        assertThatThrownBy(() -> new Coverage(settings(CoverageMode.STACKS, List.of(), List.of(), null, List.of())))
                .hasMessageContaining("stack names");
    }

    @Test
    void controlDocumentsUseDevOpsGurusResourceCollectionShape() {
        CoverageSettings stacks = CoverageDocuments.parse(
                "{\"revision\": 2, \"ResourceCollection\": {\"CloudFormation\": {\"StackNames\": [\"checkout-prod\", \"orders-prod\"]}}}", "f1");
        assertThat(stacks.getMode()).isEqualTo(CoverageMode.STACKS);
        assertThat(stacks.getStackNames()).containsExactly("checkout-prod", "orders-prod");
        assertThat(stacks.getRevision()).isEqualTo(2L);
        assertThat(stacks.getOrigin()).isEqualTo("f1");

        CoverageSettings account = CoverageDocuments.parse(
                "{\"revision\": 3, \"accounts\": [\"123456789012\"], \"ResourceCollection\": {\"CloudFormation\": {\"StackNames\": [\"*\"]}}}", "f2");
        assertThat(account.getMode()).isEqualTo(CoverageMode.ACCOUNT);
        assertThat(account.getAccounts()).containsExactly("123456789012");

        CoverageSettings tags = CoverageDocuments.parse(
                "{\"revision\": 4, \"ResourceCollection\": {\"Tags\": [{\"AppBoundaryKey\": \"devops-guru-app\", \"TagValues\": [\"*\"]}]}}", "f3");
        assertThat(tags.getMode()).isEqualTo(CoverageMode.TAGS);
        assertThat(tags.getTagKey()).isEqualTo("devops-guru-app");
        assertThat(tags.getTagValues()).containsExactly("*");

        assertThatThrownBy(() -> CoverageDocuments.parse("{\"ResourceCollection\": {}}", "x")).hasMessageContaining("revision");
        assertThatThrownBy(() -> CoverageDocuments.parse("{\"revision\": 1, \"ResourceCollection\": {}}", "x")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> CoverageDocuments.parse("{\"revision\": 1, \"ResourceCollection\": {\"Tags\": [{\"AppBoundaryKey\": \"app\"}]}}", "x"))
                .hasMessageContaining("devops-guru-");
        assertThatThrownBy(() -> CoverageDocuments.parse("not json", "x")).hasMessageContaining("not JSON");
    }

    @Test
    void membershipsFollowTagCallsStackEventsAndListings() {
        ResourceMembership m = Memberships.apply(null, FN, event("TagResource20170331v2", Map.of("devops-guru-app", "checkout", "team", "pay"), List.of(), null, null));
        assertThat(m.getTags()).isEqualTo(Map.of("devops-guru-app", "checkout", "team", "pay"));
        assertThat(m.getStackName()).isNull();
        m = Memberships.apply(m, FN, event("CloudFormation AWS::Lambda::Function UPDATE_COMPLETE", Map.of(), List.of(), "checkout-prod", null));
        assertThat(m.getStackName()).isEqualTo("checkout-prod");
        m = Memberships.apply(m, FN, event("UntagResource20170331v2", Map.of(), List.of("team"), null, null));
        assertThat(m.getTags()).containsExactly(Map.entry("devops-guru-app", "checkout"));
        assertThat(Memberships.apply(m, FN, event("TagResource20170331v2", Map.of("x", "y"), List.of(), null, "AccessDenied"))).isSameAs(m);
        m = Memberships.apply(m, FN, event("CloudFormation AWS::Lambda::Function DELETE_COMPLETE", Map.of(), List.of(), null, null));
        assertThat(m.getStackName()).isNull();

        // a tag listing replaces the tags; its aws:cloudformation:stack-name names the stack
        ResourceMembership listed = Memberships.apply(m, Memberships.listing(FN, null,
                Map.of("aws:cloudformation:stack-name", "other-prod"), true, 5, "GetResources"));
        assertThat(listed.getTags()).containsExactly(Map.entry("aws:cloudformation:stack-name", "other-prod"));
        assertThat(listed.getStackName()).isEqualTo("other-prod");
    }

    private static ChangeEvent event(String name, Map<String, String> tags, List<String> removed, String stack, String error) {
        return ChangeEvent.newBuilder().setId("e").setTime(1).setEventSource(name.startsWith("CloudFormation") ? "cloudformation.amazonaws.com" : "lambda.amazonaws.com")
                .setName(name).setDataSource(EventDataSource.AWS_CLOUD_TRAIL).setEventClass(EventClass.INFRASTRUCTURE).setResources(List.of())
                .setAccountId(ACCOUNT).setRegion("us-east-1").setErrorCode(error).setTags(tags).setRemovedTagKeys(removed).setStackName(stack).build();
    }

    private static ResourceMembership member(String stack, Map<String, String> tags) {
        return Memberships.listing(FN, stack, tags, false, 0, "test");
    }

    static CoverageSettings settings(CoverageMode mode, List<String> accounts, List<String> stacks, String key, List<String> values) {
        return CoverageSettings.newBuilder().setRevision(0).setMode(mode).setAccounts(accounts).setStackNames(stacks)
                .setTagKey(key).setTagValues(values).setOrigin("test").build();
    }
}
