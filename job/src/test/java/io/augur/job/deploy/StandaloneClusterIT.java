package io.augur.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.AugurJob;
import io.augur.job.cli.AugurCli;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import io.augur.job.testing.KinesisLocal;
import io.augur.job.testing.StandaloneCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/standalone} for real: a Flink JobManager and TaskManager as two separate JVMs on 127.0.0.1, configured by
 * {@code deploy/standalone/conf/config.yaml}; the shaded job jar ({@code job/target/augur-job.jar}) uploaded and run
 * over the REST API with {@code deploy/standalone/conf/augur.yaml} plus replay files of a small simulated fleet; the
 * job must finish and write the same {@link #AWAITED_OUTPUT} records as {@code augur replay} over the same files.
 * Runs in {@code mvn verify} (failsafe, after {@code package}). Logs stay in {@code job/target/standalone-cluster-it/}.
 */
class StandaloneClusterIT {
    /**
     * The output the test waits for and compares: {@code <output.dir>/<name>/} on the cluster, {@code <name>.ndjson}
     * from {@code augur replay}. Switch to {@code "insights"} once insight correlation writes that output.
     */
    static final String AWAITED_OUTPUT = "anomalous-points";

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(180); // a bound for failures; the job takes 8 s idle, 25 s on a loaded machine
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJobJarRunsOnASeparateProcessClusterAndWritesWhatAReplayWrites() throws Exception {
        Path root = KinesisLocal.repoRoot();
        Path jar = root.resolve("job/target/augur-job.jar");
        assertThat(jar).as("the shaded jar (built by `package`; run this test with `mvn verify`)").isRegularFile();
        Path work = root.resolve("job/target/standalone-cluster-it");
        deleteTree(work);
        Files.createDirectories(work);

        // 8 resources for one day with incidents: enough for anomalies, small enough for seconds of work
        Path sim = work.resolve("sim");
        new Simulator(Scenario.named("default").withSizes(8, 1, null), 1).write(sim);
        Path metrics = sim.resolve(Simulator.METRICS_FILE);
        Path events = sim.resolve(Simulator.EVENTS_FILE);

        // the reference: the same files through `augur replay` (embedded Flink, parallelism 1), while the cluster starts
        Path replayOut = work.resolve("replay");
        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> AugurCli.execute("replay",
                "--metrics", metrics.toString(), "--events", events.toString(), "--out", replayOut.toString(), "--parallelism", "1", "--quiet"));

        Path output = work.resolve("output");
        long started = System.nanoTime();
        StandaloneCluster cluster;
        try {
            cluster = StandaloneCluster.start(root.resolve("deploy/standalone/conf"), work.resolve("cluster"));
        } catch (Exception | Error e) {
            replay.handle((code, err) -> code).join(); // never leave the replay running past the test
            throw e;
        }
        try {
            String jarId = cluster.uploadJar(jar);
            String jobId = cluster.runJar(jarId, AugurJob.class.getName(), List.of(
                    "--config", root.resolve("deploy/standalone/conf/augur.yaml").toString(),
                    "--set", "source.type=files",
                    "--set", "replay.metrics=" + metrics,
                    "--set", "replay.events=" + events,
                    "--set", "output.dir=" + output.toUri(),
                    // the file sink commits on checkpoints: the last one follows the end of the bounded input
                    "--set", "checkpoint.interval=1s"), 1);

            String state = cluster.awaitTerminal(jobId, JOB_TIMEOUT);
            if (!"FINISHED".equals(state)) {
                String why = cluster.exceptions(jobId);
                if (!state.equals("FAILED") && !state.equals("CANCELED")) cluster.cancel(jobId);
                throw new AssertionError("job " + jobId + " is " + state + ", not FINISHED, after " + JOB_TIMEOUT.toSeconds()
                        + " s\n" + why + "\n" + cluster.logTails());
            }
            assertThat(replay.join()).as("augur replay exit code").isZero();
            List<String> expected = sorted(Files.readAllLines(replayOut.resolve(AWAITED_OUTPUT + ".ndjson")));
            assertThat(expected).as("the simulated incidents give the replay something to find").isNotEmpty();
            List<String> written = committedLines(output.resolve(AWAITED_OUTPUT));
            assertThat(sorted(written)).as("%s from the cluster (logs in %s)", AWAITED_OUTPUT, cluster.logDir()).isEqualTo(expected);
            for (String line : written) assertThat(JSON.readTree(line).isObject()).isTrue();

            JsonNode job = cluster.get("/jobs/" + jobId);
            assertThat(job.path("name").asText()).isEqualTo("augur");
            JsonNode checkpoints = cluster.get("/jobs/" + jobId + "/checkpoints");
            assertThat(checkpoints.at("/counts/completed").asInt()).as("checkpoints completed (RocksDB)").isPositive();
            assertThat(cluster.get("/jobs/" + jobId + "/config").at("/execution-config/job-parallelism").asInt()).isEqualTo(1);
        } finally {
            replay.handle((code, err) -> code).join();
            cluster.close();
            System.out.printf("StandaloneClusterIT: cluster start, submission and job took %.1f s; logs in %s%n",
                    (System.nanoTime() - started) / 1e9, cluster.logDir());
        }
    }

    /** Lines of the committed part files under {@code dir} (FileSink: in-progress and pending files are hidden, dot-prefixed). */
    private static List<String> committedLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(dir)) return lines;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) lines.add(l);
            }
        }
        return lines;
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).sorted().toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
