package io.augur.ops.anomaly;

import java.util.Arrays;

/**
 * Estimates when a series reaches its limit, with an uncertainty band, from a bounded downsampled history. Rank-based
 * and robust (a restart, a surge or a gap moves a median, not a least-squares fit):
 * <ul>
 *   <li><b>Non-seasonal</b> series (free memory, free storage, message age): Theil–Sen slope over the recent
 *       {@code fitWindow} (median of all pairwise slopes), its confidence interval from the ranks of the pairwise slopes
 *       (Kendall's S variance), the level now as the median intercept, the band from the median absolute residual.</li>
 *   <li><b>Seasonal</b> series (load-driven: CPU, consumed capacity, concurrency): the seasonal Sen slope, the median of
 *       the slopes of pairs a whole number of days apart (same time of day, so the daily cycle cancels), its interval
 *       from the sign test, and the level as the daily peak (95th percentile of the last day, detrended to now): the
 *       limit is met at the busiest hour first.</li>
 * </ul>
 * Seasonal series that rise towards their limit are fitted on their logarithm: their daily cycle scales with their
 * level, so their peak grows faster than their mean. The limit is reached within the horizon when the central estimate is within it and the slope's interval excludes
 * zero. Earliest: the steep end of the interval from the top of the level band; latest: the shallow end from its bottom.
 */
public final class ExhaustionForecaster {
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;
    private static final int MIN_PAIRS = 8;
    private static final double MAD_TO_SD = 1.4826;
    /** How many residual spreads a trend must move the series over the fitted span before it is extrapolated. */
    private static final double MIN_TREND_TO_NOISE = 3;
    /** How many times the fitted span a forecast may look ahead. */
    private static final double MAX_EXTRAPOLATION = 4;

    /**
     * One forecast, in the series' own units.
     *
     * @param level          the fitted level now (seasonal: the daily peak, or trough when falling, detrended to now)
     * @param slopePerHour   robust slope, units per hour
     * @param slopeLow       lower end of its confidence interval
     * @param slopeHigh      upper end
     * @param residualScale  robust spread of the residuals
     * @param confidence     in [0,1]: share of pairwise slopes pointing at the limit minus those pointing away
     * @param reaches        the limit is reached within the horizon, the trend towards it significant
     * @param reachAt        central estimate, epoch ms (null when not heading there)
     * @param reachEarliest  earliest plausible time
     * @param reachLatest    latest plausible time (capped at the horizon when it reaches)
     */
    public record Forecast(boolean seasonal, boolean rising, boolean logScale, long now, double level, double slopePerHour, double slopeLow,
                           double slopeHigh, double residualScale, double confidence, boolean reaches, Long reachAt,
                           Long reachEarliest, Long reachLatest) {
        /** The fitted trend at time {@code t} (exponential when fitted on the logarithm). */
        public double fitted(long t) {
            double h = (t - now) / (double) HOUR;
            return logScale ? level * Math.exp(slopePerHour / level * h) : level + slopePerHour * h;
        }
    }

    private final AnomalySettings settings;

    public ExhaustionForecaster(AnomalySettings settings) {
        this.settings = settings;
    }

