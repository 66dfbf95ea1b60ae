package io.augur.job.cli;

import io.augur.job.config.AugurConfig;
import io.augur.job.replay.Replay;
import io.augur.job.replay.ReplaySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run the whole topology on an embedded Flink over files of AWS records, in event time, as fast as it can.",
                "Writes DIR/metrics.ndjson, DIR/change-events.ndjson, DIR/dead-letter.ndjson, DIR/anomalous-points.ndjson, DIR/anomalies.ndjson (DevOps Guru anomaly revisions), DIR/late-points.ndjson and DIR/summary.json.",
                "Also leaves the insight tables in DIR/tables (tables.sink, tables.path): query them with `augur query`.",
                "Without --metrics and --events it replays the built-in sample data."})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--metrics", split = ",", description = "Files or directories of metric-stream records (one record per line; binary records as base64:…; .gz files allowed).")
    List<String> metrics;

    @Option(names = "--events", split = ",", description = "Files or directories of EventBridge / CloudTrail / CodeDeploy / Config records.")
    List<String> events;

    @Option(names = "--out", defaultValue = "augur-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the embedded Flink (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        Map<String, String> extra = new HashMap<>();
        extra.put(AugurConfig.SOURCE_TYPE.name(), "files");
        if (metrics == null && events == null) {
            Path samples = Replay.extractSamples();
            System.err.println("augur: no --metrics/--events given: replaying the built-in sample data from " + samples);
            metrics = List.of(samples.resolve("metrics.ndjson").toString());
            events = List.of(samples.resolve("events.ndjson").toString());
        }
        if (metrics != null) extra.put(AugurConfig.REPLAY_METRICS.name(), String.join(",", metrics));
        if (events != null) extra.put(AugurConfig.REPLAY_EVENTS.name(), String.join(",", events));
        AugurConfig cfg = options.load(extra);
        ReplaySummary summary = new Replay(cfg, out, parallelism, quiet ? null : System.err).run();
        System.out.println(summary.describe());
        if (!summary.balanced()) {
            System.err.println("augur: counts do not add up: read != accepted + ignored + dead-lettered. This is a bug; please report it with the input.");
            return 3;
        }
        return 0;
    }
}
