package io.augur.job.topology;

import io.augur.job.config.AugurConfig;
import io.augur.job.replay.Replay;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code job.object-reuse} (Flink's {@code pipeline.object-reuse}, on by default) changes no output: the demo's data
 * (the default scenario, seed 1: anomalies, insights, late datapoints, duplicates, dead letters) replayed through the
 * whole job ({@code AugurJob.buildJob}: NDJSON outputs and the insight tables as files) with object reuse on and off
 * gives the same lines in every output (the anomalies table: the same final row per anomaly, see {@link #outputs}).
 * On the heap state backend, where keyed state holds the objects themselves, so an operator that kept a record it got
 * from a chained operator, or changed one it got or passed on (the outputs of a fan-out share the record's value),
 * would show here.
 */
class ObjectReuseTest {
    @TempDir
    static Path dir;
    static Map<String, List<String>> reused, copied;

    @BeforeAll
    static void replayTwice() throws Exception {
        Path sim = dir.resolve("sim");
        new Simulator(Scenario.named("default"), 1).write(sim);
        reused = replay(sim, dir.resolve("reused"), true);
        copied = replay(sim, dir.resolve("copied"), false);
    }

    static Map<String, List<String>> replay(Path sim, Path out, boolean objectReuse) throws Exception {
        AugurConfig cfg = AugurConfig.defaults().with(Map.of(
                "source.type", "files",
                "replay.metrics", sim.resolve(Simulator.METRICS_FILE).toString(),
                "replay.events", sim.resolve(Simulator.EVENTS_FILE).toString(),
                "state.backend", "hashmap",
                "tables.path", out.resolve("tables").toString(),
                "job.object-reuse", Boolean.toString(objectReuse)));
        new Replay(cfg, out, 2, null).run();
        return outputs(out);
    }

    /** Every output file's lines, sorted; files of one directory (the tables' part files) together. */
    static Map<String, List<String>> outputs(Path out) throws IOException {
        Map<String, List<String>> lines = new TreeMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals("summary.json") || name.startsWith(".")) continue; // run times; in-progress part files
                String group = out.relativize(f).toString().endsWith(".ndjson") ? out.relativize(f).toString() : out.relativize(f.getParent()).toString();
                List<String> l = lines.computeIfAbsent(group, k -> new ArrayList<>());
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    l.add(line.replaceAll("\"receivedAt\":\"[^\"]*\"", "\"receivedAt\":\"\"")); // dead letters: processing time
                }
            }
        }
        // The anomalies table's row versions follow the arrival order of its two inputs (revisions, and the insight events
        // that name an anomaly), which is a race between two network channels: intermediate versions differ from run to
        // run whatever the object reuse. Compared here: each anomaly's final row, without its version number.
        Map<String, JsonNode> finalRows = new TreeMap<>();
        for (java.util.Iterator<Map.Entry<String, List<String>>> it = lines.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<String>> e = it.next();
            if (!e.getKey().startsWith("tables/anomalies/")) continue;
            for (String line : e.getValue()) {
                ObjectNode row = (ObjectNode) JSON.readTree(line);
                JsonNode prev = finalRows.get(row.get("id").asText());
                if (prev == null || prev.get("version").asLong() < row.get("version").asLong()) finalRows.put(row.get("id").asText(), row);
            }
            it.remove();
        }
        List<String> rows = new ArrayList<>();
        for (JsonNode row : finalRows.values()) rows.add(((ObjectNode) row.deepCopy()).without("version").toString());
        if (!rows.isEmpty()) lines.put("tables/anomalies (final row per anomaly, version aside)", rows);
        lines.values().forEach(l -> l.sort(null));
        return lines;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theReplayHasSomethingInEveryOutputThatMatters() {
        assertThat(reused).containsKeys("anomalies.ndjson", "insights.ndjson", "anomalous-points.ndjson", "metrics.ndjson", "dead-letter.ndjson");
        assertThat(reused.get("anomalies.ndjson")).hasSizeGreaterThan(50);
        assertThat(reused.get("insights.ndjson")).hasSizeGreaterThan(50);
        assertThat(reused.keySet()).anyMatch(k -> k.startsWith("tables"));
    }

    @Test
    void objectReuseChangesNoOutput() {
        assertThat(reused.keySet()).isEqualTo(copied.keySet());
        for (String name : copied.keySet()) {
            List<String> a = reused.get(name), b = copied.get(name);
            assertThat(a).as(name).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) assertThat(a.get(i)).as(name + " line " + i + " (sorted)").isEqualTo(b.get(i));
        }
    }
}
