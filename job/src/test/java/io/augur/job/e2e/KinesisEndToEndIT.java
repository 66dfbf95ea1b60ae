package io.augur.job.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.job.AugurJob;
import io.augur.job.cli.AugurCli;
import io.augur.job.config.AugurConfig;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import io.augur.job.testing.KinesisLocal;
import io.augur.job.testing.MotoServer;
import io.augur.job.testing.SsmStandIn;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.parse.ParseRecords;
import io.augur.ops.notify.DevOpsGuruNames;
import io.augur.schema.InsightMessageType;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path for real: a simulated fleet's records put into kinesis-local with {@code augur load} (the metric
 * stream's lines packed and gzipped as Firehose delivers them), the continuous job built as {@code augur run} builds it
 * ({@link AugurJob#continuousJob}: Kinesis sources, the notification sinks' real SNS, EventBridge and SSM clients
 * pointed at moto and the OpsCenter stand-in) running on an embedded Flink (a MiniCluster, as {@code augur run} runs
 * locally), and every insight lifecycle event a replay of
 * the same simulator files produces arriving: on SNS (read back from an SQS subscription), on EventBridge (read back
 * from an SQS rule target) and in OpsCenter (one OpsItem per insight, every event applied in order), each with the
 * replay's id and DevOps Guru body. Runs in {@code mvn verify} (failsafe).
 */
class KinesisEndToEndIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(managedMemory()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** RocksDB's memory, as {@code augur replay} sizes it for its embedded Flink (the default leaves it a few MB per state). */
    private static org.apache.flink.configuration.Configuration managedMemory() {
        return AugurJob.withLocalManagedMemory(new org.apache.flink.configuration.Configuration());
    }

    /** A bound for failures, from the job's start: on a loaded 2-core machine everything arrives within about 90 s. */
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(240);
    /** Parallelism of the job and of the reference replay (both 1: see the README's note on determinism). */
    private static final int PARALLELISM = 1;
    /** How much of the simulated day is put into Kinesis. */
    private static final Duration CUTOFF = Duration.ofHours(12);
    /**
     * The Kinesis source never ends, so event time stops at the newest record minus the out-of-orderness, where a
     * replay's end of input moves it to the end of time. A datapoint of a new series (a cold baseline: it cannot be
     * anomalous) and a configuration change of the same new queue this far after the rest move both streams' event
     * time past every timer that matters (anomaly timeout 1 d, close grace) without waiting for the idle events stream
     * to be left out of the watermark (watermark.idleness, 1 min).
     */
    private static final Duration HEARTBEAT_AFTER = Duration.ofDays(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The SNS body's fields (shared/reference/aws-formats.md, Notifications). */
    private static final Set<String> BODY_FIELDS = Set.of("accountId", "region", "messageType", "insightId", "insightName", "insightUrl",
            "insightType", "insightDescription", "startTime", "startTimeISO", "anomalies", "resourceCollection");
    private static final Set<String> ANOMALY_FIELDS = Set.of("id", "startTime", "startTimeISO", "openTime", "openTimeISO", "sourceDetails",
            "associatedResourceArns");
    private static final Set<String> DATA_IDENTIFIERS = Set.of("namespace", "name", "stat", "unit", "period", "dimensions");

    /** One expected lifecycle event: from the replay's insights.ndjson. */
    private record Expected(String id, String insightId, String messageType, int sequence, String severity, String insightType,
                            String application, long time, JsonNode body) {}

    @Test
    void simulatorRecordsPutIntoKinesisArriveAsTheReplaysInsightsOnSnsEventBridgeAndOpsCenter(@TempDir Path tmp,
            @InjectClusterRESTAddress java.net.URI rest) throws Exception {
        long t0 = System.nanoTime();
        // 8 resources for a day, every incident kind once: the smallest simulated fleet. Its first CUTOFF of data (in
        // which both kinds of insight open: assertExpectationsAreWorthTesting checks), then a heartbeat.
        Path sim = tmp.resolve("sim");
        new Simulator(Scenario.named("default").withSizes(8, 1, null), 1).write(sim);
        Path input = Files.createDirectories(tmp.resolve("input"));
        Path metrics = input.resolve(Simulator.METRICS_FILE);
        Path events = input.resolve(Simulator.EVENTS_FILE);
        long cutoff = Scenario.DEFAULT_START.plus(CUTOFF).toEpochMilli();
        List<String> metricLines = before(sim.resolve(Simulator.METRICS_FILE), "timestamp", cutoff);
        metricLines.add(heartbeat(cutoff + HEARTBEAT_AFTER.toMillis()));
        Files.write(metrics, metricLines);
        List<String> eventLines = before(sim.resolve(Simulator.EVENTS_FILE), "time", cutoff);
        eventLines.add(configHeartbeat(eventLines, cutoff + HEARTBEAT_AFTER.toMillis()));
        Files.write(events, eventLines);

        // the reference, while the emulators start and the job runs: the same files through `augur replay`
        Path replayOut = tmp.resolve("replay");
        AugurConfig replayCfg = AugurConfig.defaults().with(Map.of(
                "replay.metrics", metrics.toString(), "replay.events", events.toString(), "tables.sink", "none",
                "state.backend", "hashmap")); // the state backend does not change results: the faster one for the reference
        // (Replay's own embedded Flink cannot start inside this test's MiniCluster: the same job as `augur replay` runs on it)
        StreamExecutionEnvironment replayEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        AugurJob.configure(replayEnv, replayCfg.with(AugurConfig.CHECKPOINT_INTERVAL.name(), "0"), false);
        replayEnv.setParallelism(PARALLELISM);
        AugurJob.buildJob(replayEnv, replayCfg.with(AugurConfig.SOURCE_TYPE.name(), "files"), io.augur.job.sink.Outputs.localFiles(replayOut));
        CompletableFuture<?> replay = replayEnv.executeAsync("augur-replay").getJobExecutionResult();

        try (KinesisLocal kinesis = KinesisLocal.start(); MotoServer moto = MotoServer.start(); SsmStandIn ssm = SsmStandIn.start()) {
            // SNS topic with an SQS subscription; an event bus whose rule targets an SQS queue
            String topic = moto.sns().createTopic(b -> b.name("augur-insights")).topicArn();
            String snsQueue = moto.queue("insights-from-sns");
            moto.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(moto.queueArn(snsQueue)));
            moto.events().createEventBus(b -> b.name("augur"));
            moto.events().putRule(b -> b.name("augur-insights").eventBusName("augur")
                    .eventPattern("{\"source\":[\"" + DevOpsGuruNames.DEFAULT_SOURCE + "\"]}"));
            String busQueue = moto.queue("insights-from-eventbridge");
            moto.events().putTargets(b -> b.rule("augur-insights").eventBusName("augur").targets(t -> t.id("q").arn(moto.queueArn(busQueue))));

            // `augur load`: change events one per record, metric-stream lines 100 to a gzipped record (one shard each: in order)
            long loadStart = System.nanoTime();
            assertThat(AugurCli.execute("load", "--stream", "augur-events", "--endpoint", kinesis.endpoint(), "--create-stream",
                    events.toString())).as("augur load (events)").isZero();
            assertThat(AugurCli.execute("load", "--stream", "augur-metrics", "--endpoint", kinesis.endpoint(), "--create-stream",
                    "--lines-per-record", "100", "--gzip", metrics.toString())).as("augur load (metrics)").isZero();
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

            Map<String, String> m = new HashMap<>();
            m.put("source.type", "kinesis");
            m.put("kinesis.endpoint", kinesis.endpoint());
            m.put("kinesis.region", KinesisLocal.REGION);
            m.put("kinesis.account", KinesisLocal.ACCOUNT);
            m.put("kinesis.metrics.stream", "augur-metrics");
            m.put("kinesis.events.stream", "augur-events");
            m.put("kinesis.initial-position", "TRIM_HORIZON");
            m.put("kinesis.credentials.provider", "BASIC");
            m.put("kinesis.credentials.access-key-id", "test");
            m.put("kinesis.credentials.secret-key", "test");
            m.put("job.parallelism", String.valueOf(PARALLELISM));
            m.put("checkpoint.interval", "10s");
            m.put("notify.sinks", "sns,eventbridge,opscenter");
            m.put("notify.region", MotoServer.REGION);
            m.put("notify.credentials.provider", "BASIC");
            m.put("notify.credentials.access-key-id", "test");
            m.put("notify.credentials.secret-key", "test");
            m.put("notify.sns.topic-arns", topic);
            m.put("notify.sns.endpoint", moto.endpoint());
            m.put("notify.eventbridge.bus-name", "augur");
            m.put("notify.eventbridge.endpoint", moto.endpoint());
            m.put("notify.opscenter.endpoint", ssm.endpoint());
            m.put("notify.api-call-attempt-timeout", "30s"); // moto takes seconds for a batch on a busy machine
            m.put("notify.api-call-timeout", "90s");
            // diagnosis: -Daugur.e2e.set=key=value;key=value overrides the job's configuration
            for (String kv : System.getProperty("augur.e2e.set", "").split(";")) {
                if (kv.contains("=")) m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            AugurConfig cfg = AugurConfig.defaults().with(m);

            long jobStart = System.nanoTime();
            JobClient job = AugurJob.continuousJob(cfg, false).executeAsync(cfg.get(AugurConfig.JOB_NAME));
            Map<String, JsonNode> sns = new LinkedHashMap<>();
            Map<String, JsonNode> bus = new LinkedHashMap<>();
            Map<String, Expected> expected = null;
            String waitingFor = "";
            try {
                long deadline = jobStart + ARRIVAL_TIMEOUT.toNanos();
                long nextProgress = jobStart + TimeUnit.SECONDS.toNanos(15);
                while (true) {
                    JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                    if (status.isGloballyTerminalState()) {
                        Throwable why = job.getJobExecutionResult().handle((r, e) -> e).get(10, TimeUnit.SECONDS);
                        throw new AssertionError("the job ended (" + status + ") before the insights arrived", why);
                    }
                    receive(moto, snsQueue, sns, e -> e.get("MessageAttributes").get("NotificationId").get("Value"));
                    receive(moto, busQueue, bus, e -> e.get("detail").get("notificationId"));
                    if (expected == null && replay.isDone()) {
                        replay.get();
                        expected = expected(replayOut.resolve("insights.ndjson"));
                    }
                    if (expected != null) {
                        waitingFor = missing("SNS", expected.keySet(), sns.keySet()) + missing("EventBridge", expected.keySet(), bus.keySet())
                                + missing("OpsCenter", expected.keySet(), applied(ssm));
                        if (waitingFor.isEmpty()) break;
                    }
                    if (System.nanoTime() > nextProgress) {
                        nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                        System.out.printf("KinesisEndToEndIT: %3.0f s after the job's start: %s; received SNS %d, EventBridge %d, OpsItems %d%n",
                                (System.nanoTime() - jobStart) / 1e9, progress(job, null), sns.size(), bus.size(), ssm.items().size());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("not every insight event arrived within " + ARRIVAL_TIMEOUT.toSeconds() + " s of the job's start"
                                + (expected == null ? " (the reference replay is still running)" : ":" + waitingFor)
                                + "\nreceived: SNS " + sns.size() + ", EventBridge " + bus.size() + ", OpsItems " + ssm.items().size()
                                + "; the job: " + progress(job, rest));
                    }
                }
                double arrivalSeconds = (System.nanoTime() - jobStart) / 1e9;
                // anything extra (an event the replay does not have) would show now
                Thread.sleep(2_000);
                receive(moto, snsQueue, sns, e -> e.get("MessageAttributes").get("NotificationId").get("Value"));
                receive(moto, busQueue, bus, e -> e.get("detail").get("notificationId"));
                System.out.printf("KinesisEndToEndIT: load %.1f s, job start to the last of %d insight events %.1f s, test %.1f s%n",
                        loadSeconds, expected.size(), arrivalSeconds, (System.nanoTime() - t0) / 1e9);
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
                // cancel() returns once the request is accepted: wait until the job has ended, or the emulators closing
                // under a still-running Kinesis enumerator would make it fail over while the MiniCluster shuts down
                job.getJobExecutionResult().handle((r, e) -> r).get(60, TimeUnit.SECONDS);
                replay.handle((v, e) -> v).join();
            }

            assertExpectationsAreWorthTesting(expected, sim.resolve(Simulator.GROUND_TRUTH_FILE));
            assertSns(expected, sns, topic);
            assertEventBridge(expected, bus);
            assertOpsCenter(expected, ssm);
        }
    }

    /** The lines of a simulator file whose {@code field} (epoch ms or ISO-8601) is before {@code cutoff}. */
    private static List<String> before(Path file, String field, long cutoff) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            JsonNode t = JSON.readTree(line).get(field);
            long ms = t.isNumber() ? t.asLong() : Instant.parse(t.asText()).toEpochMilli();
            if (ms < cutoff) out.add(line);
        }
        return out;
    }

    /** A Config change of the heartbeat queue (no stack, no tags: in no application), shaped like the simulator's first Config event. */
    private static String configHeartbeat(List<String> eventLines, long time) throws Exception {
        String iso = Instant.ofEpochMilli(time).toString();
        String arn = "arn:aws:sqs:us-east-1:123456789012:augur-e2e-heartbeat";
        ObjectNode e = (ObjectNode) JSON.readTree(eventLines.stream().filter(l -> l.contains("\"source\":\"aws.config\"")).findFirst()
                .orElseThrow(() -> new AssertionError("the simulator wrote no Config event")));
        e.put("id", "00000000-0000-4000-8000-00000000e2e0").put("time", iso);
        e.putArray("resources").add(arn);
        ObjectNode detail = (ObjectNode) e.get("detail");
        detail.put("notificationCreationTime", iso);
        ObjectNode item = (ObjectNode) detail.get("configurationItem");
        item.remove("tags");
        item.put("configurationItemCaptureTime", iso).put("resourceType", "AWS::SQS::Queue").put("resourceName", "augur-e2e-heartbeat")
                .put("resourceId", "https://sqs.us-east-1.amazonaws.com/123456789012/augur-e2e-heartbeat").put("ARN", arn);
        item.putObject("configuration").put("QueueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/augur-e2e-heartbeat");
        return JSON.writeValueAsString(e);
    }

    /** A metric-stream datapoint of a queue that exists nowhere else. */
    private static String heartbeat(long timestamp) {
        return "{\"metric_stream_name\":\"augur-e2e\",\"account_id\":\"123456789012\",\"region\":\"us-east-1\",\"namespace\":\"AWS/SQS\","
                + "\"metric_name\":\"NumberOfMessagesSent\",\"dimensions\":{\"QueueName\":\"augur-e2e-heartbeat\"},\"timestamp\":" + timestamp
                + ",\"value\":{\"max\":1,\"min\":1,\"sum\":1,\"count\":1},\"unit\":\"Count\"}";
    }

    // ---- expectations -----------------------------------------------------------------------------------------------

    private static Map<String, Expected> expected(Path insights) throws Exception {
        Map<String, Expected> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(insights)) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            Expected e = new Expected(n.get("id").asText(), n.get("insightId").asText(), n.get("messageType").asText(), n.get("sequence").asInt(),
                    n.get("severity").asText(), n.get("insightType").asText(), n.get("application").asText(), n.get("time").asLong(), n.get("body"));
            out.put(e.id(), e);
        }
        return out;
    }

    /** The replay found what the simulator injected: reactive and proactive insights, on the injected applications and resources. */
    private static void assertExpectationsAreWorthTesting(Map<String, Expected> expected, Path groundTruth) throws Exception {
        List<Expected> opened = expected.values().stream().filter(e -> e.messageType().equals("NEW_INSIGHT")).toList();
        assertThat(opened).extracting(Expected::insightType).contains("REACTIVE", "PROACTIVE");
        assertThat(expected.values()).extracting(Expected::messageType).contains("NEW_INSIGHT", "NEW_ASSOCIATION", "NEW_RECOMMENDATION",
                "SEVERITY_UPGRADED", "CLOSED_INSIGHT");
        JsonNode truth = JSON.readTree(groundTruth.toFile());
        Set<String> applications = new HashSet<>();
        for (JsonNode a : truth.get("applications")) {
            for (String f : List.of("name", "stack", "tag")) if (a.hasNonNull(f)) applications.add(a.get(f).asText());
        }
        assertThat(opened).extracting(Expected::application).allSatisfy(a -> assertThat(applications).contains(a));
        Set<String> proactiveResources = new HashSet<>();
        for (JsonNode i : truth.get("incidents")) {
            if (i.get("expectedInsight").asText().equals("PROACTIVE")) proactiveResources.add(i.get("primaryResource").asText());
        }
        for (Expected e : opened) {
            if (!e.insightType().equals("PROACTIVE")) continue;
            Set<String> arns = new HashSet<>();
            for (JsonNode a : e.body().get("anomalies")) for (JsonNode arn : a.get("associatedResourceArns")) arns.add(arn.asText());
            assertThat(arns).as("resources of proactive insight %s", e.insightId()).containsAnyElementsOf(proactiveResources);
        }
    }

    /** Items read and the event time reached (the running job's accumulators); with {@code rest}, every vertex's input watermark. */
    private static String progress(JobClient job, java.net.URI rest) {
        StringBuilder sb = new StringBuilder();
        try {
            Map<String, Object> acc = job.getAccumulators().get(10, TimeUnit.SECONDS);
            Object read = acc.get(IoCounters.ACC_PREFIX + IoCounters.READ);
            Object et = acc.get(ParseRecords.EVENT_TIME_REACHED);
            sb.append("read ").append(read).append(" items, event time reached ")
                    .append(et instanceof Number n && n.longValue() > 0 ? Instant.ofEpochMilli(n.longValue()) : "-");
        } catch (Exception e) {
            sb.append("accumulators unavailable (").append(e).append(")");
        }
        if (rest == null) return sb.toString();
        // the input watermark of every operator chain: where event time is held back
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String base = rest.toString().replaceAll("/$", "") + "/jobs/" + job.getJobID();
            JsonNode vertices = JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).get("vertices");
            sb.append("; input watermarks:");
            for (JsonNode v : vertices) {
                JsonNode w = JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/vertices/" + v.get("id").asText()
                        + "/watermarks")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                long min = Long.MAX_VALUE;
                for (JsonNode x : w) min = Math.min(min, x.get("value").asLong());
                String name = v.get("name").asText();
                sb.append("\n    ").append(name, 0, Math.min(60, name.length())).append(": ")
                        .append(min == Long.MAX_VALUE ? "-" : min <= Long.MIN_VALUE + 1_000_000 ? "none" : Instant.ofEpochMilli(min).toString());
            }
        } catch (Exception e) {
            sb.append("; watermarks unavailable (").append(e).append(")");
        }
        return sb.toString();
    }

    // ---- read-back --------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface IdOf {
        JsonNode id(JsonNode message) throws Exception;
    }

    /** One receive (up to 10 messages, 1 s long poll); every message kept by notification id and deleted. */
    private static void receive(MotoServer moto, String queue, Map<String, JsonNode> into, IdOf idOf) throws Exception {
        for (Message msg : moto.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
            JsonNode body = JSON.readTree(msg.body());
            JsonNode id = idOf.id(body);
            JsonNode earlier = into.put(id == null || id.isNull() ? "<no id> " + msg.messageId() : id.asText(), body);
            // SNS and EventBridge deliver at least once: a repeat must be the same message
            if (earlier != null) assertThat(withoutDeliveryFields(body)).isEqualTo(withoutDeliveryFields(earlier));
            moto.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(msg.receiptHandle()));
        }
    }

    private static JsonNode withoutDeliveryFields(JsonNode n) {
        ObjectNode copy = n.deepCopy();
        copy.remove(List.of("MessageId", "Timestamp", "Signature", "SigningCertURL", "UnsubscribeURL", "id"));
        return copy;
    }

    private static Set<String> applied(SsmStandIn ssm) {
        Set<String> ids = new HashSet<>();
        for (SsmStandIn.Item i : ssm.items()) ids.addAll(i.appliedNotifications);
        return ids;
    }

    private static String missing(String where, Set<String> expected, Set<String> got) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(got);
        return missing.isEmpty() ? "" : "\n  " + where + " is missing " + missing.size() + " of " + expected.size() + ": "
                + missing.stream().limit(5).collect(Collectors.joining(", ")) + (missing.size() > 5 ? ", ..." : "");
    }

    // ---- assertions per destination ---------------------------------------------------------------------------------

    private static void assertSns(Map<String, Expected> expected, Map<String, JsonNode> sns, String topic) throws Exception {
        assertThat(sns.keySet()).as("notification ids on SNS").containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, JsonNode> e : sns.entrySet()) {
            Expected x = expected.get(e.getKey());
            JsonNode envelope = e.getValue();
            assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
            assertThat(envelope.get("TopicArn").asText()).isEqualTo(topic);
            JsonNode attrs = envelope.get("MessageAttributes");
            assertThat(attrs.get("MessageType").get("Value").asText()).isEqualTo(x.messageType());
            assertThat(attrs.get("Severity").get("Value").asText()).isEqualTo(x.severity());
            assertThat(attrs.get("InsightType").get("Value").asText()).isEqualTo(x.insightType());
            JsonNode body = JSON.readTree(envelope.get("Message").asText());
            assertDevOpsGuruBody(body, x);
            assertThat(body).as("SNS message of %s", x.id()).isEqualTo(x.body());
        }
    }

    private static void assertEventBridge(Map<String, Expected> expected, Map<String, JsonNode> bus) {
        assertThat(bus.keySet()).as("notification ids on EventBridge").containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, JsonNode> e : bus.entrySet()) {
            Expected x = expected.get(e.getKey());
            JsonNode event = e.getValue();
            assertThat(event.get("source").asText()).isEqualTo(DevOpsGuruNames.DEFAULT_SOURCE);
            assertThat(event.get("detail-type").asText()).isEqualTo(DevOpsGuruNames.detailType(InsightMessageType.valueOf(x.messageType())));
            assertThat(Instant.parse(event.get("time").asText()).toEpochMilli()).isEqualTo(x.time());
            ObjectNode detail = event.get("detail").deepCopy();
            assertThat(detail.get("insightSeverity").asText()).isEqualTo(x.severity().toLowerCase(java.util.Locale.ROOT));
            assertDevOpsGuruBody(detail, x);
            detail.remove("notificationId");
            assertThat((JsonNode) detail).as("EventBridge detail of %s", x.id()).isEqualTo(x.body());
        }
    }

    /** One OpsItem per insight, every event of it applied once in sequence order, resolved when the insight closed. */
    private static void assertOpsCenter(Map<String, Expected> expected, SsmStandIn ssm) {
        Map<String, List<Expected>> byInsight = expected.values().stream()
                .collect(Collectors.groupingBy(Expected::insightId, LinkedHashMap::new, Collectors.toList()));
        List<SsmStandIn.Item> items = ssm.items();
        assertThat(items).extracting(i -> i.data.get("augur:insightId")).containsExactlyInAnyOrderElementsOf(byInsight.keySet());
        for (SsmStandIn.Item item : items) {
            String insight = item.data.get("augur:insightId");
            List<Expected> events = byInsight.get(insight);
            events.sort(java.util.Comparator.comparingInt(Expected::sequence));
            assertThat(item.appliedNotifications.stream().distinct().toList()).as("events applied to the OpsItem of %s", insight)
                    .containsExactlyElementsOf(events.stream().map(Expected::id).toList());
            Expected last = events.get(events.size() - 1);
            assertThat(item.status).isEqualTo(last.messageType().equals("CLOSED_INSIGHT") ? "Resolved" : "Open");
            assertThat(item.severity).isEqualTo(DevOpsGuruNames.opsItemSeverity(io.augur.schema.Severity.valueOf(last.severity())));
            assertThat(item.data.get("/aws/dedup")).isEqualTo("{\"dedupString\":\"" + insight + "\"}");
            assertThat(item.source).isEqualTo("Augur");
            assertThat(item.category).isEqualTo("Performance");
            assertThat(item.description.length()).isBetween(1, 2048);
        }
    }

    /** The fields of DevOps Guru's SNS body (and of each anomaly in it), with this event's id, type and application. */
    private static void assertDevOpsGuruBody(JsonNode body, Expected x) {
        Set<String> fields = new TreeSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        // every message has the insight's fields; anomalies are those the message is about (the new insight's, the
        // newly associated one), recommendations those of NEW_RECOMMENDATION (InsightBody)
        Set<String> required = new TreeSet<>(BODY_FIELDS);
        required.remove("anomalies");
        assertThat(fields).as("fields of %s", x.id()).containsAll(required);
        if (x.messageType().equals("NEW_INSIGHT") || x.messageType().equals("NEW_ASSOCIATION")) {
            assertThat(body.path("anomalies").size()).as("anomalies of %s", x.id()).isPositive();
        }
        if (x.messageType().equals("NEW_RECOMMENDATION")) {
            assertThat(body.path("recommendations").size()).as("recommendations of %s", x.id()).isPositive();
        }
        assertThat(body.get("insightId").asText()).isEqualTo(x.insightId());
        assertThat(body.get("messageType").asText()).isEqualTo(x.messageType());
        assertThat(body.get("insightType").asText()).isEqualTo(x.insightType());
        assertThat(body.get("startTimeISO").asText()).isEqualTo(Instant.ofEpochMilli(body.get("startTime").asLong()).toString());
        for (JsonNode a : body.path("anomalies")) {
            Set<String> af = new TreeSet<>();
            a.fieldNames().forEachRemaining(af::add);
            assertThat(af).containsAll(ANOMALY_FIELDS);
            JsonNode source = a.get("sourceDetails").get(0);
            assertThat(source.get("dataSource").asText()).isEqualTo("CW_METRICS");
            Set<String> ids = new TreeSet<>();
            source.get("dataIdentifiers").fieldNames().forEachRemaining(ids::add);
            assertThat(ids).containsAll(DATA_IDENTIFIERS);
        }
        JsonNode collection = body.get("resourceCollection");
        String app = x.application();
        boolean named = collection.toString().contains("\"" + app + "\"");
        assertThat(named).as("resourceCollection %s names application %s", collection, app).isTrue();
    }
}
