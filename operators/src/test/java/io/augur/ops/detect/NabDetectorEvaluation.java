package io.augur.ops.detect;

import io.augur.ops.eval.nab.NabCorpus;
import io.augur.ops.eval.nab.NabFile;
import io.augur.ops.eval.nab.NabFileResult;
import io.augur.ops.eval.nab.NabProfile;
import io.augur.ops.eval.nab.NabResult;
import io.augur.ops.eval.nab.NabScorer;
import io.augur.schema.SeriesBaseline;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs {@link BaselineDetector} with its shipped settings over every NAB file on this machine (each file one series,
 * fresh state, rows in order), and scores the result with the project's NAB scorer at the shipped threshold and at the
 * optimised one. Skipped when the NAB folder is absent. {@code -Daugur.nab.verbose=true} prints per-file detail.
 */
class NabDetectorEvaluation {
    /** Honest floor a bit below what the shipped detector achieves, so regressions fail. */
    static final double STANDARD_FLOOR = 75.0;
    static final int MAX_STATE_BYTES = 2048;

    static final String DEBUG = System.getProperty("augur.nab.debug");

    record Run(Map<String, double[]> scores, int maxStateBytes, double pointsPerSecond, long points) {}

    static Run run(NabCorpus corpus, DetectorSettings settings) throws IOException {
        BaselineDetector detector = new BaselineDetector(settings);
        Map<String, double[]> scores = new LinkedHashMap<>();
        int maxBytes = 0;
        long points = 0, nanos = 0;
        SpecificDatumWriter<SeriesBaseline> writer = new SpecificDatumWriter<>(SeriesBaseline.class);
        for (NabFile f : corpus.files()) {
            SeriesBaseline state = detector.newState();
            double[] v = f.values();
            long[] ts = new long[v.length];
            for (int i = 0; i < v.length; i++) ts[i] = f.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli();
            double[] out = new double[v.length];
            long t0 = System.nanoTime();
            java.io.PrintWriter dbg = DEBUG == null ? null : new java.io.PrintWriter(Files.newBufferedWriter(Path.of(DEBUG, f.name().replace('/', '_'))));
            for (int i = 0; i < v.length; i++) {
                out[i] = detector.score(state, ts[i], v[i]).anomalyScore();
                if (dbg != null) dbg.printf("%d,%s,%.4f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%s,%s,%d,%d,%.4g,%.4g,%d,%.4g,%.4g,%.4g%n", i, v[i], out[i], detector.lastEvidence[0], detector.lastEvidence[1], detector.lastEvidence[2], detector.lastEvidence[3], state.getNovelty(), detector.lastRawEvidence[0], detector.lastRawEvidence[1], detector.lastRawEvidence[2], detector.lastRawEvidence[3], state.getSlowLevel(), state.getLevel(), state.getShiftDirection(), state.getProfileState(), state.getDailyScale(), state.getSlowDev(), detector.lastProven ? 1 : 0, state.getAbsDev(), state.getRangeLow(), state.getRangeHigh());
            }
            if (dbg != null) dbg.close();
            if (DEBUG != null) Files.writeString(Path.of(DEBUG, f.name().replace('/', '_') + ".bins"), state.getDaily().toString() + "\n" + state.getSlowLevel() + " " + state.getAbsDev() + " " + state.getSlowDev() + " " + state.getDailyScale() + "\n");
            nanos += System.nanoTime() - t0;
            points += v.length;
            scores.put(f.name(), out);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
            writer.write(state, enc);
            enc.flush();
            maxBytes = Math.max(maxBytes, bytes.size());
        }
        return new Run(scores, maxBytes, points / (nanos / 1e9), points);
    }

