package io.augur.job.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.job.config.AugurConfig;
import io.augur.job.replay.Replay;
import io.augur.job.topology.AnomalyStep;
import io.augur.job.topology.AugurTopology;
import io.augur.job.testing.CollectingSink;
import io.augur.schema.ScoredDatapoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrades by savepoint (issue 11). The committed fixtures in {@code src/test/resources/savepoints/} are savepoints of
 * the whole job taken mid-stream by released code (see the README there). The current code must resume each one:
 * <ul>
 *     <li>the state is there and used: every insight and anomaly open at the savepoint continues (its later lifecycle
 *     events and revisions come after the restore, none is opened again) and no baseline warms up again;</li>
 *     <li>for the newest fixture (taken by the current behaviour): the output before the savepoint plus the output
 *     after it is the output of an uninterrupted replay over the whole input ({@code augur replay}); older fixtures'
 *     recorded outputs come from older detection rules, so for them the state checks above are what must hold;</li>
 *     <li>rescaling: the fixture (taken at parallelism 1) resumes at parallelism 2, and a savepoint taken at 2 resumes
 *     at 1, with the same output.</li>
 * </ul>
 * What is compared is what is deterministic in event time: insight lifecycle events (id = insight id, message type and
 * sequence; severity; insight type) and anomaly lifecycles (id, kind, severity, status, revision, start and open time).
 * The datapoints listed in an anomaly revision and the minute it ends may differ between runs: Flink emits watermarks
 * periodically in processing time, so a datapoint delivered late may fall on either side of the watermark.
 */
class SavepointRestoreTest {
    @TempDir
    static Path tmp;
    /** The newest fixture, for the rescaling tests. */
    static Path fixture;
    static JsonNode meta;
    static Map<String, String> config;
    /** Per fixture: the insight and anomaly lifecycles of an uninterrupted replay over its whole input. */
    static final Map<Path, List<List<String>>> uninterrupted = new HashMap<>();

    @BeforeAll
    static void newestFixture() throws Exception {
        fixture = newest(fixtures());
        meta = SavepointFixture.metadata(fixture);
        config = config(fixture);
    }

