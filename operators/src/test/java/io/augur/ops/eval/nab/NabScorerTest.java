package io.augur.ops.eval.nab;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-made cases; every expected number is computed here from the written-out NAB formulas. */
class NabScorerTest {
    private static final NabProfile STD = NabProfile.standard();      // A_TP 1, A_FP 0.11, A_FN 1
    private static final double EPS = 1e-12;

    /** σ(p) = 2/(1+e^{5p}) − 1, written out independently of the scorer. */
    private static double sig(double p) {
        return 2.0 / (1.0 + Math.exp(5.0 * p)) - 1.0;
    }

    // 1000 rows: probation = min(floor(150), 750) = 150; one window on rows 400..499 (width 100)
    private static final NabFile ONE = NabFile.ofRows("c/one.csv", 1000, List.of(new NabWindow(400, 499)));

    private static NabResult scoreWithDetections(NabFile file, NabProfile profile, int... rows) {
        double[] s = new double[file.rows()];
        for (int r : rows) s[r] = 1.0;
        return new NabScorer(List.of(file), Map.of(file.name(), s)).score(profile, 0.5);
    }

    @Test
    void probationLength() {
        assertThat(ONE.probation()).isEqualTo(150);
        assertThat(NabFile.probationLength(4032)).isEqualTo(604);
        assertThat(NabFile.probationLength(4730)).isEqualTo(709);
        assertThat(NabFile.probationLength(5000)).isEqualTo(750);
        assertThat(NabFile.probationLength(22695)).isEqualTo(750);
        assertThat(NabFile.probationLength(6)).isEqualTo(0);
    }

    @Test
    void sigmaMatchesTheFormulaAndIsMinusOneBeyondThree() {
        assertThat(NabScorer.sigma(0)).isEqualTo(0.0);
        assertThat(NabScorer.sigma(-1)).isCloseTo(sig(-1), within(EPS));
        assertThat(NabScorer.sigma(3.0)).isCloseTo(sig(3.0), within(EPS)).isGreaterThan(-1.0);
        assertThat(NabScorer.sigma(3.0001)).isEqualTo(-1.0);
    }

    @Test
    void earliestPossibleDetectionEarnsFullCredit() {
        NabResult r = scoreWithDetections(ONE, STD, 400); // p = -(499-400+1)/100 = -1
        assertThat(r.raw()).isCloseTo(1.0, within(EPS));
        assertThat(r.score()).isCloseTo(100.0, within(1e-9));
        assertThat(r.truePositives()).isEqualTo(1);
        assertThat(r.falsePositives()).isZero();
        assertThat(r.falseNegatives()).isZero();
    }

    @Test
    void laterDetectionsEarnLess() {
        // middle of the window: p = -(499-450+1)/100 = -0.5
        assertThat(scoreWithDetections(ONE, STD, 450).raw()).isCloseTo(sig(-0.5) / sig(-1), within(EPS));
        // last row: p = -1/100
        double late = sig(-0.01) / sig(-1);
        NabResult r = scoreWithDetections(ONE, STD, 499);
        assertThat(r.raw()).isCloseTo(late, within(EPS));
        assertThat(late).isBetween(0.02, 0.03);
        assertThat(r.score()).isCloseTo(100 * (late + 1) / 2, within(1e-9));
    }

    @Test
    void missedWindowCostsAfn() {
        NabResult r = scoreWithDetections(ONE, STD);
        assertThat(r.raw()).isEqualTo(-1.0);
        assertThat(r.falseNegatives()).isEqualTo(1);
        assertThat(r.nullScore()).isEqualTo(-1.0);
        assertThat(r.perfectScore()).isEqualTo(1.0);
        assertThat(r.score()).isEqualTo(0.0);
        NabResult lowFn = scoreWithDetections(ONE, NabProfile.rewardLowFnRate());
        assertThat(lowFn.raw()).isEqualTo(-2.0);
        assertThat(lowFn.score()).isEqualTo(0.0);
    }

    @Test
    void falsePositiveBeforeTheFirstWindowCostsFullAfp() {
        NabResult r = scoreWithDetections(ONE, STD, 200, 399);
        assertThat(r.falsePositives()).isEqualTo(2);
        assertThat(r.raw()).isCloseTo(-1.0 - 2 * 0.11, within(EPS));
        NabResult lowFp = scoreWithDetections(ONE, NabProfile.rewardLowFpRate(), 200);
        assertThat(lowFp.raw()).isCloseTo(-1.0 - 0.22, within(EPS));
    }

