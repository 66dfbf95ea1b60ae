package io.augur.job.simulate;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Generate a simulated fleet's CloudWatch metric-stream datapoints and CloudTrail / CodeDeploy / Config events, "
                + "with injected incidents, in the exact wire formats Augur reads.",
                "Writes DIR/metrics.ndjson and DIR/events.ndjson (one record per line; replay them with "
                + "`augur replay --metrics DIR/metrics.ndjson --events DIR/events.ndjson`) and DIR/ground-truth.json "
                + "(every injected incident and harmless noise item). The same seed gives the same bytes.",
                "Incident kinds: DEPLOYMENT_REGRESSION, BAD_CONFIG_CHANGE, TRAFFIC_SURGE, DEPENDENCY_FAILURE (reactive); "
                + "MEMORY_LEAK, DISK_FILL, DYNAMODB_CAPACITY_CREEP, LAMBDA_CONCURRENCY_CREEP (proactive).",
                "Scenarios: default (20 resources, 3 days, every kind once), fleet (100 resources, 3 days, every kind 3 times), "
                + "quiet (20 resources, 2 days, no incidents).", ""})
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--scenario", defaultValue = "default", description = "Named scenario: default, fleet or quiet (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--resources", description = "Number of resources (at least 8; default: the scenario's).")
    Integer resources;

    @Option(names = "--days", description = "Days of 1-minute data (default: the scenario's).")
    Integer days;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", description = "Start instant, ISO-8601 (default: " + "2025-03-03T00:00:00Z" + ", a Monday).")
    String start;

    @Option(names = "--out", defaultValue = "augur-sim", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Scenario s;
        Instant st;
        try {
            s = Scenario.named(scenario);
            st = start == null ? null : Instant.parse(start);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            System.err.println("augur: " + e.getMessage());
            return 2;
        }
        s = s.withSizes(resources, days, st);
        Simulator sim;
        try {
            sim = new Simulator(s, seed);
        } catch (IllegalArgumentException e) {
            System.err.println("augur: " + e.getMessage());
            return 2;
        }
        long t0 = System.nanoTime();
        Simulator.Summary summary = sim.write(out);
        System.out.println(summary.describe());
        System.err.printf("augur: simulated %d days in %.1f s%n", s.days(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