    /**
     * @param times  representative times of the buckets (their middles), ascending
     * @param values bucket aggregates (maximum when rising, minimum when falling)
     * @param n      how many of the arrays' entries are used
     * @param now    the forecast's time (the end of the newest bucket)
     * @return the forecast, or null when the history is too short
     */
    public Forecast forecast(long[] times, double[] values, int n, long now, double limit, boolean rising, boolean seasonal) {
        double sign = rising ? 1 : -1;
        // load-driven series grow multiplicatively (the daily cycle scales with the level): fit their logarithm
        boolean log = seasonal && rising && limit > 0;
        for (int i = 0; i < n && log; i++) log = values[i] > 0;
        double[] y = new double[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = log ? Math.log(values[i]) : sign * values[i];
            x[i] = (times[i] - now) / (double) HOUR;
        }
        double lim = log ? Math.log(limit) : sign * limit;
        double z = settings.confidenceZ();
        Fit fit = seasonal ? seasonalFit(times, x, y, n, now, z) : windowFit(times, x, y, n, now, z);
        if (fit == null) return null;

        double gap = lim - fit.level;
        long horizon = settings.horizon().toMillis();
        boolean reaches;
        Long at = null, earliest = null, latest = null;
        if (gap <= 0) {
            // at or past the limit now: it stays reached unless the series is significantly moving away
            reaches = fit.high >= 0;
            at = earliest = latest = now;
        } else if (fit.slope > 0) {
            double dc = gap / fit.slope;
            // the level band: the residual spread, plus the trend's change across half a bucket (the resolution of the history)
            double band = z * fit.scale + fit.slope * settings.bucket().toMillis() / (2.0 * HOUR);
            double de = fit.high > 0 ? Math.max(0, gap - band) / fit.high : dc;
            double dl = fit.low > 0 ? (gap + band) / fit.low : Double.POSITIVE_INFINITY;
            // a trend that moves the series less than a few noise widths over the fitted span is not extrapolated by days
            boolean clear = fit.slope * fit.spanHours >= MIN_TREND_TO_NOISE * fit.scale;
            // and a forecast reaches no further ahead than a few times the span it was fitted on
            double reach = Math.min(horizon, MAX_EXTRAPOLATION * fit.spanHours * HOUR);
            Long late;
            if (fit.profile != null) {
                // a seasonal series meets its limit in the first busy hour after its peak level's trend gets there: the
                // trend plus the last day's daily profile, bucket by bucket (before the daily envelope: never)
                long scan = horizon + DAY;
                double shift = z * fit.scale;
                at = orElse(profileCrossing(fit, now, fit.slope, 0, lim, scan), offset(now, dc));
                earliest = orElse(profileCrossing(fit, now, fit.high, shift, lim, scan), offset(now, Math.min(de, dc)));
                late = fit.low > 0 ? orElse(profileCrossing(fit, now, fit.low, -shift, lim, scan), offset(now, dl)) : offset(now, dl);
                if (earliest != null && at != null) earliest = Math.min(earliest, at);
            } else {
                at = offset(now, dc);
                earliest = offset(now, Math.min(de, dc));
                late = offset(now, dl);
            }
            reaches = at != null && at - now <= reach && fit.low > 0 && clear;
            latest = reaches ? Long.valueOf(late == null ? now + horizon : Math.min(late, now + horizon)) : late;
        } else {
            reaches = false;
        }
        if (log) {
            double level = Math.exp(fit.level);
            return new Forecast(seasonal, rising, true, now, level, level * fit.slope, level * fit.low, level * fit.high, level * fit.scale,
                    fit.confidence, reaches, at, earliest, latest);
        }
        return new Forecast(seasonal, rising, false, now, sign * fit.level, sign * fit.slope, sign > 0 ? fit.low : -fit.high,
                sign > 0 ? fit.high : -fit.low, fit.scale, fit.confidence, reaches, at, earliest, latest);
    }

    private static Long orElse(Long a, Long b) {
        return a != null ? a : b;
    }

    /**
     * The start of the first future bucket whose predicted value (the last day's profile repeated, each bucket at most
     * the peak level and at most the higher of its neighbours, so that one odd bucket such as a blip or a surge does
     * not count, plus {@code shift}, moved by {@code slope} per hour from now) meets the limit; null when none does
     * within {@code scan}.
     */
    private Long profileCrossing(Fit fit, long now, double slope, double shift, double lim, long scan) {
        long[] pt = fit.profileTimes;
        double[] pv = fit.profile;
        long half = settings.bucket().toMillis() / 2;
        for (long k = 1; k * DAY <= scan + DAY; k++) {
            for (int i = 0; i < pt.length; i++) {
                long t = pt[i] + k * DAY;
                if (t - now > scan) return null;
                if (t <= now) continue;
                if (pv[i] + shift + slope * (t - now) / (double) HOUR >= lim) return t - half;
            }
        }
        return null;
    }

