package io.augur.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.augur.job.config.AugurConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code augur state}: savepoint tools on Flink's State Processor API. A local tool: the State Processor API is on the
 * {@code augur} launcher's classpath (provided scope), not in the job jar, so the classes that use it
 * ({@code io.augur.job.state}) are only loaded by these commands.
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Look into and edit Augur's savepoints (and retained checkpoints) with Flink's State Processor API.",
                "Pass the same configuration (--config/--set) as the job: it gives the state TTLs and the coverage.",
                "See \"Upgrading with savepoints\" in the README and deploy/UPGRADING.md."},
        subcommands = {StateCommand.Inspect.class, StateCommand.Prune.class, StateCommand.Migrate.class})
public final class StateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Counts and samples of every keyed state in a savepoint: series with baselines, de-duplication state,",
                    "anomaly lifecycles (open anomalies), forecasts, deployment holds, coverage memberships, insight",
                    "correlation (open insights), timers. Run it before and after an upgrade to see that state was kept.",
                    "SAVEPOINT: the savepoint (or retained checkpoint) directory, any Flink file system URI (file://, s3://)."})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "SAVEPOINT")
        String savepoint;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Option(names = "--samples", defaultValue = "2", description = "Sample values shown per state (default ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--parallelism", defaultValue = "0", description = "Parallelism of the local reading job (default: cores).")
        int parallelism;

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            AugurConfig cfg = config.load(Map.of());
            io.augur.job.state.SavepointInspector.Report r = io.augur.job.state.SavepointInspector.inspect(savepoint, cfg, samples, parallelism);
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
            } else {
                StateText.print(r, System.out);
            }
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Write a new savepoint without the keyed state of resources that are no longer covered or that you name.",
                    "By coverage (--by-coverage): the configuration's insights.coverage.* keys (mode, accounts, stacks,",
                    "tag key and values) decide, with the stacks and tags the savepoint's coverage operators know.",
                    "Rewritten (state per series or resource): " + "dedup-datapoints, score-datapoints, anomaly-burst-candidates,",
                    "anomaly-reactive-lifecycle, anomaly-forecast, anomaly-proactive-lifecycle, anomaly-deployment-hold.",
                    "Kept as they are: the CEP operators (anomaly-reactive-pattern, anomaly-proactive-pattern: Flink CEP's",
                    "internal NFA and partial-match buffers; their partial matches expire with the pattern window, within",
                    "minutes), the coverage operators (they also hold the coverage settings as broadcast state), insight",
                    "correlation (keyed by application) and the change-event de-duplication (keyed by event id); their",
                    "state expires by itself. The TTL clock of kept keys in rewritten operators restarts at the rewrite.",
                    "Nothing is changed in SAVEPOINT; keep it until the job runs well from NEW_SAVEPOINT."})
    static final class Prune implements Callable<Integer> {
        @Parameters(paramLabel = "SAVEPOINT")
        String savepoint;

        @Option(names = "--out", paramLabel = "NEW_SAVEPOINT", description = "Directory of the new savepoint (must not exist).")
        String out;

        @Option(names = "--drop-resource", paramLabel = "ARN-or-prefix", description = "Drop the state of resources whose ARN starts with this (repeatable).")
        List<String> drop = new ArrayList<>();

        @Option(names = "--by-coverage", description = "Drop the state of resources the configured coverage (insights.coverage.*) does not cover.")
        boolean byCoverage;

        @Option(names = "--drop-unknown", description = "With --by-coverage in stacks/tags mode: also drop resources whose stack and tags the savepoint does not know (kept by default).")
        boolean dropUnknown;

        @Option(names = "--dry-run", description = "Only print what would be dropped.")
        boolean dryRun;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Option(names = "--parallelism", defaultValue = "0", description = "Parallelism of the local jobs (default: cores).")
        int parallelism;

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            if (drop.isEmpty() && !byCoverage) {
                System.err.println("augur state prune: say what to drop: --by-coverage and/or --drop-resource ARN-or-prefix");
                return 2;
            }
            if (out == null && !dryRun) {
                System.err.println("augur state prune: --out NEW_SAVEPOINT is required (or --dry-run)");
                return 2;
            }
            AugurConfig cfg = config.load(Map.of());
            io.augur.job.state.SavepointPruner.Result r = io.augur.job.state.SavepointPruner.prune(savepoint, out, cfg,
                    new io.augur.job.state.SavepointPruner.Selection(drop, byCoverage, dropUnknown), dryRun, parallelism);
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
            } else {
                StateText.print(r, System.out);
            }
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Write a new savepoint whose scoring-chain operators (dedup-datapoints, score-datapoints,",
                    "anomaly-burst-candidates) and forecaster (anomaly-forecast) store their keys in the current compact form. A savepoint from before the compact",
                    "key (or with an older key dictionary) restores without this, keeping its keys' form, which takes more bytes",
                    "per row and timer; after migrating, new and old keys take the compact form. Every other operator's state is",
                    "carried over as it is. Nothing is changed in SAVEPOINT; keep it until the job runs well from NEW_SAVEPOINT."})
    static final class Migrate implements Callable<Integer> {
        @Parameters(paramLabel = "SAVEPOINT")
        String savepoint;

        @Option(names = "--out", paramLabel = "NEW_SAVEPOINT", required = true, description = "Directory of the new savepoint (must not exist).")
        String out;

        @Option(names = "--parallelism", defaultValue = "0", description = "Parallelism of the local job (default: cores).")
        int parallelism;

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Override
        public Integer call() throws Exception {
            AugurConfig cfg = config.load(Map.of());
            io.augur.job.state.SavepointMigrator.Result r = io.augur.job.state.SavepointMigrator.migrate(savepoint, out, cfg, parallelism);
            System.out.println("written: " + r.out() + " (keys rewritten in the compact form: "
                    + (r.rewritten().isEmpty() ? "none, no scoring-chain state" : String.join(", ", r.rewritten())) + ")");
            return 0;
        }
    }

    /** The text renderings. */
    static final class StateText {
        private StateText() {}

        static void print(io.augur.job.state.SavepointInspector.Report r, PrintStream out) {
            out.printf("Savepoint %s (checkpoint %d, max parallelism %d, %d operators with state)%n%n", r.savepoint(), r.checkpointId(),
                    r.maxParallelism(), r.operatorsWithState());
            out.println("Summary");
            r.summary().forEach((k, v) -> out.printf("  %-34s %d%n", k, v));
            out.println();
            for (io.augur.job.state.SavepointInspector.OperatorReport o : r.operators()) {
                out.printf("%s  %s (keyed by %s)%s%n", o.uid(), o.title(), o.keyedBy(), o.present() ? "" : "  [not in this savepoint]");
                if (!o.present()) {
                    out.println();
                    continue;
                }
                out.println(o.prunable() ? "  prune: rewritten without dropped resources" : "  prune: kept as is: " + o.keptBecause());
                if (!o.undecodedStates().isEmpty()) out.println("  states not decoded: " + String.join(", ", o.undecodedStates()));
                for (io.augur.job.state.SavepointInspector.StateReport s : o.states()) {
                    out.printf("  %-44s %8d keys %10d entries%n", s.name(), s.keys(), s.entries());
                    for (io.augur.job.state.SavepointInspector.Sample smp : s.samples()) {
                        String v = smp.value().length() > 300 ? smp.value().substring(0, 300) + "…" : smp.value();
                        out.printf("      %s = %s%n", smp.key(), v);
                    }
                }
                out.println();
            }
            if (!r.otherOperators().isEmpty()) {
                out.printf("%d other operators with state (sources, sinks, tables; by operator id): %s%n", r.otherOperators().size(),
                        String.join(" ", r.otherOperators()));
            }
        }

        static void print(io.augur.job.state.SavepointPruner.Result r, PrintStream out) {
            out.printf("%s %s%n", r.written() ? "Wrote" : "Would write", r.written() ? r.out() : "(dry run)");
            out.printf("  %-30s %10s %10s%n", "operator", "dropped", "kept");
            for (io.augur.job.state.SavepointPruner.OperatorResult o : r.operators()) {
                out.printf("  %-30s %10d %10d%n", o.uid(), o.dropped(), o.kept());
            }
            out.printf("%d resources dropped%n", r.droppedResources().size());
            for (String arn : r.droppedResources()) out.println("  " + arn);
            if (r.resourcesWithoutMembership() > 0) {
                out.printf("%d resources have no known stack/tags in the savepoint (kept unless --drop-unknown)%n", r.resourcesWithoutMembership());
            }
        }
    }
}
