package io.augur.ops.eval.nab;

/**
 * One file's part of a {@link NabResult}.
 *
 * @param windows        anomaly windows in the file
 * @param truePositives  windows with at least one detection (each counted once)
 * @param falsePositives scored detections outside every window (each row counted)
 * @param falseNegatives windows without a detection
 * @param tpCredit       sum of the credits of the earliest detection of each detected window (&ge; 0)
 * @param fpCost         sum of the (negative) false-positive charges
 * @param fnCost         {@code -A_FN * falseNegatives}
 * @param raw            {@code tpCredit + fpCost + fnCost}
 */
public record NabFileResult(String name, int rows, int probation, int windows, int truePositives,
                            int falsePositives, int falseNegatives, double tpCredit, double fpCost, double fnCost,
                            double raw) {
}