    private static Long offset(long now, double hours) {
        return Double.isFinite(hours) && hours < 1e7 ? Long.valueOf(now + (long) (hours * HOUR)) : null;
    }

    /** A fit in the oriented space (the limit is above, the series rises towards it). */
    private record Fit(double level, double slope, double low, double high, double scale, double confidence, double spanHours,
                       long[] profileTimes, double[] profile) {}

    /**
     * Theil–Sen over the longest window (a quarter, half or all of {@code fitWindow}) that shows the same trend as the
     * newest quarter (its slope within the quarter's interval, or within 10 % of it), preferring one whose trend is
     * significant: a trend that began a few hours ago is fitted on those hours only (a longer window would mix in the
     * flat part before it and underestimate it), a steady series on the whole window (the least noisy estimate).
     */
    private Fit windowFit(long[] times, double[] x, double[] y, int n, long now, double z) {
        long half = settings.bucket().toMillis() / 2;
        if (n == 0 || now - times[0] + half < settings.minHistory().toMillis()) return null;
        long window = settings.fitWindow().toMillis();
        Fit shortest = null, chosen = null;
        for (long w : new long[] {window / 4, window / 2, window}) {
            int first = 0;
            while (first < n && times[first] < now - w) first++;
            if (n - first < MIN_PAIRS) continue;
            Fit f = theilSen(x, y, first, n, z);
            if (shortest == null) shortest = f;
            // the same trend as the newest quarter: within its interval, or within 10 % of its slope
            boolean consistent = (f.slope >= shortest.low && f.slope <= shortest.high)
                    || Math.abs(f.slope - shortest.slope) <= 0.1 * Math.abs(shortest.slope);
            boolean significant = f.low > 0 || f.high < 0;
            if (!consistent) continue;
            // the longest consistent window, preferring one whose trend is significant
            if (chosen == null || significant || !(chosen.low > 0 || chosen.high < 0)) chosen = f;
        }
        return chosen;
    }