    @Test
    void falsePositiveRightAfterAWindowCostsAlmostNothing() {
        // row 500: p = (500-499)/(100-1)
        double cost = 0.11 * sig(1.0 / 99);
        NabResult r = scoreWithDetections(ONE, STD, 500);
        assertThat(r.raw()).isCloseTo(-1.0 + cost, within(EPS));
        assertThat(-cost).isBetween(0.0, 0.003);
        assertThat(r.file("c/one.csv").fpCost()).isCloseTo(cost, within(EPS));
    }

    @Test
    void falsePositiveTwoWidthsAfterAWindow() {
        // row 499 + 2*99 = 697: p = 2
        NabResult r = scoreWithDetections(ONE, STD, 697);
        assertThat(r.raw()).isCloseTo(-1.0 + 0.11 * sig(2.0), within(EPS));
        // exactly three widths (p = 3) still uses the sigmoid, one row further (p > 3) is the full cost
        assertThat(scoreWithDetections(ONE, STD, 796).raw()).isCloseTo(-1.0 + 0.11 * sig(3.0), within(EPS));
        assertThat(scoreWithDetections(ONE, STD, 797).raw()).isCloseTo(-1.11, within(EPS));
    }

    @Test
    void burstsOfFalsePositivesAreChargedRowByRow() {
        double expected = 1.0 + 0.11 * (sig(1.0 / 99) + sig(2.0 / 99) + sig(3.0 / 99));
        NabResult r = scoreWithDetections(ONE, STD, 400, 500, 501, 502);
        assertThat(r.raw()).isCloseTo(expected, within(EPS));
        assertThat(r.falsePositives()).isEqualTo(3);
    }

    @Test
    void detectionsInProbationAreIgnored() {
        NabResult r = scoreWithDetections(ONE, STD, 0, 1, 100, 149);
        assertThat(r.raw()).isEqualTo(-1.0);
        assertThat(r.falsePositives()).isZero();
        // the first scored row counts in full
        assertThat(scoreWithDetections(ONE, STD, 149, 150).raw()).isCloseTo(-1.11, within(EPS));
    }

    @Test
    void aWindowIsCreditedOnceForItsEarliestDetection() {
        NabResult r = scoreWithDetections(ONE, STD, 420, 430, 499);
        // p = -(499-420+1)/100 = -0.8
        assertThat(r.raw()).isCloseTo(sig(-0.8) / sig(-1), within(EPS));
        assertThat(r.truePositives()).isEqualTo(1);
        assertThat(r.falsePositives()).isZero();
    }

    @Test
    void falsePositivesUseThePreviousWindow() {
        // windows 300..349 (width 50) and 600..799 (width 200); n = 1000, probation 150
        NabFile two = NabFile.ofRows("c/two.csv", 1000, List.of(new NabWindow(600, 799), new NabWindow(300, 349)));
        assertThat(two.windows()).containsExactly(new NabWindow(300, 349), new NabWindow(600, 799));
        // FP at 200 (before first window), 398 (p = 49/49 = 1 past the first), 850 (p = 51/199 past the second);
        // TP at 300 (p = -1) in the first window; second window missed
        double expected = -0.11 + 0.11 * sig(1.0) + 0.11 * sig(51.0 / 199) + 1.0 - 1.0;
        NabResult r = scoreWithDetections(two, STD, 200, 398, 850, 300);
        assertThat(r.raw()).isCloseTo(expected, within(EPS));
        assertThat(r.truePositives()).isEqualTo(1);
        assertThat(r.falseNegatives()).isEqualTo(1);
        assertThat(r.falsePositives()).isEqualTo(3);
        assertThat(r.score()).isCloseTo(100 * (expected + 2) / 4, within(1e-9));
    }

    @Test
    void noAnomalyFileOnlyCostsFalsePositives() {
        NabFile quiet = NabFile.ofRows("artificialNoAnomaly/quiet.csv", 1000, List.of());
        NabResult r = scoreWithDetections(quiet, STD, 100, 200, 201, 999);
        assertThat(r.raw()).isCloseTo(-3 * 0.11, within(EPS));
        assertThat(r.falsePositives()).isEqualTo(3);
        assertThat(r.windows()).isZero();
        assertThat(r.nullScore()).isEqualTo(0.0);
        assertThat(r.perfectScore()).isEqualTo(0.0);
        assertThat(r.score()).isNaN(); // nothing to normalise by without windows

        // with a windowed file, the quiet file's FPs lower the corpus score
        double[] s1 = new double[1000];
        s1[400] = 1;
        double[] s2 = new double[1000];
        s2[500] = 1;
        NabResult both = new NabScorer(List.of(ONE, quiet), Map.of(ONE.name(), s1, quiet.name(), s2)).score(STD, 0.5);
        assertThat(both.raw()).isCloseTo(1.0 - 0.11, within(EPS));
        assertThat(both.score()).isCloseTo(100 * (0.89 + 1) / 2, within(1e-9));
        assertThat(both.file(quiet.name()).raw()).isCloseTo(-0.11, within(EPS));
    }

