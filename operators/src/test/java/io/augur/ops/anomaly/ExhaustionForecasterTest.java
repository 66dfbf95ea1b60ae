package io.augur.ops.anomaly;

import io.augur.ops.anomaly.ExhaustionForecaster.Forecast;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

class ExhaustionForecasterTest {
    private static final long MIN = 60_000L, HOUR = 60 * MIN, BUCKET = 15 * MIN;
    private static final AnomalySettings S = AnomalySettings.defaults();
    private final ExhaustionForecaster forecaster = new ExhaustionForecaster(S);

    /** Per-minute values aggregated into 15-minute buckets (min when falling, max when rising), forecast at {@code minute}. */
    private Forecast at(int minute, IntToDoubleFunction perMinute, double limit, boolean rising, boolean seasonal) {
        int buckets = minute / 15;
        int from = Math.max(0, buckets - (int) (S.historyRetention().toMillis() / BUCKET));
        long[] t = new long[buckets - from];
        double[] v = new double[buckets - from];
        for (int b = from; b < buckets; b++) {
            double agg = rising ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            for (int m = b * 15; m < b * 15 + 15; m++) {
                double x = perMinute.applyAsDouble(m);
                agg = rising ? Math.max(agg, x) : Math.min(agg, x);
            }
            t[b - from] = b * BUCKET + BUCKET / 2;
            v[b - from] = agg;
        }
        return forecaster.forecast(t, v, t.length, buckets * BUCKET, limit, rising, seasonal);
    }

    private static double[] noise(long seed, int n, double sd, double ar) {
        Random r = new Random(seed);
        double[] out = new double[n];
        double x = 0;
        for (int i = 0; i < n; i++) {
            x = ar * x + sd * Math.sqrt(1 - ar * ar) * r.nextGaussian();
            out[i] = x;
        }
        return out;
    }

    @Test
    void aLinearLeakIsForecastToReachZeroWithTheTrueTimeInsideTheBand() {
        double total = 16e9;
        int onset = 8 * 60, span = 24 * 60; // falls from 16 GB to 0 over 24 hours, from hour 8
        double[] eps = noise(1, 4000, 0.004, 0);
        IntToDoubleFunction mem = m -> total * (m < onset ? 1 : Math.max(0, 1 - (m - onset) / (double) span)) * (1 + eps[m]);
        long exhaustion = (onset + span) * MIN;

        assertThat(at(onset, mem, 0, false, false).reaches()).as("flat before the leak").isFalse();
        int first = -1;
        for (int m = onset + 15; m < onset + span - 60; m += 15) {
            Forecast f = at(m, mem, 0, false, false);
            if (first < 0 && f.reaches()) first = m;
            if (first < 0) continue;
            assertThat(f.reaches()).as("minute %d: once it reaches, it keeps reaching", m).isTrue();
            assertThat(f.slopePerHour()).isNegative();
            // the band holds the true exhaustion, to the resolution of the downsampled history (one bucket)
            assertThat(f.reachEarliest()).as("minute %d: earliest", m).isLessThanOrEqualTo(exhaustion + BUCKET);
            assertThat(f.reachLatest()).as("minute %d: latest", m).isGreaterThanOrEqualTo(exhaustion - BUCKET);
            assertThat((double) f.reachAt()).as("minute %d: central estimate", m).isCloseTo(exhaustion, org.assertj.core.data.Offset.offset(1.5 * HOUR));
            assertThat(f.confidence()).isGreaterThan(0.5);
        }
        // a trend is extrapolated at most four times the span it was fitted on: here 3-6 hours into a 24-hour leak
        assertThat(first - onset).as("minutes from the leak's start to the first forecast that reaches 0").isBetween(3 * 60, 6 * 60);
    }

