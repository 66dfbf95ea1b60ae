package io.augur.job.sink.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.testing.MotoServer;
import io.augur.ops.notify.DevOpsGuruNames;
import io.augur.schema.InsightNotification;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The SNS and EventBridge sinks against moto's server, read back through SQS subscriptions and rule targets. */
class SnsEventBridgeSinkTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    static final Set<String> DEVOPS_GURU_FIELDS = Set.of("accountId", "region", "messageType", "insightId", "insightName", "insightUrl",
            "insightType", "insightDescription", "startTime", "startTimeISO", "anomalies", "resourceCollection");

    private static MotoServer moto;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) moto.close();
    }

    static Map<String, String> awsConfig(String endpoint) {
        Map<String, String> m = new HashMap<>();
        m.put("notify.region", MotoServer.REGION);
        m.put("notify.credentials.provider", "BASIC");
        m.put("notify.credentials.access-key-id", "test");
        m.put("notify.credentials.secret-key", "test");
        m.put("notify.sns.endpoint", endpoint);
        m.put("notify.eventbridge.endpoint", endpoint);
        m.put("notify.max-time-in-buffer", "200ms");
        m.put("notify.api-call-attempt-timeout", "30s"); // moto takes 2-5 s for a PutEvents of 10 on a busy machine
        m.put("notify.api-call-timeout", "90s");
        m.put("checkpoint.interval", "0");
        return m;
    }

    static void run(List<InsightNotification> input, AugurConfig cfg, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AugurJob.configure(env, cfg, false);
        env.setParallelism(2);
        Notifications.attach(env.fromData(input, new AvroTypeInfo<>(InsightNotification.class)).uid("test-notifications"), cfg);
        env.execute(name);
    }

    @Test
    void everyNotificationArrivesOnceByIdInDevOpsGurusShapeOnStandardAndFifoTopicsAndTheBus() throws Exception {
        String topic = moto.sns().createTopic(b -> b.name("augur-insights")).topicArn();
        String fifoTopic = moto.sns().createTopic(b -> b.name("augur-insights.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String standardQueue = moto.queue("from-sns");
        String fifoQueue = moto.queue("from-sns.fifo");
        moto.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(moto.queueArn(standardQueue)));
        moto.sns().subscribe(b -> b.topicArn(fifoTopic).protocol("sqs").endpoint(moto.queueArn(fifoQueue)));
        moto.events().createEventBus(b -> b.name("augur-bus"));
        moto.events().putRule(b -> b.name("augur-insights").eventBusName("augur-bus").eventPattern("{\"source\":[\"augur.devops-guru\"]}"));
        String eventsQueue = moto.queue("from-eventbridge");
        moto.events().putTargets(b -> b.rule("augur-insights").eventBusName("augur-bus")
                .targets(t -> t.id("q").arn(moto.queueArn(eventsQueue))));

        List<InsightNotification> input = new ArrayList<>(InsightEvents.lifecycles(20));
        InsightNotification huge = InsightEvents.event(99, 0, 12_000); // ~600 KB body: must be trimmed to fit
        assertThat(huge.getBody().length()).isGreaterThan(400_000);
        input.add(huge);
        input.addAll(input.subList(10, 15)); // the correlation stage is at-least-once too: repeats must be recognisable
        Map<String, InsightNotification> expected = new LinkedHashMap<>();
        for (InsightNotification n : input) expected.put(n.getId(), n);

        Map<String, String> m = awsConfig(moto.endpoint());
        m.put("notify.sinks", "sns,eventbridge");
        m.put("notify.sns.topic-arns", topic + "," + fifoTopic);
        m.put("notify.eventbridge.bus-name", "augur-bus");
        run(input, AugurConfig.defaults().with(m), "sns-eventbridge");

        // SNS standard topic: the SNS envelope, the DevOps Guru body as Message, filter attributes.
        List<Message> standard = moto.drain(standardQueue, input.size(), Duration.ofSeconds(60), Duration.ofSeconds(2));
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (Message msg : standard) {
            JsonNode envelope = InsightEvents.MAPPER.readTree(msg.body());
            assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
            assertThat(envelope.get("TopicArn").asText()).isEqualTo(topic);
            JsonNode attrs = envelope.get("MessageAttributes");
            String id = attrs.get("NotificationId").get("Value").asText();
            InsightNotification n = expected.get(id);
            assertThat(n).as("unexpected notification id %s", id).isNotNull();
            JsonNode body = InsightEvents.MAPPER.readTree(envelope.get("Message").asText());
            assertThat(body.get("insightId").asText()).isEqualTo(n.getInsightId());
            assertThat(body.get("messageType").asText()).isEqualTo(n.getMessageType().name());
            assertThat(attrs.get("MessageType").get("Value").asText()).isEqualTo(n.getMessageType().name());
            assertThat(attrs.get("Severity").get("Value").asText()).isEqualTo(n.getSeverity().name());
            assertThat(attrs.get("InsightType").get("Value").asText()).isEqualTo("REACTIVE");
            assertThat(fieldNames(body)).containsAll(DEVOPS_GURU_FIELDS);
            if (n == huge) {
                assertThat(body.get("truncated").asBoolean()).isTrue();
                assertThat(envelope.get("Message").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256 * 1024);
                assertThat(body.get("anomalies").get(0).get("datapoints").size()).isBetween(1, 11_999);
            } else {
                assertThat(body).isEqualTo(InsightEvents.MAPPER.readTree(n.getBody()));
            }
            byId.put(id, body);
        }
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(standard.size()).isBetween(expected.size(), input.size()); // repeats reach a standard topic; NotificationId tells them apart

        // SNS FIFO topic: the repeats are dropped by their deduplication id, and each insight's messages keep their order.
        List<Message> fifo = moto.drain(fifoQueue, expected.size(), Duration.ofSeconds(60), Duration.ofSeconds(2));
        Map<String, List<Integer>> sequences = new LinkedHashMap<>();
        Set<String> fifoIds = new TreeSet<>();
        for (Message msg : fifo) {
            JsonNode envelope = InsightEvents.MAPPER.readTree(msg.body());
            String id = envelope.get("MessageAttributes").get("NotificationId").get("Value").asText();
            fifoIds.add(id);
            InsightNotification n = expected.get(id);
            sequences.computeIfAbsent(n.getInsightId(), k -> new ArrayList<>()).add(n.getSequence());
        }
        assertThat(fifoIds).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(fifo).hasSize(expected.size());
        for (Map.Entry<String, List<Integer>> e : sequences.entrySet()) {
            assertThat(e.getValue()).as("order of insight %s", e.getKey()).isSorted();
        }

        // EventBridge: DevOps Guru's detail-types, our source, detail = body + notificationId.
        List<Message> events = moto.drain(eventsQueue, input.size(), Duration.ofSeconds(60), Duration.ofSeconds(2));
        Set<String> eventIds = new TreeSet<>();
        for (Message msg : events) {
            JsonNode event = InsightEvents.MAPPER.readTree(msg.body());
            JsonNode detail = event.get("detail");
            String id = detail.get("notificationId").asText();
            InsightNotification n = expected.get(id);
            assertThat(n).isNotNull();
            eventIds.add(id);
            assertThat(event.get("source").asText()).isEqualTo("augur.devops-guru");
            assertThat(event.get("detail-type").asText()).isEqualTo(DevOpsGuruNames.detailType(n.getMessageType()));
            assertThat(Instant.parse(event.get("time").asText()).toEpochMilli()).isEqualTo(n.getTime());
            assertThat(fieldNames(detail)).containsAll(DEVOPS_GURU_FIELDS).contains("insightSeverity");
            if (n != huge) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) detail).remove("notificationId");
                assertThat(detail).isEqualTo(InsightEvents.MAPPER.readTree(n.getBody()));
            } else {
                assertThat(detail.get("truncated").asBoolean()).isTrue();
            }
        }
        assertThat(eventIds).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(events.size()).isBetween(expected.size(), input.size());
    }

    @Test
    void partlyFailedBatchesRetryOnlyTheFailedEntriesAndAnInvalidEntryIsDroppedAlone() throws Exception {
        String topic = moto.sns().createTopic(b -> b.name("augur-partial")).topicArn();
        String snsQueue = moto.queue("partial-sns");
        moto.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(moto.queueArn(snsQueue)));
        moto.events().createEventBus(b -> b.name("partial-bus"));
        moto.events().putRule(b -> b.name("all").eventBusName("partial-bus").eventPattern("{\"source\":[\"augur.devops-guru\"]}"));
        String ebQueue = moto.queue("partial-eventbridge");
        moto.events().putTargets(b -> b.rule("all").eventBusName("partial-bus").targets(t -> t.id("q").arn(moto.queueArn(ebQueue))));

        List<InsightNotification> input = InsightEvents.lifecycles(10);
        String poisoned = input.get(17).getId();
        Set<String> deliverable = input.stream().map(InsightNotification::getId).filter(id -> !id.equals(poisoned)).collect(Collectors.toCollection(TreeSet::new));
        try (io.augur.job.testing.FaultProxy proxy = new io.augur.job.testing.FaultProxy(moto.endpoint())) {
            proxy.failFirst(key -> Math.floorMod(key.hashCode(), 3) == 0).poison(key -> key.contains(poisoned));
            Map<String, String> m = awsConfig(proxy.endpoint());
            m.put("notify.sinks", "sns,eventbridge");
            m.put("notify.sns.topic-arns", topic);
            m.put("notify.eventbridge.bus-name", "partial-bus");
            m.put("notify.retry.backoff", "50ms");
            run(input, AugurConfig.defaults().with(m), "partial-failures");

            List<String> sns = new ArrayList<>();
            for (Message msg : moto.drain(snsQueue, deliverable.size(), Duration.ofSeconds(60), Duration.ofSeconds(2))) {
                sns.add(InsightEvents.MAPPER.readTree(msg.body()).get("MessageAttributes").get("NotificationId").get("Value").asText());
            }
            List<String> events = new ArrayList<>();
            for (Message msg : moto.drain(ebQueue, deliverable.size(), Duration.ofSeconds(60), Duration.ofSeconds(2))) {
                events.add(InsightEvents.MAPPER.readTree(msg.body()).get("detail").get("notificationId").asText());
            }
            // each deliverable notification exactly once: the entries that succeeded were not sent again
            assertThat(sns).containsExactlyInAnyOrderElementsOf(deliverable);
            assertThat(events).containsExactlyInAnyOrderElementsOf(deliverable);
            assertThat(proxy.forwarded()).hasSize(2 * deliverable.size());
            assertThat(proxy.forwarded().values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
            assertThat(proxy.partialFailures()).isGreaterThan(4);
            assertThat(proxy.wholeFailures()).isEqualTo(2);
        }
    }

    @Test
    void severityAndMessageTypeFiltersPickWhatSnsGets() throws Exception {
        String topic = moto.sns().createTopic(b -> b.name("augur-high-only")).topicArn();
        String queue = moto.queue("high-only");
        moto.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(moto.queueArn(queue)));
        List<InsightNotification> input = InsightEvents.lifecycles(4);
        Map<String, String> m = awsConfig(moto.endpoint());
        m.put("notify.sinks", "sns");
        m.put("notify.sns.topic-arns", topic);
        m.put("notify.sns.severities", "HIGH");
        m.put("notify.sns.message-types", "SEVERITY_UPGRADED,CLOSED_INSIGHT");
        run(input, AugurConfig.defaults().with(m), "sns-filters");
        List<String> got = new ArrayList<>();
        for (Message msg : moto.drain(queue, 8, Duration.ofSeconds(30), Duration.ofSeconds(2))) {
            got.add(InsightEvents.MAPPER.readTree(msg.body()).get("MessageAttributes").get("NotificationId").get("Value").asText());
        }
        List<String> expected = input.stream().filter(n -> n.getSequence() == 2 || n.getSequence() == 4).map(InsightNotification::getId).collect(Collectors.toList());
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aTopicThatDoesNotExistStopsTheJobWithAMessageNamingTheFix() {
        Map<String, String> m = awsConfig(moto.endpoint());
        m.put("notify.sinks", "sns");
        m.put("notify.sns.topic-arns", "arn:aws:sns:us-east-1:123456789012:no-such-topic");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> run(InsightEvents.lifecycles(1), AugurConfig.defaults().with(m), "sns-missing-topic"));
        assertThat(sinkFailure(t))
                .hasMessageContaining("arn:aws:sns:us-east-1:123456789012:no-such-topic does not exist")
                .hasMessageContaining("notify.sns.topic-arns");
    }

    @Test
    void aBusThatDoesNotExistStopsTheJobWithAMessageNamingTheFix() {
        Map<String, String> m = awsConfig(moto.endpoint());
        m.put("notify.sinks", "eventbridge");
        m.put("notify.eventbridge.bus-name", "no-such-bus");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> run(InsightEvents.lifecycles(1), AugurConfig.defaults().with(m), "eventbridge-missing-bus"));
        assertThat(sinkFailure(t))
                .hasMessageContaining("no-such-bus does not exist")
                .hasMessageContaining("notify.eventbridge.bus-name");
    }

    /** The NotificationSinkException in a failed job's cause chain. */
    static NotificationSinkException sinkFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NotificationSinkException e) return e;
        }
        throw new AssertionError("no NotificationSinkException in the failure", t);
    }

    static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