    static Map<String, String> config(Path fixture) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        SavepointFixture.metadata(fixture).get("config").fields().forEachRemaining(e -> c.put(e.getKey(), e.getValue().asText()));
        return c;
    }

    /** {@code augur replay} over the fixture's whole input in delivery order, read once by the current code. */
    static synchronized List<List<String>> uninterrupted(Path fixture) throws Exception {
        if (uninterrupted.containsKey(fixture)) return uninterrupted.get(fixture);
        Path full = Files.createTempDirectory(tmp, "full-input");
        for (String kind : List.of("metrics", "events")) {
            try (OutputStream o = Files.newOutputStream(full.resolve(kind + ".ndjson"))) {
                for (int part = 1; part <= 2; part++) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(SavepointFixture.part(fixture, part).resolve(kind)
                            .resolve(kind + "-" + part + ".ndjson.gz")))) {
                        in.transferTo(o);
                    }
                }
            }
        }
        AugurConfig cfg = AugurConfig.defaults().with(config(fixture)).with(AugurConfig.REPLAY_MONITOR.name(), "0s")
                .with(AugurConfig.REPLAY_METRICS.name(), full.resolve("metrics.ndjson").toString())
                .with(AugurConfig.REPLAY_EVENTS.name(), full.resolve("events.ndjson").toString());
        Path out = full.resolve("out");
        new Replay(cfg, out, 1, null).run();
        List<List<String>> r = List.of(sorted(insights(out)), sorted(anomalies(out)));
        assertThat(r.get(0)).as("the input has insights").isNotEmpty();
        uninterrupted.put(fixture, r);
        return r;
    }

    @Test
    void everyCommittedFixtureResumesWithItsStateAndContinuesAsAnUninterruptedReplay() throws Exception {
        for (Path f : fixtures()) {
            JsonNode m = SavepointFixture.metadata(f);
            String sink = "scores-" + f.getFileName();
            Path out = resume(f, savepoint(f), m.get("parallelism").asInt(), sink);
            Path before = f.resolve(SavepointFixture.PART1_OUTPUTS);
            String what = f.getFileName() + " (taken by " + m.get("codeVersion").asText() + ")";
            assertContinues(what, before, out, sink);
            // the recorded outputs before an older fixture's savepoint come from the older code: once a release changes
            // what is detected (a new grouping rule, say), they no longer add up to the current code's uninterrupted run,
            // although the restore is sound. The newest fixture was taken by the current behaviour, so it must.
            if (f.equals(fixture)) assertSameAsUninterrupted(what, f, before, out);
        }
    }

    /**
     * {@code augur state migrate}: the fixtures hold the chain's keys as plain strings (they restore with the key
     * serializer in its legacy mode, above); migrated, the same state restores with the compact keys and the job goes on
     * as the uninterrupted replay does, and a savepoint it takes keeps the compact form.
     */
    @Test
    void theNewestFixtureMigratedToCompactKeysResumesAndContinuesAsAnUninterruptedReplay() throws Exception {
        String compact = "compact " + io.augur.ops.codec.SeriesKeyCodec.DICTIONARY.size();
        Map<String, String> before = io.augur.job.state.SavepointMigrator.keyForms(savepoint(fixture));
        assertThat(before).as("key forms in the fixture").containsKeys(AugurTopology.SCORE_DATAPOINTS_UID, AugurTopology.DEDUP_DATAPOINTS_UID,
                AnomalyStep.BURST_CANDIDATES_UID);
        // plain strings in every fixture taken before the compact key (a fixture taken since holds compact keys already)
        assertThat(before.values()).as("the fixture's key forms").allSatisfy(v -> assertThat(v).isIn("string", compact));

        Path migrated = tmp.resolve("migrated-" + fixture.getFileName());
        io.augur.job.state.SavepointMigrator.Result m = io.augur.job.state.SavepointMigrator.migrate(savepoint(fixture),
                migrated.toUri().toString(), AugurConfig.defaults().with(config(fixture)), 1);
        assertThat(m.rewritten()).containsAll(before.keySet());
        Map<String, String> after = io.augur.job.state.SavepointMigrator.keyForms(migrated.toUri().toString());
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.values()).as("the migrated savepoint's keys").containsOnly(compact);

        String sink = "scores-migrated";
        Path out = resume(fixture, migrated.toUri().toString(), 1, sink);
        Path recorded = fixture.resolve(SavepointFixture.PART1_OUTPUTS);
        assertContinues("the migrated fixture", recorded, out, sink);
        assertSameAsUninterrupted("the migrated fixture", fixture, recorded, out);
        // the savepoint the resumed job took at its end (drain) keeps the compact form
        try (Stream<Path> taken = Files.list(out.resolve("savepoints"))) {
            Path last = taken.filter(Files::isDirectory).max(java.util.Comparator.naturalOrder()).orElseThrow();
            assertThat(io.augur.job.state.SavepointMigrator.keyForms(last.toUri().toString()).values()).containsOnly(compact);
        }
    }

    @Test
    void aSavepointTakenAtParallelism1ResumesAt2() throws Exception {
        assertThat(meta.get("parallelism").asInt()).isEqualTo(1);
        String sink = "scores-rescaled-up";
        Path out = resume(fixture, savepoint(fixture), 2, sink);
        Path before = fixture.resolve(SavepointFixture.PART1_OUTPUTS);
        assertContinues("the fixture at parallelism 2", before, out, sink);
        assertSameAsUninterrupted("rescaled", fixture, before, out);
    }

    @Test
    void aSavepointTakenAtParallelism2ResumesAt1() throws Exception {
        // the fixture resumed at parallelism 2 over the first half of part 2, stopped with a savepoint (no drain), and
        // that savepoint resumed at parallelism 1 over the second half
        JsonNode sim = meta.get("input").get("simulator");
        long start = meta.get("input").get("startEpochMs").asLong();
        long half = start + (sim.get("splitMinute").asLong() + sim.get("endMinute").asLong()) / 2 * 60_000;
        Path a = tmp.resolve("part-2a"), b = tmp.resolve("part-2b");
        long[] metrics = splitPart2(fixture, "metrics", half, a, b), events = splitPart2(fixture, "events", half, a, b);
        assertThat(metrics[0]).isPositive();
        assertThat(metrics[1]).isPositive();

        Path outA = tmp.resolve("p2-first-half");
        SavepointReplay.Result r = new SavepointReplay(SavepointFixture.legConfig(config, a), 2, outA).restoreFrom(savepoint(fixture))
                .run(metrics[0] + events[0], tmp.resolve("p2-savepoints"), false);
        // restored from plain-string keys, the chain keeps writing them (its key serializer's legacy mode) until migrated
        String fixtureForm = io.augur.job.state.SavepointMigrator.keyForms(savepoint(fixture)).get(AugurTopology.SCORE_DATAPOINTS_UID);
        assertThat(io.augur.job.state.SavepointMigrator.keyForms(r.savepoint()).values()).as("key forms after restoring %s keys", fixtureForm)
                .containsOnly(fixtureForm.equals("string") ? "legacy" : fixtureForm);
        String sink = "scores-rescaled-down";
        Path outB = tmp.resolve("p1-second-half");
        new SavepointReplay(SavepointFixture.legConfig(config, b), 1, outB).restoreFrom(r.savepoint())
                .with(s -> s.scores().sinkTo(new CollectingSink<>(sink)).name("collect scores").uid("test-collect-scores").setParallelism(1))
                .run(metrics[1] + events[1], tmp.resolve("p1-savepoints"), true);

        Path after = tmp.resolve("after-both-halves");
        Files.createDirectories(after);
        for (String f : List.of("insights.ndjson", "anomalies.ndjson")) {
            List<String> lines = new ArrayList<>(Files.readAllLines(outA.resolve(f)));
            lines.addAll(Files.readAllLines(outB.resolve(f)));
            Files.write(after.resolve(f), lines);
        }
        Path before = fixture.resolve(SavepointFixture.PART1_OUTPUTS);
        assertContinues("the fixture at parallelism 2, then a savepoint at 2 resumed at 1", before, after, sink);
        assertSameAsUninterrupted("the fixture at parallelism 2, then a savepoint at 2 resumed at 1", fixture, before, after);
    }

    /** Splits the fixture's part-2 {@code kind} lines by delivery order at {@code at} into {@code a/kind} and {@code b/kind}. */
    private static long[] splitPart2(Path fixture, String kind, long at, Path a, Path b) throws IOException {
        Files.createDirectories(a.resolve(kind));
        Files.createDirectories(b.resolve(kind));
        List<String> first = new ArrayList<>(), second = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SavepointFixture.part(fixture, 2).resolve(kind).resolve(kind + "-2.ndjson.gz")))) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                long t = kind.equals("metrics") ? n.get("timestamp").asLong() : java.time.Instant.parse(n.get("time").asText()).toEpochMilli();
                if (second.isEmpty() && t < at) first.add(line);
                else second.add(line);
            }
        }
        Files.write(a.resolve(kind).resolve(kind + "-2a.ndjson"), first);
        Files.write(b.resolve(kind).resolve(kind + "-2b.ndjson"), second);
        return new long[] {first.size(), second.size()};
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Resumes from {@code savepoint} over the fixture's part 2 at {@code parallelism} and drains at its end. */
    private static Path resume(Path fixture, String savepoint, int parallelism, String scoreSink) throws Exception {
        Path out = Files.createTempDirectory(tmp, "resumed");
        JsonNode p2 = SavepointFixture.metadata(fixture).get("input").get("part2");
        Map<String, String> c = config(fixture);
        SavepointReplay replay = new SavepointReplay(SavepointFixture.legConfig(c, SavepointFixture.part(fixture, 2)), parallelism, out)
                .restoreFrom(savepoint);
        if (scoreSink != null) {
            replay.with(s -> s.scores().sinkTo(new CollectingSink<>(scoreSink)).name("collect scores").uid("test-collect-scores").setParallelism(1));
        }
        replay.run(p2.get("metricsLines").asLong() + p2.get("eventsLines").asLong(), out.resolve("savepoints"), true);
        return out;
    }

    /** The state of the savepoint is there: what was open continues, nothing opens again, baselines are warm. */
    private static void assertContinues(String what, Path before, Path after, String scoreSink) throws IOException {
        SavepointFixture.OpenState open = SavepointFixture.OpenState.of(before);
        assertThat(open.insights()).as("%s: insights open at the savepoint", what).isNotEmpty();
        assertThat(open.anomalies()).as("%s: anomalies open at the savepoint", what).isNotEmpty();

        Set<String> closed = new HashSet<>(), reopened = new HashSet<>();
        for (JsonNode n : SavepointFixture.lines(after.resolve("insights.ndjson"))) {
            String id = n.get("insightId").asText();
            if (!open.insights().contains(id)) continue;
            if (n.get("messageType").asText().equals("CLOSED_INSIGHT")) closed.add(id);
            if (n.get("messageType").asText().equals("NEW_INSIGHT")) reopened.add(id);
        }
        assertThat(reopened).as("%s: insights open at the savepoint opened again after it", what).isEmpty();
        assertThat(closed).as("%s: every insight open at the savepoint closes after it (the replay's end closes all)", what)
                .isEqualTo(open.insights());

        Map<String, Integer> lastRevision = new HashMap<>();
        for (JsonNode n : SavepointFixture.lines(before.resolve("anomalies.ndjson"))) lastRevision.put(n.get("Id").asText(), n.get("Revision").asInt());
        Map<String, List<Integer>> revisionsAfter = new HashMap<>();
        Set<String> closedAnomalies = new HashSet<>();
        for (JsonNode n : SavepointFixture.lines(after.resolve("anomalies.ndjson"))) {
            String id = n.get("Id").asText();
            if (!open.anomalies().contains(id)) continue;
            revisionsAfter.computeIfAbsent(id, k -> new ArrayList<>()).add(n.get("Revision").asInt());
            if (n.get("Status").asText().equals("CLOSED")) closedAnomalies.add(id);
        }
        assertThat(closedAnomalies).as("%s: every anomaly open at the savepoint closes after it", what).isEqualTo(open.anomalies());
        for (Map.Entry<String, List<Integer>> e : revisionsAfter.entrySet()) {
            List<Integer> revs = new ArrayList<>(e.getValue());
            Collections.sort(revs);
            assertThat(revs.get(0)).as("%s: anomaly %s continues with the revision after its last one before the savepoint", what, e.getKey())
                    .isEqualTo(lastRevision.get(e.getKey()) + 1);
        }

        if (scoreSink != null) {
            List<ScoredDatapoint> scores = CollectingSink.results(scoreSink);
            assertThat(scores).as("%s: datapoints scored after the savepoint", what).isNotEmpty();
            Set<String> cold = new TreeSet<>();
            for (ScoredDatapoint s : scores) if (!s.getWarm()) cold.add(s.getSeriesKey().toString());
            assertThat(cold).as("%s: series whose baseline warms up again after the savepoint", what).isEmpty();
        }
    }

    private static void assertSameAsUninterrupted(String what, Path fixture, Path before, Path after) throws Exception {
        List<List<String>> expected = uninterrupted(fixture);
        List<String> insights = new ArrayList<>(insights(before));
        insights.addAll(insights(after));
        Collections.sort(insights);
        assertThat(insights).as("%s: insight lifecycle events before + after the savepoint = an uninterrupted replay's", what)
                .isEqualTo(expected.get(0));
        List<String> anomalies = new ArrayList<>(anomalies(before));
        anomalies.addAll(anomalies(after));
        Collections.sort(anomalies);
        assertThat(anomalies).as("%s: anomaly lifecycles before + after the savepoint = an uninterrupted replay's", what)
                .isEqualTo(expected.get(1));
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    static List<String> insights(Path outputs) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : SavepointFixture.lines(outputs.resolve("insights.ndjson"))) {
            out.add(String.join("|", n.get("id").asText(), n.get("messageType").asText(), n.get("severity").asText(), n.get("insightType").asText()));
        }
        return out;
    }

    static List<String> anomalies(Path outputs) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : SavepointFixture.lines(outputs.resolve("anomalies.ndjson"))) {
            out.add(String.join("|", n.get("Id").asText(), n.get("Kind").asText(), n.get("Severity").asText(), n.get("Status").asText(),
                    n.get("Revision").asText(), n.get("AnomalyTimeRange").get("StartTime").asText(),
                    n.get("AnomalyReportedTimeRange").get("OpenTime").asText()));
        }
        return out;
    }

    static String savepoint(Path fixture) throws IOException {
        return fixture.resolve(SavepointFixture.metadata(fixture).get("savepoint").asText()).toAbsolutePath().toUri().toString();
    }

    /** Every committed fixture: the directories of {@code savepoints/} with a {@code fixture.json}. */
    static List<Path> fixtures() throws IOException, URISyntaxException {
        URL readme = SavepointRestoreTest.class.getResource("/savepoints/README.md");
        assertThat(readme).as("savepoints/README.md on the test classpath").isNotNull();
        Path root = Path.of(readme.toURI()).getParent();
        try (Stream<Path> s = Files.list(root)) {
            List<Path> l = s.filter(p -> Files.isRegularFile(p.resolve(SavepointFixture.METADATA))).sorted().toList();
            assertThat(l).as("committed savepoint fixtures").isNotEmpty();
            return l;
        }
    }

    /** The fixture taken last (by its metadata's creation time). */
    static Path newest(List<Path> fixtures) throws IOException {
        Path best = null;
        String at = "";
        for (Path f : fixtures) {
            String c = SavepointFixture.metadata(f).get("createdAt").asText();
            if (best == null || c.compareTo(at) > 0) {
                best = f;
                at = c;
            }
        }
        return best;
    }
}
