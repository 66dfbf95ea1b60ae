package io.augur.ops.flink.insight;

import io.augur.ops.coverage.Memberships;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.ChangeEvent;
import io.augur.schema.CoverageItem;
import io.augur.schema.CoverageMode;
import io.augur.schema.CoverageSettings;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.InsightInput;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Severity;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.augur.ops.testing.InsightFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CoverageHarnessTest {
    private static final String FN = API.getArn();

    static CoverageSettings settings(long revision, CoverageMode mode, List<String> stacks, String key, List<String> values) {
        return CoverageSettings.newBuilder().setRevision(revision).setMode(mode).setAccounts(List.of()).setStackNames(stacks)
                .setTagKey(key).setTagValues(values).setOrigin("test").build();
    }

    private static CoverageItem anomaly() {
        return CoverageItem.newBuilder().setArn(FN).setAccountId(ACCOUNT)
                .setAnomaly(reactive("a1", Severity.HIGH, T0, T0 + 2 * MIN, API, "Duration")).build();
    }

    private static CoverageItem event(String name, Map<String, String> tags, String stack) {
        ChangeEvent e = ChangeEvent.newBuilder().setId(name).setTime(T0 - MIN).setEventSource(stack != null ? "cloudformation.amazonaws.com" : "lambda.amazonaws.com")
                .setName(name).setDataSource(stack != null ? EventDataSource.AWS_CLOUDFORMATION : EventDataSource.AWS_CLOUD_TRAIL)
                .setEventClass(EventClass.INFRASTRUCTURE).setResources(List.of(API)).setAccountId(ACCOUNT).setRegion(REGION)
                .setErrorCode(null).setTags(tags).setStackName(stack).build();
        return CoverageItem.newBuilder().setArn(FN).setAccountId(ACCOUNT).setEvent(e).build();
    }

    private static KeyedBroadcastOperatorTestHarness<String, CoverageItem, CoverageSettings, InsightInput> resolve(CoverageSettings initial) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new ResolveApplications(initial, Duration.ofDays(30)),
                CoverageItem::getArn, Types.STRING, CoverageFunction.SETTINGS);
    }

    @Test
    void stackCoverageLearnsMembershipFromStackEventsAndChangesWhileRunning() throws Exception {
        try (var h = resolve(settings(0, CoverageMode.STACKS, List.of("checkout-prod"), null, List.of()))) {
            h.watermark(T0); // every input below is at the watermark: applied as it arrives
            h.processElement(anomaly(), T0);
            assertThat(h.extractOutputValues()).as("stack unknown yet: not covered").isEmpty();

            h.processElement(event("CloudFormation AWS::Lambda::Function UPDATE_COMPLETE", Map.of(), "checkout-prod"), T0);
            h.processElement(anomaly(), T0);
            assertThat(h.extractOutputValues()).extracting(InsightInput::getApplication, InsightInput::getStackName, i -> i.getEvent() != null)
                    .containsExactly(tuple("checkout-prod", "checkout-prod", true), tuple("checkout-prod", "checkout-prod", false));

            // coverage switches to tags (revision 1): the function has no devops-guru tag, so its anomaly is dropped
            h.processBroadcastElement(settings(1, CoverageMode.TAGS, List.of(), "devops-guru-app", List.of("*")), T0);
            h.processElement(anomaly(), T0);
            assertThat(h.extractOutputValues()).hasSize(2);

            // a TagResource call tags it: covered again, application = the tag value
            h.processElement(event("TagResource20170331v2", Map.of("devops-guru-app", "payments"), null), T0);
            h.processElement(anomaly(), T0);
            assertThat(h.extractOutputValues().subList(2, 4)).extracting(InsightInput::getApplication, InsightInput::getTagKey)
                    .containsExactly(tuple("payments", "devops-guru-app"), tuple("payments", "devops-guru-app"));

            // a stale revision changes nothing
            h.processBroadcastElement(settings(1, CoverageMode.STACKS, List.of("other"), null, List.of()), T0);
            h.processElement(anomaly(), T0);
            assertThat(h.extractOutputValues()).hasSize(5);
        }
    }

    /**
     * A stack event reaching the operator after a later anomaly of the resource (over another channel) still gives it
     * its application: inputs wait for the watermark and are applied in event-time order.
     */
    @Test
    void inputsAreAppliedInEventTimeOrderWhateverOrderTheyArriveIn() throws Exception {
        try (var h = resolve(settings(0, CoverageMode.STACKS, List.of("checkout-prod"), null, List.of()))) {
            h.processElement(anomaly(), T0 + 60_000);
            h.processElement(event("CloudFormation AWS::Lambda::Function UPDATE_COMPLETE", Map.of(), "checkout-prod"), T0);
            assertThat(h.extractOutputValues()).as("held until the watermark").isEmpty();
            h.watermark(T0 + 60_000);
            assertThat(h.extractOutputValues()).extracting(InsightInput::getApplication, i -> i.getEvent() != null)
                    .containsExactly(tuple("checkout-prod", true), tuple("checkout-prod", false));
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void apiListingsAreMembershipToo() throws Exception {
        try (var h = resolve(settings(0, CoverageMode.TAGS, List.of(), "devops-guru-app", List.of("checkout")))) {
            h.watermark(T0);
            h.processElement(CoverageItems.membership(Memberships.listing(FN, null, Map.of("devops-guru-app", "checkout"), true, 0, "GetResources")), T0);
            h.processElement(anomaly(), T0);
            assertThat(h.extractOutputValues()).extracting(InsightInput::getApplication).containsExactly("checkout");
        }
    }

    @Test
    void datapointsOfUncoveredResourcesAreDroppedBeforeScoring() throws Exception {
        var f = new FilterCoveredDatapoints(settings(0, CoverageMode.STACKS, List.of("checkout-prod"), null, List.of()), Duration.ofDays(30));
        try (var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(f, CoverageItem::getArn, Types.STRING, CoverageFunction.SETTINGS)) {
            MetricDatapoint d = MetricDatapoint.newBuilder().setSeriesId("s").setAccountId(ACCOUNT).setRegion(REGION).setNamespace("AWS/Lambda")
                    .setMetricName("Duration").setDimensions(Map.of("FunctionName", "checkout-api")).setTimestamp(T0).setMin(1).setMax(1).setSum(1)
                    .setCount(1).setPercentiles(Map.of()).setResource(API).build();
            CoverageItem item = CoverageItems.datapoints().map(d);
            h.processElement(item, T0);
            h.processElement(event("CloudFormation AWS::Lambda::Function UPDATE_COMPLETE", Map.of(), "checkout-prod"), T0);
            h.processElement(item, T0);
            MetricDatapoint other = MetricDatapoint.newBuilder(d).setResource(ResourceIdentities.lambdaFunction(ACCOUNT, REGION, "other")).build();
            h.processElement(CoverageItems.datapoints().map(other), T0);
            assertThat(h.extractOutputValues()).containsExactly(d);
        }
    }
}
