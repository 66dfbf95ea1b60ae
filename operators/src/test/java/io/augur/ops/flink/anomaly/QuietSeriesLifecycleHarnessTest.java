package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.Anomaly;
import io.augur.schema.BurstMatch;
import io.augur.schema.ReactivePoint;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static io.augur.ops.flink.anomaly.Points.duration;
import static io.augur.ops.flink.anomaly.Points.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The burst-candidates filter with the lifecycle behind it (quiet series send it nothing, {@link BurstCandidates#LIFECYCLE_POINTS})
 * against the plain lifecycle that gets every datapoint, on the same input: the same anomalies, revision by revision.
 * Both lifecycles get the same CEP matches (CEP runs behind the filter as in the job) and the same watermarks.
 */
class QuietSeriesLifecycleHarnessTest {
    private static final AnomalySettings S = AnomalySettings.defaults();
    private static final SeverityCatalog CATALOG = SeverityCatalog.builtIn();

    /** The filter's {@code contextFullPoints} (0: all). */
    private static int fullPoints = 0;

    /** The filter, CEP behind it, the plain lifecycle (every datapoint) and the lifecycle behind the filter. */
    private static final class Pair implements AutoCloseable {
        KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> filter;
        KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, BurstMatch> cep;
        KeyedTwoInputStreamOperatorTestHarness<String, ReactivePoint, BurstMatch, Anomaly> plain, behind;
        int filterOut, sideOut, cepOut, plainOut, behindOut;
        final List<Anomaly> plainAnomalies = new ArrayList<>(), behindAnomalies = new ArrayList<>();
        final List<Long> plainTimes = new ArrayList<>(), behindTimes = new ArrayList<>();
        final List<ReactivePoint> sent = new ArrayList<>();
        int received;
        /** How many watermark steps the lifecycles' watermark trails the filter's (their other input lags). */
        int lagging;
        List<Long> previous = new ArrayList<>();

        Pair(OperatorSubtaskState[] restore) throws Exception {
            filter = new KeyedOneInputStreamOperatorTestHarness<>(new WriteBackOperator<>(new BurstCandidates(S, CATALOG, BurstCandidates.DEFAULT_RECENT_CONTEXTS, fullPoints)),
                    ScoredDatapoint::getSeriesKey, Types.STRING);
            cep = new KeyedOneInputStreamOperatorTestHarness<>(ReactivePattern.operator(S, CATALOG), ScoredDatapoint::getSeriesKey, Types.STRING);
            plain = lifecycle();
            behind = lifecycle();
            if (restore != null) {
                filter.initializeState(restore[0]);
                cep.initializeState(restore[1]);
                plain.initializeState(restore[2]);
                behind.initializeState(restore[3]);
            }
            filter.open();
            cep.open();
            plain.open();
            behind.open();
        }

        private static KeyedTwoInputStreamOperatorTestHarness<String, ReactivePoint, BurstMatch, Anomaly> lifecycle() throws Exception {
            return new KeyedTwoInputStreamOperatorTestHarness<>(
                    new KeyedCoProcessOperator<>(new ReactiveAnomalies(S, CATALOG, MaintenanceWindows.none())),
                    ReactivePoint::getSeriesKey, BurstMatch::getSeriesKey, Types.STRING);
        }

        void point(ScoredDatapoint p) throws Exception {
            long ts = p.getDatapoint().getTimestamp();
            received++;
            filter.processElement(p, ts);
            plain.processElement1(ReactiveAnomalies.point(p, S, CATALOG), ts);
            var side = filter.getSideOutput(BurstCandidates.LIFECYCLE_POINTS);
            if (side != null) {
                List<StreamRecord<ReactivePoint>> rs = new ArrayList<>(side);
                for (int i = sideOut; i < rs.size(); i++) {
                    sent.add(rs.get(i).getValue());
                    behind.processElement1(rs.get(i).getValue(), rs.get(i).getValue().getTimestamp());
                }
                sideOut = rs.size();
            }
            toCep();
        }

        void watermark(long w) throws Exception {
            filter.processWatermark(new Watermark(w));
            toCep();
            List<StreamRecord<? extends BurstMatch>> ms = cep.extractOutputStreamRecords();
            for (int i = cepOut; i < ms.size(); i++) {
                plain.processElement2(ms.get(i).getValue(), ms.get(i).getTimestamp());
                behind.processElement2(ms.get(i).getValue(), ms.get(i).getTimestamp());
            }
            cepOut = ms.size();
            previous.add(w);
            // the lifecycle's watermark `lagging` steps behind the filter's (its other input lags)
            long lw = previous.size() > lagging ? previous.get(previous.size() - 1 - lagging) : Long.MIN_VALUE;
            plain.processBothWatermarks(new Watermark(lw));
            behind.processBothWatermarks(new Watermark(lw));
            collect();
        }

        private void toCep() throws Exception {
            List<Object> out = new ArrayList<>(filter.getOutput());
            for (int i = filterOut; i < out.size(); i++) {
                Object o = out.get(i);
                if (o instanceof Watermark w) cep.processWatermark(w);
                else if (o instanceof StreamRecord<?> rec) cep.processElement(new StreamRecord<>((ScoredDatapoint) rec.getValue(), rec.getTimestamp()));
            }
            filterOut = out.size();
        }

        private void collect() {
            List<StreamRecord<? extends Anomaly>> a = plain.extractOutputStreamRecords(), b = behind.extractOutputStreamRecords();
            for (int i = plainOut; i < a.size(); i++) {
                plainAnomalies.add(a.get(i).getValue());
                plainTimes.add(a.get(i).getTimestamp());
            }
            for (int i = behindOut; i < b.size(); i++) {
                behindAnomalies.add(b.get(i).getValue());
                behindTimes.add(b.get(i).getTimestamp());
            }
            plainOut = a.size();
            behindOut = b.size();
        }

        /** Snapshots all four, closes them and restores new ones from the snapshots (outputs collected so far kept). */
        Pair restart(long checkpointId, boolean dropFilterOperatorState) throws Exception {
            collect();
            filter.prepareSnapshotPreBarrier(checkpointId); // as the task does: the contexts held in memory go to the keyed state
            OperatorSubtaskState f = filter.snapshot(checkpointId, checkpointId);
            if (dropFilterOperatorState) f = OperatorSubtaskState.builder().setManagedKeyedState(f.getManagedKeyedState()).build();
            OperatorSubtaskState[] s = {f, cep.snapshot(checkpointId, checkpointId), plain.snapshot(checkpointId, checkpointId),
                    behind.snapshot(checkpointId, checkpointId)};
            close();
            Pair next = new Pair(s);
            next.plainAnomalies.addAll(plainAnomalies);
            next.behindAnomalies.addAll(behindAnomalies);
            next.plainTimes.addAll(plainTimes);
            next.behindTimes.addAll(behindTimes);
            next.sent.addAll(sent);
            next.received = received;
            next.lagging = lagging;
            next.previous = new ArrayList<>(previous);
            return next;
        }

        @Override
        public void close() throws Exception {
            filter.close();
            cep.close();
            plain.close();
            behind.close();
        }
    }

    /**
     * Two series (Lambda Duration: bursts; Lambda Errors: extreme datapoints, one-datapoint spikes) with incidents of
     * random length, some within the flap window of the previous one (merges), levels the detector learns (later
     * datapoints not anomalous but still deviating from the onset's band), gaps.
     */
    static List<ScoredDatapoint> scenario(Random r, int minutes) {
        List<ScoredDatapoint> out = new ArrayList<>();
        int incident = 0, level = 0;
        for (int m = 0; m < minutes; m++) {
            if (r.nextInt(25) == 0) continue; // a gap
            if (incident == 0 && r.nextInt(40) == 0) {
                incident = 1 + r.nextInt(14);
                level = 200 + r.nextInt(300);
                out.add(duration(m, level, 100, 0.7 + r.nextDouble() * 0.3));
            } else if (incident > 0) {
                incident--;
                int v = r.nextInt(5) == 0 ? 100 + r.nextInt(40) : level + r.nextInt(60) - 30;
                double expected = 100 + (level - 100) * Math.min(1, (14 - incident) / 5.0);
                out.add(duration(m, v, expected, r.nextInt(4) == 0 ? 0.6 : 0.1));
            } else {
                out.add(duration(m, 95 + r.nextInt(10), 100, r.nextInt(30) == 0 ? 0.6 : 0.1));
            }
        }
        int spell = 0;
        for (int m = 0; m < minutes; m++) {
            if (r.nextInt(30) == 0) continue;
            if (spell == 0 && r.nextInt(35) == 0) {
                spell = r.nextInt(6);
                out.add(errors(m, 40 + r.nextInt(60), 10, r.nextBoolean() ? 0.995 : 0.8));
            } else if (spell > 0) {
                spell--;
                out.add(errors(m, r.nextInt(3) == 0 ? 10 : 30 + r.nextInt(50), 10 + r.nextInt(20), r.nextInt(3) == 0 ? 0.995 : 0.2));
            } else {
                out.add(errors(m, 8 + r.nextInt(5), 10, 0.1));
            }
        }
        out.sort(Comparator.comparingLong(p -> p.getDatapoint().getTimestamp()));
        return out;
    }

    private static Pair run(int seed, boolean restart, boolean legacy) throws Exception {
        return run(seed, restart, legacy, false);
    }

    private static Pair run(int seed, boolean restart, boolean legacy, boolean lagging) throws Exception {
        return run(seed, restart, legacy, lagging ? 1 : 0);
    }

    private static Pair run(int seed, boolean restart, boolean legacy, int lagging) throws Exception {
        Random r = new Random(seed);
        List<ScoredDatapoint> points = scenario(r, 600);
        int disorder = 1 + r.nextInt(8);
        for (int i = 0; i + disorder <= points.size(); i += disorder) Collections.shuffle(points.subList(i, i + disorder), r);
        long lag = (2 + r.nextInt(4)) * Points.MIN;
        int restartAt = restart ? points.size() / 4 + r.nextInt(points.size() / 2) : -1;
        Pair pair = new Pair(null);
        pair.lagging = lagging;
        if (legacy) pair = pair.restart(1, true);
        long max = Long.MIN_VALUE, wm = Long.MIN_VALUE;
        for (int i = 0; i < points.size(); i++) {
            ScoredDatapoint p = points.get(i);
            pair.point(p);
            max = Math.max(max, p.getDatapoint().getTimestamp());
            if (r.nextInt(3) == 0 && max - lag > wm) pair.watermark(wm = max - lag);
            if (i == restartAt) pair = pair.restart(2, false);
        }
        for (int k = 0; k <= lagging; k++) pair.watermark(Long.MAX_VALUE);
        return pair;
    }

    @Test
    void theLifecycleBehindTheFilterOpensRevisesAndClosesTheSameAnomaliesInAnyArrivalOrder() throws Exception {
        compareOn90Scenarios();
    }

    /**
     * With only the newest preContextPoints of the context behind the watermark keeping value, band and score (the
     * others their timestamp) the anomalies are the same too, in every scenario (one fewer fails: the band of the
     * oldest datapoint an anomaly shows before its start would be missing).
     */
    @Test
    void keepingValueBandAndScoreForThePreContextBehindTheWatermarkGivesTheSameAnomalies() throws Exception {
        fullPoints = S.preContextPoints();
        try {
            compareOn90Scenarios();
        } finally {
            fullPoints = 0;
        }
    }

    /**
     * The lifecycle's watermark three steps behind the filter's, value, band and score kept only for the newest
     * preContextPoints behind the filter's previous watermark step: every datapoint of every anomaly revision is the
     * series' own, value and band bit for bit. (A lifecycle that handled a datapoint at or behind the values floor the
     * filter stamps on what it sends would show stripped datapoints, as 0, before a late onset's start.) Where the
     * lifecycle trails by more than one step its anomalies may differ from the plain lifecycle's: datapoints at or
     * behind the floor are late for it.
     */
    @Test
    void aLifecycleFarBehindTheFilterShowsOnlyTheSeriesOwnValues() throws Exception {
        fullPoints = S.preContextPoints();
        int checked = 0;
        try {
            for (int seed = 0; seed < 90; seed++) {
                java.util.Map<String, ScoredDatapoint> truth = new java.util.HashMap<>();
                for (ScoredDatapoint p : scenario(new Random(seed), 600)) truth.put(p.getSeriesKey() + "@" + p.getDatapoint().getTimestamp(), p);
                try (Pair pair = run(seed, seed % 3 == 0, false, 3)) {
                    for (Anomaly a : pair.behindAnomalies) {
                        for (io.augur.schema.MetricValue v : a.getDatapoints()) {
                            ScoredDatapoint p = truth.get(a.getSeriesKey() + "@" + v.getTimestamp());
                            assertThat(p).as("seed %d: a datapoint of the series", seed).isNotNull();
                            assertThat(List.of(v.getValue(), v.getExpected(), v.getLower(), v.getUpper()))
                                    .as("seed %d, %s at minute %s", seed, a.getMetricName(), m(v.getTimestamp()))
                                    .isEqualTo(List.of(p.getValue(), p.getExpected(), p.getLower(), p.getUpper()));
                            checked++;
                        }
                    }
                }
            }
        } finally {
            fullPoints = 0;
        }
        assertThat(checked).as("datapoints checked").isGreaterThan(3000);
    }

    /**
     * A late extreme onset far behind the filter's watermark (minute 45 when the filter is at 57), handled by a
     * lifecycle whose watermark trails by many steps. All values kept: the same anomaly as the plain lifecycle, with the
     * 10 datapoints before its start. Only the newest 10 behind the filter's previous watermark step kept: the filter
     * stamps its values floor (minute 56) on what it sends and the lifecycle treats the onset as late, so it opens
     * nothing rather than an anomaly showing dropped values (without the floor it shows minutes 35..44 as 0).
     */
    @Test
    void aLateOnsetBehindTheValuesFloorIsLateForTheLifecycleInsteadOfShowingDroppedValues() throws Exception {
        for (int full : new int[] {0, S.preContextPoints()}) {
            fullPoints = full;
            try (Pair pair = new Pair(null)) {
                pair.lagging = 1000;
                for (int m = 0; m < 59; m++) {
                    if (m == 45 || m == 46) continue;
                    pair.point(errors(m, 10, 10, 0.1));
                    pair.watermark(Points.t(m - 1));
                }
                pair.point(errors(45, 90, 10, 0.999)); // late at the filter: extreme
                pair.point(errors(46, 80, 10, 0.999)); // still deviating: confirms it
                for (int k = 0; k <= 1000; k++) pair.watermark(Long.MAX_VALUE);
                assertThat(pair.plainAnomalies).as("the plain lifecycle opens and closes one").hasSize(2);
                assertThat(pair.plainAnomalies.get(0).getDatapoints()).extracting(v -> m(v.getTimestamp()))
                        .startsWith("35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45");
                if (full == 0) {
                    assertThat(pair.behindAnomalies).containsExactlyElementsOf(pair.plainAnomalies);
                } else {
                    assertThat(pair.sent).filteredOn(ReactivePoint::getContext).extracting(ReactivePoint::getFloor).containsOnly(Points.t(56));
                    assertThat(pair.behindAnomalies).as("late for the lifecycle: at or behind the floor").isEmpty();
                }
            } finally {
                fullPoints = 0;
            }
        }
    }

    private static void compareOn90Scenarios() throws Exception {
        int anomalies = 0, merged = 0;
        long sent = 0, received = 0;
        for (int seed = 0; seed < 90; seed++) {
            try (Pair pair = run(seed, seed % 3 == 0, false, seed >= 60)) {
                // per series, revision by revision (across series, revisions of one watermark come in timer order,
                // which depends on the timers the task has: not an order anything downstream can rely on)
                for (String key : List.of(Points.DURATION_KEY, Points.ERRORS_KEY)) {
                    assertThat(firstDifference(brief(of(pair.behindAnomalies, key)), brief(of(pair.plainAnomalies, key)))).as("seed " + seed).isEmpty();
                    assertThat(of(pair.behindAnomalies, key)).as("seed " + seed).containsExactlyElementsOf(of(pair.plainAnomalies, key));
                }
                assertThat(pair.behindAnomalies).as("seed " + seed).containsExactlyInAnyOrderElementsOf(pair.plainAnomalies);
                assertThat(emitted(pair.behindAnomalies, pair.behindTimes)).as("seed " + seed)
                        .containsExactlyInAnyOrderElementsOf(emitted(pair.plainAnomalies, pair.plainTimes));
                anomalies += pair.plainAnomalies.size();
                merged += (int) pair.plainAnomalies.stream().filter(a -> a.getRevision() > 0 && a.getEndTime() != null
                        && a.getEndTime() - a.getStartTime() > 25 * Points.MIN).count();
                sent += pair.sent.size();
                received += pair.received;
            }
        }
        assertThat(anomalies).as("revisions compared").isGreaterThan(300);
        assertThat(merged).as("long (merged or extended) anomalies among them").isGreaterThan(10);
        assertThat(sent).as("the lifecycle gets fewer datapoints").isLessThan(received);
    }

    /** What a failure shows: each revision in one line (minutes after Points.T0). */
    private static List<String> brief(List<Anomaly> as) {
        List<String> out = new ArrayList<>();
        for (Anomaly a : as) {
            out.add(a.getMetricName() + " start " + m(a.getStartTime()) + " rev " + a.getRevision() + " " + a.getStatus() + " " + a.getSeverity()
                    + " open " + m(a.getOpenTime()) + " end " + m(a.getEndTime()) + " close " + m(a.getCloseTime()) + " period " + a.getPeriod()
                    + " peak " + a.getPeakScore() + " dps " + a.getDatapoints().stream().map(v -> m(v.getTimestamp()) + "=" + v.getValue()).toList());
        }
        return out;
    }

    private static List<Anomaly> of(List<Anomaly> as, String key) {
        return as.stream().filter(a -> a.getSeriesKey().equals(key)).toList();
    }

    private static List<String> emitted(List<Anomaly> as, List<Long> times) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < as.size(); i++) out.add(as.get(i).getId() + "/" + as.get(i).getRevision() + "@" + times.get(i));
        return out;
    }

    private static String firstDifference(List<String> behind, List<String> plain) {
        for (int i = 0; i < Math.max(behind.size(), plain.size()); i++) {
            String b = i < behind.size() ? behind.get(i) : "none", p = i < plain.size() ? plain.get(i) : "none";
            if (!b.equals(p)) return "revision " + i + "\n behind: " + b + "\n plain:  " + p;
        }
        return "";
    }

    private static String m(Long t) {
        return t == null ? "-" : String.valueOf((t - Points.T0) / Points.MIN);
    }

    @Test
    void stateRestoredFromBeforeContextsForwardsEveryDatapointAndGivesTheSameAnomalies() throws Exception {
        for (int seed = 0; seed < 5; seed++) {
            try (Pair pair = run(seed, true, true)) {
                assertThat(pair.sent).as("every datapoint, as before").hasSize(pair.received);
                assertThat(pair.sent).noneMatch(ReactivePoint::getContext);
                assertThat(pair.behindAnomalies).as("seed " + seed).containsExactlyElementsOf(pair.plainAnomalies);
            }
        }
    }

    @Test
    void aQuietSeriesSendsTheLifecycleNothingAndLeavesItWithoutState() throws Exception {
        try (Pair pair = new Pair(null)) {
            for (int m = 0; m < 300; m++) {
                pair.point(duration(m, 95 + m % 10, 100, m % 50 == 7 ? 0.6 : 0.1)); // anomalous now and then, but no real change
                pair.point(errors(m, 8 + m % 5, 10, 0.1));
                if (m % 3 == 0) pair.watermark(Points.t(m - 3));
            }
            pair.watermark(Points.t(400));
            assertThat(pair.sent).isEmpty();
            assertThat(pair.behind.numKeyedStateEntries()).isZero();
            assertThat(pair.behind.numEventTimeTimers()).isZero();
            assertThat(pair.plain.numKeyedStateEntries()).as("the plain lifecycle keeps their recent datapoints").isPositive();
        }
    }

    @Test
    void anOnsetShipsTheHeldBackDatapointsAsContextFirst() throws Exception {
        try (Pair pair = new Pair(null)) {
            for (int m = 0; m < 40; m++) pair.point(duration(m, 100, 100, 0.1));
            pair.watermark(Points.t(37));
            pair.point(duration(40, 300, 100, 0.9));
            assertThat(pair.sent).extracting(ReactivePoint::getTimestamp).as("the newest 30 at or behind the watermark, those ahead, the onset")
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(8, 40).mapToObj(Points::t).toList());
            assertThat(pair.sent.subList(0, 32)).allMatch(ReactivePoint::getContext);
            assertThat(pair.sent.get(32).getContext()).isFalse();
            for (int m = 41; m < 50; m++) pair.point(duration(m, 300, 300, 0.1));
            assertThat(pair.sent).as("live: forwarded").hasSize(33 + 9);
            pair.watermark(Points.t(200));
            assertThat(pair.behindAnomalies).containsExactlyElementsOf(pair.plainAnomalies).hasSize(2);
        }
    }
}
