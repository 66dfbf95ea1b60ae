package io.augur.job.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.cli.AugurCli;
import io.augur.job.config.AugurConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole topology on an embedded Flink (MiniCluster) over replay files. */
class ReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void replayWritesNormalizedRecordsAndDeadLettersWhoseCountsAddUpToWhatWasRead(@TempDir Path tmp) throws Exception {
        Path samples = Replay.extractSamples();
        Path out = tmp.resolve("out");

        int exit = AugurCli.execute("replay", "--metrics", samples.resolve("metrics.ndjson").toString(),
                "--events", samples.resolve("events.ndjson").toString(), "--out", out.toString(), "--quiet");
        assertThat(exit).isZero();

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.ndjson"));
        List<String> events = Files.readAllLines(out.resolve("change-events.ndjson"));
        List<String> dead = Files.readAllLines(out.resolve("dead-letter.ndjson"));
        long ignored = 0;
        for (JsonNode n : summary.path("ignored")) ignored += n.asLong();

        assertThat(summary.get("records").asLong()).isEqualTo(lineCount(samples.resolve("metrics.ndjson")) + lineCount(samples.resolve("events.ndjson")));
        assertThat(metrics).hasSize(summary.get("acceptedMetrics").asInt());
        assertThat(events).hasSize(summary.get("acceptedEvents").asInt());
        assertThat(dead).hasSize(summary.get("deadLettered").asInt());
        assertThat(summary.get("read").asLong()).isEqualTo(metrics.size() + events.size() + ignored + dead.size());
        assertThat(summary.get("balanced").asBoolean()).isTrue();

