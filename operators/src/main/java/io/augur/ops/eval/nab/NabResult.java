package io.augur.ops.eval.nab;

import java.util.List;

/**
 * The NAB score of one detector on a set of files under one profile at one threshold.
 *
 * @param raw          sum of the files' raw scores
 * @param nullScore    raw score of a detector that never fires: {@code -A_FN * windows}
 * @param perfectScore raw score of a perfect detector: {@code A_TP * windows}
 * @param score        {@code 100 * (raw - null) / (perfect - null)}: 0 for the null detector, 100 for a perfect one
 *                     (NaN when the set has no windows, as then perfect = null)
 */
public record NabResult(NabProfile profile, double threshold, double raw, double nullScore, double perfectScore,
                        double score, List<NabFileResult> files) {
    public int windows() {
        return files.stream().mapToInt(NabFileResult::windows).sum();
    }

    public int truePositives() {
        return files.stream().mapToInt(NabFileResult::truePositives).sum();
    }

    public int falsePositives() {
        return files.stream().mapToInt(NabFileResult::falsePositives).sum();
    }

    public int falseNegatives() {
        return files.stream().mapToInt(NabFileResult::falseNegatives).sum();
    }

    public NabFileResult file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + name));
    }

    @Override
    public String toString() {
        return String.format("%s: score %.2f (raw %.4f, null %.1f, perfect %.1f) at threshold %s; TP %d, FP %d, FN %d",
                profile.name(), score, raw, nullScore, perfectScore, threshold,
                truePositives(), falsePositives(), falseNegatives());
    }
}