    static Optional<NabCorpus> corpus() throws IOException {
        Optional<Path> dir = NabCorpus.locate();
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) return Optional.empty();
        return Optional.of(NabCorpus.load(dir.get()));
    }

    static String report(NabCorpus corpus, Run run, double threshold, boolean verbose) {
        NabScorer scorer = new NabScorer(corpus, run.scores());
        StringBuilder sb = new StringBuilder();
        NabResult std = null;
        for (NabProfile p : new NabProfile[]{NabProfile.standard(), NabProfile.rewardLowFpRate(), NabProfile.rewardLowFnRate()}) {
            NabResult fixed = scorer.score(p, threshold);
            NabResult opt = scorer.optimizeThreshold(p);
            if (std == null) std = fixed;
            sb.append(String.format("%-20s shipped(%.2f): %6.2f (TP %d FP %d FN %d)   optimised(%.4f): %6.2f%n", p.name(),
                    threshold, fixed.score(), fixed.truePositives(), fixed.falsePositives(), fixed.falseNegatives(),
                    opt.threshold(), opt.score()));
        }
        if (verbose) {
            for (NabFile f : corpus.files()) {
                NabFileResult r = std.file(f.name());
                sb.append(String.format("  %-62s win %d TP %d FP %3d raw %7.3f%n", f.name(), r.windows(), r.truePositives(),
                        r.falsePositives(), r.raw()));
            }
        }
        sb.append(String.format("state bytes max %d; %.0f datapoints/s over %d datapoints%n", run.maxStateBytes(),
                run.pointsPerSecond(), run.points()));
        return sb.toString();
    }

    @Test
    void shippedSettingsOnNab() throws IOException {
        Optional<NabCorpus> corpus = corpus();
        assumeTrue(corpus.isPresent(), "NAB folder not found; set -D" + NabCorpus.DIR_PROPERTY);
        DetectorSettings settings = DetectorSettings.defaults();
        Run run = run(corpus.get(), settings);
        System.out.println("NAB, " + settings + "\n" + report(corpus.get(), run, settings.threshold(), Boolean.getBoolean("augur.nab.verbose")));
        assertThat(run.maxStateBytes()).isLessThanOrEqualTo(MAX_STATE_BYTES);
        double standard = new NabScorer(corpus.get(), run.scores()).score(NabProfile.standard(), settings.threshold()).score();
        assertThat(standard).isGreaterThanOrEqualTo(STANDARD_FLOOR);
    }

    /** For tuning from the command line: {@code java ... NabDetectorEvaluation [criticalRarity] [refractory minutes]}. */
    public static void main(String[] args) throws IOException {
        DetectorSettings s = DetectorSettings.defaults();
        if (args.length > 0) s = s.withCriticalRarity(Double.parseDouble(args[0]));
        if (args.length > 1) s = s.withRefractory(java.time.Duration.ofMinutes(Long.parseLong(args[1])));
        NabCorpus c = corpus().orElseThrow();
        String ref = System.getProperty("augur.nab.reference");
        Run r = ref == null ? run(c, s) : new Run(io.augur.ops.eval.nab.NabDetectorOutput.read(c.dir().resolve("reference-results").resolve(ref), c), 0, 0, 0);
        if (ref != null) s = s.withSensitivity(System.getProperty("augur.nab.threshold", "0.5"));
        System.out.println(s + "\n" + report(c, r, s.threshold(), true));
        System.out.println(categories(c, r, s.threshold()));
        if (Boolean.getBoolean("augur.nab.windows")) System.out.println(windows(c, r, s.threshold()));
    }

    /** Standard score per category, at the shipped threshold and optimised (per category, for robustness checks). */
    static String categories(NabCorpus corpus, Run run, double threshold) {
        StringBuilder sb = new StringBuilder();
        NabScorer all = new NabScorer(corpus, run.scores());
        for (String cat : corpus.categories()) {
            NabCorpus sub = corpus.category(cat);
            if (sub.windowCount() == 0) {
                NabResult r = all.score(NabProfile.standard(), threshold);
                int fp = 0;
                for (NabFile f : sub.files()) fp += r.file(f.name()).falsePositives();
                sb.append(String.format("  %-24s FP rows %d%n", cat, fp));
                continue;
            }
            NabScorer scorer = new NabScorer(sub, run.scores());
            sb.append(String.format("  %-24s standard shipped %6.2f optimised %6.2f%n", cat,
                    scorer.score(NabProfile.standard(), threshold).score(), scorer.optimizeThreshold(NabProfile.standard()).score()));
        }
        return sb.toString();
    }

    /** Per window: rows, first detection and its credit position, the largest score inside; and every false positive row. */
    static String windows(NabCorpus corpus, Run run, double threshold) {
        StringBuilder sb = new StringBuilder();
        for (NabFile f : corpus.files()) {
            double[] sc = run.scores().get(f.name());
            sb.append(f.name()).append(" rows ").append(sc.length).append(" probation ").append(f.probation()).append('\n');
            for (var w : f.windows()) {
                int first = -1, argmax = w.first();
                for (int i = w.first(); i <= w.last(); i++) {
                    if (first < 0 && sc[i] >= threshold) first = i;
                    if (sc[i] > sc[argmax]) argmax = i;
                }
                sb.append(String.format("   window [%d,%d] first %s max %.3f@%d%n", w.first(), w.last(),
                        first < 0 ? "-" : first + String.format("(%.2f)", (first - w.first()) / (double) w.width()), sc[argmax], argmax));
            }
            for (int i = f.probation(); i < sc.length; i++) {
                if (sc[i] < threshold) continue;
                boolean in = false;
                for (var w : f.windows()) in |= w.contains(i);
                if (!in) sb.append(String.format("   FP %d %.3f%n", i, sc[i]));
            }
        }
        return sb.toString();
    }
}