    @Test
    void thresholdIsInclusiveAndNaNNeverDetects() {
        double[] s = new double[1000];
        s[400] = 0.5;
        s[401] = Double.NaN;
        NabScorer scorer = new NabScorer(List.of(ONE), Map.of(ONE.name(), s));
        assertThat(scorer.score(STD, 0.5).truePositives()).isEqualTo(1);
        assertThat(scorer.score(STD, Math.nextUp(0.5)).truePositives()).isZero();
    }

    @Test
    void optimizeThresholdOnAHandCase() {
        double[] s = new double[1000];
        s[200] = 0.95; // FP before the window: -0.11
        s[400] = 0.9;  // earliest TP: +1
        s[450] = 0.99; // later TP: sig(-0.5)/sig(-1)
        Arrays.fill(s, 600, 1000, 0.1); // 400 FPs far after the window at 0.1
        NabScorer scorer = new NabScorer(List.of(ONE), Map.of(ONE.name(), s));
        // candidates: >0.99: -1; 0.99: mid; 0.95: mid-0.11; 0.9: 1-0.11; 0.1: much worse; 0: worse
        NabResult r = scorer.optimizeThreshold(STD);
        assertThat(r.threshold()).isEqualTo(0.9);
        assertThat(r.raw()).isCloseTo(0.89, within(EPS));

        // if FPs are expensive enough, waiting for the later detection wins: with A_FP = 0.6,
        // 0.99 gives mid = sig(-0.5)/sig(-1) ≈ 0.848 > 1 - 0.6
        NabResult exp = scorer.optimizeThreshold(new NabProfile("x", 1, 0.6, 1));
        assertThat(exp.threshold()).isEqualTo(0.99);
        assertThat(exp.raw()).isCloseTo(sig(-0.5) / sig(-1), within(EPS));

        // nothing worth detecting: threshold above every score, null score
        double[] fpOnly = new double[1000];
        fpOnly[200] = 0.7;
        NabResult none = new NabScorer(List.of(ONE), Map.of(ONE.name(), fpOnly)).optimizeThreshold(STD);
        assertThat(none.raw()).isEqualTo(-1.0);
        assertThat(none.threshold()).isGreaterThan(0.7);
        assertThat(none.falsePositives()).isZero();
    }

    @Test
    void optimizeThresholdFindsTheBruteForceOptimum() {
        Random rnd = new Random(42);
        List<NabFile> files = List.of(
                NabFile.ofRows("a/1.csv", 600, List.of(new NabWindow(200, 259), new NabWindow(400, 419))),
                NabFile.ofRows("a/2.csv", 500, List.of(new NabWindow(300, 349))),
                NabFile.ofRows("b/3.csv", 400, List.of()));
        for (int trial = 0; trial < 20; trial++) {
            Map<String, double[]> scores = new java.util.HashMap<>();
            TreeSet<Double> distinct = new TreeSet<>();
            for (NabFile f : files) {
                double[] s = new double[f.rows()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = Math.round(rnd.nextDouble() * rnd.nextDouble() * 50) / 50.0; // many ties
                }
                for (NabWindow w : f.windows()) if (rnd.nextBoolean()) s[w.first() + rnd.nextInt(w.width())] = 0.9 + rnd.nextDouble() / 10;
                for (double v : s) distinct.add(v);
                scores.put(f.name(), s);
            }
            NabScorer scorer = new NabScorer(files, scores);
            for (NabProfile p : List.of(STD, NabProfile.rewardLowFpRate(), NabProfile.rewardLowFnRate())) {
                double bruteBest = scorer.nullScore(p);
                for (double t : distinct) bruteBest = Math.max(bruteBest, scorer.score(p, t).raw());
                NabResult opt = scorer.optimizeThreshold(p);
                assertThat(opt.raw()).isCloseTo(bruteBest, within(1e-9));
                assertThat(scorer.score(p, opt.threshold()).raw()).isEqualTo(opt.raw());
            }
        }
    }

    @Test
    void scoresMustCoverEveryRowOfEveryFile() {
        assertThatThrownBy(() -> new NabScorer(List.of(ONE), Map.of()))
                .isInstanceOf(NabDataException.class).hasMessageContaining("c/one.csv");
        assertThatThrownBy(() -> new NabScorer(List.of(ONE), Map.of(ONE.name(), new double[999])))
                .isInstanceOf(NabDataException.class).hasMessageContaining("999 scores").hasMessageContaining("1000 rows");
    }
}
