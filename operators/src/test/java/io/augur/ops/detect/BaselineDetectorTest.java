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
        assertThat(maxBefore).isLessThan(spike.anomalyScore());
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
    void settings() {
        DetectorSettings d = DetectorSettings.defaults();
        assertThat(d.threshold()).isEqualTo(DetectorSettings.SHIPPED_THRESHOLD);
        assertThat(DetectorSettings.Sensitivity.HIGH.threshold()).isLessThan(DetectorSettings.Sensitivity.LOW.threshold());
        assertThat(DetectorSettings.DirectionFilter.RISE.accepts(1)).isTrue();
        assertThat(DetectorSettings.DirectionFilter.RISE.accepts(-1)).isFalse();
        assertThat(DetectorSettings.DirectionFilter.DROP.accepts(-1)).isTrue();
        assertThat(DetectorSettings.DirectionFilter.BOTH.accepts(0)).isTrue();
    }
}
