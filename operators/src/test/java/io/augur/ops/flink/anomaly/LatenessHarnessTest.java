package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.LateChangeEvents;
import io.augur.ops.flink.LateDatapoints;
import io.augur.schema.Anomaly;
import io.augur.schema.ChangeEvent;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.augur.ops.flink.anomaly.Points.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Lateness decided once, right behind each watermark assigner ({@link LateDatapoints}, {@link LateChangeEvents}): a
 * record late at its source is late (or, for a change event, re-timed) the same way whatever the order in which two
 * sources' watermarks reach an operator downstream. Each test runs two interleavings of the same two channels; a
 * downstream operator's watermark is the minimum of the channels' (what Flink's input valve does), computed here as
 * the watermarks arrive. Without the gate, the same records give different results in the two interleavings: the
 * control cases show the scenario does exercise the timing.
 */
class LatenessHarnessTest {
    private static final AnomalySettings S = AnomalySettings.defaults();
    private static final long BEFORE = -1; // a watermark just before a minute (the assigner's bound minus 1 ms)

    private record Item(int channel, Object value) {}

    private static Item record(int channel, Object v) {
        return new Item(channel, v);
    }

    private static Item watermark(int channel, int minute) {
        return new Item(channel, new Watermark(t(minute) + BEFORE));
    }

    /** Two channels into one downstream input: the downstream watermark is the minimum of both channels' last. */
    private static final class Valve {
        final long[] last = {Long.MIN_VALUE, Long.MIN_VALUE};
        long current = Long.MIN_VALUE;

        /** The new downstream watermark, or null when it does not advance. */
        Watermark advance(int channel, long wm) {
            last[channel] = Math.max(last[channel], wm);
            long min = Math.min(last[0], last[1]);
            if (min <= current) return null;
            current = min;
            return new Watermark(min);
        }
    }

    // ---- datapoints: two metric channels into the burst-candidates filter (scored in between: scores chosen here)

    /** Channel 0 runs ahead (to 15 min) and then brings a datapoint of minute 12; channel 1 lags at first. */
    private static final Map<Long, ScoredDatapoint> SCORED = new TreeMap<>();

    static {
        for (ScoredDatapoint p : List.of(Points.duration(20, 300, 100, 0.9), Points.duration(12, 300, 100, 0.9),
                Points.errors(5, 1, 1, 0.1), Points.errors(30, 1, 1, 0.1))) {
            SCORED.put(p.getDatapoint().getTimestamp() * 10 + (p.getStat().equals("Sum") ? 1 : 0), p);
        }
    }

    private static ScoredDatapoint scored(MetricDatapoint dp) {
        return SCORED.get(dp.getTimestamp() * 10 + (dp.getMetricName().equals("Errors") ? 1 : 0));
    }

    private static List<Item> datapointSchedule(boolean otherChannelFirst) {
        List<Item> a = List.of(record(0, Points.duration(20, 300, 100, 0.9).getDatapoint()), watermark(0, 15),
                record(0, Points.duration(12, 300, 100, 0.9).getDatapoint()));
        List<Item> bStart = List.of(record(1, Points.errors(5, 1, 1, 0.1).getDatapoint()), watermark(1, 0));
        List<Item> bRest = List.of(record(1, Points.errors(30, 1, 1, 0.1).getDatapoint()), watermark(1, 25));
        List<Item> all = new ArrayList<>(bStart);
        if (otherChannelFirst) {
            all.addAll(bRest);
            all.addAll(a);
        } else {
            all.addAll(a);
            all.addAll(bRest);
        }
        return all;
    }

    /** What happened to each datapoint: "late" at a gate, or what the burst-candidates filter did with it. */
    private static Map<String, String> runDatapoints(boolean otherChannelFirst, boolean gated) throws Exception {
        List<OneInputStreamOperatorTestHarness<MetricDatapoint, MetricDatapoint>> gates = new ArrayList<>();
        try (var down = new KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint>(
                new KeyedProcessOperator<>(new BurstCandidates(S, SeverityCatalog.builtIn())), ScoredDatapoint::getSeriesKey, Types.STRING)) {
            down.open();
            for (int c = 0; c < 2; c++) {
                var g = new OneInputStreamOperatorTestHarness<MetricDatapoint, MetricDatapoint>(new ProcessOperator<>(new LateDatapoints()));
                g.open();
                gates.add(g);
            }
            Valve valve = new Valve();
            Map<String, String> fate = new TreeMap<>();
            for (Item it : datapointSchedule(otherChannelFirst)) {
                List<Object> forwarded = new ArrayList<>();
                if (!gated) {
                    forwarded.add(it.value() instanceof MetricDatapoint m ? new StreamRecord<>(m, m.getTimestamp()) : it.value());
                } else {
                    var g = gates.get(it.channel());
                    if (it.value() instanceof MetricDatapoint m) g.processElement(m, m.getTimestamp());
                    else g.processWatermark((Watermark) it.value());
                    Object o;
                    while ((o = g.getOutput().poll()) != null) forwarded.add(o);
                    var late = g.getSideOutput(LateDatapoints.LATE);
                    if (late != null) {
                        StreamRecord<MetricDatapoint> r;
                        while ((r = late.poll()) != null) fate.put(name(r.getValue()), "late at its source");
                    }
                }
                for (Object o : forwarded) {
                    if (o instanceof Watermark w) {
                        Watermark next = valve.advance(it.channel(), w.getTimestamp());
                        if (next != null) down.processWatermark(next);
                    } else if (o instanceof StreamRecord<?> r) {
                        MetricDatapoint m = (MetricDatapoint) r.getValue();
                        assertThat(r.getTimestamp()).isEqualTo(m.getTimestamp());
                        down.processElement(scored(m), r.getTimestamp());
                    }
                }
            }
            for (ScoredDatapoint p : down.extractOutputValues()) fate.put(name(p.getDatapoint()), "to CEP");
            var late = down.getSideOutput(ReactivePattern.LATE_POINTS);
            if (late != null) for (StreamRecord<ScoredDatapoint> r : late) fate.put(name(r.getValue().getDatapoint()), "late at the pattern");
            for (var g : gates) g.close();
            return fate;
        }
    }

    private static String name(MetricDatapoint m) {
        return m.getMetricName() + "@" + (m.getTimestamp() - Points.T0) / Points.MIN;
    }

    @Test
    void aDatapointLateAtItsSourceIsLateWhateverTheOtherChannelsWatermark() throws Exception {
        Map<String, String> lagging = runDatapoints(false, true), ahead = runDatapoints(true, true);
        assertThat(lagging).isEqualTo(ahead);
        assertThat(lagging).containsEntry("Duration@12", "late at its source").containsEntry("Duration@20", "to CEP")
                .doesNotContainValue("late at the pattern");

        // control: judged at the pattern's own watermark, the same datapoint is late or not depending on the interleaving
        Map<String, String> ungatedLagging = runDatapoints(false, false), ungatedAhead = runDatapoints(true, false);
        assertThat(ungatedLagging).containsEntry("Duration@12", "to CEP");
        assertThat(ungatedAhead).containsEntry("Duration@12", "late at the pattern");
    }

    @Test
    void theDatapointGateSendsWhatIsAtOrBehindItsWatermarkToTheLateOutputAndCountsIt() throws Exception {
        try (var g = new OneInputStreamOperatorTestHarness<MetricDatapoint, MetricDatapoint>(new ProcessOperator<>(new LateDatapoints()))) {
            g.open();
            MetricDatapoint on = Points.duration(20, 1, 1, 0).getDatapoint(), at = Points.duration(15, 1, 1, 0).getDatapoint(),
                    behind = Points.duration(3, 1, 1, 0).getDatapoint(), next = Points.duration(16, 1, 1, 0).getDatapoint();
            g.processElement(on, on.getTimestamp());
            g.processWatermark(new Watermark(t(15)));
            g.processElement(at, at.getTimestamp());
            g.processElement(behind, behind.getTimestamp());
            g.processElement(next, next.getTimestamp());
            assertThat(g.extractOutputStreamRecords()).extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                    .containsExactly(tuple(on, t(20)), tuple(next, t(16)));
            assertThat(g.getSideOutput(LateDatapoints.LATE)).extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                    .containsExactly(tuple(at, t(15)), tuple(behind, t(3)));
            assertThat(g.getOperator().getRuntimeContext().getLongCounter("augur." + LateDatapoints.COUNTER).getLocalValue()).isEqualTo(2L);
        }
    }

    // ---- change events: a late deployment start, and the anomalies of the resource, into the deployment hold

    private static List<Item> eventSchedule(boolean anomaliesFirst) {
        List<Item> events = new ArrayList<>();
        for (ChangeEvent e : DeploymentHoldHarnessTest.deployment("d-9", "SUCCESS", 20)) events.add(record(1, e));
        events.add(watermark(1, 15));
        for (ChangeEvent e : DeploymentHoldHarnessTest.deployment("d-9", "START", 10)) events.add(record(1, e)); // late at its source
        events.add(watermark(1, 60));
        List<Item> anomalies = List.of(record(0, DeploymentHoldHarnessTest.opened(11, 12)), record(0, DeploymentHoldHarnessTest.opened(16, 17)),
                watermark(0, 13));
        List<Item> rest = List.of(watermark(0, 60));
        List<Item> all = new ArrayList<>();
        if (anomaliesFirst) {
            all.addAll(anomalies);
            all.addAll(events);
        } else {
            all.addAll(events.subList(0, events.size() - 1)); // the late start arrives before the anomalies' watermark moves
            all.addAll(anomalies);
            all.add(events.get(events.size() - 1));
        }
        all.addAll(rest);
        return all;
    }

    /** The hold's output (id, open time) after both interleavings' last watermark. */
    private static List<String> runEvents(boolean anomaliesFirst, boolean gated) throws Exception {
        try (var hold = new KeyedTwoInputStreamOperatorTestHarness<String, Anomaly, ChangeEvent, Anomaly>(
                new KeyedCoProcessOperator<>(new DeploymentHold(Duration.ofMinutes(30), Duration.ofDays(1))),
                a -> a.getResource().getArn(), DeploymentEvents::resourceArn, Types.STRING);
             var gate = new OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent>(new ProcessOperator<>(new LateChangeEvents()))) {
            hold.open();
            gate.open();
            for (Item it : eventSchedule(anomaliesFirst)) {
                if (it.channel() == 0) {
                    if (it.value() instanceof Anomaly a) hold.processElement1(a, a.getUpdateTime());
                    else hold.processWatermark1((Watermark) it.value());
                    continue;
                }
                List<Object> forwarded = new ArrayList<>();
                if (!gated) {
                    forwarded.add(it.value() instanceof ChangeEvent e ? new StreamRecord<>(e, e.getTime()) : it.value());
                } else {
                    if (it.value() instanceof ChangeEvent e) gate.processElement(e, e.getTime());
                    else gate.processWatermark((Watermark) it.value());
                    Object o;
                    while ((o = gate.getOutput().poll()) != null) forwarded.add(o);
                }
                for (Object o : forwarded) {
                    if (o instanceof Watermark w) hold.processWatermark2(w);
                    else if (o instanceof StreamRecord<?> r) hold.processElement2(new StreamRecord<>((ChangeEvent) r.getValue(), r.getTimestamp()));
                }
            }
            List<String> out = new ArrayList<>();
            for (Anomaly a : hold.extractOutputValues()) out.add((a.getStartTime() - Points.T0) / Points.MIN + "->" + (a.getOpenTime() - Points.T0) / Points.MIN);
            return out;
        }
    }

    @Test
    void aLateDeploymentTakesEffectWhenEventTimeLearnsOfItWhateverTheAnomaliesWatermark() throws Exception {
        List<String> anomaliesFirst = runEvents(true, true), startFirst = runEvents(false, true);
        assertThat(anomaliesFirst).isEqualTo(startFirst);
        // the start (minute 10) came when its channel was at 15: the anomaly opened at 12 was decided without it; the one
        // opened at 17 is held until the deployment ends (20)
        assertThat(anomaliesFirst).containsExactly("11->12", "16->20");

        // control: applied on arrival with its own time, the late start holds the first anomaly or not depending on the interleaving
        assertThat(runEvents(true, false)).containsExactly("11->12", "16->20");
        assertThat(runEvents(false, false)).containsExactly("11->20", "16->20");
    }

    @Test
    void theEventGateKeepsALateChangeEventAndTimesItJustAheadOfItsWatermark() throws Exception {
        try (var g = new OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent>(new ProcessOperator<>(new LateChangeEvents()))) {
            g.open();
            ChangeEvent on = DeploymentHoldHarnessTest.deployment("d-1", "START", 20).get(0);
            ChangeEvent late = DeploymentHoldHarnessTest.deployment("d-0", "SUCCESS", 5).get(0);
            g.processElement(on, on.getTime());
            g.processWatermark(new Watermark(t(15) - 1));
            g.processElement(late, late.getTime());
            assertThat(g.extractOutputStreamRecords()).extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                    .containsExactly(tuple(on, t(20)), tuple(late, t(15)));
            assertThat(late.getTime()).as("its own time is unchanged").isEqualTo(t(5));
            assertThat(g.getOperator().getRuntimeContext().getLongCounter("augur." + LateChangeEvents.COUNTER).getLocalValue()).isEqualTo(1L);
        }
    }
}
