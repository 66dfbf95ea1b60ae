package io.augur.job.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.job.config.AugurConfig;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import org.apache.flink.runtime.util.EnvironmentInformation;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A committed savepoint fixture: a savepoint of the whole job taken mid-stream by one release, the input before and
 * after it, and what the job wrote before it. Newer code must restore it (issue 11). Layout of {@code ROOT/NAME/}:
 * <pre>
 * fixture.json                      code version (git commit), Flink version, parallelism, state backend, config, input
 * savepoint/_metadata ...           the savepoint (canonical format: relocatable, any state backend restores it)
 * input/part-1/{metrics,events}/    simulator records before the savepoint (gzip NDJSON; the job read these)
 * input/part-2/{metrics,events}/    the records after it (a restored job reads these)
 * part-1-outputs/                   insights.ndjson and anomalies.ndjson the job wrote before the savepoint
 * </pre>
 */
public final class SavepointFixture {
    /** The Augur release a fixture belongs to (the project version without -SNAPSHOT); fixtures are named after it. */
    public static final String AUGUR_VERSION = "0.1.0";
    public static final String METADATA = "fixture.json";
    public static final String SAVEPOINT = "savepoint";
    public static final String PART1_OUTPUTS = "part-1-outputs";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long MINUTE = 60_000;

    /** The simulated input: scenario, seed and sizes, and the minutes (from its start) of the savepoint and of the end. */
    public record Input(String scenario, long seed, int resources, int days, int splitMinute, int endMinute) {}

    /** Line counts of one part. */
    public record Part(long metricsLines, long eventsLines) {
        public long lines() {
            return metricsLines + eventsLines;
        }
    }

