package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.schema.BurstMatch;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.augur.ops.flink.anomaly.Points.duration;
import static io.augur.ops.flink.anomaly.Points.t;
import static org.assertj.core.api.Assertions.assertThat;

class BurstCandidatesHarnessTest {
    private static final AnomalySettings S = AnomalySettings.defaults();

    private static KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> filter() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new BurstCandidates(S, SeverityCatalog.builtIn())), ScoredDatapoint::getSeriesKey, Types.STRING);
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, BurstMatch> cep() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, BurstMatch> h = new KeyedOneInputStreamOperatorTestHarness<>(
                ReactivePattern.operator(S, SeverityCatalog.builtIn()), ScoredDatapoint::getSeriesKey, Types.STRING);
        h.open();
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ?> h, ScoredDatapoint p) throws Exception {
        h.processElement(p, p.getDatapoint().getTimestamp());
    }

    private static List<Long> records(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> h) {
        List<Long> out = new ArrayList<>();
        for (StreamRecord<? extends ScoredDatapoint> r : h.extractOutputStreamRecords()) {
            assertThat(r.getTimestamp()).as("each datapoint keeps its own timestamp").isEqualTo(r.getValue().getDatapoint().getTimestamp());
            out.add(r.getTimestamp());
        }
        return out;
    }

    @Test
    void anOnsetThatArrivesLateReleasesTheHeldDatapointsItCoversFirstInArrivalOrder() throws Exception {
        try (var h = filter()) {
            long window = S.burstWindow().toMillis();
            int after = (int) (window / Points.MIN) + 1;
            send(h, duration(19, 100, 100, 0.1));
            send(h, duration(21, 300, 300, 0.05));
            send(h, duration(20, 100, 100, 0.1));
            assertThat(h.extractOutputStreamRecords()).as("no onset yet: held").isEmpty();
            send(h, duration(20, 300, 100, 0.9)); // the onset, out of order
            assertThat(records(h)).containsExactly(t(21), t(20), t(20));
            assertThat(h.extractOutputValues().get(2).getScore()).as("the onset after the held ones").isEqualTo(0.9);
            assertThat(h.extractOutputValues()).extracting(p -> p.getDatapoint().getResource().getArn())
                    .as("held ones are thin (they can only confirm), the onset whole")
                    .containsExactly("", "", duration(20, 300, 100, 0.9).getDatapoint().getResource().getArn());
            assertThat(h.extractOutputValues().get(0)).extracting(ScoredDatapoint::getValue, ScoredDatapoint::getScore,
                    p -> p.getDatapoint().getTimestamp(), p -> p.getDatapoint().getUnit(), p -> p.getDatapoint().getMetricName())
                    .containsExactly(300.0, 0.05, t(21), duration(21, 300, 300, 0.05).getDatapoint().getUnit(),
                            duration(21, 300, 300, 0.05).getDatapoint().getMetricName());
            send(h, duration(22, 300, 300, 0.05));
            send(h, duration(20 + after, 300, 300, 0.05));
            assertThat(records(h)).as("within the window passes, beyond it is held").containsExactly(t(21), t(20), t(20), t(22));

            h.processWatermark(new Watermark(t(30)));
            send(h, duration(30, 100, 100, 0.1));
            assertThat(h.getSideOutput(ReactivePattern.LATE_POINTS)).extracting(r -> r.getTimestamp()).containsExactly(t(30));
            assertThat(h.getSideOutput(BurstCandidates.LIFECYCLE_POINTS)).as("to the lifecycle, compact: nothing while the series "
                            + "was quiet, then those held back as context (by timestamp), the onset, everything while it is live, late ones")
                    .extracting(r -> r.getValue().getTimestamp(), r -> r.getValue().getContext())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(t(19), true), org.assertj.core.groups.Tuple.tuple(t(20), true),
                            org.assertj.core.groups.Tuple.tuple(t(21), true), org.assertj.core.groups.Tuple.tuple(t(20), false),
                            org.assertj.core.groups.Tuple.tuple(t(22), false), org.assertj.core.groups.Tuple.tuple(t(20 + after), false),
                            org.assertj.core.groups.Tuple.tuple(t(30), false));

            h.processWatermark(new Watermark(t(200)));
            assertThat(h.numKeyedStateEntries()).as("held datapoints and onsets are gone behind the watermark; the lifecycle context stays (TTL)")
                    .isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void cepFindsTheSameMatchesBehindTheFilterInAnyArrivalOrder() throws Exception {
        int matched = 0;
        for (int seed = 0; seed < 20; seed++) {
            List<ScoredDatapoint> points = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                int o = rep * 120;
                for (int m = 0; m < 20; m++) points.add(duration(o + m, 100, 100, 0.1));
                points.add(duration(o + 20, 300, 100, 0.9));
                for (int m = 21; m <= 40; m++) points.add(duration(o + m, m % 3 == 0 ? 100 : 300, 300, 0.05));
                points.add(duration(o + 45, 250, 100, 0.8));
                for (int m = 46; m <= 119; m++) points.add(duration(o + m, m % 4 == 0 ? 260 : 100, 100, m % 7 == 0 ? 0.9 : 0.2));
            }
            Random r = new Random(seed);
            for (int i = 0; i + 8 <= points.size(); i += 8) Collections.shuffle(points.subList(i, i + 8), r); // bounded disorder
            try (var all = cep(); var f = filter(); var behind = cep()) {
                long max = Long.MIN_VALUE;
                int forwarded = 0;
                for (ScoredDatapoint p : points) {
                    send(all, p);
                    send(f, p);
                    max = Math.max(max, p.getDatapoint().getTimestamp());
                    if (r.nextInt(3) == 0) {
                        Watermark w = new Watermark(max - 4 * Points.MIN);
                        all.processWatermark(w);
                        f.processWatermark(w);
                    }
                    forwarded = forward(f, behind, forwarded);
                }
                all.processWatermark(new Watermark(Long.MAX_VALUE));
                f.processWatermark(new Watermark(Long.MAX_VALUE));
                forward(f, behind, forwarded);
                assertThat(matches(behind)).as("seed " + seed).isEqualTo(matches(all));
                matched += matches(all).size();
                assertThat(f.getSideOutput(ReactivePattern.LATE_POINTS)).as("late datapoints, seed " + seed)
                        .containsExactlyElementsOf(all.getSideOutput(ReactivePattern.LATE_POINTS));
                assertThat(behind.getSideOutput(ReactivePattern.LATE_POINTS)).isNullOrEmpty();
            }
        }
        assertThat(matched).as("bursts found (some onsets fall behind the watermark in some orders)").isGreaterThan(20);
    }

    /** The filter's output (records and watermarks, in order) into the CEP operator behind it. */
    private static int forward(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> f,
                               KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, BurstMatch> cep, int from) throws Exception {
        List<Object> out = new ArrayList<>(f.getOutput());
        for (int i = from; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof Watermark w) cep.processWatermark(w);
            else if (o instanceof StreamRecord<?> rec) cep.processElement(new StreamRecord<>((ScoredDatapoint) rec.getValue(), rec.getTimestamp()));
        }
        return out.size();
    }

    private static List<List<Long>> matches(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, BurstMatch> cep) {
        List<List<Long>> out = new ArrayList<>();
        for (BurstMatch m : cep.extractOutputValues()) out.add(m.getPoints().stream().map(p -> p.getDatapoint().getTimestamp()).toList());
        return out;
    }
}
