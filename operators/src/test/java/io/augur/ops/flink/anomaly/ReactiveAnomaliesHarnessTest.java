package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalyIds;
import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.MetricValue;
import io.augur.schema.ScoredDatapoint;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.augur.ops.flink.anomaly.Points.DURATION_KEY;
import static io.augur.ops.flink.anomaly.Points.ERRORS_KEY;
import static io.augur.ops.flink.anomaly.Points.duration;
import static io.augur.ops.flink.anomaly.Points.errors;
import static io.augur.ops.flink.anomaly.Points.t;
import static org.assertj.core.api.Assertions.assertThat;

/** The reactive pattern and lifecycle, wired as in the job, with exact expected anomaly revisions. */
class ReactiveAnomaliesHarnessTest {
    private static final String STEP_ID = AnomalyIds.id(DURATION_KEY, AnomalyKind.REACTIVE, t(20));

    /**
     * Duration steps from 100 to 300 ms at minute 20 for 21 minutes. The detector flags the first datapoint only, then
     * learns the new level (expected 300, not anomalous): the pattern still sees the burst against the onset's band.
     */
    private static List<ScoredDatapoint> step() {
        List<ScoredDatapoint> out = new ArrayList<>();
        for (int m = 0; m < 20; m++) out.add(duration(m, 100, 100, 0.1));
        out.add(duration(20, 300, 100, 0.9));
        for (int m = 21; m <= 40; m++) out.add(duration(m, 300, 300, 0.05));
        for (int m = 41; m <= 100; m++) out.add(duration(m, 100, 300, 0.2));
        return out;
    }

    @Test
    void aBurstOpensOneAnomalyThatClosesAfterTheQuietPeriodAndTheFlapWindow() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            chain.inOrder(step());
            List<Anomaly> out = chain.anomalies();
            assertThat(out).hasSize(2);

            Anomaly open = out.get(0);
            assertThat(open.getId()).isEqualTo(STEP_ID);
            assertThat(open.getKind()).isEqualTo(AnomalyKind.REACTIVE);
            assertThat(open.getStatus()).isEqualTo(AnomalyStatus.ONGOING);
            assertThat(open.getRevision()).isZero();
            assertThat(open.getStartTime()).as("the onset").isEqualTo(t(20));
            assertThat(open.getOpenTime()).as("the 4th deviating datapoint completes the pattern").isEqualTo(t(23));
            assertThat(open.getUpdateTime()).isEqualTo(t(23));
            assertThat(open.getEndTime()).isNull();
            assertThat(open.getCloseTime()).isNull();
            assertThat(open.getSeverity()).as("latency: MEDIUM in the catalog, +200 % is below the escalation").isEqualTo(Severity.MEDIUM);
            assertThat(open.getDirection()).isEqualTo(1);
            assertThat(open.getPeakScore()).isEqualTo(0.9);
            assertThat(open.getSeriesKey()).isEqualTo(DURATION_KEY);
            assertThat(open.getStat()).isEqualTo("Average");
            assertThat(open.getPeriod()).isEqualTo(60);
            assertThat(open.getResource()).isEqualTo(Points.FUNCTION);
            assertThat(open.getName()).isEqualTo("Duration rose on AWS::Lambda::Function orders-api");
            assertThat(open.getDescription()).startsWith("AWS/Lambda Duration (Average) of AWS::Lambda::Function orders-api rose to 300 Milliseconds at 2025-03-03T12:20:00Z");
            assertThat(open.getDatapoints()).extracting(MetricValue::getTimestamp).as("10 before the start, up to the open time")
                    .containsExactlyElementsOf(minutes(10, 23));

            Anomaly closed = out.get(1);
            assertThat(closed.getId()).isEqualTo(STEP_ID);
            assertThat(closed.getStatus()).isEqualTo(AnomalyStatus.CLOSED);
            assertThat(closed.getRevision()).isEqualTo(1);
            assertThat(closed.getStartTime()).isEqualTo(t(20));
            assertThat(closed.getOpenTime()).isEqualTo(t(23));
            assertThat(closed.getEndTime()).as("end of the last deviating minute").isEqualTo(t(41));
            assertThat(closed.getCloseTime()).as("last deviating + 10 min quiet + 20 min flap window").isEqualTo(t(40 + 10 + 20));
            assertThat(closed.getUpdateTime()).isEqualTo(t(70));
            assertThat(closed.getSeverity()).isEqualTo(Severity.MEDIUM);
            List<Long> expected = new ArrayList<>(minutes(10, 24));  // 10 before, the first 5 of the anomaly,
            expected.addAll(minutes(36, 50));                         // then the newest 15 up to the end of the quiet period
            assertThat(closed.getDatapoints()).extracting(MetricValue::getTimestamp).containsExactlyElementsOf(expected);

