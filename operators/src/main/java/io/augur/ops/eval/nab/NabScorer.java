package io.augur.ops.eval.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The NAB scoring rules, for one detector's per-row anomaly scores on a set of files.
 *
 * <p>Per file, with {@code n} rows, probation {@code P = min(floor(0.15 n), 750)} and
 * {@code σ(p) = 2 / (1 + e^{5p}) - 1} (and {@code σ(p) = -1} for {@code p > 3}):
 * <ul>
 *   <li>a row is a detection when its score is {@code >= threshold} (NaN never is); rows {@code < P} are ignored;</li>
 *   <li>a window {@code [a, b]} (width {@code w = b - a + 1}) is credited once, for its earliest detection at row
 *       {@code i}: {@code A_TP σ(p) / σ(-1)} with {@code p = -(b - i + 1) / w} (so -1 at the first row and
 *       {@code -1/w} at the last); a window without detection costs {@code -A_FN};</li>
 *   <li>every detection outside all windows costs {@code A_FP σ(p)} (a negative number), with
 *       {@code p = (i - b') / (w' - 1)} for the previous window {@code [a', b']} of width {@code w'}; before the first
 *       window (or for a previous window one row wide) the cost is the full {@code -A_FP}.</li>
 * </ul>
 * The raw score is the sum over files; it is normalised to {@code 100 (raw - null) / (perfect - null)} with
 * {@code null = -A_FN · windows} and {@code perfect = A_TP · windows}.
 *
 * <p>{@link #optimizeThreshold} finds the exact optimum: the raw score only changes when the threshold crosses a
 * score that occurs in the data, so it sorts all scored rows once by score (descending) and sweeps the thresholds
 * from "nothing detected" down to the lowest score, updating the total incrementally (each window keeps the best
 * credit seen so far, which is the credit of its earliest detection because σ is decreasing). Of equal optima the
 * highest threshold is kept. This is what NAB's own sweep-based optimiser computes; the older hill-climb on [0, 1]
 * can only find this optimum or something lower.
 */
public final class NabScorer {
    private final List<NabFile> files;
    private final double[][] scores;
    /** per file, per row: index of the window the row is in, or -1. */
    private final int[][] rowWindow;
    /** per file, per row: σ(p)/σ(-1) inside a window (TP credit per A_TP), σ(p) outside (FP cost per A_FP, <= 0). */
    private final double[][] rowUnit;
    private final int windowCount;
    private int[] sweepOrder; // lazily: indices into the flattened scored rows, by score descending
    private double[] flatScore;
    private int[] flatWindow; // global window id or -1
    private double[] flatUnit;

    public NabScorer(NabCorpus corpus, Map<String, double[]> scoresByFile) {
        this(corpus.files(), scoresByFile);
    }

    /**
     * @param scoresByFile one score per row for every file (by relative name); entries for other files are ignored
     */
    public NabScorer(List<NabFile> files, Map<String, double[]> scoresByFile) {
        this.files = List.copyOf(files);
        this.scores = new double[files.size()][];
        this.rowWindow = new int[files.size()][];
        this.rowUnit = new double[files.size()][];
        int windows = 0;
        for (int f = 0; f < files.size(); f++) {
            NabFile file = files.get(f);
            double[] s = scoresByFile.get(file.name());
            if (s == null) throw new NabDataException("no detector scores for " + file.name());
            if (s.length != file.rows()) {
                throw new NabDataException(file.name() + ": " + s.length + " scores, but the file has " + file.rows() + " rows");
            }
            scores[f] = s;
            rowWindow[f] = new int[file.rows()];
            rowUnit[f] = new double[file.rows()];
            unitScores(file, rowWindow[f], rowUnit[f]);
            windows += file.windows().size();
        }
        this.windowCount = windows;
    }

    /** NAB's scaled sigmoid: {@code 2 / (1 + e^{5p}) - 1}, and exactly -1 for {@code p > 3}. */
    public static double sigma(double p) {
        if (p > 3.0) return -1.0;
        return 2.0 / (1.0 + Math.exp(5.0 * p)) - 1.0;
    }

    private static void unitScores(NabFile file, int[] window, double[] unit) {
        double maxTp = sigma(-1.0);
        List<NabWindow> ws = file.windows();
        int next = 0;          // next window not yet reached
        NabWindow prev = null; // last window that ended before the current row
        for (int i = 0; i < file.rows(); i++) {
            if (next < ws.size() && i >= ws.get(next).first()) {
                NabWindow w = ws.get(next);
                if (i <= w.last()) {
                    window[i] = next;
                    double p = -(double) (w.last() - i + 1) / w.width();
                    unit[i] = sigma(p) / maxTp;
                    if (i == w.last()) {
                        prev = w;
                        next++;
                    }
                    continue;
                }
            }
            window[i] = -1;
            if (prev == null || prev.width() == 1) {
                unit[i] = -1.0;
            } else {
                double p = (double) (i - prev.last()) / (prev.width() - 1);
                unit[i] = sigma(p);
            }
        }
    }

    public List<NabFile> files() {
        return files;
    }

    public int windowCount() {
        return windowCount;
    }

    public double nullScore(NabProfile profile) {
        return -profile.fnWeight() * windowCount;
    }

    public double perfectScore(NabProfile profile) {
        return profile.tpWeight() * windowCount;
    }

    /** {@code 100 (raw - null) / (perfect - null)}; NaN when there are no windows (perfect = null). */
    public double normalize(NabProfile profile, double raw) {
        double nul = nullScore(profile);
        if (windowCount == 0) return Double.NaN;
        return 100.0 * (raw - nul) / (perfectScore(profile) - nul);
    }

    /** The score at a given threshold (a row is a detection when its score is {@code >= threshold}). */
    public NabResult score(NabProfile profile, double threshold) {
        List<NabFileResult> out = new ArrayList<>(files.size());
        double total = 0;
        for (int f = 0; f < files.size(); f++) {
            NabFile file = files.get(f);
            int nw = file.windows().size();
            boolean[] hit = new boolean[nw];
            int tp = 0, fp = 0;
            double tpCredit = 0, fpCost = 0;
            double[] s = scores[f];
            for (int i = file.probation(); i < s.length; i++) {
                if (!(s[i] >= threshold)) continue;
                int w = rowWindow[f][i];
                if (w < 0) {
                    fp++;
                    fpCost += profile.fpWeight() * rowUnit[f][i];
                } else if (!hit[w]) { // rows are visited in order, so this is the window's earliest detection
                    hit[w] = true;
                    tp++;
                    tpCredit += profile.tpWeight() * rowUnit[f][i];
                }
            }
            int fn = nw - tp;
            double fnCost = -profile.fnWeight() * fn;
            double raw = tpCredit + fpCost + fnCost;
            total += raw;
            out.add(new NabFileResult(file.name(), file.rows(), file.probation(), nw, tp, fp, fn, tpCredit, fpCost,
                    fnCost, raw));
        }
        return new NabResult(profile, threshold, total, nullScore(profile), perfectScore(profile),
                normalize(profile, total), List.copyOf(out));
    }

    /**
     * The threshold that maximises the total raw score over all files, and the score there. When detecting nothing
     * is best, the threshold returned is just above the highest score (so {@link #score} at it detects nothing).
     */
    public NabResult optimizeThreshold(NabProfile profile) {
        prepareSweep();
        int n = sweepOrder.length;
        double[] best = new double[windowCount];
        Arrays.fill(best, Double.NaN); // NaN = window not detected yet
        double total = nullScore(profile);
        double bestTotal = total;
        double bestThreshold = n == 0 ? Double.POSITIVE_INFINITY : Math.nextUp(flatScore[sweepOrder[0]]);
        int k = 0;
        while (k < n) {
            double t = flatScore[sweepOrder[k]];
            // all rows with this exact score become detections together
            while (k < n && flatScore[sweepOrder[k]] == t) {
                int r = sweepOrder[k++];
                int w = flatWindow[r];
                if (w < 0) {
                    total += profile.fpWeight() * flatUnit[r];
                } else {
                    double credit = profile.tpWeight() * flatUnit[r];
                    if (Double.isNaN(best[w])) {
                        total += credit + profile.fnWeight();
                        best[w] = credit;
                    } else if (credit > best[w]) {
                        total += credit - best[w];
                        best[w] = credit;
                    }
                }
            }
            if (total > bestTotal) {
                bestTotal = total;
                bestThreshold = t;
            }
        }
        // recompute directly at the chosen threshold (exact sums, per-file detail)
        return score(profile, bestThreshold);
    }

    private synchronized void prepareSweep() {
        if (sweepOrder != null) return;
        int count = 0;
        for (int f = 0; f < files.size(); f++) {
            for (int i = files.get(f).probation(); i < scores[f].length; i++) if (!Double.isNaN(scores[f][i])) count++;
        }
        double[] sc = new double[count];
        int[] win = new int[count];
        double[] unit = new double[count];
        int r = 0, windowBase = 0;
        for (int f = 0; f < files.size(); f++) {
            for (int i = files.get(f).probation(); i < scores[f].length; i++) {
                if (Double.isNaN(scores[f][i])) continue;
                sc[r] = scores[f][i];
                win[r] = rowWindow[f][i] < 0 ? -1 : windowBase + rowWindow[f][i];
                unit[r] = rowUnit[f][i];
                r++;
            }
            windowBase += files.get(f).windows().size();
        }
        int[] order = sortDescending(sc);
        this.flatScore = sc;
        this.flatWindow = win;
        this.flatUnit = unit;
        this.sweepOrder = order;
    }

    /** Indices of {@code v} ordered by value, largest first (stable for ties; -0.0 and 0.0 tie). */
    private static int[] sortDescending(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> {
            double x = v[a], y = v[b];
            return x > y ? -1 : x < y ? 1 : 0;
        });
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }
}
