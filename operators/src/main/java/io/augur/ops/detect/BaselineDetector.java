package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Learns one metric series' normal behaviour online and scores every datapoint. Pure Java; the caller keeps one
 * {@link SeriesBaseline} per series (Flink keyed state) and calls {@link #score} for each datapoint in time order.
 *
 * <p>Model, all updated online in bounded state:
 * <ul>
 *   <li><b>Fast level</b>: a Huber-robust exponential average (a few intervals) that predicts the next value; its
 *       residual has a robust spread ({@code flatScale}).</li>
 *   <li><b>Slow level and trend</b> (about a day, damped trend) and a <b>daily profile</b> of time-of-day bins relative
 *       to it. The profile predicts an envelope (the two bins around the time of day, so a sharp edge that comes at the
 *       usual time is normal). The profile is used only once it has <i>proven itself</i>: it explains most of the
 *       variation around the slow level.</li>
 *   <li><b>Evidence at several time scales</b>: the point residual and running means of the baseline residual over
 *       short and longer horizons. Each is divided by its own long-run (clipped) root mean square, so a spiky series
 *       needs a bigger spike than a smooth one: the detector calibrates itself per series without per-series
 *       configuration. Each is also compared with its own decaying recent peak, so an excursion no bigger than a
 *       recent one is not new.</li>
 *   <li><b>Adaptation</b>: a sustained one-sided departure snaps the levels to the new regime (a level shift is
 *       flagged once, then learned), and after an alert further scores are damped for a refractory period.</li>
 * </ul>
 * Decays use elapsed time in units of the series' typical sampling interval, so gaps and irregular intervals weigh
 * correctly; a datapoint with the same (or an earlier) timestamp counts as one interval (by position). Non-finite values
 * are not learned and score 0.
 */
public final class BaselineDetector implements Serializable {
    private static final long serialVersionUID = 1L;

    static final long DAY_MS = 86_400_000L;
    /** Evidence statistics: point, short-horizon mean, long-horizon mean. */
    static final int EVIDENCE = 3;
    private static final double[] EVIDENCE_TAU = {0, 4, 24};
    /** Mean absolute deviation to standard deviation for a normal distribution. */
    private static final double MAD_TO_SD = 1.2533;
    private static final double TAU_FAST = 2;
    private static final double TAU_SCALE = 60;
    private static final double TAU_RMS = 500;
    private static final double HUBER = 3;
    private static final double MIN_LOG_DEV = 0.05;
    private static final double PROVEN = 0.5;  // the daily profile must explain half the variation around the slow level
    private static final double PEAK_DECAY = Math.log(2) / 30;
    private static final double PEAK_GAIN = 10;

    private final DetectorSettings settings;
    /** The self-calibrated evidence of the latest call (diagnostics in tests; not thread-safe). */
    final transient double[] lastEvidence = new double[EVIDENCE];

    public BaselineDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    public DetectorSettings settings() {
        return settings;
    }

    public SeriesBaseline newState() {
        SeriesBaseline s = new SeriesBaseline();
        s.setCount(0L);
        s.setLastTimestamp(0L);
        s.setFirstTimestamp(0L);
        s.setIntervalMs(0.0);
        s.setLevel(0.0);
        s.setSlowLevel(0.0);
        s.setTrend(0.0);
        s.setFlatScale(0.0);
        s.setDailyScale(0.0);
        s.setSlowDev(0.0);
        List<Float> daily = new ArrayList<>(settings.dailyBins());
        for (int i = 0; i < settings.dailyBins(); i++) daily.add(Float.NaN);
        s.setDaily(daily);
        List<Double> ev = new ArrayList<>(EVIDENCE);
        List<Double> lm = new ArrayList<>(EVIDENCE);
        List<Double> ld = new ArrayList<>(EVIDENCE);
        List<Double> pk = new ArrayList<>(EVIDENCE);
        for (int i = 0; i < EVIDENCE; i++) {
            ev.add(0.0);
            lm.add(0.0);
            ld.add(0.0);
            pk.add(0.0);
        }
        s.setEvidencePeak(pk);
        s.setEvidence(ev);
        s.setEvidenceLogMean(lm);
        s.setEvidenceLogDev(ld);
        s.setOutlierRun(0);
        s.setLastAlert(0L);
        return s;
    }

    /** Scores the observation at {@code timestampMillis} and updates {@code state} in place. */
    public Score score(SeriesBaseline s, long timestampMillis, double value) {
        long n = s.getCount();
        if (!Double.isFinite(value)) {
            double e = s.getLevel();
            return new Score(0, 0, e, e, e, false);
        }
        if (n == 0) {
            s.setCount(1L);
            s.setFirstTimestamp(timestampMillis);
            s.setLastTimestamp(timestampMillis);
            s.setLevel(value);
            s.setSlowLevel(value);
            return new Score(0, 0, value, value, value, false);
        }

        // ---- elapsed time, in typical intervals
        long dt = timestampMillis - s.getLastTimestamp();
        double interval = s.getIntervalMs();
        double steps = 1;
        if (dt > 0) {
            if (interval <= 0) interval = dt;
            else interval += 0.05 * (clamp(dt, 0.5 * interval, 2 * interval) - interval);
            steps = clamp(dt / interval, 0.05, 1e6);
            s.setIntervalMs(interval);
            s.setLastTimestamp(timestampMillis);
        }
        n++;
        s.setCount(n);

        double level = s.getLevel();
        double slow = s.getSlowLevel() + s.getTrend() * Math.min(steps, 50);
        double eps = 1e-9 + 1e-4 * Math.abs(slow);
        double flatScale = Math.max(s.getFlatScale(), Math.max(eps, 0.05 * s.getSlowDev()));
        double slowDev = Math.max(s.getSlowDev(), eps);
        double dailyScale = Math.max(s.getDailyScale(), eps);

        // ---- predictions
        double rFlat = value - level;
        double zFlat = rFlat / (MAD_TO_SD * flatScale);

        List<Float> daily = s.getDaily();
        int bins = daily.size();
        double binMs = (double) DAY_MS / bins;
        double tod = Math.floorMod(timestampMillis, DAY_MS);
        int bin = (int) Math.min(bins - 1, Math.floor(tod / binMs));
        double f = tod / binMs - 0.5;
        int b0 = Math.floorMod((int) Math.floor(f), bins);
        int b1 = (b0 + 1) % bins;
        double frac = f - Math.floor(f);
        double d0 = daily.get(b0), d1 = daily.get(b1);
        double rDaily = Double.NaN, dailyExpected = Double.NaN;
        if (!Double.isNaN(d0) || !Double.isNaN(d1)) {
            if (Double.isNaN(d0)) d0 = d1;
            if (Double.isNaN(d1)) d1 = d0;
            double lo = slow + Math.min(d0, d1), hi = slow + Math.max(d0, d1);
            dailyExpected = slow + (1 - frac) * d0 + frac * d1;
            rDaily = value < lo ? value - lo : value > hi ? value - hi : 0;
        }
        double age = timestampMillis - s.getFirstTimestamp();
        boolean dailyProven = !Double.isNaN(rDaily) && age >= 1.5 * DAY_MS && interval <= binMs * 4
                && s.getDailyScale() < PROVEN * s.getSlowDev();

        double zDaily = Double.isNaN(rDaily) ? Double.NaN : rDaily / (MAD_TO_SD * dailyScale);
        double zPoint = zFlat;
        double zBase;
        if (dailyProven) {
            if (Math.abs(zDaily) < Math.abs(zPoint)) zPoint = zDaily;
            zBase = zDaily;
        } else {
            zBase = (value - slow) / (MAD_TO_SD * slowDev);
        }

        // ---- evidence at several time scales, self-calibrated
        List<Double> ev = s.getEvidence();
        List<Double> lm = s.getEvidenceLogMean();
        List<Double> ld = s.getEvidenceLogDev();
        List<Double> pk = s.getEvidencePeak();
        double peakDecay = steps * PEAK_DECAY;
        double zc = settings.criticalZ();
        double aCal = alpha(steps, Math.min(TAU_RMS, n));
        double best = 0;
        int dir = 0;
        for (int i = 0; i < EVIDENCE; i++) {
            double e = i == 0 ? zPoint : ev.get(i) + alpha(steps, EVIDENCE_TAU[i]) * (zBase - ev.get(i));
            ev.set(i, e);
            double x = Math.log1p(Math.abs(e));
            double m = lm.get(i), d = Math.max(ld.get(i), MIN_LOG_DEV);
            double peak = pk.get(i) - peakDecay;
            double u = Math.min((x - m) / (MAD_TO_SD * d), zc - 1 + PEAK_GAIN * (x - peak));
            pk.set(i, Math.max(x, peak));
            lastEvidence[i] = u * Math.signum(e);
            if (u > best) {
                best = u;
                dir = (int) Math.signum(e);
            }
            double r = clamp(x - m, -HUBER * MAD_TO_SD * d, HUBER * MAD_TO_SD * d);
            lm.set(i, m + aCal * r);
            ld.set(i, ld.get(i) + aCal * (Math.abs(r) - ld.get(i)));
        }

        // ---- learn
        double aFast = alpha(steps, TAU_FAST);
        double aScale = alpha(steps, Math.min(TAU_SCALE, n));
        double aSlow = alpha(steps, clamp(DAY_MS / Math.max(interval, 1), 12, 1000));
        int run = s.getOutlierRun();
        boolean out = Math.abs(zPoint) > HUBER;
        run = !out ? 0 : (zPoint > 0 ? Math.max(run, 0) + 1 : Math.min(run, 0) - 1);
        s.setOutlierRun(run);
        boolean shifted = Math.abs(run) >= 3;

        double hub = HUBER * MAD_TO_SD * flatScale;
        s.setFlatScale(s.getFlatScale() + aScale * (Math.min(Math.abs(rFlat), hub) - s.getFlatScale()));
        s.setLevel(shifted ? value : level + aFast * clamp(rFlat, -hub, hub));

        double rSlow = value - slow;
        double hubSlow = HUBER * MAD_TO_SD * slowDev;
        s.setSlowDev(s.getSlowDev() + aScale * (Math.min(Math.abs(rSlow), hubSlow) - s.getSlowDev()));
        double newSlow = shifted ? slow + 0.5 * rSlow : slow + aSlow * clamp(rSlow, -hubSlow, hubSlow);
        double slope = (newSlow - s.getSlowLevel()) / Math.max(steps, 1e-3);
        s.setTrend(0.99 * (s.getTrend() + alpha(steps, 20 / aSlow) * (slope - s.getTrend())));
        s.setSlowLevel(newSlow);

        if (!Double.isNaN(rDaily)) {
            double hubD = HUBER * MAD_TO_SD * dailyScale;
            s.setDailyScale(s.getDailyScale() + aScale * (Math.min(Math.abs(rDaily), hubD) - s.getDailyScale()));
        }
        double cur = daily.get(bin);
        double dev = value - newSlow;
        if (Double.isNaN(cur)) {
            daily.set(bin, (float) dev);
        } else {
            double beta = 1 - Math.exp(-0.35 * Math.min(1, steps * interval / binMs));
            double hubB = HUBER * MAD_TO_SD * Math.max(dailyScale, slowDev * 0.1);
            daily.set(bin, (float) (cur + beta * clamp(dev - cur, -hubB, hubB)));
        }

        // ---- score
        boolean warm = n >= settings.warmupPoints() && age >= settings.warmup().toMillis();
        double expected = dailyProven ? dailyExpected : level;
        double spread = settings.criticalZ() * MAD_TO_SD * (dailyProven ? dailyScale : flatScale);
        if (!warm) return new Score(0, 0, expected, expected - spread, expected + spread, false);
        double score = 1 / (1 + Math.exp(-1.5 * (best - settings.criticalZ())));
        long lastAlert = s.getLastAlert();
        if (lastAlert > 0 && settings.refractoryPoints() > 0) {
            long since = n - lastAlert;
            if (since < settings.refractoryPoints()) score *= (double) since / settings.refractoryPoints();
        }
        if (score >= settings.threshold()) s.setLastAlert(n);
        return new Score(clamp(score, 0, 1), dir, expected, expected - spread, expected + spread, true);
    }

    private static double alpha(double steps, double tau) {
        return tau <= 0 ? 1 : 1 - Math.exp(-steps / tau);
    }

    private static double clamp(double x, double lo, double hi) {
        return x < lo ? lo : x > hi ? hi : x;
    }
}
