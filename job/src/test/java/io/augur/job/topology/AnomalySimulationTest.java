package io.augur.job.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.AugurJob;
import io.augur.job.config.AugurConfig;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import io.augur.job.testing.CollectingSink;
import io.augur.ops.format.RecordJson;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on a MiniCluster over the simulator's default scenario (20 resources, 3 days, every incident kind once,
 * harmless noise): every incident kind yields its anomaly (proactive ones at least a day before exhaustion, DynamoDB's
 * against the provisioned capacity the table's own metrics report), the noise yields none. Prints the figures.
 */
class AnomalySimulationTest {
    private static final long MIN = 60_000;
    private static final long SEED = 1;

    @TempDir
    static Path dir;
    static JsonNode truth;
    static long start;
    /** Anomaly id → its revisions in order. */
    static final Map<String, List<Anomaly>> anomalies = new LinkedHashMap<>();
    static final Map<String, String> appOf = new HashMap<>();
    static final Map<String, Set<String>> appResources = new HashMap<>();

    static AugurConfig cfg;

    @BeforeAll
    static void simulateAndRun() throws Exception {
        new Simulator(Scenario.named("default"), SEED).write(dir);
        truth = new ObjectMapper().readTree(dir.resolve(Simulator.GROUND_TRUTH_FILE).toFile());
        start = truth.get("startEpochMs").asLong();
        // what an operator would configure: the resources of each deployment group (DynamoDB's provisioned capacity comes
        // from the tables' ProvisionedRead/WriteCapacityUnits metrics)
        StringJoiner targets = new StringJoiner(";");
        for (JsonNode app : truth.get("applications")) {
            List<String> compute = new ArrayList<>();
            for (JsonNode r : app.get("resources")) {
                appOf.put(r.get("arn").asText(), app.get("name").asText());
                appResources.computeIfAbsent(app.get("name").asText(), k -> new HashSet<>()).add(r.get("arn").asText());
                String type = r.get("type").asText();
                if (type.equals("AWS::Lambda::Function") || type.equals("AWS::EC2::Instance")) compute.add(r.get("arn").asText());
            }
            targets.add(app.get("codeDeployApplication").asText() + "/" + app.get("deploymentGroup").asText() + "=" + String.join(",", compute));
        }
        cfg = AugurConfig.defaults().with(Map.of(
                "source.type", "files",
                "replay.metrics", dir.resolve(Simulator.METRICS_FILE).toString(),
                "replay.events", dir.resolve(Simulator.EVENTS_FILE).toString(),
                "state.backend", "hashmap",
                "checkpoint.interval", "0",
                "anomaly.deployment.targets", targets.toString()));
        for (Anomaly a : run(2, "sim-anomalies")) anomalies.computeIfAbsent(a.getId(), k -> new ArrayList<>()).add(a);
        for (List<Anomaly> revisions : anomalies.values()) revisions.sort((x, y) -> Integer.compare(x.getRevision(), y.getRevision()));
    }

    static List<Anomaly> run(int parallelism, String sink) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, AugurJob.flinkConfiguration(cfg, false));
        AugurJob.configure(env, cfg, false);
        AugurTopology.Streams streams = AugurTopology.build(env, cfg);
        streams.anomalies().sinkTo(new CollectingSink<>(sink)).name("collect").uid("collect-anomalies").setParallelism(1);
        env.execute("anomaly-simulation");
        List<Anomaly> out = new ArrayList<>();
        for (Object o : CollectingSink.results(sink)) out.add((Anomaly) o);
        return out;
    }

    static double minute(long ms) {
        return (ms - start) / (double) MIN;
    }

    static Anomaly first(List<Anomaly> revisions) {
        return revisions.get(0);
    }

    /** The incident an anomaly belongs to: reactive ones first, on the incident's application, within its window. */
    static JsonNode incidentOf(Anomaly a) {
        String app = appOf.get(a.getResource().getArn());
        for (boolean proactive : new boolean[] {false, true}) {
            for (JsonNode inc : truth.get("incidents")) {
                if (inc.get("expectedInsight").asText().equals("PROACTIVE") != proactive || !inc.get("application").asText().equals(app)) continue;
                double onset = minute(inc.get("onsetEpochMs").asLong()), end = minute(inc.get("endEpochMs").asLong()), s = minute(a.getStartTime());
                if (!proactive && s >= onset - 10 && s <= end + 60) return inc;
                if (proactive && a.getKind() == AnomalyKind.PROACTIVE && a.getResource().getArn().equals(inc.get("primaryResource").asText())
                        && a.getMetricName().equals(inc.get("limit").get("metricName").asText())) return inc;
                if (proactive && a.getKind() == AnomalyKind.REACTIVE && s >= minute(inc.get("exhaustionEpochMs").asLong()) - 240 && s <= end + 60) return inc;
                // the limit is first reached at a daily peak: at the peak a day earlier the creeping resource itself already
                // brushes it (real throttles on the table or function, no other resource)
                if (proactive && a.getKind() == AnomalyKind.REACTIVE && a.getResource().getArn().equals(inc.get("primaryResource").asText())
                        && s >= minute(inc.get("exhaustionEpochMs").asLong()) - 26 * 60 && s <= end + 60
                        && (a.getMetricName().equals("Throttles") || a.getMetricName().equals("ThrottledRequests"))) return inc;
            }
        }
        return null;
    }

    @Test
    void everyIncidentKindYieldsItsAnomalyAndTheHarmlessNoiseYieldsNone() {
        assertThat(anomalies).isNotEmpty();
        StringBuilder report = new StringBuilder("\nanomalies per incident (seed " + SEED + "):\n");
        List<String> missed = new ArrayList<>();
        for (JsonNode inc : truth.get("incidents")) {
            String kind = inc.get("kind").asText();
            double onset = minute(inc.get("onsetEpochMs").asLong());
            Set<String> affected = new HashSet<>();
            inc.get("affectedResources").forEach(r -> affected.add(r.asText()));
            List<Anomaly> mine = new ArrayList<>();
            for (List<Anomaly> revisions : anomalies.values()) if (incidentOf(first(revisions)) == inc) mine.add(first(revisions));
            if (inc.get("expectedInsight").asText().equals("REACTIVE")) {
                List<Anomaly> onAffected = mine.stream().filter(a -> a.getKind() == AnomalyKind.REACTIVE && affected.contains(a.getResource().getArn())).toList();
                if (onAffected.isEmpty()) {
                    missed.add(kind);
                    report.append(String.format("  %-26s missed%n", kind));
                    continue;
                }
                double open = onAffected.stream().mapToDouble(a -> minute(a.getOpenTime())).min().orElseThrow();
                long resources = onAffected.stream().map(a -> a.getResource().getArn()).distinct().count();
                report.append(String.format("  %-26s reactive anomaly %.0f min after onset; %d anomalies on %d of %d affected resources (%d on the application)%n",
                        kind, open - onset, onAffected.size(), resources, affected.size(), mine.size()));
                assertThat(open - onset).as("%s: minutes from onset to the first reactive anomaly", kind).isBetween(0.0, 10.0);
            } else {
                double exhaustion = minute(inc.get("exhaustionEpochMs").asLong());
                List<Anomaly> proactive = mine.stream().filter(a -> a.getKind() == AnomalyKind.PROACTIVE).toList();
                if (proactive.isEmpty()) {
                    missed.add(kind);
                    report.append(String.format("  %-26s missed%n", kind));
                    continue;
                }
                Anomaly p = proactive.get(0);
                double open = minute(p.getOpenTime());
                report.append(String.format("  %-26s proactive anomaly %.1f h before exhaustion (%.1f h after the trend began), predicted %s .. %s, exhaustion at %s; %d revisions; %d reactive anomalies on its impact%n",
                        kind, (exhaustion - open) / 60, (open - onset) / 60, java.time.Instant.ofEpochMilli(p.getPredictionStart()),
                        java.time.Instant.ofEpochMilli(p.getPredictionEnd()), java.time.Instant.ofEpochMilli(inc.get("exhaustionEpochMs").asLong()),
                        anomalies.get(p.getId()).size(), mine.size() - proactive.size()));
                assertThat(exhaustion - open).as("%s: minutes from the proactive anomaly to exhaustion", kind).isGreaterThanOrEqualTo(24 * 60.0);
                assertThat(p.getLimit()).isEqualTo(inc.get("limit").get("value").asDouble());
            }
        }

        // harmless noise: no anomaly on a noise item's resource (or, for deployments, its application) in the half hour after it
        List<String> fromNoise = new ArrayList<>();
        for (JsonNode n : truth.get("noise")) {
            double at = minute(n.get("timeEpochMs").asLong()), until = at + n.get("durationMinutes").asInt() + 30;
            Set<String> where = n.get("resource").isNull() ? appResources.get(n.get("application").asText()) : Set.of(n.get("resource").asText());
            for (List<Anomaly> revisions : anomalies.values()) {
                Anomaly a = first(revisions);
                double s = minute(a.getStartTime());
                if (where.contains(a.getResource().getArn()) && s >= at - 5 && s <= until && incidentOf(a) == null) {
                    fromNoise.add(n.get("kind").asText() + " at " + at + ": " + a.getName());
                }
            }
        }
        List<String> unexplained = new ArrayList<>();
        for (List<Anomaly> revisions : anomalies.values()) {
            if (incidentOf(first(revisions)) == null) unexplained.add(first(revisions).getName() + " from minute " + Math.round(minute(first(revisions).getStartTime())));
        }
        double resourceDays = truth.get("counts").get("resources").asInt() * truth.get("days").asDouble();
        report.append(String.format("  %d anomalies (%d revisions); %d not explained by an incident = %.3f per resource-day: %s%n",
                anomalies.size(), anomalies.values().stream().mapToInt(List::size).sum(), unexplained.size(), unexplained.size() / resourceDays, unexplained));
        System.out.println(report);

        assertThat(missed).as("incident kinds without their anomaly").isEmpty();
        assertThat(fromNoise).as("anomalies caused by harmless noise (no-op deployments, routine config changes, blips)").isEmpty();
        assertThat(unexplained.size() / resourceDays).as("false anomalies per resource-day").isLessThanOrEqualTo(0.05);
    }

    @Test
    void aReplayAtAnotherParallelismGivesTheSameAnomalies() throws Exception {
        // The lifecycle (ids, kinds, severities, statuses, revisions, start and open times) must be the same. Datapoints the
        // simulator delivers later than the watermark bound may fall on either side of the watermark, since Flink emits
        // watermarks periodically in processing time: the points listed in a revision and the minute an anomaly ends may
        // then differ, and those late points are counted on the late-points output either way.
        List<String> first = new ArrayList<>(), again = new ArrayList<>();
        for (List<Anomaly> revisions : anomalies.values()) for (Anomaly a : revisions) first.add(lifecycle(a));
        for (Anomaly a : run(1, "sim-anomalies-again")) again.add(lifecycle(a));
        Collections.sort(first);
        Collections.sort(again);
        assertThat(again).isEqualTo(first);
    }

    private static String lifecycle(Anomaly a) {
        return String.join("|", a.getId(), a.getKind().name(), a.getSeverity().name(), a.getStatus().name(),
                String.valueOf(a.getRevision()), String.valueOf(a.getStartTime()), String.valueOf(a.getOpenTime()), a.getSeriesKey());
    }

    @Test
    void everyAnomalyIsAWellFormedLifecycle() {
        for (List<Anomaly> revisions : anomalies.values()) {
            Anomaly open = revisions.get(0);
            assertThat(open.getRevision()).isZero();
            assertThat(open.getStatus()).isEqualTo(AnomalyStatus.ONGOING);
            for (int i = 0; i < revisions.size(); i++) {
                Anomaly r = revisions.get(i);
                assertThat(r.getRevision()).isEqualTo(i);
                assertThat(r.getId()).isEqualTo(open.getId());
                assertThat(r.getStartTime()).isEqualTo(open.getStartTime());
                assertThat(r.getOpenTime()).isEqualTo(open.getOpenTime());
                assertThat(r.getUpdateTime()).isGreaterThanOrEqualTo(open.getOpenTime());
                assertThat(r.getStatus() == AnomalyStatus.CLOSED).as("only the last revision is CLOSED").isEqualTo(i == revisions.size() - 1 && r.getCloseTime() != null);
                assertThat(r.getDatapoints()).hasSizeLessThanOrEqualTo(30);
            }
            assertThat(revisions.get(revisions.size() - 1).getStatus()).as("the replay's end closes every anomaly").isEqualTo(AnomalyStatus.CLOSED);
            // proactive: a revision when the forecast moved by a quarter of the time left, at most hourly, over a day or more
            assertThat(revisions.size()).as("revisions are bounded").isLessThanOrEqualTo(open.getKind() == AnomalyKind.PROACTIVE ? 12 : 8);
        }
    }
}
