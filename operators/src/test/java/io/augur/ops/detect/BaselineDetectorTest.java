package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BaselineDetectorTest {
    private static final long FIVE_MIN = 300_000L;
    private static final long T0 = 1_396_310_400_000L; // 2014-04-01T00:00Z

    private final BaselineDetector detector = new BaselineDetector(DetectorSettings.defaults());

    private static void assertValid(Score s) {
        assertThat(s.anomalyScore()).isBetween(0.0, 1.0);
        assertThat(s.direction()).isBetween(-1, 1);
        assertThat(Double.isNaN(s.anomalyScore())).isFalse();
    }

    @Test
    void spikeOnFlatNoisySeriesScoresHighAndRises() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(1);
        double maxBefore = 0;
        for (int i = 0; i < 2000; i++) {
            Score s = detector.score(st, T0 + i * FIVE_MIN, 50 + r.nextGaussian());
            assertValid(s);
            if (i > 500) maxBefore = Math.max(maxBefore, s.anomalyScore());
        }
        Score spike = detector.score(st, T0 + 2000 * FIVE_MIN, 50 + 15);
        assertThat(spike.warm()).isTrue();
        assertThat(spike.anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(spike.direction()).isEqualTo(1);
        assertThat(spike.anomalyScore()).as("15 deviations above anything seen: a new extreme").isEqualTo(1.0);
        assertThat(maxBefore).isLessThanOrEqualTo(spike.anomalyScore());
    }

    @Test
    void dropIsDirectionDown() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(2);
        for (int i = 0; i < 2000; i++) detector.score(st, T0 + i * FIVE_MIN, 50 + r.nextGaussian());
        Score drop = detector.score(st, T0 + 2000 * FIVE_MIN, 50 - 15);
        assertThat(drop.anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(drop.direction()).isEqualTo(-1);
    }

    @Test
    void usualDailyPeakScoresLowButTheSamePeakAtNightScoresHigh() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(3);
        int days = 6, perDay = 288;
        int peakSlot = 14 * 12; // 14:00
        double lastPeak = 1;
        for (int i = 0; i < days * perDay; i++) {
            int slot = i % perDay;
            // business-hours square-ish load: 20 at night, 80 between 09:00 and 18:00
            double v = (slot >= 9 * 12 && slot < 18 * 12 ? 80 : 20) + r.nextGaussian();
            Score s = detector.score(st, T0 + i * FIVE_MIN, v);
            assertValid(s);
            if (i >= (days - 1) * perDay && slot == peakSlot) lastPeak = s.anomalyScore();
            if (i >= (days - 1) * perDay && slot == 9 * 12) assertThat(s.anomalyScore()).as("usual morning rise").isLessThan(0.5);
        }
        assertThat(lastPeak).as("usual afternoon peak").isLessThan(0.2);
        // 03:00 on the next day at the daytime level
        long night = T0 + ((long) days * perDay + 3 * 12) * FIVE_MIN;
        for (long t = T0 + (long) days * perDay * FIVE_MIN; t < night; t += FIVE_MIN) detector.score(st, t, 20 + r.nextGaussian());
        Score s = detector.score(st, night, 80);
        assertThat(s.anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(s.direction()).isEqualTo(1);
    }

    /**
     * A series that starts at its nightly low: the first day's profile was once learned against a slow level that
     * still was (close to) the first values, so the bins of the first half hour said "as high as the daily mean" and
     * the profile, once it counted, expected the day's mean at 00:15 on the third day: a false drop on every series
     * starting at midnight (seen in the simulator's 3-day scenario).
     */
    @Test
    void aSeriesThatStartsAtItsNightlyLowIsExpectedAtItsNightlyLevelOnTheThirdDay() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(4);
        long minute = 60_000L;
        double maxError = 0, maxScore = 0;
        for (int i = 0; i < 2 * 1440 + 60; i++) {
            double hour = (i % 1440) / 60.0;
            double truth = 10_000 * (1 + 0.45 * Math.sin(2 * Math.PI * (hour - 8) / 24)); // 4,100 at 02:00, 14,500 at 14:00
            Score s = detector.score(st, T0 + i * minute, truth * (1 + 0.005 * r.nextGaussian()));
            assertValid(s);
            if (i >= 2 * 1440) { // 00:00 to 01:00 on the third day
                maxError = Math.max(maxError, Math.abs(s.expected() - truth) / truth);
                maxScore = Math.max(maxScore, s.anomalyScore());
            }
        }
        assertThat(maxError).as("relative error of the expected value, 00:00-01:00 on day 3").isLessThan(0.1);
        assertThat(maxScore).isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    /** A noisy daily cycle at one-minute resolution: 10,000 +- 4,500, lowest at 02:00. */
    private static double dailyTraffic(int minute) {
        double hour = (minute % 1440) / 60.0;
        return 10_000 * (1 + 0.45 * Math.sin(2 * Math.PI * (hour - 8) / 24));
    }

    @Test
    void aValueBeyondTheSeriesRangeIsANewExtremeOnceTheRangeHasSeenADay() {
        Random r = new Random(11);
        // uniform noise in [0, 10]: the range is about [0, 10], so a new extreme is above about 11
        SeriesBaseline young = detector.newState();
        int i = 0;
        for (; i < 200; i++) detector.score(young, T0 + i * FIVE_MIN, 10 * r.nextDouble());
        Score early = detector.score(young, T0 + i * FIVE_MIN, 14);
        assertThat(early.warm()).isTrue();
        assertThat(early.anomalyScore()).as("the range has seen less than a day").isLessThan(1.0);
        assertThat(young.getRangeSince()).as("the second datapoint starts it").isEqualTo(T0 + FIVE_MIN);

        SeriesBaseline st = detector.newState();
        for (i = 0; i < 2000; i++) detector.score(st, T0 + i * FIVE_MIN, 10 * r.nextDouble());
        assertThat(st.getRangeLow()).as("the lowest values, relaxing towards the slow level").isBetween(0.0, 0.2);
        assertThat(st.getRangeHigh()).isBetween(9.8, 10.0);
        double edge = st.getRangeHigh() + 0.1 * (st.getRangeHigh() - st.getRangeLow());
        Score inside = detector.score(st, T0 + i++ * FIVE_MIN, edge - 0.05);
        assertThat(inside.anomalyScore()).as("within a tenth of the range's width above it").isLessThan(1.0);
        assertThat(st.getRangeHigh()).isEqualTo(edge - 0.05);
        for (int k = 0; k < 300; k++, i++) detector.score(st, T0 + i * FIVE_MIN, 10 * r.nextDouble()); // past the refractory period
        double edge2 = st.getRangeHigh() + 0.1 * (st.getRangeHigh() - st.getRangeLow());
        Score high = detector.score(st, T0 + i++ * FIVE_MIN, edge2 + 0.05);
        assertThat(high.anomalyScore()).isEqualTo(1.0);
        assertThat(high.direction()).isEqualTo(1);
        for (int k = 0; k < 300; k++, i++) detector.score(st, T0 + i * FIVE_MIN, 10 * r.nextDouble());
        Score low = detector.score(st, T0 + i++ * FIVE_MIN, -2);
        assertThat(low.anomalyScore()).isEqualTo(1.0);
        assertThat(low.direction()).isEqualTo(-1);
    }

    @Test
    void theRangeHoldsAnExtremeSeenWithinTheLastWeekAndForgetsItOnlyAfterwards() {
        // flat 10 +- 0.3 with one burst to 100 on day 2. Six days later a burst to 97: relaxing from the first day, the
        // range had lost a fifth of the burst's height above the band (100 -> about 84) and 97 was a "new extreme"
        // (score 1); held for a week, the range is still 100 and 97 is part of the series' recent behaviour.
        SeriesBaseline st = detector.newState();
        Random r = new Random(21);
        int i = 0;
        for (; i < 8 * 288; i++) detector.score(st, T0 + i * FIVE_MIN, i == 300 ? 100 : 10 + 0.3 * r.nextGaussian());
        assertThat(st.getRangeHigh()).as("not relaxed within the week after the burst").isEqualTo(100.0);
        Score again = detector.score(st, T0 + i++ * FIVE_MIN, 97);
        assertThat(again.anomalyScore()).as("a burst like one of last week is no new extreme").isLessThan(1.0);
        assertThat(st.getRangeSince()).as("counting, last grown beyond the band at the first burst").isEqualTo(-(T0 + 300 * FIVE_MIN + 1));

        // the rule must not keep an extreme forever: a month later, without another burst, 97 is a new extreme again
        SeriesBaseline old = detector.newState();
        int j = 0;
        for (; j < 40 * 288; j++) detector.score(old, T0 + j * FIVE_MIN, j == 300 ? 100 : 10 + 0.3 * r.nextGaussian());
        assertThat(old.getRangeHigh()).as("relaxed once the week had passed").isBetween(50.0, 65.0);
        Score later = detector.score(old, T0 + j * FIVE_MIN, 97);
        assertThat(later.anomalyScore()).isEqualTo(1.0);
        assertThat(later.direction()).isEqualTo(1);
    }

    /** A daily square wave as NAB's art_daily: 20 +- 2 (uniform) for 15 hours, 80 +- 8 from 09:00 to 18:00 (busy hours are noisier). */
    private static double squareWave(int i, Random r) {
        double hour = (i % 288) / 12.0;
        return hour >= 9 && hour < 18 ? 80 + 16 * (r.nextDouble() - 0.5) : 20 + 4 * (r.nextDouble() - 0.5);
    }

    @Test
    void theSpreadOfTheProfilesResidualIsTheSizeOfItsExcursionsBeyondTheEnvelopeSoNoiseInTheBusyPhaseIsNoDeparture() {
        // Inside the profile's two-bin envelope the residual is 0. Its mean absolute deviation, counting those zeros,
        // measured how often values leave the envelope as much as how far they go: here about 1.1 for a busy phase whose
        // noise reaches 8, so a third of the busy phase's values were "departures" (which the spread does not learn
        // from: it stayed deflated), and the reported normal band missed a fifth of them. On NAB's art_daily series the
        // 20-minute mean of such residuals alerted on ordinary noise. The spread is learned from the values beyond the
        // envelope only: the size of the excursions, not how often they happen.
        SeriesBaseline st = detector.newState();
        Random r = new Random(31);
        int i = 0, busy = 0, departing = 0, outside = 0;
        for (; i < 9 * 288; i++) {
            double v = squareWave(i, r);
            Score s = detector.score(st, T0 + i * FIVE_MIN, v);
            double hour = (i % 288) / 12.0;
            if (i < 4 * 288 || hour < 10 || hour >= 18) continue; // days 5-9, the busy phase after its first hour
            busy++;
            if (st.getShiftDirection() != 0) departing++;
            if (v < s.lower() || v > s.upper()) outside++;
        }
        assertThat(detector.lastProven).as("the profile counts").isTrue();
        assertThat(departing / (double) busy).as("share of the busy phase's values that are departures, days 5-9").isLessThan(0.2);
        assertThat(outside / (double) busy).as("share of the busy phase's values outside the reported band").isLessThan(0.05);

        // the rule does not hide a real change: on day 10 the busy phase does not come
        double peak = 0;
        for (; i < 9 * 288 + 11 * 12; i++) {
            double hour = (i % 288) / 12.0;
            Score s = detector.score(st, T0 + i * FIVE_MIN, hour >= 9 ? 20 + 4 * (r.nextDouble() - 0.5) : squareWave(i, r));
            if (hour >= 9) peak = Math.max(peak, s.anomalyScore());
        }
        assertThat(peak).as("the missing busy phase, 09:00-11:00 on day 10").isGreaterThanOrEqualTo(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void theRangeOfASpikySeriesDoesNotRelaxIntoItsOrdinaryBurstsSoAnOrdinaryBurstAfterAQuietFortnightIsNoNewExtreme() {
        // CPU-like: 5-7 % with a burst to 25-40 % every 30 minutes, one burst to 95 % on day 1, then a fortnight of the
        // usual bursts. Relaxing towards the slow level (6), the range lost 37 % of its height in 14 days (95 -> 64) and
        // a burst to 72 was a "new extreme"; relaxing towards the band the series' deviations reach (slow level + 3
        // robust deviations of the unclipped spread, about 24) it kept 70, and 72 is not beyond it by a tenth of its width.
        // Since session 10 the range also holds the burst for a week before it relaxes: about 82 after the fortnight.
        SeriesBaseline st = detector.newState();
        Random r = new Random(5);
        int i = 0;
        for (; i < 14 * 288; i++) {
            double v = i == 300 ? 95 : i % 6 == 3 ? 25 + 15 * r.nextDouble() : 5 + 2 * r.nextDouble();
            detector.score(st, T0 + i * FIVE_MIN, v);
        }
        double band = st.getSlowLevel() + 3 * 1.2533 * st.getAbsDev();
        assertThat(band).isBetween(20.0, 30.0);
        assertThat(st.getRangeHigh()).as("held for a week, then relaxed from 95 towards the band, not towards the slow level").isBetween(80.0, 85.0);
        Score ordinary = detector.score(st, T0 + i++ * FIVE_MIN, 72);
        assertThat(ordinary.anomalyScore()).as("not a new extreme").isLessThan(1.0);
        for (int k = 0; k < 300; k++, i++) {
            detector.score(st, T0 + i * FIVE_MIN, k % 6 == 3 ? 25 + 15 * r.nextDouble() : 5 + 2 * r.nextDouble());
        }
        double edge = st.getRangeHigh() + 0.1 * (st.getRangeHigh() - st.getRangeLow());
        Score beyond = detector.score(st, T0 + i * FIVE_MIN, edge + 1);
        assertThat(beyond.anomalyScore()).as("beyond the range by more than a tenth of its width: a new extreme").isEqualTo(1.0);
        assertThat(beyond.direction()).isEqualTo(1);
    }

    @Test
    void aTransientSurgeLeavesTheBaselineNearlyWhereItWas() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(12);
        long minute = 60_000L;
        int i = 0;
        for (; i < 3 * 1440 + 8 * 60; i++) detector.score(st, T0 + i * minute, dailyTraffic(i) * (1 + 0.005 * r.nextGaussian()));
        double slowBefore = st.getSlowLevel();
        // a 35-minute surge to three times the traffic at 08:00 on day 4 (20,000 above it): the baseline follows a
        // departure at a rate that grows with its age, so after 35 minutes it has moved about 1-exp(-35^2/(2*60^2)) = 16 %
        // (on day 3, while the profile's bins hold one day's visit, the return from such a surge is not followed once
        // the daily shape carries the values across the raised slow level: see the README, known weak)
        for (int k = 0; k < 35; k++, i++) detector.score(st, T0 + i * minute, 3 * dailyTraffic(i));
        assertThat(st.getSlowLevel() - slowBefore).as("slow level after the surge").isBetween(1_000.0, 4_000.0);
        double maxError = 0, maxScore = 0, maxSoon = 0;
        for (; i < 4 * 1440 + 60; i++) {
            double truth = dailyTraffic(i);
            Score s = detector.score(st, T0 + i * minute, truth * (1 + 0.005 * r.nextGaussian()));
            int after = i - (3 * 1440 + 8 * 60 + 35);
            maxScore = Math.max(maxScore, s.anomalyScore()); // no alert for the return
            // the return is a departure back, followed the same way; the spreads learned nothing from either, so the
            // return is not hidden by a spread the surge inflated
            if (after >= 180 && after < 240) maxSoon = Math.max(maxSoon, Math.abs(s.expected() - truth) / truth);
            if (i >= 4 * 1440) { // 00:00 to 01:00 on day 5, 16 hours later
                maxError = Math.max(maxError, Math.abs(s.expected() - truth) / truth);
            }
        }
        assertThat(maxSoon).as("relative error of the expected value 3 to 4 hours after the surge").isLessThan(0.02);
        // (the limit leaves room for the error at the profile's trough, which the same series has without a surge)
        assertThat(maxError).as("relative error of the expected value, 00:00-01:00 on day 5").isLessThan(0.06);
        assertThat(maxScore).isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void aSurgeOnTheSecondDayThatTheProfileLearnedDoesNotMoveTheLevelOnTheThirdDay() {
        // the second day's visit of a bin replaces the first day's: a surge to three times the traffic at 08:40-09:30 on
        // day 2 (departures do not count before day 3) is in the profile when it starts to count on day 3. At 09:00 on
        // day 3 the usual traffic is then a departure below the profile but above the slow level (on the other side of
        // it): the profile's bins, seen on one day, are wrong, not the level. Following it moved the slow level from 9,860 to 5,300 (and the
        // values above the lowered baseline once the bins were normal again made a false insight in the demo scenario)
        SeriesBaseline st = detector.newState();
        Random r = new Random(21);
        long minute = 60_000L;
        double slowAt8 = 0, slowMin = Double.MAX_VALUE, maxError = 0, maxScore = 0;
        for (int i = 0; i < 3 * 1440 + 16 * 60; i++) {
            double v = dailyTraffic(i) * (1 + 0.01 * r.nextGaussian());
            if (i >= 1440 + 8 * 60 + 40 && i < 1440 + 9 * 60 + 30) v *= 3;
            Score s = detector.score(st, T0 + i * minute, v);
            if (i == 2 * 1440 + 8 * 60) slowAt8 = st.getSlowLevel();
            if (i >= 2 * 1440 + 8 * 60 && i < 2 * 1440 + 16 * 60) {
                slowMin = Math.min(slowMin, st.getSlowLevel());
                maxScore = Math.max(maxScore, s.anomalyScore());
            }
            if (i >= 2 * 1440 + 12 * 60 && i < 2 * 1440 + 16 * 60) {
                maxError = Math.max(maxError, Math.abs(s.expected() - dailyTraffic(i)) / dailyTraffic(i));
            }
        }
        assertThat(st.getProfileState()).as("the profile counts").isEqualTo(2);
        assertThat(slowMin).as("lowest slow level, 08:00-16:00 on day 3").isGreaterThan(0.95 * slowAt8);
        assertThat(maxError).as("relative error of the expected value, 12:00-16:00 on day 3").isLessThan(0.04);
        assertThat(maxScore).isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void whetherTheProfileExplainsTheSeriesComparesSpreadsOfTheSameTimeScale() {
        // the "proven" test compares the profile's residual spread (60 intervals, clipped) with the spread around the
        // slow level over the same 60 intervals, not with the long-run, unclipped one: during a stretch of bursts both
        // short spreads grow while the long-run one hardly moves (the fleet's billing ALB 5xx count on day 2: 4.1 and
        // 15.4 against 5.2), and a profile judged against the long-run spread then switched on half a day later
        SeriesBaseline st = detector.newState();
        Random r = new Random(24);
        long minute = 60_000L;
        int i = 0;
        for (; i < 4 * 1440; i++) detector.score(st, T0 + i * minute, dailyTraffic(i) * (1 + 0.01 * r.nextGaussian()));
        assertThat(st.getProfileState()).as("a daily sine's profile counts").isEqualTo(2);
        double x = st.getAbsDev();
        st.setProfileState(1); // off, its tests holding for half a day: the next datapoint switches it on if they still hold
        st.setProfileSince(T0 + i * minute - BaselineDetector.DAY_MS / 2);
        st.setSlowDev(2 * x);
        st.setDailyScale(0.8 * x); // under half the 60-interval spread, not under half the long-run one
        detector.score(st, T0 + i * minute, dailyTraffic(i));
        assertThat(st.getProfileState()).as("profile on").isEqualTo(2);
    }

    @Test
    void aLastingDepartureIsAdoptedGraduallyAsTheNewLevel() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(13);
        long minute = 60_000L;
        int i = 0;
        for (; i < 2 * 1440; i++) detector.score(st, T0 + i * minute, 100 + r.nextGaussian());
        assertThat(st.getSlowLevel()).isBetween(99.5, 100.5);
        int start = i;
        double prev = st.getSlowLevel(), largestStep = 0;
        double[] at = new double[181];
        for (int k = 0; k <= 180; k++, i++) {
            detector.score(st, T0 + i * minute, 150 + r.nextGaussian());
            if (k < 60) assertThat(st.getShiftDirection()).isEqualTo(1);
            if (k < 60) assertThat(st.getShiftSince()).isEqualTo(T0 + start * minute);
            largestStep = Math.max(largestStep, st.getSlowLevel() - prev);
            prev = st.getSlowLevel();
            at[k] = st.getSlowLevel();
        }
        // the fraction 1-exp(-t^2/(2T^2)) of the 50 with T = 60 minutes: no single minute decides
        assertThat(at[10]).as("after 10 minutes").isBetween(100.0, 101.5);
        assertThat(at[60]).as("after an hour, about 40 %").isBetween(115.0, 125.0);
        assertThat(at[120]).as("after two hours, about 80 %").isBetween(135.0, 145.0);
        assertThat(at[180]).as("after three hours, about 92 %").isBetween(143.0, 151.0);
        assertThat(largestStep).as("largest move in one minute").isLessThan(2.5);
        double late = 0;
        for (int k = 0; k < 1440; k++, i++) {
            Score s = detector.score(st, T0 + i * minute, 150 + r.nextGaussian());
            if (k >= 1000) late = Math.max(late, s.anomalyScore()); // past the refractory period
        }
        assertThat(st.getSlowLevel()).isBetween(149.0, 151.0);
        assertThat(late).isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(st.getTrend()).as("a new level is not a trend").isBetween(-0.01, 0.01);
    }

    @Test
    void aDailySquareWaveIsLearnedAsADailyShapeNotAsDeparturesFromTheLevel() {
        // 12 hours at 20, 12 hours at 80, from the first datapoint: before the profile counts (two days), every phase
        // change departs from the slow level; adopting those departures would keep the baseline on the current phase,
        // and the profile would learn that each phase is "at the level"
        SeriesBaseline st = detector.newState();
        Random r = new Random(15);
        double maxScore = 0, maxError = 0;
        for (int i = 0; i < 5 * 288; i++) {
            double truth = (i % 288) < 144 ? 20 : 80;
            Score s = detector.score(st, T0 + i * FIVE_MIN, truth + r.nextGaussian());
            if (i >= 3 * 288) {
                maxScore = Math.max(maxScore, s.anomalyScore());
                int fromEdge = Math.min(i % 144, 144 - i % 144);
                if (fromEdge > 6) maxError = Math.max(maxError, Math.abs(s.expected() - truth));
            }
        }
        assertThat(st.getDaily().get(6)).as("the night bin, relative to the slow level").isLessThan(-20f);
        assertThat(st.getDaily().get(30)).as("the day bin").isGreaterThan(20f);
        assertThat(maxError).as("expected value on days 4 and 5, away from the edges").isLessThan(8.0);
        assertThat(maxScore).isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void aNoiseFreeDailySquareWaveThatStartsFlatIsLearnedAsADailyShape() {
        // a gauge that is constant (20) until 10:00 on its first day, then follows a noise-free daily square wave: 80
        // from 10:00 to 18:00, 20 otherwise. The slow spread starts at its floor (the first 10 hours have no spread), and
        // its update is clipped at a few times itself, so it grows by a few percent per datapoint: clipped by it, the
        // first day's busy phase hardly entered the two-day mean (about 27 instead of 40 at the start of day 3). Every
        // phase change then departed from the level from day 3 on, the profile never counted, and the return to 20
        // alerted every few days as a novel level.
        SeriesBaseline st = detector.newState();
        int counting = 0, alerts = 0;
        for (int i = 0; i < 10 * 288; i++) {
            int slot = i % 288;
            double value = slot >= 10 * 12 && slot < 18 * 12 ? 80 : 20;
            Score s = detector.score(st, T0 + i * FIVE_MIN, value);
            if (i >= 4 * 288) {
                if (st.getProfileState() == 2) counting++;
                if (s.anomalyScore() >= DetectorSettings.SHIPPED_THRESHOLD) alerts++;
            }
            if (i == 2 * 288) assertThat(st.getSlowLevel()).as("the two-day mean at the start of day 3").isBetween(32.0, 48.0);
        }
        assertThat(counting).as("datapoints of days 5 to 10 at which the profile counts (most of them)").isGreaterThan(3 * 288);
        assertThat(alerts).as("alerts on days 5 to 10").isZero();
    }

    @Test
    void whetherTheDailyProfileCountsIsAStateThatChangesSlowlyNotADecisionPerDatapoint() {
        // NAB's art_daily shape: 15 quiet hours at 20 +- 1, 9 busy hours at 72-84. The spread over the last hours is
        // small in the quiet phase and large in the busy one; a profile that counted only while its bins averaged under
        // a quarter of that spread (v4) stopped counting in the quiet phase, and a busy phase that does not come was
        // then measured from the fast level (at the quiet value) instead of from the profile
        SeriesBaseline st = detector.newState();
        Random r = new Random(16);
        int notCounting = 0;
        double missedPeak = 0, quietBefore = 0;
        for (int i = 0; i < 8 * 288; i++) {
            int slot = i % 288;
            boolean busy = slot >= 9 * 12 && slot < 18 * 12 && i < 7 * 288; // day 8 has no busy phase
            double value = busy ? (slot / 24 % 2 == 0 ? 73 : 82) + 1.5 * r.nextGaussian() : 20 + r.nextGaussian();
            Score s = detector.score(st, T0 + i * FIVE_MIN, value);
            if (i >= 4 * 288 && st.getProfileState() != 2) notCounting++;
            if (i >= 7 * 288 && slot >= 9 * 12 && slot < 18 * 12) missedPeak = Math.max(missedPeak, s.anomalyScore());
            if (i >= 6 * 288 && i < 7 * 288 && !busy) quietBefore = Math.max(quietBefore, s.anomalyScore());
            if (i == 7 * 288 + 10 * 12) assertThat(s.expected()).as("expected at 10:00 on day 8").isGreaterThan(60.0);
        }
        assertThat(notCounting).as("datapoints of days 5 to 8 at which the profile does not count").isZero();
        assertThat(quietBefore).as("the usual quiet phase on day 7").isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(missedPeak).as("the busy phase that does not come").isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void aBaselineFromBeforeVersion5DecidesWhetherItsProfileCountsAtTheNextDatapoint() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(17);
        int i = 0;
        for (; i < 6 * 288 + 12 * 12; i++) detector.score(st, T0 + i * FIVE_MIN, artDaily(i, r));
        assertThat(st.getProfileState()).isEqualTo(2);
        st.setProfileState(0); // what a v4 savepoint restores: the v5 fields at their schema defaults
        st.setProfileSince(0L);
        // 12:00 in the busy phase, where v4's per-datapoint test (against the 60-interval spread) lets the profile count
        Score s = detector.score(st, T0 + i * FIVE_MIN, artDaily(i, r));
        assertThat(st.getProfileState()).as("decided by v4's test: the profile counts").isEqualTo(2);
        assertThat(s.expected()).isBetween(70.0, 86.0);
        for (int k = 0; k < 288; k++, i++) detector.score(st, T0 + i * FIVE_MIN, artDaily(i, r));
        assertThat(st.getProfileState()).as("and stays").isEqualTo(2);
    }

    /** NAB's art_daily shape, 5-minute data: 15 quiet hours at 20 +- 1, 9 busy hours at 73 or 82 +- 1.5. */
    private static double artDaily(int i, Random r) {
        int slot = i % 288;
        boolean busy = slot >= 9 * 12 && slot < 18 * 12;
        return busy ? (slot / 24 % 2 == 0 ? 73 : 82) + 1.5 * r.nextGaussian() : 20 + r.nextGaussian();
    }

    @Test
    void aSteadyDeclineIsNotMistakenForADailyPatternWhenTheProfileStartsToCount() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(14);
        long minute = 60_000L;
        double maxScore = 0, maxError = 0;
        for (int i = 0; i < 2 * 1440 + 120; i++) {
            double truth = 235 - 80 * i / 1440.0; // a disk filling: 80 GB a day less free space
            Score s = detector.score(st, T0 + i * minute, truth + 0.05 * r.nextGaussian());
            if (i >= 2 * 1440) { // 00:00 to 02:00 on day 3, when a daily profile could first count
                maxScore = Math.max(maxScore, s.anomalyScore());
                maxError = Math.max(maxError, Math.abs(s.expected() - truth));
            }
        }
        assertThat(maxScore).isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(maxError).as("expected value (fast level), GB").isLessThan(1.0);
    }

    @Test
    void levelShiftIsFlaggedThenLearned() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(4);
        int i = 0;
        for (; i < 1500; i++) detector.score(st, T0 + i * FIVE_MIN, 10 + r.nextGaussian());
        double first = 0;
        for (int k = 0; k < 5; k++, i++) first = Math.max(first, detector.score(st, T0 + i * FIVE_MIN, 40 + r.nextGaussian()).anomalyScore());
        assertThat(first).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        for (int k = 0; k < 1000; k++, i++) detector.score(st, T0 + i * FIVE_MIN, 40 + r.nextGaussian());
        double late = 0;
        for (int k = 0; k < 200; k++, i++) late = Math.max(late, detector.score(st, T0 + i * FIVE_MIN, 40 + r.nextGaussian()).anomalyScore());
        assertThat(late).as("after adapting to the new level").isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
        Score s = detector.score(st, T0 + i * FIVE_MIN, 40);
        assertThat(s.expected()).isBetween(37.0, 43.0);
    }

    @Test
    void constantSeriesDoesNotDivideByZero() {
        SeriesBaseline st = detector.newState();
        for (int i = 0; i < 1000; i++) {
            Score s = detector.score(st, T0 + i * FIVE_MIN, 7.0);
            assertValid(s);
            assertThat(s.anomalyScore()).isLessThan(0.1);
            assertThat(Double.isFinite(s.lower()) && Double.isFinite(s.upper())).isTrue();
        }
        Score change = detector.score(st, T0 + 1000 * FIVE_MIN, 8.0);
        assertValid(change);
        assertThat(change.anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        SeriesBaseline zeros = detector.newState();
        for (int i = 0; i < 500; i++) assertValid(detector.score(zeros, T0 + i * FIVE_MIN, 0.0));
    }

    @Test
    void gapsIrregularIntervalsDuplicatesAndNonFiniteValuesAreHandled() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(5);
        long t = T0;
        for (int i = 0; i < 3000; i++) {
            t += i % 500 == 499 ? 36 * 3_600_000L : (long) (FIVE_MIN * (0.5 + r.nextDouble()));
            Score s = detector.score(st, t, 100 + 3 * r.nextGaussian());
            assertValid(s);
            if (i % 97 == 0) assertValid(detector.score(st, t, 100 + 3 * r.nextGaussian())); // duplicate timestamp
            if (i % 131 == 0) assertValid(detector.score(st, t - FIVE_MIN, 100)); // late
        }
        assertValid(detector.score(st, t + FIVE_MIN, Double.NaN));
        assertThat(st.getLastTimestamp()).isEqualTo(t);
        assertThat(Double.isFinite(st.getLevel())).isTrue();
        Score s = detector.score(st, t + 2 * FIVE_MIN, 100);
        assertThat(s.warm()).isTrue();
        assertThat(s.anomalyScore()).isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void warmUpThenScores() {
        SeriesBaseline st = detector.newState();
        for (int i = 0; i < 12; i++) {
            Score s = detector.score(st, T0 + i * FIVE_MIN, i % 2);
            assertThat(s.warm()).isFalse();
            assertThat(s.anomalyScore()).isZero();
        }
        assertThat(detector.score(st, T0 + 13 * FIVE_MIN, 1).warm()).isTrue();
    }

    @Test
    void stateStaysSmall() throws IOException {
        SeriesBaseline st = detector.newState();
        Random r = new Random(6);
        for (int i = 0; i < 20_000; i++) detector.score(st, T0 + i * FIVE_MIN, r.nextGaussian() * 1e6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(SeriesBaseline.class).write(st, enc);
        enc.flush();
        assertThat(bytes.size()).isLessThanOrEqualTo(2048);
    }

    @Test
    void aSpikeThatComesAtTheSameTimeEveryDayStopsBeingAnomalousButTheSameSpikeAtAnotherTimeIsNot() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(7);
        int perDay = 288, spikeSlot = 3 * 12; // a nightly batch job at 03:00
        double firstNights = 0, lateNights = 0;
        for (int i = 0; i < 8 * perDay; i++) {
            int slot = i % perDay;
            double v = 10 + r.nextGaussian() + (slot == spikeSlot ? 60 : 0);
            Score s = detector.score(st, T0 + i * FIVE_MIN, v);
            if (slot == spikeSlot && i >= perDay && i < 2 * perDay) firstNights = s.anomalyScore();
            if (slot == spikeSlot && i >= 5 * perDay) lateNights = Math.max(lateNights, s.anomalyScore());
        }
        assertThat(firstNights).as("the second night's batch job is still new").isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(lateNights).as("by the sixth night it is the usual batch job").isLessThan(DetectorSettings.SHIPPED_THRESHOLD);
        // the same spike at 15:00, well after the refractory period of the last alert
        Score afternoon = detector.score(st, T0 + (8L * perDay + 15 * 12) * FIVE_MIN, 70);
        assertThat(afternoon.anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(afternoon.direction()).isEqualTo(1);
    }

    @Test
    void sparseSpikesOnAnOtherwiseFlatSeriesAreDampedByTheRefractoryPeriod() {
        SeriesBaseline st = detector.newState();
        long refractory = DetectorSettings.defaults().refractory().toMillis();
        long lastAlert = 0;
        int alerts = 0, spikes = 0, between = 0;
        for (int i = 0; i < 4000; i++) {
            boolean spike = i % 83 == 0; // every ~7 hours, drifting through the day
            long t = T0 + i * FIVE_MIN;
            Score s = detector.score(st, t, spike ? 20 : 0);
            assertValid(s);
            if (spike) spikes++;
            if (s.anomalyScore() >= DetectorSettings.SHIPPED_THRESHOLD) {
                if (!spike) between++;
                if (alerts > 0) assertThat(t - lastAlert).as("an equal spike right after an alert").isGreaterThan(refractory / 2);
                lastAlert = t;
                alerts++;
            }
        }
        // Known weakness: equal spikes that recur at ~1% of the datapoints stay in the tail of the evidence, so they
        // keep alerting about once per refractory period (16h40m) instead of becoming normal; since the baseline does
        // not learn from departures (v4), each spike scores 0.55-0.68 and every second one (13.8 h apart) alerts.
        assertThat(spikes).isEqualTo(49);
        assertThat(alerts).isBetween(1, 25);
        // the daily profile does not count on this flat series (its bins hold remnants of the spikes, not a daily
        // shape): when it did, on day 10 the slow level followed a departure from one bin to below the zeros and back,
        // and the 20-minute mean alerted on the hour of zeros above that baseline (score 0.51)
        assertThat(between).as("alerts between the spikes").isZero();
    }

    @Test
    void theShapeTestsMedianIsTheMiddleValue() {
        Random r = new Random(32);
        for (int n = 1; n <= 60; n++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextInt(5) == 0 ? 3.0 : r.nextGaussian(); // ties included
            double[] sorted = v.clone();
            java.util.Arrays.sort(sorted);
            for (int rank : new int[]{0, n / 2, n - 1}) {
                assertThat(BaselineDetector.select(v.clone(), n, rank)).as("n %d rank %d", n, rank).isEqualTo(sorted[rank]);
            }
        }
    }

    @Test
    void aFlatSeriesWithSparseSpikesHasNoDailyProfileThoughItsBinsHoldRemnantsOfTheSpikes() {
        // zeros with a 20 every 83 datapoints (about 7 hours, drifting through the day): the second day's visit of a
        // bin that had a spike holds a sixth of it, and the bins keep such remnants for days. They are not a daily
        // shape: a few bins stand out of a flat profile, so neighbouring bins differ as much as the bins differ from
        // their median. A profile that counted here moved the slow level below the zeros (see the test above).
        SeriesBaseline st = detector.newState();
        int counting = 0;
        for (int i = 0; i < 4000; i++) {
            detector.score(st, T0 + i * FIVE_MIN, i % 83 == 0 ? 20 : 0);
            if (st.getProfileState() == 2) counting++;
        }
        assertThat(counting).as("datapoints at which the profile counts").isZero();
        // the same series with a daily shape under the spikes (10 from 08:00 to 18:00): its profile counts
        SeriesBaseline daily = detector.newState();
        Random r = new Random(31);
        for (int i = 0; i < 4000; i++) {
            int slot = i % 288;
            double v = (slot >= 8 * 12 && slot < 18 * 12 ? 10 : 0) + 0.3 * r.nextGaussian();
            detector.score(daily, T0 + i * FIVE_MIN, i % 83 == 0 ? v + 20 : v);
        }
        assertThat(daily.getProfileState()).as("a daily shape with the same spikes").isEqualTo(2);
    }

    @Test
    void afterAnAlertTheRefractoryPeriodDampsScoresUnlessTheAlertWasInADirectionTheSeriesIgnores() {
        DetectorSettings.DirectionFilter rise = DetectorSettings.DirectionFilter.RISE;
        double t = DetectorSettings.SHIPPED_THRESHOLD;
        SeriesBaseline a = detector.newState(), b = detector.newState();
        Random r = new Random(8);
        int i = 0;
        for (; i < 1500; i++) {
            double v = 50 + r.nextGaussian();
            detector.score(a, T0 + i * FIVE_MIN, v, t, rise);
            detector.score(b, T0 + i * FIVE_MIN, v, t, rise);
        }
        // a: a rise alert; b: a drop, which a rise-only series does not alert on
        assertThat(detector.score(a, T0 + i * FIVE_MIN, 80, t, rise).anomalyScore()).isGreaterThan(t);
        Score drop = detector.score(b, T0 + i * FIVE_MIN, 20, t, rise);
        assertThat(drop.anomalyScore()).isGreaterThan(t);
        assertThat(drop.direction()).isEqualTo(-1);
        i++;
        for (int k = 0; k < 12; k++, i++) {
            double v = 50 + r.nextGaussian();
            detector.score(a, T0 + i * FIVE_MIN, v, t, rise);
            detector.score(b, T0 + i * FIVE_MIN, v, t, rise);
        }
        // an hour later, a bigger rise
        Score again = detector.score(a, T0 + i * FIVE_MIN, 150, t, rise);
        Score first = detector.score(b, T0 + i * FIVE_MIN, 150, t, rise);
        assertThat(again.anomalyScore()).as("damped: the same incident").isLessThan(t);
        assertThat(first.anomalyScore()).as("the drop did not start a refractory period").isGreaterThan(t);
        assertThat(a.getLastAlertTime()).isEqualTo(T0 + 1500 * FIVE_MIN);
    }

    @Test
    void aSpikySeriesDroppingToALevelItHasNotVisitedIsNovelThoughItsResidualsAreUsualButItsUsualSpikesAreNot() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(11);
        int i = 0;
        double steadyNovelty = 0;
        for (; i < 3000; i++) {
            double v = 20 + r.nextGaussian() + (r.nextDouble() < 0.1 ? 15 : 0); // upward spikes at 10% of the datapoints
            detector.score(st, T0 + i * FIVE_MIN, v);
            if (i > 1500) steadyNovelty = Math.max(steadyNovelty, Math.abs(detector.lastEvidence[BaselineDetector.NOVELTY]));
        }
        assertThat(steadyNovelty).as("spikes of the usual size at random times are familiar").isLessThan(DetectorSettings.defaults().criticalRarity());
        Score s = detector.score(st, T0 + i * FIVE_MIN, 12);
        for (int k = 0; k < BaselineDetector.NOVELTY; k++) {
            assertThat(detector.lastEvidence[k]).as("residual statistic %d: the spikes made the spread wide", k).isLessThan(0.5);
        }
        assertThat(detector.lastEvidence[BaselineDetector.NOVELTY]).as("a level not visited lately").isLessThan(-DetectorSettings.defaults().criticalRarity());
        assertThat(s.anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(s.direction()).isEqualTo(-1);
    }

    @Test
    void anIsolatedSpikeIsPointEvidenceSoTheRunningMeansStillSeeASustainedShiftInASpikySeries() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(13);
        int perDay = 288, i = 0;
        double spikeMean = 0;
        boolean previous = false;
        // 20 ± 1, with isolated spikes of +15 at 6 % of the night's datapoints (00:00-08:00), for ten days
        for (; i < 10 * perDay + 14 * 12; i++) {
            boolean spike = !previous && i % perDay < 8 * 12 && r.nextDouble() < 0.06;
            previous = spike;
            detector.score(st, T0 + i * FIVE_MIN, 20 + r.nextGaussian() + (spike ? 15 : 0));
            if (spike && i > 5 * perDay) spikeMean = Math.max(spikeMean, st.getEvidence().get(1));
        }
        // one spike lifts the 20-minute mean of the baseline residual by at most a quarter of the outlier threshold
        // (6.1 deviations without the rule: the running means then learned the spikes' size)
        assertThat(spikeMean).as("the 20-minute mean right after an isolated spike").isLessThan(2.0);
        // at 14:00 on day 11, 3.5 deviations higher for an hour: a level shift the size of what one spike added to the
        // 20-minute mean; it is seen by the running means (without the rule: rarity at most 1.74, score 0.19)
        double meanRarity = 0, shiftScore = 0;
        for (int k = 0; k < 12; k++, i++) {
            Score s = detector.score(st, T0 + i * FIVE_MIN, 23.5 + r.nextGaussian() * 0.3);
            meanRarity = Math.max(meanRarity, detector.lastRawEvidence[1]);
            shiftScore = Math.max(shiftScore, s.anomalyScore());
        }
        assertThat(meanRarity).as("calibrated rarity of the 20-minute mean during the shift").isGreaterThan(2.5);
        assertThat(shiftScore).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void aQuietSeriesThatStartsToOscillateIsAnomalousAndTheOscillationIsLearned() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(12);
        int i = 0;
        for (; i < 3000; i++) detector.score(st, T0 + i * FIVE_MIN, 20 + r.nextGaussian());
        Score onset = detector.score(st, T0 + i++ * FIVE_MIN, 27);
        assertThat(onset.anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(detector.lastEvidence[BaselineDetector.NOVELTY]).isGreaterThan(DetectorSettings.defaults().criticalRarity());
        double lateNovelty = 0;
        for (int k = 1; k < 1000; k++, i++) {
            detector.score(st, T0 + i * FIVE_MIN, 20 + (k % 2 == 0 ? 7 : -6) + 0.3 * r.nextGaussian());
            if (k > 100) lateNovelty = Math.max(lateNovelty, Math.abs(detector.lastEvidence[BaselineDetector.NOVELTY]));
        }
        assertThat(lateNovelty).as("the oscillation is the new normal").isLessThan(0.5);
    }

    @Test
    void aVersion1Or2BaselineWithoutTheTailStatisticsOrThePatternMemoryKeepsScoring() {
        SeriesBaseline st = detector.newState();
        Random r = new Random(9);
        int i = 0;
        for (; i < 1000; i++) detector.score(st, T0 + i * FIVE_MIN, 50 + r.nextGaussian());
        // what a v1 savepoint restores: the v2 fields at their schema defaults
        st.setTailRate(new java.util.ArrayList<>());
        st.setTailMean(new java.util.ArrayList<>());
        st.setTailSquare(new java.util.ArrayList<>());
        st.setDailyPeak(java.nio.ByteBuffer.allocate(0));
        st.setAbsDev(0.0);
        st.setLastAlertTime(0L);
        // and the v3 fields: three evidence statistics, no pattern memory
        for (java.util.List<Double> l : java.util.List.of(st.getEvidence(), st.getEvidenceLogMean(), st.getEvidenceLogDev())) {
            l.remove(l.size() - 1);
        }
        st.setPatternCounts(java.nio.ByteBuffer.allocate(0));
        st.setNovelty(0.0);
        // and the v4 fields: no range, no departure
        st.setRangeLow(1.0);
        st.setRangeHigh(0.0);
        st.setRangeSince(0L);
        st.setShiftSince(0L);
        st.setShiftDirection(0);
        for (int k = 0; k < 300; k++, i++) {
            Score s = detector.score(st, T0 + i * FIVE_MIN, 50 + r.nextGaussian());
            assertValid(s);
            assertThat(s.warm()).isTrue();
            if (k == 100) assertThat(st.getRangeSince()).as("the range starts at the restore").isEqualTo(T0 + 1000 * FIVE_MIN);
        }
        assertThat(st.getTailRate()).hasSize(BaselineDetector.EVIDENCE);
        assertThat(st.getEvidence()).hasSize(BaselineDetector.EVIDENCE);
        assertThat(st.getEvidenceLogDev()).hasSize(BaselineDetector.EVIDENCE);
        assertThat(st.getPatternCounts().remaining()).isEqualTo(PatternMemory.SLOTS);
        assertThat(st.getDailyPeak().remaining()).isEqualTo(BaselineDetector.EVIDENCE * DetectorSettings.defaults().dailyBins());
        assertThat(st.getRangeSince()).as("once it has seen a day: counting, last grown at its start (a negative value)")
                .isEqualTo(-(T0 + 1000 * FIVE_MIN + 1));
        assertThat(detector.score(st, T0 + i * FIVE_MIN, 80).anomalyScore()).isGreaterThan(DetectorSettings.SHIPPED_THRESHOLD);
    }

    @Test
    void settings() {
        DetectorSettings d = DetectorSettings.defaults();
        assertThat(d.threshold()).isEqualTo(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(DetectorSettings.Sensitivity.HIGH.threshold()).isLessThan(DetectorSettings.Sensitivity.LOW.threshold());
        assertThat(DetectorSettings.DirectionFilter.RISE.accepts(1)).isTrue();
        assertThat(DetectorSettings.DirectionFilter.RISE.accepts(-1)).isFalse();
        assertThat(DetectorSettings.DirectionFilter.DROP.accepts(-1)).isTrue();
        assertThat(DetectorSettings.DirectionFilter.BOTH.accepts(0)).isTrue();
        assertThat(DetectorSettings.DirectionFilter.parse(" Drop ")).isEqualTo(DetectorSettings.DirectionFilter.DROP);
        assertThat(DetectorSettings.parseSensitivity("HIGH")).isEqualTo(0.3);
        assertThat(DetectorSettings.parseSensitivity("0.65")).isEqualTo(0.65);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DetectorSettings.parseSensitivity("1.5"))
                .hasMessageContaining("low, medium, high or a number in (0,1]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DetectorSettings.DirectionFilter.parse("up"))
                .hasMessageContaining("rise, drop or both");
    }

    @Test
    void theMostSpecificSensitivityAndDirectionWin() {
        DetectorSettings d = DetectorSettings.defaults().withSensitivity("low")
                .withSensitivity("AWS/Lambda", "high")
                .withSensitivity("AWS/Lambda/Duration", "0.6")
                .withDirection("AWS/Lambda/Errors", DetectorSettings.DirectionFilter.BOTH)
                .withDirection("AWS/SQS", DetectorSettings.DirectionFilter.DROP);
        assertThat(d.threshold("AWS/EC2", "CPUUtilization")).isEqualTo(0.7);
        assertThat(d.threshold("AWS/Lambda", "Errors")).isEqualTo(0.3);
        assertThat(d.threshold("AWS/Lambda", "Duration")).isEqualTo(0.6);
        // defaults per known metric
        assertThat(d.direction("AWS/Lambda", "Throttles")).isEqualTo(DetectorSettings.DirectionFilter.RISE);
        assertThat(d.direction("AWS/ApplicationELB", "TargetResponseTime")).isEqualTo(DetectorSettings.DirectionFilter.RISE);
        assertThat(d.direction("AWS/RDS", "FreeStorageSpace")).isEqualTo(DetectorSettings.DirectionFilter.DROP);
        assertThat(d.direction("AWS/RDS", "FreeableMemory")).isEqualTo(DetectorSettings.DirectionFilter.DROP);
        assertThat(d.direction("AWS/EC2", "CPUUtilization")).isEqualTo(DetectorSettings.DirectionFilter.BOTH);
        // overrides
        assertThat(d.direction("AWS/Lambda", "Errors")).isEqualTo(DetectorSettings.DirectionFilter.BOTH);
        assertThat(d.direction("AWS/SQS", "ApproximateAgeOfOldestMessage")).isEqualTo(DetectorSettings.DirectionFilter.DROP);
        assertThat(d.thresholdOverrides()).containsOnlyKeys("AWS/Lambda", "AWS/Lambda/Duration");
        assertThat(DetectorSettings.defaults().threshold("AWS/Lambda", "Errors")).isEqualTo(DetectorSettings.SHIPPED_THRESHOLD);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.withSensitivity("AWS/", "low")).hasMessageContaining("namespace");
    }
}
