package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;

import java.io.Serializable;
import java.nio.ByteBuffer;
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
 *       short and longer horizons. Spreads are floored by a small fraction of the unclipped mean absolute deviation,
 *       so a series that is flat between spikes does not see each spike as larger than the last. An isolated outlier
 *       enters the running means only up to the outlier threshold: they measure sustained change, a single spike is
 *       point evidence.</li>
 *   <li><b>Rarity, self-calibrated</b>: each evidence statistic's {@code log(1+|e|)} has a robust typical level and
 *       deviation and, above {@code level + 3 deviations}, a tail fitted online as a generalized Pareto distribution
 *       (rate of exceedances, and mean and mean square of the excess, by moments). The rarity of a datapoint is
 *       {@code -log10} of the harmonic mean of the statistics' tail probabilities (a combination that stays valid for
 *       dependent statistics: one rare statistic alone counts like a Bonferroni-corrected p-value, several that agree
 *       count as rarer). The calibration starts from
 *       a prior (a well-modelled series, weighing 100 observations), so the first points cannot distort it.</li>
 *   <li><b>Time-of-day memory</b>: per statistic and time-of-day bin, the largest evidence recently seen (one byte,
 *       slowly decaying): evidence no larger than what this time of day usually brings scores below critical, so a
 *       nightly batch job or a daily ramp stops alerting after the first days.</li>
 *   <li><b>Range</b>: a slowly relaxing minimum and maximum of the values (about a month); once the range has seen a
 *       day, a value beyond it by a tenth of its width is a new extreme and scores 1, whatever the residuals' calibration
 *       says (a new high in a spiky series, a level the series has never reached). It relaxes towards the band the
 *       series' ordinary deviations reach, not into it, and only after a week in which it has not grown beyond that
 *       band (an extreme seen within the last week is part of the series' recent behaviour).</li>
 *   <li><b>Score</b>: a logistic function of the rarity around the critical rarity (1 for a new extreme). After an
 *       alert (in a direction the series cares about) further scores are damped for the refractory period, linearly in
 *       the time since it.</li>
 *   <li><b>Adaptation</b>: the slow level, the daily profile and their spreads do not learn from a departure
 *       (a datapoint beyond 3 robust deviations of the baseline, from the third day; the profile's residual is the
 *       distance beyond its two-bin envelope, and its spread is the size of the excursions beyond the envelope, learned
 *       from those values only, not diluted by the zeros inside it): a surge or an outage leaves them
 *       nearly where they were. The slow level follows a departure gradually, at a rate that grows with its age (about
 *       40 % of the gap after an hour, 80 % after two, the daily shape kept), so a lasting new level is learned within
 *       hours and no single time decides whether the baseline has moved. The fast level snaps to a sustained one-sided
 *       departure after 3 datapoints.</li>
 *   <li><b>First days</b>: the slow level is the mean of all values until two days have been seen (so that the second
 *       day's profile bins are measured from a level that does not swing with the daily shape), robust to outliers; but
 *       while its spread is still at its floor (the series has been constant), a departure that lasts the adoption time
 *       (a phase of the shape being learned: departures do not count yet) enters the mean and the spread unclipped, so a
 *       series that starts constant learns its first busy phase; the first day's profile bins are provisional and
 *       replaced by their visit on the second day; the profile can count from the third day.</li>
 *   <li><b>Whether the profile counts</b> is a slowly changing state (on after its tests have held for half a day, off
 *       after they have failed for two). Its tests: it explains the series (its residual spread is under half the spread
 *       around the slow level), it is centred on the slow level (not a trend the level lags), and it is a daily shape
 *       (its bins are smooth at the bin scale, not noise or the remnants of a few spikes). Once it counts, the slow level learns from what the profile does not explain
 *       (Holt-Winters), and a departure is held against the profile's expected value. While the profile's bins hold one
 *       day's visit (day 3), the slow level does not follow a departure from the profile on the other side of the slow
 *       level: the bins may hold an incident of day 2.</li>
 * </ul>
 * Decays use elapsed time in units of the series' typical sampling interval, so gaps and irregular intervals weigh
 * correctly; a datapoint with the same (or an earlier) timestamp counts as one interval (by position). Non-finite values
 * are not learned and score 0.
 */
public final class BaselineDetector implements Serializable {
    private static final long serialVersionUID = 1L;

    static final long DAY_MS = 86_400_000L;
    /** Evidence statistics: point, short-horizon mean, long-horizon mean, pattern novelty. */
    static final int EVIDENCE = 4;
    /** The pattern-novelty statistic (index into the evidence lists). */
    static final int NOVELTY = 3;
    private static final double[] EVIDENCE_TAU = {0, 4, 24, 0};
    /**
     * An isolated outlier (a datapoint beyond {@link #HUBER} deviations of the prediction, after one that was not, or
     * was on the other side) enters the running means of the baseline residual only up to this many deviations. The
     * running means measure a sustained change; a single datapoint is the point statistic's evidence. Unclipped, one
     * spike lifted the 20-minute mean too and counted twice (as two statistics that agree), and the running means'
     * calibration learned the spikes' size, so a small sustained change stayed inside it. From the second outlier in a
     * row on, the values enter in full (a level shift is seen one datapoint later by the running means).
     */
    private static final double ISOLATED_CLIP = 3;
    /**
     * Pattern novelty: the n-gram order of the symbols it remembers (0: single symbols, i.e. value levels; longer
     * contexts did not help on NAB), running-mean horizon (intervals), scale of the evidence, and observations before
     * it counts (the memory must have seen the series first).
     */
    private static final int NOV_ORDER = 0;
    private static final double NOV_TAU = 7, NOV_SCALE = 10, NOV_WARM = 600;
    /** Mean absolute deviation to standard deviation for a normal distribution. */
    private static final double MAD_TO_SD = 1.2533;
    private static final double TAU_FAST = 2;
    private static final double TAU_SCALE = 60;
    private static final double TAU_RMS = 500;
    private static final double HUBER = 3;
    private static final double MIN_LOG_DEV = 0.05;
    private static final double PROVEN = 0.5;  // the daily profile must explain half the variation around the slow level
    /** The slow level is the mean of everything seen until this many days have passed (before the profile can count). */
    private static final double MEAN_DAYS = 2;
    /** Half-width of the reported normal band, in robust standard deviations. */
    private static final double BAND_Z = 4;
    /** log1p|N(0,1)|: mean and mean absolute deviation. The calibration prior is a well-modelled series. */
    static final double PRIOR_LOG_MEAN = 0.535, PRIOR_LOG_DEV = 0.265;
    /** The tail starts this many robust deviations above the typical log evidence. */
    private static final double TAIL_K = 3;
    /** Prior tail: fraction of observations in it, and mean excess (exponential) of the log evidence. */
    private static final double PRIOR_TAIL_RATE = 0.02, PRIOR_TAIL_MEAN = 0.15;
    /** The prior weighs as much as this many observations (the first points do not calibrate alone). */
    private static final double PRIOR_WEIGHT = 100;
    /** Memory of the tail rate (intervals) and of the excess moments (exceedances). */
    private static final double TAU_TAIL = 2000, TAU_EXCESS = 30;
    private static final double MIN_SIGMA = 0.05, MAX_XI = 0.5;
    /** Spread floor: this fraction of the unclipped mean absolute deviation. */
    private static final double FLOOR_FRAC = 0.01;
    private static final double TAU_ABS = 2000;
    /** Time-of-day memory of the largest evidence: decay per day (log units), margin, and rarity per log unit above it. */
    private static final double TOD_DECAY = 0.03, TOD_MARGIN = 0.2, TOD_GAIN = 6;
    private static final double TOD_QUANT = 32;
    /** Score slope per decade of rarity around the critical rarity. */
    private static final double SLOPE = 1.5;
    /**
     * Range: a value beyond the series' range by this fraction of the range's width is a new extreme (scored 1); the
     * range relaxes over about this many days, and counts once it has seen a day.
     */
    private static final double RANGE_TOLERANCE = 0.1, RANGE_DAYS = 30;
    /**
     * The range relaxes towards the band the series' ordinary deviations reach (the slow level ± this many robust
     * deviations of the unclipped long-run spread {@code absDev}, spikes included), not towards the slow level itself:
     * it forgets an old extreme, but does not shrink into what the series does anyway. Towards the slow level, the
     * range of a spiky series (CPU bursts, disk-write bursts) lost about a fifth of its height above the level in a
     * week, and an ordinary burst after a quiet week became a "new extreme" (score 1).
     */
    private static final double RANGE_BAND = 3;
    /**
     * The range does not relax while it has grown (on either side) within this many days: an extreme the series reached
     * in the last week is part of its recent behaviour (a week spans the weekly cycle of load: a Monday peak, a weekly
     * batch job, a weekend low), and a value that comes close to it again is no new extreme. Only an extreme not seen
     * again for a week is forgotten, over {@link #RANGE_DAYS}. Without the hold a spike relaxed from the first day (13 %
     * of its height above the band in 4.5 days), so the next burst of the same kind, a little lower, scored 1.
     *
     * <p>Stored without a state change in {@code rangeSince}: a value {@code >= 0} is the time the range started (it has
     * not yet seen a day, or state from before session 10), a negative value {@code -(g + 1)} means the range counts and
     * last grew at {@code g}.
     */
    private static final double RANGE_HOLD_DAYS = 7;
    /**
     * Departures. A departure starts at a value beyond {@link #HUBER} robust deviations of the baseline (the slow level
     * and, once it counts, the daily profile), from the series' third day (when the profile counts), and lasts while the
     * values stay on its side beyond {@code DEPARTURE_HOLD} deviations. The profile and the spreads (around the slow level
     * and of the profile's residual) do not learn from it; the slow level follows it gradually, at a rate that grows with the departure's age {@code t}:
     * the fraction {@code min(1, t/T)/T} of the remaining gap per unit time, {@code T} = this time (and at least this many
     * intervals). So it has covered {@code 1-exp(-t²/2T²)} of a steady gap: 12 % after {@code T/2}, 39 % after {@code T},
     * 78 % after {@code 2T}, 92 % after {@code 3T}. No single time decides whether the baseline has moved.
     */
    private static final long ADOPT_MS = 60 * 60_000L;
    private static final double ADOPT_INTERVALS = 6;
    private static final double DEPARTURE_HOLD = 1;
    private static final double DEPARTURE_DAYS = 2;
    /**
     * Until the series is this old, the daily profile's bins hold a single day's visit (the first day's are
     * provisional, the second day's visit replaces them, the profile counts from the third): a departure from the
     * profile on the other side of the slow level (the value between the slow level and the profile's expectation) is
     * then the profile's error (an incident on day 2, learned into its bins) more likely than a new level, and the slow
     * level does not follow it. The departure still counts (the profile and the spreads do not learn from it).
     */
    private static final double SINGLE_VISIT_DAYS = 3;
    /** The profile is a daily shape only while its bins are this smooth (see {@link #shaped}). */
    private static final double SHAPE_ROUGHNESS = 0.5;

    private final DetectorSettings settings;
    /** The signed rarity of each evidence statistic at the latest call (diagnostics in tests; not thread-safe). */
    final transient double[] lastEvidence = new double[EVIDENCE];
    /** The same before the time-of-day cap (diagnostics in tests). */
    final transient double[] lastRawEvidence = new double[EVIDENCE];
    /** Whether the daily profile counted at the latest call (diagnostics in tests). */
    transient boolean lastProven;
    /** Scratch for the profile's shape test (one per detector; the detector is not thread-safe). */
    private transient double[] binScratch;

    public BaselineDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    public DetectorSettings settings() {
        return settings;
    }

    /**
     * An empty {@code bytes} field, shared by every baseline that has none (the time-of-day peaks before a day, the
     * working baseline's {@code packed}): a buffer of capacity 0 cannot change (position and limit stay 0), and a field
     * that gets bytes gets a buffer of its own ({@link #score}, {@code StoredBaseline}).
     */
    static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    /**
     * A new series' baseline, its lists already in their working forms ({@link FloatList}, {@link DoubleList}): the
     * first datapoint only sets the level, and the lists of boxed numbers a new baseline had before (about 1.7 KB) lived
     * until the series' second datapoint, a minute later: long enough to be copied by young collections, and with a
     * million new series (a restart, the bench's latency run) a large share of their work.
     */
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
        float[] daily = new float[Math.max(settings.dailyBins(), 4)];
        java.util.Arrays.fill(daily, 0, settings.dailyBins(), Float.NaN);
        s.setDaily(FloatList.over(daily, settings.dailyBins()));
        s.setEvidencePeak(List.of()); // unused since v2
        s.setEvidence(filled(0.0));
        s.setEvidenceLogMean(filled(PRIOR_LOG_MEAN));
        s.setEvidenceLogDev(filled(PRIOR_LOG_DEV));
        s.setOutlierRun(0);
        s.setLastAlert(0L);
        s.setLastAlertTime(0L);
        s.setDailyPeak(NO_BYTES);
        s.setPatternCounts(ByteBuffer.wrap(new byte[PatternMemory.SLOTS]));
        s.setNovelty(0.0);
        s.setRangeLow(1.0); // empty range: the first value starts it
        s.setRangeHigh(0.0);
        s.setShiftSince(0L);
        s.setShiftDirection(0);
        s.setRangeSince(0L);
        s.setProfileState(PROFILE_OFF);
        s.setProfileSince(0L);
        s.setPacked(NO_BYTES); // the stored form's (StoredBaseline): empty in the working baseline
        ensureTail(s); // the tail statistics start from the prior
        return s;
    }

    /** One value per evidence statistic, in the working form. */
    private static DoubleList filled(double v) {
        double[] a = new double[EVIDENCE];
        java.util.Arrays.fill(a, v);
        return DoubleList.over(a, EVIDENCE);
    }

    /** Seeds the tail statistics (absent in v1 state) with the prior: a well-modelled series' point evidence. */
    private static void ensureTail(SeriesBaseline s) {
        // v2 state has three statistics (no pattern novelty): the new ones start from the prior
        pad(s.getEvidence(), 0.0);
        pad(s.getEvidenceLogMean(), PRIOR_LOG_MEAN);
        pad(s.getEvidenceLogDev(), PRIOR_LOG_DEV);
        if (s.getTailRate() != null && s.getTailRate().size() == EVIDENCE) return;
        // in the working form (the statistics are read as DoubleLists right after)
        DoubleList tr = filled(PRIOR_TAIL_RATE), tm = filled(PRIOR_TAIL_MEAN), ts = filled(2 * PRIOR_TAIL_MEAN * PRIOR_TAIL_MEAN);
        int old = s.getTailRate() == null ? 0 : Math.min(EVIDENCE, s.getTailRate().size());
        for (int i = 0; i < old; i++) {
            tr.setDouble(i, s.getTailRate().get(i));
            tm.setDouble(i, s.getTailMean().get(i));
            ts.setDouble(i, s.getTailSquare().get(i));
        }
        s.setTailRate(tr);
        s.setTailMean(tm);
        s.setTailSquare(ts);
    }

    private static void pad(List<Double> list, double prior) {
        while (list.size() < EVIDENCE) list.add(prior);
    }

    /** The sequence memory's table, updated in place (a fresh one for state from before v3). */
    private static byte[] patternTable(SeriesBaseline s) {
        ByteBuffer buf = s.getPatternCounts();
        if (buf != null && buf.hasArray() && buf.arrayOffset() == 0 && buf.position() == 0 && buf.array().length == PatternMemory.SLOTS) {
            return buf.array();
        }
        byte[] t = new byte[PatternMemory.SLOTS];
        if (buf != null && buf.remaining() == PatternMemory.SLOTS) buf.duplicate().get(t);
        s.setPatternCounts(ByteBuffer.wrap(t));
        return t;
    }

    /** Scores the observation at {@code timestampMillis} and updates {@code state} in place, with the default sensitivity. */
    public Score score(SeriesBaseline s, long timestampMillis, double value) {
        return score(s, timestampMillis, value, settings.threshold(), DetectorSettings.DirectionFilter.BOTH);
    }

    /**
     * Scores the observation at {@code timestampMillis} and updates {@code state} in place. {@code threshold} and
     * {@code direction} are the series' alert setting: an alert (a score at or over the threshold in a direction the
     * series cares about) starts the refractory period, during which further scores are damped.
     */
    public Score score(SeriesBaseline s, long timestampMillis, double value, double threshold, DetectorSettings.DirectionFilter direction) {
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
        double eps = 1e-9 + 1e-4 * Math.abs(slow) + FLOOR_FRAC * s.getAbsDev();
        double flatScale = Math.max(s.getFlatScale(), Math.max(eps, 0.05 * s.getSlowDev()));
        double slowDev = Math.max(s.getSlowDev(), eps);
        double dailyScale = Math.max(s.getDailyScale(), eps);

        // ---- predictions
        double rFlat = value - level;
        double zFlat = rFlat / (MAD_TO_SD * flatScale);

        FloatList daily = FloatList.of(s.getDaily()); // the working form: no boxing per datapoint
        if (daily != s.getDaily()) s.setDaily(daily);
        int bins = daily.size();
        double binMs = (double) DAY_MS / bins;
        double tod = Math.floorMod(timestampMillis, DAY_MS);
        int bin = (int) Math.min(bins - 1, Math.floor(tod / binMs));
        double f = tod / binMs - 0.5;
        int b0 = Math.floorMod((int) Math.floor(f), bins);
        int b1 = (b0 + 1) % bins;
        double frac = f - Math.floor(f);
        double d0 = daily.getFloat(b0), d1 = daily.getFloat(b1);
        double rDaily = Double.NaN, dailyExpected = Double.NaN;
        if (!Double.isNaN(d0) || !Double.isNaN(d1)) {
            if (Double.isNaN(d0)) d0 = d1;
            if (Double.isNaN(d1)) d1 = d0;
            double lo = slow + Math.min(d0, d1), hi = slow + Math.max(d0, d1);
            dailyExpected = slow + (1 - frac) * d0 + frac * d1;
            rDaily = value < lo ? value - lo : value > hi ? value - hi : 0;
        }
        double age = timestampMillis - s.getFirstTimestamp();
        // the profile of the first day is provisional (see the learning below): it counts only once the second day
        // has replaced all of it, and only while it is a shape around the slow level (not a trend the level lags)
        boolean eligible = !Double.isNaN(rDaily) && interval <= binMs * 4;
        boolean dailyProven = profileCounts(s, timestampMillis, age, eligible);
        lastProven = dailyProven;

        double zDaily = Double.isNaN(rDaily) ? Double.NaN : rDaily / (MAD_TO_SD * dailyScale);
        double zPoint = zFlat;
        double zBase;
        if (dailyProven) {
            if (Math.abs(zDaily) < Math.abs(zPoint)) zPoint = zDaily;
            zBase = zDaily;
        } else {
            zBase = (value - slow) / (MAD_TO_SD * slowDev);
        }

        // ---- pattern novelty: how familiar is the current value level (the symbol of its deviation from the slow
        // level, in units of the unclipped spread, spikes included) in the series' recent history
        int symbol = PatternMemory.symbol((value - slow) / (MAD_TO_SD * Math.max(eps, s.getAbsDev())));
        double u = PatternMemory.observe(patternTable(s), 0, symbol, n, NOV_ORDER);
        double novelty = s.getNovelty() + alpha(steps, NOV_TAU) * (u - s.getNovelty());
        s.setNovelty(novelty);
        int novDir = symbol != 0 ? Integer.signum(symbol) : (int) Math.signum(zBase);

        // ---- evidence at several time scales, self-calibrated by the tail of its own history
        ensureTail(s);
        DoubleList ev = DoubleList.of(s.getEvidence()), lm = DoubleList.of(s.getEvidenceLogMean()), ld = DoubleList.of(s.getEvidenceLogDev());
        DoubleList tr = DoubleList.of(s.getTailRate()), tm = DoubleList.of(s.getTailMean()), ts = DoubleList.of(s.getTailSquare());
        if (ev != s.getEvidence()) s.setEvidence(ev); // the working forms stay in the state object (Avro writes them as lists)
        if (lm != s.getEvidenceLogMean()) s.setEvidenceLogMean(lm);
        if (ld != s.getEvidenceLogDev()) s.setEvidenceLogDev(ld);
        if (tr != s.getTailRate()) s.setTailRate(tr);
        if (tm != s.getTailMean()) s.setTailMean(tm);
        if (ts != s.getTailSquare()) s.setTailSquare(ts);
        double aCal = alpha(steps, Math.min(TAU_RMS, Math.max(n, PRIOR_WEIGHT)));
        double aTail = alpha(steps, Math.min(TAU_TAIL, Math.max(n, PRIOR_WEIGHT)));
        double minP = 1, invSum = 0; // smallest tail probability (gives the direction); sum of 1/p (the combination)
        int active = 0;
        int dir = 0;
        // time-of-day memory of the largest evidence, once a day has been seen at a resolution finer than the bins
        byte[] todPeak = null;
        int prevBin = (int) Math.min(bins - 1, Math.floor(Math.floorMod(timestampMillis - dt, DAY_MS) / binMs));
        if (age >= DAY_MS && interval <= binMs) {
            ByteBuffer buf = s.getDailyPeak();
            int len = EVIDENCE * bins;
            if (buf != null && buf.hasArray() && buf.arrayOffset() == 0 && buf.position() == 0 && buf.array().length == len) {
                todPeak = buf.array(); // updated in place
            } else {
                todPeak = new byte[len];
                if (buf != null && buf.remaining() == len) buf.duplicate().get(todPeak);
                s.setDailyPeak(ByteBuffer.wrap(todPeak));
            }
        }
        // an isolated outlier enters the running means only up to ISOLATED_CLIP deviations (it is point evidence)
        boolean isolated = Math.abs(zPoint) > HUBER && Integer.signum(s.getOutlierRun()) != (int) Math.signum(zPoint);
        double zMean = isolated ? clamp(zBase, -ISOLATED_CLIP, ISOLATED_CLIP) : zBase;
        for (int i = 0; i < EVIDENCE; i++) {
            double e = i == 0 ? zPoint : i == NOVELTY ? novDir * NOV_SCALE * novelty
                    : ev.getDouble(i) + alpha(steps, EVIDENCE_TAU[i]) * (zMean - ev.getDouble(i));
            ev.setDouble(i, e);
            double x = Math.log1p(Math.abs(e));
            double m = lm.getDouble(i), d = Math.max(ld.getDouble(i), MIN_LOG_DEV);
            double t = m + TAIL_K * MAD_TO_SD * d;
            double rate = tr.getDouble(i), mu = tm.getDouble(i), sq = ts.getDouble(i);
            double p = 1; // tail probability of evidence this large: generalized Pareto above t, fitted by moments
            if (x > t) {
                double var = Math.max(sq - mu * mu, 1e-12);
                double xi = clamp(0.5 * (1 - mu * mu / var), 0, MAX_XI);
                double sigma = Math.max(MIN_SIGMA, mu * (1 - xi));
                double y = x - t;
                p = rate * (Math.abs(xi) < 1e-6 ? Math.exp(-y / sigma) : Math.pow(Math.max(1e-12, 1 + xi * y / sigma), -1 / xi));
                double aEx = 1 / Math.min(TAU_EXCESS, 1 + rate * n);
                tm.setDouble(i, mu + aEx * (y - mu));
                ts.setDouble(i, sq + aEx * (y * y - sq));
                tr.setDouble(i, rate + aTail * (1 - rate));
            } else {
                tr.setDouble(i, rate - aTail * rate);
            }
            double r0 = -Math.log10(Math.max(p, 1e-300));
            lastRawEvidence[i] = r0 * Math.signum(e);
            if (todPeak != null) {
                int base = i * bins;
                double seen = Math.max(Math.max(peakAt(todPeak, base + Math.floorMod(bin - 1, bins)), peakAt(todPeak, base + bin)),
                        peakAt(todPeak, base + (bin + 1) % bins));
                // no larger than what this time of day has recently seen: below critical, whatever the tail says
                double cap = settings.criticalRarity() + TOD_GAIN * (x - seen - TOD_MARGIN);
                if (cap < r0) {
                    r0 = Math.max(0, cap);
                    p = Math.pow(10, -r0);
                }
                int k = base + bin;
                double old = peakAt(todPeak, k);
                if (bin != prevBin) old -= TOD_DECAY * Math.max(1, Math.min(7, dt / (double) DAY_MS));
                todPeak[k] = (byte) (int) clamp(Math.round(Math.max(old, x) * TOD_QUANT), 0, 255);
            }
            lastEvidence[i] = r0 * Math.signum(e);
            if (i != NOVELTY || n >= NOV_WARM) { // the novelty counts once its memory has seen the series
                active++;
                invSum += 1 / Math.max(p, 1e-300);
                if (p < minP) {
                    minP = p;
                    dir = (int) Math.signum(e);
                }
            }
            double r = clamp(x - m, -HUBER * MAD_TO_SD * d, HUBER * MAD_TO_SD * d);
            lm.setDouble(i, m + aCal * r);
            ld.setDouble(i, ld.getDouble(i) + aCal * (Math.abs(r) - ld.getDouble(i)));
        }
        // combined evidence: the harmonic mean of the statistics' tail probabilities (valid for dependent tests, so no
        // correlation model is needed): one statistic alone at p counts as p times the number of statistics, like a
        // Bonferroni correction, and statistics that agree count up to that many times more
        double rarity = -Math.log10(Math.max(active / invSum, 1e-300));

        // ---- learn
        double aFast = alpha(steps, TAU_FAST);
        double aScale = alpha(steps, Math.min(TAU_SCALE, n));
        // the slow level is the mean of everything seen until the series has seen two days, then an exponential average
        // of about a day: an average that started from the first value would carry it for days (a series that starts
        // at its nightly low would see its daily mean rise for two days)
        double dayPoints = DAY_MS / Math.max(interval, 1);
        double tauSlow = clamp(dayPoints, 12, 1000);
        double aSlow = alpha(steps, n < MEAN_DAYS * dayPoints ? n : tauSlow);
        int run = s.getOutlierRun();
        boolean out = Math.abs(zPoint) > HUBER;
        run = !out ? 0 : (zPoint > 0 ? Math.max(run, 0) + 1 : Math.min(run, 0) - 1);
        s.setOutlierRun(run);
        boolean shifted = Math.abs(run) >= 3;

        double hub = HUBER * MAD_TO_SD * flatScale;
        s.setFlatScale(s.getFlatScale() + aScale * (Math.min(Math.abs(rFlat), hub) - s.getFlatScale()));
        s.setLevel(shifted ? value : level + aFast * clamp(rFlat, -hub, hub));

        double rSlow = value - slow;
        s.setAbsDev(s.getAbsDev() + alpha(steps, Math.min(TAU_ABS, n)) * (Math.abs(rSlow) - s.getAbsDev()));
        double hubSlow = HUBER * MAD_TO_SD * slowDev;
        // A departure from the baseline (the slow level and the daily profile) does not teach it the usual way: neither
        // the profile nor the spreads learn from it (a spread that grew during a surge would hide the return from it), and the slow level follows it gradually, the
        // faster the longer it lasts (ADOPT_MS): a short surge, an outage or a stretch of spikes leaves it nearly where it
        // was, a lasting new level is adopted within a few multiples of ADOPT_MS (the daily shape kept), and no single
        // wall-clock time decides whether the baseline has moved before a given datapoint. (Session 4 moved it at once
        // after 40 minutes: NAB's score then depended on that time alone, 61-72 between 28 and 60 minutes.)
        // Departures count from the third day, when the daily profile counts: before it has seen two days, a departure
        // from the slow level is as likely to be the daily shape the profile is still learning (adopting it would teach
        // the profile that every phase of a daily square wave is "at the level").
        int depDir = 0;
        // a departure from a counting profile is held while the values stay beyond a deviation of its expected value
        // (not of its envelope between two bins, which hides a remaining gap on a steep part of the daily shape)
        double zHold = dailyProven ? (value - dailyExpected) / (MAD_TO_SD * dailyScale) : zBase;
        if (age >= DEPARTURE_DAYS * DAY_MS) {
            int prevDir = s.getShiftDirection();
            if (Math.abs(zBase) > HUBER) depDir = (int) Math.signum(zBase);
            else if (prevDir != 0 && Math.signum(zHold) == prevDir && Math.abs(zHold) > DEPARTURE_HOLD) depDir = prevDir;
        }
        // Before departures count (the first DEPARTURE_DAYS, while the slow level is the mean of everything seen), a
        // departure is only tracked, without its consequences. While the spread around the slow level is still at its
        // floor (the series has been constant so far: no spread has been learned, so clipping at HUBER of it is no
        // robustness), a departure that has lasted as long as a departure takes to be adopted later (ADOPT_MS) is a
        // phase of the series' shape being learned, not an outlier: it enters the mean and the spread whole
        // (learningShape). Clipped, the spread grows by a few percent per datapoint from its floor, and a noise-free
        // daily shape that started flat (NAB's art_daily_no_noise: ten flat hours, then 20/80) hardly had its first
        // busy phase in the two-day mean (29 instead of 40); the profile measured from it never counted, every phase
        // change departed from the level from the third day on, and the return to the quiet level alerted as novel.
        // A burst shorter than ADOPT_MS, or any value once a spread has been learned, is clipped as before.
        boolean learningShape = false, tracking = age < DEPARTURE_DAYS * DAY_MS && n < MEAN_DAYS * dayPoints;
        if (tracking) {
            int prevDir = s.getShiftDirection();
            if (Math.abs(zBase) > HUBER) depDir = (int) Math.signum(zBase);
            else if (prevDir != 0 && Math.signum(zBase) == prevDir && Math.abs(zBase) > DEPARTURE_HOLD) depDir = prevDir;
        }
        long shiftSince = depDir == 0 ? 0 : depDir != s.getShiftDirection() || s.getShiftSince() == 0 ? timestampMillis : s.getShiftSince();
        s.setShiftSince(shiftSince);
        s.setShiftDirection(depDir);
        if (tracking && depDir != 0) {
            learningShape = timestampMillis - shiftSince >= Math.max(ADOPT_MS, ADOPT_INTERVALS * interval) && s.getSlowDev() <= eps;
            depDir = 0; // tracked, not a departure
        }
        boolean departing = depDir != 0;
        double hubMean = learningShape ? Double.POSITIVE_INFINITY : hubSlow;
        double newSlow;
        boolean adopting = false;
        if (departing) {
            // adopt gradually: the rate grows with the departure's age (no single time decides)
            double adoptMs = Math.max(ADOPT_MS, ADOPT_INTERVALS * interval);
            double ramp = Math.min(1, (timestampMillis - shiftSince) / adoptMs);
            double a = 1 - Math.exp(-steps * interval * ramp / adoptMs);
            // while the profile's bins hold one day's visit (which may have been an incident), a departure from it on
            // the other side of the slow level is the profile's error, not a new level: not followed
            if (dailyProven && age < SINGLE_VISIT_DAYS * DAY_MS && Math.signum(value - slow) != depDir) a = 0;
            newSlow = slow + a * (value - (dailyProven ? dailyExpected : slow));
            adopting = a > 0;
        } else if (dailyProven) {
            // Holt-Winters: once the profile counts, the slow level learns from what the profile does not explain, so
            // that it no longer swings with the daily shape (a one-day average of a daily series does)
            newSlow = slow + aSlow * clamp(value - dailyExpected, -hubSlow, hubSlow);
        } else {
            newSlow = slow + aSlow * clamp(rSlow, -hubMean, hubMean);
        }
        if (!departing) s.setSlowDev(s.getSlowDev() + aScale * (Math.min(Math.abs(rSlow), hubMean) - s.getSlowDev()));

        if (!adopting) { // a new level is not a trend
            double slope = (newSlow - s.getSlowLevel()) / Math.max(steps, 1e-3);
            s.setTrend(0.99 * (s.getTrend() + alpha(steps, 20 / alpha(steps, tauSlow)) * (slope - s.getTrend())));
        }
        s.setSlowLevel(newSlow);

        // nor does the spread of the profile's residual learn from a departure; it learns from the values beyond the
        // two-bin envelope only (the size of the excursions, not how often they happen): inside the envelope the
        // residual is 0, and the mean absolute deviation of such a zero-inflated residual was far below the noise's
        // (a square wave whose busy phase is noisier: 1.1 for noise reaching 8), so a third of the busy phase's values
        // were "departures", which the spread never learned from
        if (!Double.isNaN(rDaily) && !departing && rDaily != 0) {
            double hubD = HUBER * MAD_TO_SD * dailyScale;
            s.setDailyScale(s.getDailyScale() + aScale * (Math.min(Math.abs(rDaily), hubD) - s.getDailyScale()));
        }
        double cur = daily.getFloat(bin);
        double dev = value - newSlow;
        // The first day's profile is provisional: it was measured against a slow level that had not seen a day yet
        // (at the start of the series, the first values themselves). A bin's visit in the series' second day replaces
        // it with the mean of that visit; from the third day on the bins learn slowly.
        double beta;
        if (age >= DAY_MS && age < 2 * DAY_MS) {
            double visitStart = Math.max(timestampMillis - (tod - bin * binMs), s.getFirstTimestamp() + DAY_MS);
            beta = Math.min(1, steps * interval / (timestampMillis - visitStart + interval));
        } else {
            beta = 1 - Math.exp(-0.35 * Math.min(1, steps * interval / binMs));
        }
        if (departing && !Double.isNaN(cur)) {
            // nor does the profile learn from a departure
        } else if (Double.isNaN(cur) || beta >= 1) {
            daily.setFloat(bin, (float) dev);
        } else {
            double hubB = HUBER * MAD_TO_SD * Math.max(dailyScale, slowDev * 0.1);
            daily.setFloat(bin, (float) (cur + beta * clamp(dev - cur, -hubB, hubB)));
        }

        // ---- range: a value beyond everything the series has shown lately, by a tenth of the range's width, is a new
        // extreme (the range relaxes over about a month towards the band of the series' ordinary deviations around the
        // slow level, and counts once it has seen a day)
        double rLo = s.getRangeLow(), rHi = s.getRangeHigh();
        int extreme = 0;
        if (rLo <= rHi) {
            double tol = RANGE_TOLERANCE * (rHi - rLo);
            long since = s.getRangeSince();
            boolean counts = since < 0 || timestampMillis - since >= DAY_MS; // the range has seen a day
            if (counts) extreme = value > rHi + tol ? 1 : value < rLo - tol ? -1 : 0;
            double band = RANGE_BAND * MAD_TO_SD * s.getAbsDev();
            // the time the range last grew beyond the band (its start, for a range that has only now seen a day or
            // older state); a new high or low inside the band is what the series does anyway and holds nothing
            long grown = since < 0 ? -(since + 1) : since;
            if (value > Math.max(rHi, newSlow + band) || value < Math.min(rLo, newSlow - band)) grown = timestampMillis;
            if (counts) s.setRangeSince(-(Math.max(grown, 0) + 1));
            // it relaxes only once it has not grown for RANGE_HOLD_DAYS
            double aR = timestampMillis - grown < RANGE_HOLD_DAYS * DAY_MS ? 0 : alpha(steps, RANGE_DAYS * DAY_MS / Math.max(interval, 1));
            rHi = Math.max(rHi - aR * Math.max(0, rHi - (newSlow + band)), value);
            rLo = Math.min(rLo + aR * Math.max(0, newSlow - band - rLo), value);
        } else { // no range yet (a new series, or a baseline from before v4)
            rLo = rHi = value;
            s.setRangeSince(timestampMillis);
        }
        s.setRangeLow(rLo);
        s.setRangeHigh(rHi);

        // ---- score
        boolean warm = n >= settings.warmupPoints() && age >= settings.warmup().toMillis();
        double expected = dailyProven ? dailyExpected : level;
        double spread = BAND_Z * MAD_TO_SD * (dailyProven ? dailyScale : flatScale);
        if (!warm) return new Score(0, 0, expected, expected - spread, expected + spread, false);
        double score = 1 / (1 + Math.exp(-SLOPE * (rarity - settings.criticalRarity())));
        if (extreme != 0) { // a new extreme is an anomaly, however the residuals are calibrated
            score = 1;
            dir = extreme;
        }
        long lastAlert = s.getLastAlertTime();
        long refractory = settings.refractory().toMillis();
        if (lastAlert > 0 && refractory > 0) {
            long since = timestampMillis - lastAlert;
            if (since >= 0 && since < refractory) score *= (double) since / refractory;
        }
        if (score >= threshold && direction.accepts(dir)) s.setLastAlertTime(timestampMillis);
        return new Score(clamp(score, 0, 1), dir, expected, expected - spread, expected + spread, true);
    }

    /**
     * Whether the profile is a daily shape around the slow level: its bins average to less than a quarter of the spread
     * around the slow level. Bins that all sit on one side are a trend the slow level lags, not a daily pattern.
     */
    private static boolean centred(List<Float> daily, double slowDev) {
        double sum = 0;
        int k = 0;
        FloatList bins = FloatList.of(daily);
        for (int i = 0; i < bins.size(); i++) {
            float b = bins.getFloat(i);
            if (!Float.isNaN(b)) {
                sum += b;
                k++;
            }
        }
        return k == 0 || Math.abs(sum / k) < 0.25 * slowDev;
    }

    /**
     * Whether the profile's bins are a daily shape: smooth at the scale of a bin. Neighbouring bins (around the day)
     * differ on average by less than {@link #SHAPE_ROUGHNESS} times the bins' mean absolute deviation from their
     * median bin. A daily shape spans hours (a sine: 0.13, NAB's art_daily square waves 0.12-0.23); bins that differ like
     * noise (about 1.4) or that hold the remnants of a few spikes in an otherwise flat profile (one bin: 2, two
     * neighbouring bins: 1) are not one. A shape narrower than about {@code 2 / SHAPE_ROUGHNESS} bins (a half-hour batch
     * job at the same time every day) is left to the time-of-day memory.
     */
    private boolean shaped(List<Float> daily) {
        FloatList bins = FloatList.of(daily);
        int size = bins.size();
        double[] v = binScratch;
        if (v == null || v.length < size) v = binScratch = new double[size];
        int k = 0;
        double rough = 0;
        int steps = 0;
        for (int i = 0; i < size; i++) {
            float b = bins.getFloat(i), c = bins.getFloat((i + 1) % size);
            if (Float.isNaN(b)) continue;
            v[k++] = b;
            if (!Float.isNaN(c)) {
                rough += Math.abs(c - b);
                steps++;
            }
        }
        if (k == 0 || steps == 0) return false;
        double median = select(v, k, k / 2), dev = 0;
        for (int i = 0; i < k; i++) dev += Math.abs(v[i] - median);
        return rough / steps < SHAPE_ROUGHNESS * (dev / k);
    }

    /** The {@code r}-th smallest of {@code v[0..k)} (reorders them; Hoare's selection, no allocation). */
    static double select(double[] v, int k, int r) {
        int lo = 0, hi = k - 1;
        while (lo < hi) {
            double pivot = v[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (v[i] < pivot) i++;
                while (v[j] > pivot) j--;
                if (i <= j) {
                    double t = v[i];
                    v[i++] = v[j];
                    v[j--] = t;
                }
            }
            if (r <= j) hi = j;
            else if (r >= i) lo = i;
            else return v[r];
        }
        return v[r];
    }

    private static final int PROFILE_UNKNOWN = 0, PROFILE_OFF = 1, PROFILE_ON = 2;
    /** The profile's tests must hold this long (from the series' second day) to switch it on, fail this long to switch it off. */
    private static final double PROFILE_ON_DAYS = 0.5, PROFILE_OFF_DAYS = 2;

    /**
     * Whether the daily profile counts: a slowly changing state (v5), not a decision per datapoint. Its tests are v4's:
     * the profile's residual spread under half the spread around the slow level ({@code slowDev}: clipped, 60 intervals),
     * and its bins averaging under a quarter of a spread (a trend the slow level lags is not a daily shape), here the
     * long-run one ({@code absDev}, about 2000 intervals). They must hold for half a day, from the series' second day,
     * to switch it on (at the earliest on the third day), and fail for two days to switch it off. v4 decided per
     * datapoint, and its centred test against {@code slowDev} (small in a daily series' quiet phase, large in its busy
     * one) stopped counting the profile in the quiet phase: whether a NAB window was seen then depended on
     * {@code HUBER}. The hysteresis and the long-run spread for the centred test remove that. A third test (session 9)
     * asks for a daily shape ({@link #shaped}): on a flat series with sparse spikes the two tests held (the bins' residual
     * is small, and they average near the slow level) though the bins held only remnants of the spikes, and a departure
     * from one of them moved the slow level below the flat values.
     */
    private boolean profileCounts(SeriesBaseline s, long t, double age, boolean eligible) {
        boolean hold = eligible && age >= DAY_MS && s.getDailyScale() < PROVEN * s.getSlowDev() && centred(s.getDaily(), s.getAbsDev())
                && shaped(s.getDaily());
        int state = s.getProfileState();
        if (state == PROFILE_UNKNOWN) { // a baseline from before v5: the per-datapoint decision it was kept with
            boolean legacy = eligible && age >= 2 * DAY_MS && s.getDailyScale() < PROVEN * s.getSlowDev() && centred(s.getDaily(), s.getSlowDev());
            state = legacy ? PROFILE_ON : PROFILE_OFF;
            s.setProfileSince(0L);
        }
        boolean on = state == PROFILE_ON;
        long since = s.getProfileSince();
        if (hold == on) {
            since = 0;
        } else {
            if (since == 0) since = t;
            if (t - since >= (on ? PROFILE_OFF_DAYS : PROFILE_ON_DAYS) * DAY_MS && (on || age >= 2 * DAY_MS)) {
                on = !on;
                since = 0;
            }
        }
        s.setProfileState(on ? PROFILE_ON : PROFILE_OFF);
        s.setProfileSince(since);
        return on && eligible && age >= 2 * DAY_MS;
    }

    private static double peakAt(byte[] a, int k) {
        return (a[k] & 0xff) / TOD_QUANT;
    }

    private static double alpha(double steps, double tau) {
        return tau <= 0 ? 1 : 1 - Math.exp(-steps / tau);
    }

    private static double clamp(double x, double lo, double hi) {
        return x < lo ? lo : x > hi ? hi : x;
    }
}