        // 7 series x 120 minutes of datapoints in the sample
        assertThat(metrics).hasSize(840);
        assertThat(metrics.stream().map(ReplayTest::seriesAndTime).distinct()).hasSize(840);
        assertThat(summary.get("uncheckedMetrics").asLong()).as("the sample spans 2 h: every datapoint within dedup.window").isZero();
        // every bad record planted in the sample is dead-lettered with its reason
        Map<String, Long> reasons = dead.stream().map(l -> read(l).get("reason").asText())
                .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
        assertThat(reasons).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "DUPLICATE", 2L,          // one repeated metric record, one repeated EventBridge event
                "MALFORMED_JSON", 1L, "NON_FINITE_VALUE", 1L, "TRUNCATED_GZIP", 1L,
                "UNKNOWN_FORMAT", 1L)));  // an EC2 Spot interruption warning: not an event Augur reads
        assertThat(summary.get("ignored").get("READ_ONLY_CALL").asLong()).isEqualTo(2);
        assertThat(summary.get("ignored").get("CONTROL_MESSAGE").asLong()).isEqualTo(1);
        assertThat(events).hasSize(8);
        // the replay leaves the insight tables behind, queryable with no server (change_events for now)
        java.io.ByteArrayOutputStream query = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        try {
            System.setOut(new java.io.PrintStream(query, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(AugurCli.execute("query", "--tables", out.resolve("tables").toString(),
                    "SELECT event_class, COUNT(*) AS events FROM change_events GROUP BY event_class ORDER BY event_class")).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(query.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("""
                event_class    | events
                ---------------+-------
                CONFIG_CHANGE  |      5
                DEPLOYMENT     |      2
                INFRASTRUCTURE |      1
                (3 rows)
                """);
        for (String l : dead) {
            JsonNode d = read(l);
            assertThat(d.get("detail").asText()).isNotBlank();
            assertThat(d.get("payloadBytes").asLong()).isPositive();
        }
        JsonNode cpu = metrics.stream().map(ReplayTest::read).filter(m -> m.get("metricName").asText().equals("CPUUtilization")
                && m.get("namespace").asText().equals("AWS/RDS")).findFirst().orElseThrow();
        assertThat(cpu.at("/resource/arn").asText()).isEqualTo("arn:aws:rds:us-east-1:123456789012:db:orders-db");

        // a change and the metrics of the resource it touched meet on one ARN
        JsonNode config = events.stream().map(ReplayTest::read)
                .filter(e -> e.get("Name").asText().startsWith("UpdateFunctionConfiguration")).findFirst().orElseThrow();
        assertThat(config.get("EventClass").asText()).isEqualTo("CONFIG_CHANGE");
        String lambdaArn = metrics.stream().map(ReplayTest::read).filter(m -> m.get("namespace").asText().equals("AWS/Lambda"))
                .findFirst().orElseThrow().at("/resource/arn").asText();
        assertThat(config.at("/Resources/0/Arn").asText()).isEqualTo(lambdaArn);
    }

    @Test
    void directoriesAndGzipFilesReplayTheSameAsPlainFiles(@TempDir Path tmp) throws Exception {
        Path samples = Replay.extractSamples();
        Path dir = Files.createDirectories(tmp.resolve("in"));
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("metrics.ndjson.gz")))) {
            gz.write(Files.readAllBytes(samples.resolve("metrics.ndjson")));
        }
        AugurConfig cfg = AugurConfig.defaults();
        ReplaySummary plain = new Replay(cfg.with(AugurConfig.REPLAY_METRICS.name(), samples.resolve("metrics.ndjson").toString()),
                tmp.resolve("a"), 2, null).run();
        ReplaySummary gzipped = new Replay(cfg.with(AugurConfig.REPLAY_METRICS.name(), dir.toString()), tmp.resolve("b"), 1, null).run();

        assertThat(gzipped.read()).isEqualTo(plain.read());
        assertThat(gzipped.metrics()).isEqualTo(plain.metrics()).isEqualTo(840);
        assertThat(sorted(tmp.resolve("b/metrics.ndjson"))).isEqualTo(sorted(tmp.resolve("a/metrics.ndjson")));
        assertThat(gzipped.balanced()).isTrue();
    }

    @Test
    void lateRecordsAreDecidedAtTheirSourceAndNotLost(@TempDir Path tmp) throws Exception {
        long t0 = java.time.Instant.parse("2025-01-01T10:00:00Z").toEpochMilli();
        List<String> metrics = new java.util.ArrayList<>();
        for (int m = 0; m <= 20; m++) metrics.add(datapoint("orders-api", t0 + m * 60_000L, 100 + m));
        metrics.add(datapoint("orders-worker", t0 + 5 * 60_000L, 7)); // after minute 20 on the same channel: 15 minutes late
        Path metricsFile = Files.write(tmp.resolve("metrics.ndjson"), metrics);
        String sample = Files.readAllLines(Replay.extractSamples().resolve("events.ndjson")).get(0);
        Path eventsFile = Files.write(tmp.resolve("events.ndjson"), List.of(
                event(sample, "e-on-time", "2025-01-01T10:20:00Z"), event(sample, "e-late", "2025-01-01T10:01:00Z")));
        AugurConfig cfg = AugurConfig.defaults().with(AugurConfig.REPLAY_METRICS.name(), metricsFile.toString())
                .with(AugurConfig.REPLAY_EVENTS.name(), eventsFile.toString());
        ReplaySummary summary = new Replay(cfg, tmp.resolve("out"), 1, null).run();

        assertThat(summary.metrics()).isEqualTo(22);
        assertThat(summary.lateMetrics()).isEqualTo(1);
        assertThat(summary.lateEvents()).isEqualTo(1);
        assertThat(summary.balanced()).isTrue();
        List<String> late = Files.readAllLines(tmp.resolve("out/late-points.ndjson"));
        assertThat(late).hasSize(1);
        assertThat(read(late.get(0)).get("seriesId").asText()).contains("orders-worker");
        assertThat(read(late.get(0)).get("timestamp").asLong()).isEqualTo(t0 + 5 * 60_000L);
        assertThat(Files.readAllLines(tmp.resolve("out/metrics.ndjson"))).as("on-time datapoints, de-duplicated and scored").hasSize(21)
                .noneMatch(l -> l.contains("orders-worker"));
        List<String> events = Files.readAllLines(tmp.resolve("out/change-events.ndjson"));
        assertThat(events).as("a late change event is kept, with its own time").hasSize(2);
        assertThat(events.stream().map(l -> read(l).get("Time").asText()).sorted())
                .containsExactly("2025-01-01T10:01:00Z", "2025-01-01T10:20:00Z");
        assertThat(summary.describe()).contains("1 datapoints arrived behind the watermark");
    }

    private static String datapoint(String function, long ts, double v) {
        return "{\"metric_stream_name\":\"s\",\"account_id\":\"123456789012\",\"region\":\"us-east-1\",\"namespace\":\"AWS/Lambda\","
                + "\"metric_name\":\"Duration\",\"dimensions\":{\"FunctionName\":\"" + function + "\"},\"timestamp\":" + ts
                + ",\"value\":{\"max\":" + v + ",\"min\":" + v + ",\"sum\":" + v + ",\"count\":1},\"unit\":\"Milliseconds\"}";
    }

    /** The sample's first change event (a Lambda configuration change) with another id and time. */
    private static String event(String sample, String id, String time) {
        com.fasterxml.jackson.databind.node.ObjectNode e = (com.fasterxml.jackson.databind.node.ObjectNode) read(sample);
        e.put("id", id).put("time", time);
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("detail")).put("eventTime", time).put("eventID", id).put("requestID", id);
        return e.toString();
    }

    @Test
    void aBadConfigurationKeyIsAnErrorNotAFailure(@TempDir Path tmp) {
        assertThat(AugurCli.execute("replay", "--set", "watermark.idlenes=1m", "--out", tmp.toString())).isEqualTo(2);
    }

    private static List<String> sorted(Path p) throws Exception {
        return Files.readAllLines(p).stream().sorted().collect(Collectors.toList());
    }

    private static long lineCount(Path p) throws Exception {
        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).count();
    }

    private static String seriesAndTime(String line) {
        JsonNode n = read(line);
        return n.get("seriesId").asText() + "@" + n.get("timestamp").asLong();
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