    private static Fit theilSen(double[] x, double[] y, int first, int n, double z) {
        int m = n - first;
        int pairs = m * (m - 1) / 2;
        double[] slopes = new double[pairs];
        int k = 0, pos = 0, neg = 0;
        for (int i = first; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = (y[j] - y[i]) / (x[j] - x[i]);
                slopes[k++] = s;
                if (s > 0) pos++;
                else if (s < 0) neg++;
            }
        }
        Arrays.sort(slopes, 0, k);
        double b = median(slopes, k);
        double[] intercepts = new double[m];
        for (int i = 0; i < m; i++) intercepts[i] = y[first + i] - b * x[first + i];
        Arrays.sort(intercepts);
        double level = median(intercepts, m);
        double[] res = new double[m];
        double[] abs = new double[m];
        for (int i = 0; i < m; i++) {
            res[i] = y[first + i] - (level + b * x[first + i]);
            abs[i] = Math.abs(res[i]);
        }
        Arrays.sort(abs);
        // Kendall's S variance, widened for autocorrelated residuals (effective sample size)
        double c = z * Math.sqrt(m * (m - 1.0) * (2 * m + 5) / 18.0 * inflation(res, m));
        double[] ci = rankInterval(slopes, k, c);
        return new Fit(level, b, ci[0], ci[1], MAD_TO_SD * median(abs, m), Math.max(0, (pos - neg) / (double) k), x[n - 1] - x[first], null, null);
    }

    /** (1 + ρ) / (1 - ρ) for the lag-1 autocorrelation ρ of residuals in time order (0 ≤ ρ ≤ 0.9). */
    private static double inflation(double[] res, int m) {
        double mean = 0;
        for (int i = 0; i < m; i++) mean += res[i];
        mean /= m;
        double num = 0, den = 0;
        for (int i = 0; i < m; i++) {
            double d = res[i] - mean;
            den += d * d;
            if (i > 0) num += d * (res[i - 1] - mean);
        }
        double rho = den > 0 ? Math.max(0, Math.min(0.9, num / den)) : 0;
        return (1 + rho) / (1 - rho);
    }

    private Fit seasonalFit(long[] times, double[] x, double[] y, int n, long now, double z) {
        if (n < 2 || now - times[0] + settings.bucket().toMillis() / 2 < settings.seasonalHistory().toMillis()) return null;
        long tolerance = settings.bucket().toMillis() / 2;
        double[] slopes = new double[16];
        int[][] idx = new int[16][];
        int k = 0, pos = 0, neg = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                long d = times[j] - times[i];
                long days = Math.round(d / (double) DAY);
                if (days < 1 || Math.abs(d - days * DAY) > tolerance) continue;
                if (k == slopes.length) {
                    slopes = Arrays.copyOf(slopes, k * 2);
                    idx = Arrays.copyOf(idx, k * 2);
                }
                double s = (y[j] - y[i]) / (x[j] - x[i]);
                idx[k] = new int[] {i, j};
                slopes[k++] = s;
                if (s > 0) pos++;
                else if (s < 0) neg++;
            }
        }
        if (k < MIN_PAIRS) return null;
        double[] sorted = Arrays.copyOf(slopes, k);
        Arrays.sort(sorted);
        double b = median(sorted, k);
        double[] res = new double[k];
        for (int p = 0; p < k; p++) {
            int i = idx[p][0], j = idx[p][1];
            res[p] = (y[j] - y[i]) - b * (x[j] - x[i]);
        }
        // sign-test interval, widened for autocorrelated pair residuals (neighbouring pairs share noise)
        double[] ci = rankInterval(sorted, k, z * Math.sqrt(k * inflation(res, k)));
        for (int p = 0; p < k; p++) res[p] = Math.abs(res[p]);
        Arrays.sort(res);
        double scale = MAD_TO_SD * median(res, k) / Math.sqrt(2);
        // the daily peak, brought to now: the busiest hours meet the limit first
        int first = 0;
        while (first < n && times[first] < now - DAY) first++;
        int m = n - first;
        double[] detrended = new double[m];
        for (int i = 0; i < m; i++) detrended[i] = y[first + i] - b * x[first + i];
        double[] byValue = detrended.clone();
        Arrays.sort(byValue);
        double level = byValue[Math.min(m - 1, (int) Math.floor(0.95 * (m - 1) + 0.5))];
        // the daily profile: each bucket of the last day, detrended, at most the peak level and at most the higher of its
        // neighbours (a lone bucket above both is a blip, not the busy hour)
        double[] profile = new double[m];
        for (int i = 0; i < m; i++) {
            double around = Math.max(i > 0 ? detrended[i - 1] : Double.NEGATIVE_INFINITY, i < m - 1 ? detrended[i + 1] : Double.NEGATIVE_INFINITY);
            profile[i] = Math.min(level, m > 1 ? Math.min(detrended[i], around) : detrended[i]);
        }
        return new Fit(level, b, ci[0], ci[1], scale, Math.max(0, (pos - neg) / (double) k), x[n - 1] - x[0],
                Arrays.copyOfRange(times, first, n), profile);
    }

    /** The confidence interval of a median of sorted slopes from ranks: (N - C)/2-th and (N + C)/2 + 1-th (1-based). */
    private static double[] rankInterval(double[] sorted, int n, double c) {
        int lo = (int) Math.floor((n - c) / 2) - 1;
        int hi = (int) Math.ceil((n + c) / 2);
        return new double[] {sorted[Math.max(0, Math.min(n - 1, lo))], sorted[Math.max(0, Math.min(n - 1, hi))]};
    }

    private static double median(double[] sorted, int n) {
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
