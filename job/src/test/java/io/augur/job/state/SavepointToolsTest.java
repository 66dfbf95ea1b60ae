package io.augur.job.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.AugurJob;
import io.augur.job.cli.AugurCli;
import io.augur.job.config.AugurConfig;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import io.augur.job.source.ReplaySources;
import io.augur.job.testing.CollectingSink;
import io.augur.job.topology.AnomalyStep;
import io.augur.job.topology.AugurTopology;
import io.augur.ops.flink.anomaly.ReactiveAnomalies;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.flink.insight.CorrelateInsights;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.RawRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code augur state inspect|prune} on a real savepoint: the whole topology (insights included) on a MiniCluster with
 * RocksDB over the simulator's records (8 resources, the 4 hours before an incident and its first 30 minutes), read by
 * continuously monitored file sources;
 * stopped with a savepoint (no drain: what an upgrade does). Inspect must count what the input implies, prune must
 * remove exactly the dropped resource's keys, and the job must restore from the pruned savepoint and carry on.
 */
class SavepointToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIN = 60_000;

    @TempDir
    static Path dir;
    static AugurConfig cfg;
    static Path savepoint;
    /** Distinct series (series ids) and their resources in the input the savepoint saw. */
    static final Map<String, String> seriesResource = new TreeMap<>();
    static long distinctDatapoints;
    static long cutoff;
    static List<String> laterLines;
    static List<String> now;
    static List<String> eventLines;
    static SavepointInspector.Report report;

    @BeforeAll
    static void runAndStopWithSavepoint() throws Exception {
        Path sim = dir.resolve("sim");
        new Simulator(Scenario.named("default").withSizes(8, 1, null), 7).write(sim);
        JsonNode truth = JSON.readTree(sim.resolve(Simulator.GROUND_TRUTH_FILE).toFile());
        long onset = Long.MAX_VALUE;
        long start = truth.get("startEpochMs").asLong();
        for (JsonNode inc : truth.get("incidents")) {
            long o = inc.get("onsetEpochMs").asLong();
            if (inc.get("expectedInsight").asText().equals("REACTIVE") && o >= start + 360 * MIN) onset = Math.min(onset, o);
        }
        assertThat(onset).as("a reactive incident after 6 h").isLessThan(Long.MAX_VALUE);
        cutoff = onset + 30 * MIN;
        long from = onset - 480 * MIN; // 8 hours of history before it (baselines warm up in 1 hour)
        for (JsonNode inc : truth.get("incidents")) {
            System.out.printf("incident %s %s on %s: minutes %d to %d%n", inc.get("kind").asText(), inc.get("expectedInsight").asText(),
                    inc.get("application").asText(), (inc.get("onsetEpochMs").asLong() - start) / MIN, (inc.get("endEpochMs").asLong() - start) / MIN);
        }

        // the metrics up to 30 minutes into the incident now; the next hour for the restored job
        Path metrics = Files.createDirectories(dir.resolve("in/metrics")), events = Files.createDirectories(dir.resolve("in/events"));
        now = new ArrayList<>();
        laterLines = new ArrayList<>();
        Set<String> datapoints = new HashSet<>();
        for (String line : Files.readAllLines(sim.resolve(Simulator.METRICS_FILE))) {
            JsonNode m = JSON.readTree(line);
            long ts = m.get("timestamp").asLong();
            if (ts < from) continue;
            if (ts <= cutoff) {
                now.add(line);
                Map<String, String> dims = new TreeMap<>();
                m.get("dimensions").fields().forEachRemaining(e -> dims.put(e.getKey(), e.getValue().asText()));
                String id = ResourceIdentities.seriesId(m.get("account_id").asText(), m.get("region").asText(), m.get("namespace").asText(),
                        m.get("metric_name").asText(), dims);
                seriesResource.put(id, ResourceIdentities.fromMetric(m.get("account_id").asText(), m.get("region").asText(),
                        m.get("namespace").asText(), dims).getArn());
                datapoints.add(id + "@" + ts);
            } else if (ts <= cutoff + 60 * MIN) {
                laterLines.add(line);
            }
        }
        distinctDatapoints = datapoints.size();
        Files.write(metrics.resolve("metrics-1.ndjson"), now);
        eventLines = new ArrayList<>();
        for (String line : Files.readAllLines(sim.resolve(Simulator.EVENTS_FILE))) {
            if (eventTime(line) <= cutoff) eventLines.add(line);
        }
        Files.write(events.resolve("events-1.ndjson"), eventLines);

        // short idleness: the sparse change-event stream must not hold event time back for long once it is read
        cfg = AugurConfig.defaults().with(Map.of("state.backend", "rocksdb", "checkpoint.interval", "0", "watermark.idleness", "3s"));
        long t0 = System.nanoTime();
        JobClient job = start(null, "first");
        awaitCount("first-records", now.size() + eventLines.size(), job);
        // everything read; the open anomalies reach insight correlation once event time passes them
        awaitCount("first-insights", 1, job);
        System.out.printf("first run: %d records read and an insight open after %.1f s%n", now.size() + eventLines.size(), (System.nanoTime() - t0) / 1e9);
        savepoint = Path.of(java.net.URI.create(job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(3, TimeUnit.MINUTES)));
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        report = SavepointInspector.inspect(savepoint.toString(), cfg, 2, 2);
        for (Object a : CollectingSink.results("first-anomalies")) {
            Anomaly an = (Anomaly) a;
            System.out.printf("anomaly %s %s rev %d %s minutes %d..%d%n", an.getKind(), an.getResource().getArn(), an.getRevision(), an.getStatus(),
                    (an.getStartTime() - start) / MIN, (an.getUpdateTime() - start) / MIN);
        }
    }

    /** How often the test's sources look for new files. */
    static final Duration MONITOR = Duration.ofMillis(500);

    /** The job as {@code augur run} builds it, over continuously monitored directories (sources never finish). */
    static JobClient start(String restoreFrom, String run) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, AugurJob.flinkConfiguration(cfg, false));
        AugurJob.configure(env, cfg, false);
        if (restoreFrom != null) env.configure(new org.apache.flink.configuration.Configuration() {{
            set(SavepointConfigOptions.SAVEPOINT_PATH, restoreFrom);
        }});
        DataStream<RawRecord> raw = ReplaySources.files(env, List.of(dir.resolve("in/metrics").toString()), "metrics", "test-metrics-source", MONITOR)
                .union(ReplaySources.files(env, List.of(dir.resolve("in/events").toString()), "events", "test-events-source", MONITOR));
        AugurTopology.Streams streams = AugurTopology.build(raw, cfg);
        AugurTopology.InsightStreams insights = AugurTopology.insights(streams.anomalies(), streams.coverage(), cfg);
        // every record read (the stop-with-savepoint barrier follows them through the whole job)
        raw.sinkTo(new CountingSink<>(run + "-records")).uid("test-count-records").name("count records");
        insights.insights().sinkTo(new CountingSink<>(run + "-insights")).uid("test-count-insights").name("count insights");
        streams.anomalies().sinkTo(new CollectingSink<>(run + "-anomalies")).uid("test-collect-anomalies").name("collect anomalies").setParallelism(1);
        return env.executeAsync("savepoint-tools-" + run);
    }

    static void awaitCount(String name, long expected, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (CountingSink.count(name) < expected) {
            if (job.getJobStatus().get().isGloballyTerminalState()) throw new AssertionError("job ended: " + job.getJobStatus().get());
            if (System.nanoTime() > deadline) throw new AssertionError(name + ": " + CountingSink.count(name) + " of " + expected);
            Thread.sleep(200);
        }
    }

    static long eventTime(String line) throws Exception {
        JsonNode e = JSON.readTree(line);
        JsonNode t = e.has("time") ? e.get("time") : e.path("detail").path("eventTime");
        return java.time.Instant.parse(t.asText()).toEpochMilli();
    }

    // ---- inspect ----------------------------------------------------------------------------------------------------

    @Test
    void inspectCountsTheStateTheInputImplies() {
        System.out.printf("%nsavepoint of %d series, %d datapoints up to %s: %s%n", seriesResource.size(), distinctDatapoints,
                java.time.Instant.ofEpochMilli(cutoff), report.summary());
        assertThat(report.maxParallelism()).isEqualTo(128);
        assertThat(report.summary().get("series with baselines")).as("one baseline per series (one statistic each)").isEqualTo(seriesResource.size());
        assertThat(report.summary().get("series de-duplicated")).isEqualTo(seriesResource.size());
        assertThat(report.summary().get("open reactive anomalies")).as("30 minutes into an incident").isPositive();
        assertThat(report.summary().get("open insights")).isPositive();
        assertThat(report.summary().get("change events remembered")).isPositive();
        SavepointInspector.OperatorReport score = report.operator(AugurTopology.SCORE_DATAPOINTS_UID);
        assertThat(score.present()).isTrue();
        assertThat(score.state(ScoreDatapoints.STATE_NAME).samples()).hasSize(2)
                .allSatisfy(s -> assertThat(s.value()).startsWith("{\"count\": "));
        assertThat(report.operator(AnomalyStep.REACTIVE_LIFECYCLE_UID).state("event-time timers").keys()).isPositive();
        assertThat(report.operator(AnomalyStep.REACTIVE_PATTERN_UID).present()).isTrue();
        // the catalog knows every keyed state the operators register (else prune would lose one)
        assertThat(report.operators()).filteredOn(o -> o.present() && !o.states().isEmpty())
                .allSatisfy(o -> assertThat(o.undecodedStates()).as(o.uid()).isEmpty());
        assertThat(report.operator(AnomalyStep.REACTIVE_PATTERN_UID).undecodedStates()).as("CEP's own states").isNotEmpty();
        assertThat(report.operator(AugurTopology.COVERAGE_DATAPOINTS_UID).present()).as("account coverage: no datapoint filter").isFalse();
    }

    @Test
    void sizesMeasureTheLiveStateOfEveryDecodedOperatorWithBaselinesInTheirStoredForm() throws Exception {
        List<SavepointInspector.StateSize> sizes = SavepointInspector.sizes(savepoint.toString(), cfg, 2);
        sizes.forEach(z -> System.out.printf("  %-28s %-26s keys %5d entries %6d key B %8d value B %9d%n", z.uid(), z.state(), z.keys(), z.entries(),
                z.keyBytes(), z.valueBytes()));
        SavepointInspector.StateSize baselines = sizes.stream()
                .filter(z -> z.uid().equals(AugurTopology.SCORE_DATAPOINTS_UID) && z.state().equals(ScoreDatapoints.STATE_NAME)).findFirst().orElseThrow();
        assertThat(baselines.keys()).isEqualTo(seriesResource.size()).isEqualTo(baselines.entries());
        // a row key is the key-group byte, the key (series id|stat) as stored and the namespace byte; the scoring chain
        // stores its keys compactly (SeriesKeySerializer): a third of the string's bytes or less
        long stored = 0, chars = 0;
        io.augur.ops.flink.SeriesKeySerializer keys = new io.augur.ops.flink.SeriesKeySerializer();
        for (String id : seriesResource.keySet()) {
            org.apache.flink.core.memory.DataOutputSerializer b = new org.apache.flink.core.memory.DataOutputSerializer(64);
            keys.serialize(id + "|Average", b); // the statistic, Sum or Average, is one byte either way (a dictionary word)
            stored += 1 + b.length() + 1;
            chars += 1 + 1 + (id + "|Average").length() + 1;
        }
        assertThat(baselines.keyBytes()).isEqualTo(stored).isLessThan(chars / 2);
        // the stored form (sparse pattern memory) plus the TTL timestamp: well under the ~980 bytes of the full table
        assertThat(baselines.valueBytes() / (double) baselines.keys()).isBetween(300.0, 800.0);
        assertThat(sizes).filteredOn(z -> z.uid().equals(AnomalyStep.REACTIVE_LIFECYCLE_UID) && z.state().equals("event-time timers"))
                .singleElement().satisfies(z -> assertThat(z.valueBytes()).isEqualTo(8 * z.entries()));
        assertThat(sizes).extracting(SavepointInspector.StateSize::uid).contains(AugurTopology.DEDUP_DATAPOINTS_UID, AnomalyStep.BURST_CANDIDATES_UID);
    }

    @Test
    void inspectCommandPrintsTextAndJson() throws Exception {
        String text = cli("state", "inspect", savepoint.toString(), "--parallelism", "1");
        assertThat(text).contains("series with baselines", "score-datapoints", "open insights",
                "prune: kept as is: Flink CEP's internal state");
        JsonNode json = JSON.readTree(cli("state", "inspect", "--json", "--samples", "0", savepoint.toString(), "--parallelism", "1"));
        assertThat(json.at("/summary/series with baselines").asLong()).isEqualTo(seriesResource.size());
        assertThat(json.get("maxParallelism").asInt()).isEqualTo(128);
    }

    // ---- prune ------------------------------------------------------------------------------------------------------

    @Test
    void pruneRemovesTheDroppedResourcesStateKeepsTheRestAndTheJobRestoresFromIt() throws Exception {
        // the resource with an open anomaly: its state goes, everything else stays
        String victim = openAnomalyResource();
        long victimSeries = seriesResource.values().stream().filter(victim::equals).count();
        assertThat(victimSeries).isPositive();
        Path pruned = dir.resolve("pruned");
        String out = cli("state", "prune", savepoint.toString(), "--out", pruned.toString(), "--drop-resource", victim, "--parallelism", "2");
        assertThat(out).contains("1 resources dropped", victim);

        SavepointInspector.Report after = SavepointInspector.inspect(pruned.toString(), cfg, 0, 2);
        System.out.printf("pruned %s (%d series): %s%n", victim, victimSeries, after.summary());
        assertThat(after.summary().get("series with baselines")).isEqualTo(seriesResource.size() - victimSeries);
        assertThat(after.summary().get("series de-duplicated")).isEqualTo(seriesResource.size() - victimSeries);
        long victimOpen = keysOf(AnomalyStep.REACTIVE_LIFECYCLE_UID, ReactiveAnomalies.STATE_NAME + ": open anomalies", victim);
        assertThat(victimOpen).isPositive();
        assertThat(after.summary().get("open reactive anomalies")).isEqualTo(report.summary().get("open reactive anomalies") - victimOpen);
        // not per resource: unchanged
        assertThat(after.summary().get("open insights")).isEqualTo(report.summary().get("open insights"));
        assertThat(after.summary().get("change events remembered")).isEqualTo(report.summary().get("change events remembered"));
        // every other key of every rewritten operator is still there, with its timers
        for (SavepointInspector.OperatorReport o : report.operators()) {
            if (!o.present()) continue;
            SavepointInspector.OperatorReport a = after.operator(o.uid());
            for (SavepointInspector.StateReport s : o.states()) {
                long keysOfVictim = o.prunable() ? keysOf(o.uid(), s.name(), victim) : 0;
                assertThat(a.state(s.name()).keys()).as("%s %s", o.uid(), s.name()).isEqualTo(s.keys() - keysOfVictim);
            }
        }
        assertThat(keysOf(AnomalyStep.REACTIVE_LIFECYCLE_UID, ReactiveAnomalies.STATE_NAME, pruned, victim)).isZero();

        // the job restores from the pruned savepoint and goes on: open anomalies of kept resources get their next revisions
        Files.write(dir.resolve("in/metrics/metrics-2.ndjson"), laterLines);
        JobClient job = start(pruned.toString(), "restored");
        try {
            awaitCount("restored-records", laterLines.size(), job);
            Set<String> openBefore = openAnomalyIds(savepoint, victim);
            assertThat(openBefore).as("open reactive anomalies of kept resources, as emitted before the savepoint").isNotEmpty();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            List<Anomaly> revisions = CollectingSink.results("restored-anomalies");
            while (revisions.stream().noneMatch(a -> openBefore.contains(a.getId())) && System.nanoTime() < deadline) Thread.sleep(200);
            assertThat(revisions).as("revisions of anomalies opened before the savepoint").anySatisfy(a -> {
                assertThat(openBefore).contains(a.getId());
                assertThat(a.getRevision() > 0 || a.getStatus() == AnomalyStatus.CLOSED).isTrue();
            });
            // the dropped resource's anomaly is forgotten: no revision of it, only (maybe) a new anomaly from revision 0
            Set<String> victims = openAnomalyIds(savepoint, null);
            victims.removeAll(openBefore);
            assertThat(revisions).noneMatch(a -> victims.contains(a.getId()));
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void pruneByCoverageDropsWhatTheConfiguredCoverageNoLongerCovers() throws Exception {
        // the fleet's account is no longer covered: a dry run would drop every series
        String out = cli("state", "prune", savepoint.toString(), "--by-coverage", "--dry-run", "--json", "--parallelism", "1",
                "--set", "insights.coverage.accounts=000000000000");
        JsonNode r = JSON.readTree(out);
        Map<String, Long> dropped = new LinkedHashMap<>();
        r.get("operators").forEach(o -> dropped.put(o.get("uid").asText(), o.get("dropped").asLong()));
        assertThat(dropped.get(AugurTopology.SCORE_DATAPOINTS_UID)).isEqualTo(seriesResource.size());
        assertThat(r.get("operators")).allSatisfy(o -> assertThat(o.get("kept").asLong()).isZero());
        assertThat(r.get("written").asBoolean()).isFalse();
        List<String> droppedArns = new ArrayList<>();
        r.get("droppedResources").forEach(a -> droppedArns.add(a.asText()));
        assertThat(droppedArns).as("every resource with metrics (and CodeDeploy applications' deployment holds)")
                .containsAll(new HashSet<>(seriesResource.values())).allMatch(a -> a.contains(":123456789012:"));
        // still covered: nothing to drop
        JsonNode none = JSON.readTree(cli("state", "prune", savepoint.toString(), "--by-coverage", "--dry-run", "--json", "--parallelism", "1"));
        assertThat(none.get("droppedResources")).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** A resource with an open reactive anomaly in the savepoint, while another resource has one too. */
    static String openAnomalyResource() throws Exception {
        keysOf(AnomalyStep.REACTIVE_LIFECYCLE_UID, ReactiveAnomalies.STATE_NAME, savepoint, "");
        StateCatalog.KeyedOperator op = StateCatalog.keyed(cfg).stream().filter(o -> o.uid().equals(AnomalyStep.REACTIVE_LIFECYCLE_UID)).findFirst().orElseThrow();
        Set<String> arns = new java.util.TreeSet<>();
        for (String key : keyCache.get(savepoint.toString()).getOrDefault(AnomalyStep.REACTIVE_LIFECYCLE_UID + "|" + ReactiveAnomalies.STATE_NAME + ": open anomalies", Set.of())) {
            arns.add(op.resourceOf().arn(key));
        }
        assertThat(arns).as("resources with an open reactive anomaly").hasSizeGreaterThanOrEqualTo(2);
        return arns.iterator().next();
    }

    static final Map<String, String> anomalyResource = new HashMap<>();

    /** Ids of the open reactive anomalies in a savepoint (not those of {@code except}). */
    static Set<String> openAnomalyIds(Path sp, String except) throws Exception {
        Set<String> out = new java.util.TreeSet<>();
        for (Object o : CollectingSink.results("first-anomalies")) {
            Anomaly a = (Anomaly) o;
            anomalyResource.put(a.getId(), a.getResource().getArn());
        }
        Map<String, Anomaly> last = new HashMap<>();
        for (Object o : CollectingSink.results("first-anomalies")) last.merge(((Anomaly) o).getId(), (Anomaly) o,
                (x, y) -> y.getRevision() >= x.getRevision() ? y : x);
        for (Anomaly a : last.values()) {
            if (a.getStatus() == AnomalyStatus.ONGOING && a.getKind() == io.augur.schema.AnomalyKind.REACTIVE
                    && !a.getResource().getArn().equals(except)) out.add(a.getId());
        }
        return out;
    }

    /** Keys of a state in the original savepoint that belong to a resource. */
    static long keysOf(String uid, String state, String arn) throws Exception {
        return keysOf(uid, state, savepoint, arn);
    }

    /** Savepoint → "uid|state" → keys (one State Processor API job per savepoint). */
    static final Map<String, Map<String, Set<String>>> keyCache = new ConcurrentHashMap<>();

    /** Keys of a state (or facet, or timers) of an operator in a savepoint that belong to a resource. */
    static long keysOf(String uid, String state, Path sp, String arn) throws Exception {
        StateCatalog.KeyedOperator op = StateCatalog.keyed(cfg).stream().filter(o -> o.uid().equals(uid)).findFirst().orElseThrow();
        Map<String, Set<String>> keys = keyCache.get(sp.toString());
        if (keys == null) {
            keys = new HashMap<>();
            StreamExecutionEnvironment env = SavepointEnvironments.create(2);
            org.apache.flink.state.api.SavepointReader reader = org.apache.flink.state.api.SavepointReader.read(env, sp.toString(), SavepointEnvironments.backend());
            DataStream<org.apache.flink.api.java.tuple.Tuple5<String, String, String, Long, String>> all = null;
            for (StateCatalog.KeyedOperator o : StateCatalog.keyed(cfg)) {
                if (!o.prunable()) continue;
                var entries = reader.readKeyedState(org.apache.flink.state.api.OperatorIdentifier.forUid(o.uid()), new StateFunctions.Inspect(o, 0),
                        StateCatalog.keyType(o.uid()), StateFunctions.ENTRY);
                all = all == null ? entries : all.union(entries);
            }
            try (var it = all.executeAndCollect()) {
                while (it.hasNext()) {
                    var e = it.next();
                    keys.computeIfAbsent(e.f0 + "|" + e.f1, k -> new HashSet<>()).add(e.f2);
                }
            }
            keyCache.put(sp.toString(), keys);
        }
        return keys.getOrDefault(uid + "|" + state, Set.of()).stream().filter(k -> arn.equals(op.resourceOf().arn(k))).count();
    }

    static String cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = AugurCli.execute(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("augur %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    /** Counts what it gets, by name (MiniCluster runs in the test's JVM). */
    static final class CountingSink<T> implements Sink<T> {
        private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
        private final String name;

        CountingSink(String name) {
            this.name = name;
            COUNTS.put(name, new AtomicLong());
        }

        static long count(String name) {
            AtomicLong c = COUNTS.get(name);
            return c == null ? 0 : c.get();
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            AtomicLong c = COUNTS.get(name);
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
                    c.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