    @Test
    void flatOrNoisySeriesNeverReachTheirLimit() {
        for (long seed = 1; seed <= 10; seed++) {
            // white noise, and slowly wandering noise (lag-1 autocorrelation 0.9 a minute), 5 % standard deviation each
            double[] white = noise(seed, 3000, 0.05, 0), ar = noise(seed + 100, 3000, 0.05, 0.9);
            IntToDoubleFunction whiteSeries = m -> 50 * (1 + white[m]);
            IntToDoubleFunction arSeries = m -> 50 * (1 + ar[m]);
            for (int minute = 6 * 60 + 15; minute <= 2 * 1440; minute += 15) {
                for (IntToDoubleFunction f : new IntToDoubleFunction[] {whiteSeries, arSeries}) {
                    Forecast up = at(minute, f, 100, true, false), down = at(minute, f, 0, false, false);
                    assertThat(up.reaches()).as("seed %d minute %d rising", seed, minute).isFalse();
                    assertThat(down.reaches()).as("seed %d minute %d falling", seed, minute).isFalse();
                }
            }
        }
    }

    /** Load with a daily cycle (±45 %), 2 % growth per day and AR(1) noise, like the simulator's. */
    private static IntToDoubleFunction load(long seed, IntToDoubleFunction growth) {
        double[] ar = noise(seed, 5000, 0.05, 0.93);
        return m -> 1000 * (1 + 0.45 * Math.sin(2 * Math.PI * (m / 60.0 - 8) / 24)) * (1 + 0.02 * m / 1440.0) * Math.exp(ar[m]) * growth.applyAsDouble(m);
    }

    @Test
    void aSeasonalSeriesWithoutCreepDoesNotReachACapacityTwiceItsPeak() {
        for (long seed = 1; seed <= 10; seed++) {
            IntToDoubleFunction series = load(seed, m -> 1);
            for (int minute = 26 * 60 + 15; minute <= 3 * 1440; minute += 15) {
                Forecast f = at(minute, series, 2 * 1450, true, true);
                assertThat(f.reaches()).as("seed %d minute %d", seed, minute).isFalse();
            }
        }
    }

    @Test
    void aSeasonalCreepIsForecastBeforeThePeakMeetsTheCapacity() {
        int onset = 10 * 60, span = 30 * 60;
        IntToDoubleFunction growth = m -> m < onset ? 1 : 1 + 1.2 * (m - onset) / (double) span;
        IntToDoubleFunction series = load(7, growth);
        IntToDoubleFunction expected = load(-1, growth); // the same without noise: seed -1 is only used for the crossing
        double limit = 2 * 1450;
        int crossing = -1;
        for (int m = onset; m < 4 * 1440; m++) {
            double clean = 1000 * (1 + 0.45 * Math.sin(2 * Math.PI * (m / 60.0 - 8) / 24)) * (1 + 0.02 * m / 1440.0) * growth.applyAsDouble(m);
            if (clean >= limit) {
                crossing = m;
                break;
            }
        }
        assertThat(crossing).as("the clean series meets the capacity").isPositive();
        assertThat(expected).isNotNull();

        assertThat(at(26 * 60 - 15, series, limit, true, true)).as("less than a day and two hours of history").isNull();
        int first = -1;
        for (int minute = 26 * 60; minute < crossing; minute += 15) {
            Forecast f = at(minute, series, limit, true, true);
            if (f.reaches() && first < 0) first = minute;
            if (first >= 0 && minute >= first + 3 * 15) {
                assertThat(f.reaches()).as("minute %d", minute).isTrue();
            }
        }
        assertThat(first).as("forecast reaches the capacity before the crossing at minute %d", crossing).isBetween(26 * 60, crossing - 6 * 60);
        Forecast f = at(first + 4 * 60, series, limit, true, true);
        assertThat(f.reachEarliest()).isLessThanOrEqualTo(crossing * MIN + 12 * HOUR);
        assertThat(f.reachLatest()).isGreaterThanOrEqualTo(crossing * MIN - 12 * HOUR);
    }

    /** A clean seasonal creep: a daily cycle (±45 %) peaking at 14:07:30, growing 3 % an hour from the start. */
    private static double cleanCreep(int m) {
        return 1000 * (1 + 0.45 * Math.cos(2 * Math.PI * (m / 60.0 - 14.125) / 24)) * Math.exp(0.03 * m / 60.0);
    }

