package io.augur.job.sink.notify;

import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.testing.SsmStandIn;
import io.augur.schema.InsightNotification;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpsCenter sink against a stand-in for Systems Manager that throttles, fails and answers slowly. */
class OpsCenterSinkTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static Map<String, String> config(SsmStandIn ssm) {
        Map<String, String> m = new HashMap<>();
        m.put("notify.sinks", "opscenter");
        m.put("notify.region", "us-east-1");
        m.put("notify.credentials.provider", "BASIC");
        m.put("notify.credentials.access-key-id", "test");
        m.put("notify.credentials.secret-key", "test");
        m.put("notify.opscenter.endpoint", ssm.endpoint());
        m.put("notify.max-time-in-buffer", "100ms");
        m.put("notify.api-call-attempt-timeout", "1s");
        m.put("notify.api-call-timeout", "20s");
        m.put("notify.retry.backoff", "50ms");
        m.put("notify.retry.max-backoff", "500ms");
        m.put("checkpoint.interval", "0");
        return m;
    }

    static void run(List<InsightNotification> input, AugurConfig cfg) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AugurJob.configure(env, cfg, false);
        env.setParallelism(2);
        Notifications.attach(env.fromData(input, new AvroTypeInfo<>(InsightNotification.class)).uid("test-notifications"), cfg);
        env.execute("opscenter");
    }

    /** One OpsItem per insight, every event applied once and in order, resolved at the end. */
    static void assertOneResolvedItemPerInsightWithEveryEventInOrder(SsmStandIn ssm, List<InsightNotification> input, int insights) {
        List<SsmStandIn.Item> items = ssm.items();
        assertThat(items).hasSize(insights);
        Map<String, List<String>> expected = input.stream().collect(Collectors.groupingBy(InsightNotification::getInsightId,
                Collectors.mapping(InsightNotification::getId, Collectors.toList())));
        for (SsmStandIn.Item item : items) {
            String insight = item.data.get("augur:insightId");
            assertThat(item.data.get("/aws/dedup")).isEqualTo("{\"dedupString\":\"" + insight + "\"}");
            assertThat(item.status).isEqualTo("Resolved");
            assertThat(item.severity).isEqualTo("2"); // upgraded from MEDIUM ("3") to HIGH
            assertThat(item.source).isEqualTo("Augur");
            assertThat(item.category).isEqualTo("Performance");
            assertThat(item.title).startsWith("DevOps Guru insight (Augur): Latency anomalies in AWS/Lambda");
            assertThat(item.description.length()).isLessThanOrEqualTo(2048);
            assertThat(item.data.get("augur:recommendations")).contains("Roll back deployment d-ABC123");
            // each event applied, creation first; a retry whose first answer was lost may apply an update twice, in place
            List<String> applied = item.appliedNotifications.stream().distinct().collect(Collectors.toList());
            assertThat(applied).as("events applied to the item of %s", insight).containsExactlyElementsOf(expected.get(insight));
        }
    }

    @Test
    void throttlingServerErrorsAndSlowAnswersLoseNothingAndNeverMakeASecondItem() throws Exception {
        try (SsmStandIn ssm = SsmStandIn.start()) {
            // every 5th request throttled, every 7th a 500, every 11th answered after 1.5 s (the client gives up after 1 s)
            ssm.slowAnswers(1_500).faults((n, action) -> n % 11 == 0 ? SsmStandIn.Fault.SLOW
                    : n % 7 == 0 ? SsmStandIn.Fault.ERROR_500 : n % 5 == 0 ? SsmStandIn.Fault.THROTTLE : SsmStandIn.Fault.NONE);
            List<InsightNotification> input = InsightEvents.lifecycles(12);
            run(input, AugurConfig.defaults().with(config(ssm)));

            assertOneResolvedItemPerInsightWithEveryEventInOrder(ssm, input, 12);
            List<SsmStandIn.Request> requests = ssm.requests();
            assertThat(requests).filteredOn(r -> r.fault() == SsmStandIn.Fault.THROTTLE).isNotEmpty();
            assertThat(requests).filteredOn(r -> r.fault() == SsmStandIn.Fault.ERROR_500).isNotEmpty();
            assertThat(requests).filteredOn(r -> r.fault() == SsmStandIn.Fault.SLOW).isNotEmpty();
            // creations that were applied but whose answer was lost were sent again and deduplicated by /aws/dedup
            long creates = requests.stream().filter(r -> r.action().equals("CreateOpsItem") && r.status() == 200).count();
            assertThat(creates).isEqualTo(12 + ssm.dedupHits());
        }
    }

    @Test
    void anAlreadyExistsAnswerToARetriedCreationIsTakenAsTheItem() throws Exception {
        try (SsmStandIn ssm = SsmStandIn.start()) {
            // every CreateOpsItem is applied but answered too late the first time: the SDK's retry gets OpsItemAlreadyExistsException
            ssm.dedupAnswer(SsmStandIn.DedupAnswer.ALREADY_EXISTS).slowAnswers(1_500);
            java.util.concurrent.atomic.AtomicInteger creates = new java.util.concurrent.atomic.AtomicInteger();
            ssm.faults((n, action) -> action.equals("CreateOpsItem") && creates.incrementAndGet() <= 3 ? SsmStandIn.Fault.SLOW : SsmStandIn.Fault.NONE);
            List<InsightNotification> input = InsightEvents.lifecycles(3);
            run(input, AugurConfig.defaults().with(config(ssm)));
            assertOneResolvedItemPerInsightWithEveryEventInOrder(ssm, input, 3);
            assertThat(ssm.dedupHits()).isGreaterThan(0);
        }
    }

    @Test
    void aReplayedInsightWhoseItemIsAlreadyResolvedIsNotCreatedAgain() throws Exception {
        try (SsmStandIn ssm = SsmStandIn.start()) {
            List<InsightNotification> input = InsightEvents.lifecycles(2);
            run(input, AugurConfig.defaults().with(config(ssm)));
            // a new job (no state) replays the same events: OpsCenter's dedup would not stop a second item for a resolved one
            run(input, AugurConfig.defaults().with(config(ssm)));
            assertThat(ssm.items()).hasSize(2);
            assertThat(ssm.items()).allSatisfy(i -> assertThat(i.status).isEqualTo("Resolved"));
        }
    }
}
