package io.augur.job.cli;

import io.augur.job.eval.NabEvaluation;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.eval.nab.NabCorpus;
import io.augur.ops.eval.scenarios.GroundTruth;
import io.augur.ops.eval.scenarios.InsightHistory;
import io.augur.ops.eval.scenarios.ScenarioScorer;
import io.augur.ops.eval.nab.NabDetectorOutput;
import io.augur.ops.eval.nab.NabProfile;
import io.augur.ops.eval.nab.NabResult;
import io.augur.ops.eval.nab.NabScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure Augur: against the Numenta Anomaly Benchmark, and insights against a simulator's ground truth.",
        subcommands = {EvalCommand.Nab.class, EvalCommand.Scenarios.class})
public final class EvalCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "scenarios", mixinStandardHelpOptions = true,
            description = {"Score insights against the ground truth of `augur simulate`: incident recall, false insights per 1,000",
                    "resource-days, time to detect (onset to NEW_INSIGHT, median and p90), causing change linked, proactive lead",
                    "time, and grouping (one incident, one insight). The matching rules are in the README, \"Evaluating insights\"."})
    static final class Scenarios implements Callable<Integer> {
        @Option(names = "--truth", required = true, description = "ground-truth.json written by augur simulate.")
        Path truth;

        @Option(names = "--insights", required = true, description = "insights.ndjson written by augur replay.")
        Path insights;

        @Override
        public Integer call() throws Exception {
            report(truth, insights, System.out);
            return 0;
        }

        /** Scores {@code insights} against {@code truth} and prints the scenario line and the scores (also the end of `augur demo`). */
        static void report(Path truth, Path insights, java.io.PrintStream out) throws java.io.IOException {
            GroundTruth t = GroundTruth.read(truth);
            ScenarioScorer.Score s = ScenarioScorer.score(t, InsightHistory.read(insights));
            out.printf("scenario %s: %d incidents, %d resources over %.1f days%n", t.scenario(), t.incidents().size(), t.resources(),
                    (t.end() - t.start()) / 86_400_000.0);
            out.print(s.describe());
        }
    }

    @Command(name = "nab", mixinStandardHelpOptions = true,
            description = {"Run the detector through Flink over every file of a folder in NAB's layout, write DIR/<category>/<file>.csv",
                    "(timestamp,value,anomaly_score) and print the NAB scores at the shipped threshold and at the optimised one."})
    static final class Nab implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "A folder in NAB's layout (data/, labels/combined_windows.json, config/profiles.json), e.g. ../shared/nab.")
        Path data;

        @Option(names = "--out", defaultValue = "augur-nab", description = "Where the per-file scores go (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the embedded Flink (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Override
        public Integer call() throws Exception {
            NabCorpus corpus = NabCorpus.load(data);
            DetectorSettings settings = DetectorSettings.defaults();
            long start = System.nanoTime();
            Map<String, double[]> scores = new NabEvaluation(corpus, parallelism).run(settings);
            double seconds = (System.nanoTime() - start) / 1e9;
            NabDetectorOutput.write(out, corpus, scores);
            System.out.printf("scored %,d rows of %d files (%d windows) through Flink in %.1f s; scores in %s%n",
                    corpus.rowCount(), corpus.files().size(), corpus.windowCount(), seconds, out);
            NabScorer scorer = new NabScorer(corpus, scores);
            System.out.printf("%-20s %22s %22s%n", "profile", "shipped threshold", "optimised threshold");
            for (NabProfile p : corpus.profiles().values()) {
                NabResult shipped = scorer.score(p, settings.threshold());
                NabResult best = scorer.optimizeThreshold(p);
                System.out.printf("%-20s %14.1f (@%.3f) %14.1f (@%.3f)%n", p.name(), shipped.score(), shipped.threshold(), best.score(), best.threshold());
            }
            return 0;
        }
    }
}
