package io.augur.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.config.AugurConfig;
import io.augur.job.demo.DemoTimeline;
import io.augur.job.demo.NdjsonTail;
import io.augur.job.replay.Replay;
import io.augur.job.replay.ReplaySummary;
import io.augur.job.simulate.Scenario;
import io.augur.job.simulate.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Simulate the default scenario (4 applications, 20 resources, 3 days, one incident of every kind), replay it through",
                "the whole job on an embedded Flink, print the insights as they are produced, and score them against the simulator's",
                "ground truth (`augur eval scenarios`). Writes DIR/sim (simulator output) and DIR/out (replay output)."})
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--out", description = "Directory for the simulator's and the replay's files (default: a new temporary directory).")
    Path out;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the embedded Flink (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--associations", description = "Also print NEW_ASSOCIATION events (every anomaly joining an insight).")
    boolean associations;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        Path dir = out != null ? out : Files.createTempDirectory("augur-demo");
        Path simDir = dir.resolve("sim");
        Path outDir = dir.resolve("out");
        Simulator.Summary sim = new Simulator(Scenario.named("default"), 1).write(simDir);
        o.println("augur demo: " + sim.describe());

        Map<String, String> extra = new LinkedHashMap<>();
        demoDefault(extra, AugurConfig.STATE_BACKEND.name(), "hashmap");
        extra.put(AugurConfig.SOURCE_TYPE.name(), "files");
        extra.put(AugurConfig.REPLAY_METRICS.name(), simDir.resolve("metrics.ndjson").toString());
        extra.put(AugurConfig.REPLAY_EVENTS.name(), simDir.resolve("events.ndjson").toString());
        AugurConfig cfg = options.load(extra);
        o.println("augur demo: replaying it through the whole job (parallelism " + parallelism + ", " + cfg.get(AugurConfig.STATE_BACKEND)
                + " state); limits: the catalog's, DynamoDB tables' from their ProvisionedRead/WriteCapacityUnits metrics");
        o.println();
        o.println(DemoTimeline.header());

        CompletableFuture<ReplaySummary> replay = CompletableFuture.supplyAsync(() -> {
            try {
                return new Replay(cfg, outDir, parallelism, null).run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        NdjsonTail tail = new NdjsonTail(outDir.resolve("insights.ndjson"));
        ReplaySummary summary;
        while (true) {
            print(tail.poll(), o);
            try {
                summary = replay.get(250, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException notYet) {
                // keep tailing
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r && r.getCause() instanceof Exception x ? x : e;
            }
        }
        print(tail.poll(), o);

        o.println();
        o.println(summary.describe());
        o.println();
        EvalCommand.Scenarios.report(simDir.resolve("ground-truth.json"), outDir.resolve("insights.ndjson"), o);
        o.println();
        o.println("augur demo: files in " + dir + " (sim/: simulator output and ground truth; out/: insights.ndjson, anomalies.ndjson, ...)");
        return 0;
    }

    /** A demo setting, unless the configuration file or a --set flag gives the key. */
    private void demoDefault(Map<String, String> extra, String key, String value) throws java.io.IOException {
        if (options.overrides.containsKey(key)) return;
        if (options.file != null && AugurConfig.readFile(options.file).containsKey(key)) return;
        extra.put(key, value);
    }

    private void print(List<String> lines, PrintStream o) throws Exception {
        for (String line : lines) for (String l : DemoTimeline.lines(JSON.readTree(line), associations)) o.println(l);
        o.flush();
    }
}