    /** The configuration every leg of a fixture runs with (besides the replay paths and parallelism). */
    public static Map<String, String> baseConfig() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(AugurConfig.SOURCE_TYPE.name(), "files");
        m.put(AugurConfig.REPLAY_MONITOR.name(), "1s");
        m.put(AugurConfig.STATE_BACKEND.name(), "rocksdb");
        m.put(AugurConfig.TABLES_SINK.name(), "none");
        return m;
    }

    /** {@code cfg} reading the given part's directories ({@code input/part-N/metrics} and {@code .../events}). */
    public static AugurConfig legConfig(Map<String, String> config, Path partDir) {
        return AugurConfig.defaults().with(config)
                .with(AugurConfig.REPLAY_METRICS.name(), partDir.resolve("metrics").toAbsolutePath().toString())
                .with(AugurConfig.REPLAY_EVENTS.name(), partDir.resolve("events").toAbsolutePath().toString());
    }

    public static Path part(Path fixture, int n) {
        return fixture.resolve("input").resolve("part-" + n);
    }

    /**
     * Simulates the input and splits it by delivery order at {@code splitMinute}: part 1 is every line before the first
     * one at or after that minute, part 2 the rest up to {@code endMinute} (later lines dropped). Writes gzip NDJSON.
     */
    public static Part[] simulateAndSplit(Input in, Path fixture) throws IOException {
        Path tmp = Files.createTempDirectory("augur-fixture-sim");
        try {
            Scenario s = Scenario.named(in.scenario()).withSizes(in.resources(), in.days(), null);
            new Simulator(s, in.seed()).write(tmp);
            long start = s.start().toEpochMilli();
            long split = start + in.splitMinute() * MINUTE, end = start + in.endMinute() * MINUTE;
            long[] metrics = split(tmp.resolve(Simulator.METRICS_FILE), fixture, "metrics", split, end,
                    n -> n.path("timestamp").asLong(Long.MIN_VALUE));
            long[] events = split(tmp.resolve(Simulator.EVENTS_FILE), fixture, "events", split, end,
                    n -> n.hasNonNull("time") ? Instant.parse(n.get("time").asText()).toEpochMilli() : Long.MIN_VALUE);
            return new Part[] {new Part(metrics[0], events[0]), new Part(metrics[1], events[1])};
        } finally {
            deleteTree(tmp);
        }
    }

    private interface Time {
        long of(JsonNode n);
    }

    private static long[] split(Path file, Path fixture, String kind, long split, long end, Time time) throws IOException {
        long[] counts = new long[2];
        Path d1 = part(fixture, 1).resolve(kind), d2 = part(fixture, 2).resolve(kind);
        Files.createDirectories(d1);
        Files.createDirectories(d2);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             Writer w1 = gzip(d1.resolve(kind + "-1.ndjson.gz")); Writer w2 = gzip(d2.resolve(kind + "-2.ndjson.gz"))) {
            boolean second = false;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                long t = time.of(JSON.readTree(line));
                if (!second && t >= split) second = true;
                if (!second) {
                    w1.write(line);
                    w1.write('\n');
                    counts[0]++;
                } else if (t < end) {
                    w2.write(line);
                    w2.write('\n');
                    counts[1]++;
                }
            }
        }
        return counts;
    }

    /** Gzip with a zero modification time in its header (the JDK's): the same lines give the same bytes. */
    private static Writer gzip(Path p) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(p), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
    }

    /**
     * Generates a fixture in {@code ROOT/NAME}: simulates and splits the input, runs the job over part 1 at
     * {@code parallelism}, stops it with a savepoint without draining, and writes the metadata.
     *
     * @return the metadata written
     */
    public static JsonNode generate(Path root, String name, String codeVersion, boolean dirty, Input in, int parallelism) throws Exception {
        Path fixture = root.resolve(name);
        if (Files.exists(fixture)) throw new IOException(fixture + " exists: remove it first (fixtures of released versions stay)");
        Files.createDirectories(fixture);
        Part[] parts = simulateAndSplit(in, fixture);
        Map<String, String> config = baseConfig();
        Path work = Files.createTempDirectory("augur-fixture-run");
        boolean ok = false;
        try {
            Path outputs = work.resolve("outputs");
            SavepointReplay.Result r = new SavepointReplay(legConfig(config, part(fixture, 1)), parallelism, outputs)
                    .run(parts[0].lines(), work.resolve("savepoints"), false);
            Path sp = Path.of(new org.apache.flink.core.fs.Path(r.savepoint()).toUri().getPath());
            copyTree(sp, fixture.resolve(SAVEPOINT));
            Path o = fixture.resolve(PART1_OUTPUTS);
            Files.createDirectories(o);
            for (String f : List.of("insights.ndjson", "anomalies.ndjson")) Files.copy(outputs.resolve(f), o.resolve(f));

            OpenState open = OpenState.of(o);
            if (open.insights().isEmpty() || open.anomalies().isEmpty()) {
                throw new IllegalStateException("no open insight or anomaly at the savepoint (" + open + "): choose another split minute");
            }
            ObjectNode meta = JSON.createObjectNode();
            meta.put("name", name);
            meta.put("augurVersion", AUGUR_VERSION);
            meta.put("codeVersion", codeVersion);
            meta.put("codeVersionDirty", dirty);
            meta.put("flinkVersion", EnvironmentInformation.getVersion());
            meta.put("createdAt", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
            meta.put("savepoint", SAVEPOINT);
            meta.put("savepointFormat", "CANONICAL");
            meta.put("stateBackend", config.get(AugurConfig.STATE_BACKEND.name()));
            meta.put("parallelism", parallelism);
            meta.put("maxParallelism", Integer.parseInt(AugurConfig.JOB_MAX_PARALLELISM.defaultValue()));
            meta.put("drained", false);
            meta.set("config", JSON.valueToTree(config));
            ObjectNode input = meta.putObject("input");
            input.put("generator", "augur simulate");
            input.set("simulator", JSON.valueToTree(in));
            input.put("startEpochMs", Scenario.named(in.scenario()).withSizes(in.resources(), in.days(), null).start().toEpochMilli());
            input.set("part1", JSON.valueToTree(parts[0]));
            input.set("part2", JSON.valueToTree(parts[1]));
            ObjectNode atSavepoint = meta.putObject("atSavepoint");
            atSavepoint.put("recordsRead", r.read());
            atSavepoint.set("openInsights", JSON.valueToTree(open.insights()));
            atSavepoint.set("openAnomalies", JSON.valueToTree(open.anomalies()));
            meta.put("part1Outputs", PART1_OUTPUTS);
            Files.writeString(fixture.resolve(METADATA), JSON.writeValueAsString(meta) + "\n");
            ok = true;
            return meta;
        } finally {
            if (ok) deleteTree(work);
            else System.err.println("augur: the failed run's outputs are in " + work);
        }
    }

    /** Insights and anomalies still open after a leg's outputs: opened (a first revision) and not closed. */
    public record OpenState(Set<String> insights, Set<String> anomalies) {
        public static OpenState of(Path outputs) throws IOException {
            Set<String> insights = new LinkedHashSet<>(), anomalies = new LinkedHashSet<>();
            for (JsonNode n : lines(outputs.resolve("insights.ndjson"))) {
                if ("CLOSED_INSIGHT".equals(n.get("messageType").asText())) insights.remove(n.get("insightId").asText());
                else insights.add(n.get("insightId").asText());
            }
            for (JsonNode n : lines(outputs.resolve("anomalies.ndjson"))) {
                if ("CLOSED".equals(n.get("Status").asText())) anomalies.remove(n.get("Id").asText());
                else anomalies.add(n.get("Id").asText());
            }
            return new OpenState(insights, anomalies);
        }
    }

    /** The JSON lines of an NDJSON file. */
    public static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }

    public static JsonNode metadata(Path fixture) throws IOException {
        return JSON.readTree(fixture.resolve(METADATA).toFile());
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