            assertThat(chain.matches()).hasSize(1);
            assertThat(chain.matches().get(0).getPoints()).extracting(p -> p.getDatapoint().getTimestamp())
                    .containsExactly(t(20), t(21), t(22), t(23));
            // state and timers are cleaned up after the close: only the series' recent datapoints remain, and the coarse
            // timer of the quiet series' last datapoints (the end of their flush bucket), which changes nothing
            assertThat(chain.lifecycle.numEventTimeTimers()).isEqualTo(1);
            chain.flushQuiet();
            assertThat(chain.anomalies()).hasSize(2);
            assertThat(chain.lifecycle.numEventTimeTimers()).isZero();
            assertThat(chain.cep.numEventTimeTimers()).isZero();
            assertThat(chain.late()).isEmpty();
        }
    }

    @Test
    void aBlipOfThreeMinutesOpensNothing() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = new ArrayList<>();
            for (int m = 0; m < 20; m++) points.add(duration(m, 100, 100, 0.1));
            points.add(duration(20, 400, 100, 0.95));
            points.add(duration(21, 400, 300, 0.1));
            points.add(duration(22, 350, 350, 0.1));
            for (int m = 23; m <= 60; m++) points.add(duration(m, 100, 300, 0.1));
            chain.inOrder(points);
            assertThat(chain.matches()).isEmpty();
            assertThat(chain.anomalies()).isEmpty();
            assertThat(chain.lifecycle.numEventTimeTimers()).as("the quiet series' flush bucket").isEqualTo(1);
            chain.flushQuiet();
            assertThat(chain.anomalies()).isEmpty();
            assertThat(chain.lifecycle.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void outOfOrderDeliveryWithinTheWatermarkGivesTheSameAnomalies() throws Exception {
        List<Anomaly> inOrder;
        try (ReactiveChain chain = new ReactiveChain()) {
            chain.inOrder(step());
            inOrder = chain.anomalies();
        }
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = step();
            long max = Long.MIN_VALUE;
            // every group of four minutes arrives newest first; the watermark trails the newest datapoint by 5 minutes
            for (int g = 0; g < points.size(); g += 4) {
                for (int i = Math.min(points.size(), g + 4) - 1; i >= g; i--) {
                    ScoredDatapoint p = points.get(i);
                    chain.point(p);
                    max = Math.max(max, p.getDatapoint().getTimestamp());
                    chain.watermark(max - 5 * Points.MIN);
                }
            }
            chain.watermark(Long.MAX_VALUE);
            assertThat(chain.late()).isEmpty();
            assertThat(chain.anomalies()).isEqualTo(inOrder);
        }
    }

    @Test
    void latePointsGoToTheSideOutputAndNeitherOpenNorExtend() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = step();
            for (ScoredDatapoint p : points.subList(0, 20)) chain.point(p);
            chain.watermark(t(30)); // event time moves past the step before its datapoints arrive
            for (ScoredDatapoint p : points.subList(20, 31)) chain.point(p);
            chain.watermark(t(31));
            for (ScoredDatapoint p : points.subList(31, points.size())) {
                chain.point(p);
                chain.watermark(p.getDatapoint().getTimestamp());
            }
            assertThat(chain.late()).extracting(p -> p.getDatapoint().getTimestamp()).containsExactlyElementsOf(minutes(20, 31));
            assertThat(chain.anomalies()).as("the burst datapoints 32-40 alone start with no onset").isEmpty();
        }
    }

    @Test
    void anAnomalyClosesWhenItsSeriesStopsReporting() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            chain.inOrder(step().subList(0, 30)); // the series goes silent in the middle of the anomaly
            chain.watermark(t(100));              // event time goes on (other series, other sources)
            List<Anomaly> out = chain.anomalies();
            assertThat(out).extracting(Anomaly::getStatus).containsExactly(AnomalyStatus.ONGOING, AnomalyStatus.CLOSED);
            assertThat(out.get(1).getEndTime()).isEqualTo(t(30));
            assertThat(out.get(1).getCloseTime()).isEqualTo(t(29 + 10 + 20));
            assertThat(chain.lifecycle.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aGapInsideTheBurstWindowPreventsTheMatch() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = new ArrayList<>();
            for (int m = 0; m < 20; m++) points.add(duration(m, 100, 100, 0.1));
            points.add(duration(20, 300, 100, 0.9));
            points.add(duration(21, 300, 300, 0.05));
            // no data for minutes 22-29: three more deviating datapoints do not fit in the 8-minute window
            for (int m = 30; m <= 31; m++) points.add(duration(m, 300, 300, 0.05));
            for (int m = 32; m <= 60; m++) points.add(duration(m, 100, 300, 0.1));
            chain.inOrder(points);
            assertThat(chain.anomalies()).isEmpty();
        }
    }

    @Test
    void aBurstWithinTheFlapWindowMergesIntoTheAnomalyAndOneAfterItOpensANewOne() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = new ArrayList<>(step().subList(0, 31)); // burst 20-30
            for (int m = 31; m <= 44; m++) points.add(duration(m, 100, 300, 0.2));  // quiet until 40 (ends), flap window runs
            points.add(duration(45, 300, 100, 0.9));                                  // a new burst 45-49, within the flap window
            for (int m = 46; m <= 49; m++) points.add(duration(m, 300, 300, 0.05));
            for (int m = 50; m <= 120; m++) points.add(duration(m, 100, 300, 0.2));  // quiet; closes at 49 + 30 = 79
            points.add(duration(121, 300, 100, 0.9));                                 // a third burst, long after the close
            for (int m = 122; m <= 125; m++) points.add(duration(m, 300, 300, 0.05));
            for (int m = 126; m <= 170; m++) points.add(duration(m, 100, 300, 0.2));
            chain.inOrder(points);
            List<Anomaly> out = chain.anomalies();
            assertThat(out).extracting(Anomaly::getId, Anomaly::getStatus, Anomaly::getRevision).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(STEP_ID, AnomalyStatus.ONGOING, 0),
                    org.assertj.core.groups.Tuple.tuple(STEP_ID, AnomalyStatus.CLOSED, 1),
                    org.assertj.core.groups.Tuple.tuple(AnomalyIds.id(DURATION_KEY, AnomalyKind.REACTIVE, t(121)), AnomalyStatus.ONGOING, 0),
                    org.assertj.core.groups.Tuple.tuple(AnomalyIds.id(DURATION_KEY, AnomalyKind.REACTIVE, t(121)), AnomalyStatus.CLOSED, 1));
            assertThat(out.get(1).getEndTime()).as("the merged burst extends the anomaly").isEqualTo(t(50));
            assertThat(out.get(1).getCloseTime()).isEqualTo(t(79));
            assertThat(out.get(2).getOpenTime()).isEqualTo(t(124));
            assertThat(chain.lifecycle.numEventTimeTimers()).as("the quiet series' flush bucket").isEqualTo(1);
            chain.flushQuiet();
            assertThat(chain.anomalies()).hasSize(4);
            assertThat(chain.lifecycle.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anExtremeErrorDatapointOpensWithTheNextAndAGrowingDeviationRaisesTheSeverity() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = new ArrayList<>();
            for (int m = 0; m < 20; m++) points.add(errors(m, 10, 10, 0.1));
            points.add(errors(20, 60, 10, 0.995));  // errors: an extreme datapoint and the next one are enough
            points.add(errors(21, 60, 60, 0.1));    // the detector learned it, but it still deviates from the onset's band
            points.add(errors(22, 90, 60, 0.3));    // 80 over the expected 10: 8x, over the escalation of 5x
            for (int m = 23; m <= 80; m++) points.add(errors(m, 10, 60, 0.1));
            chain.inOrder(points);
            List<Anomaly> out = chain.anomalies();
            String id = AnomalyIds.id(ERRORS_KEY, AnomalyKind.REACTIVE, t(20));
            assertThat(out).extracting(Anomaly::getId).containsOnly(id);
            assertThat(out).extracting(Anomaly::getRevision, Anomaly::getStatus, Anomaly::getSeverity, Anomaly::getUpdateTime).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, AnomalyStatus.ONGOING, Severity.HIGH, t(21)),
                    org.assertj.core.groups.Tuple.tuple(1, AnomalyStatus.CLOSED, Severity.HIGH, t(52)));
            assertThat(out.get(0).getStartTime()).isEqualTo(t(20));
            assertThat(out.get(0).getOpenTime()).isEqualTo(t(21));
            assertThat(out.get(1).getEndTime()).isEqualTo(t(23));
        }
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = new ArrayList<>(step().subList(0, 25));
            points.add(duration(25, 700, 300, 0.3)); // 600 over the expected 100: latency MEDIUM goes to HIGH
            for (int m = 26; m <= 70; m++) points.add(duration(m, 100, 300, 0.2));
            chain.inOrder(points);
            assertThat(chain.anomalies()).extracting(Anomaly::getRevision, Anomaly::getStatus, Anomaly::getSeverity, Anomaly::getUpdateTime).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, AnomalyStatus.ONGOING, Severity.MEDIUM, t(23)),
                    org.assertj.core.groups.Tuple.tuple(1, AnomalyStatus.ONGOING, Severity.HIGH, t(25)),
                    org.assertj.core.groups.Tuple.tuple(2, AnomalyStatus.CLOSED, Severity.HIGH, t(55)));
        }
    }

    /**
     * A one-minute error spike that resolves by itself (the next datapoints, for the burst window, are back at the usual
     * level) opens nothing:
     * 95 errors where 3 are usual, the detector's top score (a new extreme), and a Poisson-noise record (16 where 7 are
     * usual, as a count series sets now and then). Neither is a problem to open an insight for.
     */
    @Test
    void aOneDatapointErrorSpikeThatResolvesByItselfOpensNoAnomaly() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = new ArrayList<>();
            for (int m = 0; m < 20; m++) points.add(errors(m, 3, 3, 0.1));
            points.add(errors(20, 98, 3, 1.0));
            for (int m = 21; m < 40; m++) points.add(errors(m, 3, 3, 0.1));
            points.add(errors(40, 16, 7, 1.0));
            points.add(errors(41, 6, 9, 0.0));
            for (int m = 42; m <= 80; m++) points.add(errors(m, 7, 7, 0.1));
            chain.inOrder(points);
            chain.flushQuiet();
            assertThat(chain.anomalies()).isEmpty();
            assertThat(chain.lifecycle.numEventTimeTimers()).isZero();
        }
    }

    /** Intermittent errors (every other minute, as a table at its capacity throttles) open an anomaly at the second. */
    @Test
    void anExtremeDatapointAndAnotherWithinTheBurstWindowOpenAnAnomaly() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> points = new ArrayList<>();
            for (int m = 0; m < 20; m++) points.add(errors(m, 0, 0, 0.1));
            points.add(errors(20, 66, 0, 1.0));
            points.add(errors(21, 0, 10, 0.0));
            points.add(errors(22, 265, 10, 1.0));
            for (int m = 23; m <= 80; m++) points.add(errors(m, 0, 5, 0.1));
            chain.inOrder(points);
            List<Anomaly> out = chain.anomalies();
            assertThat(out).extracting(Anomaly::getId).containsOnly(AnomalyIds.id(ERRORS_KEY, AnomalyKind.REACTIVE, t(20)));
            assertThat(out).extracting(Anomaly::getRevision, Anomaly::getStatus, Anomaly::getOpenTime).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, AnomalyStatus.ONGOING, t(22)),
                    org.assertj.core.groups.Tuple.tuple(1, AnomalyStatus.CLOSED, t(22)));
            assertThat(out.get(1).getEndTime()).isEqualTo(t(23));
        }
    }

    /**
     * The confirming datapoint of a quiet series is applied at its own time: the anomaly opens when the watermark passes
     * it, not when the series' next quiet flush (up to 10 minutes later) fires.
     */
    @Test
    void anExtremeDatapointMakesItsSeriesActiveSoItsConfirmationIsNotDelayedToTheQuietFlush() throws Exception {
        try (ReactiveChain chain = new ReactiveChain()) {
            List<ScoredDatapoint> before = new ArrayList<>();
            for (int m = 0; m < 20; m++) before.add(errors(m, 0, 0, 0.1));
            before.add(errors(21, 66, 0, 1.0));
            chain.inOrder(before);
            chain.inOrder(List.of(errors(22, 40, 10, 0.3)));
            assertThat(chain.anomalies()).as("open once the watermark passes minute 22").extracting(Anomaly::getOpenTime)
                    .containsExactly(t(22));
        }
    }

    @Test
    void noAnomalyOpensOnAResourceInAMaintenanceWindow() throws Exception {
        MaintenanceWindows windows = MaintenanceWindows.parse("2025-03-03T12:15:00Z/2025-03-03T12:30:00Z on arn:aws:lambda:*:function:orders-*");
        try (ReactiveChain chain = new ReactiveChain(AnomalySettings.defaults(), windows)) {
            chain.inOrder(step());
            assertThat(chain.matches()).hasSize(1);
            assertThat(chain.anomalies()).isEmpty();
            assertThat(chain.lifecycle.numEventTimeTimers()).as("the quiet series' flush bucket").isEqualTo(1);
            chain.flushQuiet();
            assertThat(chain.anomalies()).isEmpty();
            assertThat(chain.lifecycle.numEventTimeTimers()).isZero();
        }
        MaintenanceWindows elsewhere = MaintenanceWindows.parse("2025-03-03T12:15:00Z/2025-03-03T12:30:00Z on arn:aws:rds:*");
        try (ReactiveChain chain = new ReactiveChain(AnomalySettings.defaults(), elsewhere)) {
            chain.inOrder(step());
            assertThat(chain.anomalies()).hasSize(2);
        }
    }

    private static List<Long> minutes(int from, int to) {
        List<Long> out = new ArrayList<>();
        for (int m = from; m <= to; m++) out.add(t(m));
        return out;
    }
}
