package io.augur.job.cli;

import io.augur.job.bench.DetectorBench;
import io.augur.ops.detect.DetectorSettings;
import io.augur.ops.eval.nab.NabCorpus;
import io.augur.ops.eval.nab.NabFile;
import io.augur.ops.eval.nab.NabResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (figures, not tests).",
        subcommands = {BenchCommand.Detector.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "detector", mixinStandardHelpOptions = true,
            description = {"Augur's detector and AWS's ThresholdedRandomCutForest, each kept per series, on the same series (the files of a",
                    "NAB-layout folder): datapoints/s per core (single thread), serialized state bytes per series, and NAB standard scores."})
    static final class Detector implements Callable<Integer> {
        @Option(names = "--data", defaultValue = "../shared/nab", description = "A folder in NAB's layout (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--rcf-every", defaultValue = "1",
                description = "Run RCF on every k-th file only (RCF is slow); Augur runs on the same files (default: ${DEFAULT-VALUE} = all).")
        int rcfEvery;

        @Option(names = "--rounds", defaultValue = "3", description = "Augur passes over the data; the last is timed (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() {
            NabCorpus corpus;
            try {
                corpus = NabCorpus.load(data);
            } catch (Exception e) {
                System.err.println("augur bench detector: cannot read " + data + ": " + e.getMessage());
                return 2;
            }
            List<NabFile> files = new ArrayList<>();
            for (int i = 0; i < corpus.files().size(); i += Math.max(1, rcfEvery)) files.add(corpus.files().get(i));
            long rows = files.stream().mapToLong(NabFile::rows).sum();
            int windows = files.stream().mapToInt(f -> f.windows().size()).sum();
            System.out.printf("%d series (%s), %,d datapoints, %d NAB windows; one thread; %s%n", files.size(),
                    files.size() == corpus.files().size() ? "all files" : "every " + rcfEvery + "th file", rows, windows,
                    Runtime.version());
            DetectorSettings settings = DetectorSettings.defaults();
            DetectorBench bench = new DetectorBench(corpus);
            List<DetectorBench.Result> results = new ArrayList<>();
            results.add(bench.augur(files, settings, rounds, false));
            results.add(bench.augur(files, settings, rounds, true));
            results.add(bench.rcf(files));
            System.out.printf("%-58s %14s %16s %15s %22s%n", "detector", "datapoints/s", "state B/series", "(max)", "NAB standard fixed/opt");
            for (DetectorBench.Result r : results) {
                boolean isRcf = r.detector().startsWith("Thresholded");
                // RCF flags a datapoint when its anomaly grade is > 0; Augur at its shipped threshold
                double threshold = isRcf ? Double.MIN_VALUE : settings.threshold();
                NabResult[] nab = windows == 0 ? null : DetectorBench.standard(files, r.scores(), threshold);
                System.out.printf("%-58s %,14.0f %,16.0f %,15d %22s%n", r.detector(), r.datapointsPerSecond(), r.meanStateBytes(),
                        r.maxStateBytes(), nab == null ? "-" : String.format("%.1f / %.1f", nab[0].score(), nab[1].score()));
            }
            double ratio = results.get(0).datapointsPerSecond() / results.get(2).datapointsPerSecond();
            double ratioRt = results.get(1).datapointsPerSecond() / results.get(2).datapointsPerSecond();
            double bytes = results.get(2).meanStateBytes() / results.get(0).meanStateBytes();
            System.out.printf("Augur vs RCF: %.0fx the throughput (%.0fx with the per-datapoint state round trip), 1/%.0f of the state%n", ratio, ratioRt, bytes);
            System.out.println("RCF 'fixed' = a datapoint with anomaly grade > 0; Augur 'fixed' = its shipped threshold "
                    + settings.threshold() + "; 'opt' = the threshold optimised for the standard profile.");
            return 0;
        }
    }
}