    /**
     * The daily peak meets the capacity on the third day, on the rising edge before the peak: the forecast names the
     * 15-minute bucket in which the series first meets it (the trend plus the daily profile), not the hour at which the
     * trend of the peak level (the envelope of the daily peaks) crosses the capacity, which falls between two peaks.
     */
    @Test
    void aSeasonalCreepIsForecastToMeetItsLimitInTheBucketWhereTheSeriesFirstDoes() {
        IntToDoubleFunction series = ExhaustionForecasterTest::cleanCreep;
        // the peak of day 3 (hour 62.125) is 1450 e^(0.03 · 62.125) = 9,357; of day 2 (38.125): 4,551
        double limit = 8000;
        int crossing = -1;
        for (int m = 0; m < 4 * 1440 && crossing < 0; m++) if (series.applyAsDouble(m) >= limit) crossing = m;
        assertThat(crossing).as("the first minute at the capacity: day 3, 11:28").isEqualTo(59 * 60 + 28);
        long bucket = crossing / 15 * 15 * MIN; // 11:15 on day 3

        Forecast f = at(30 * 60, series, limit, true, true);
        assertThat(f.seasonal()).isTrue();
        assertThat(f.slopePerHour() / f.level()).as("relative growth per hour, fitted on same-time-of-day pairs").isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
        long envelope = 30 * HOUR + (long) (Math.log(limit / f.level()) / 0.03 * HOUR);
        assertThat(envelope).as("the trend of the peak level crosses the capacity between the peaks of days 2 and 3, before the series does")
                .isBetween(38 * HOUR, crossing * MIN - HOUR);
        assertThat(f.reaches()).isTrue();
        assertThat(f.reachAt()).as("day 3, 11:15").isEqualTo(bucket);
        // no noise: the slope's interval and the level band are empty, the earliest and latest are the same bucket
        assertThat(f.reachEarliest()).isEqualTo(bucket);
        assertThat(f.reachLatest()).isEqualTo(bucket);
    }

    @Test
    void aBlipDoesNotMoveTheCrossing() {
        // a 10-minute spike to three times the value at 03:00 on day 2, within the last day of the history: tomorrow's
        // 03:00 is not where the capacity is met
        IntToDoubleFunction blipped = m -> cleanCreep(m) * (m >= 27 * 60 && m < 27 * 60 + 10 ? 3 : 1);
        Forecast f = at(30 * 60, blipped, 8000, true, true);
        assertThat(f.reachAt()).as("day 3, 11:15").isEqualTo((59 * 60 + 15) * MIN);
    }

    @Test
    void aShortSurgeOnASeasonalSeriesDoesNotMoveTheForecast() {
        IntToDoubleFunction base = load(3, m -> 1);
        int surgeAt = 36 * 60;
        IntToDoubleFunction surged = m -> base.applyAsDouble(m) * (m >= surgeAt && m < surgeAt + 40 ? 4 : 1);
        for (int minute = surgeAt + 15; minute <= surgeAt + 26 * 60; minute += 15) {
            assertThat(at(minute, surged, 2 * 1450, true, true).reaches()).as("minute %d", minute).isFalse();
        }
    }

    @Test
    void aSeriesAtItsLimitReachesItNow() {
        double[] eps = noise(5, 2000, 0.002, 0);
        IntToDoubleFunction cpu = m -> Math.min(100, 100 * (1 + eps[m]));
        Forecast f = at(12 * 60, cpu, 100, true, false);
        assertThat(f.reaches()).isTrue();
        assertThat(f.reachAt()).isEqualTo(12 * HOUR);
    }

    @Test
    void tooLittleHistoryGivesNoForecast() {
        IntToDoubleFunction flat = m -> 10;
        assertThat(at(5 * 60 + 45, flat, 0, false, false)).isNull();
        assertThat(at(6 * 60, flat, 0, false, false)).isNotNull();
    }
}
