package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.HeldPoints;
import io.augur.schema.ReactiveContext;
import io.augur.schema.ReactiveSeries;
import io.augur.ops.anomaly.ReactiveSeriesCodec;
import io.augur.schema.ScoredDatapoint;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The burst-candidates filter's per-series reactive state in its three forms: the list state {@code burst-held} (with
 * {@code reactive-context}; {@link LegacyBurstCandidates}), two compact rows {@code reactive-context} +
 * {@code burst-held-points} ({@link HeldPointsBurstCandidates}, main b92afba), and one row {@code reactive-series}
 * (the current {@link BurstCandidates}, {@link ReactiveSeriesCodec}). The same output, byte for byte (to CEP, late, to
 * the lifecycle — context datapoints with their value, band and score —, watermarks, in order), uninterrupted, across
 * snapshots of the current form, and restored from either older form (its rows converted, then gone).
 */
class BurstHeldRestoreHarnessTest {
    private static final AnomalySettings S = AnomalySettings.defaults();
    private static final SeverityCatalog CATALOG = SeverityCatalog.builtIn();

    /** The operator's form: {@code burst-held} rows, two compact rows, one row. */
    enum Form { LIST, TWO_ROWS, CURRENT }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> harness(Form form,
                                                                                                         OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint>(switch (form) {
            case LIST -> new WriteBackOperator<>(new LegacyBurstCandidates(S, CATALOG));
            case TWO_ROWS -> new WriteBackOperator<>(new HeldPointsBurstCandidates(S, CATALOG));
            case CURRENT -> new WriteBackOperator<>(new BurstCandidates(S, CATALOG));
        }, ScoredDatapoint::getSeriesKey, Types.STRING);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    /** Everything the operator sent so far, as bytes: records (timestamp, Avro bytes) and watermarks, then each side output. */
    private static final class Out {
        final List<String> main = new ArrayList<>(), late = new ArrayList<>(), lifecycle = new ArrayList<>();

        void take(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> h) {
            for (Object o : h.getOutput()) {
                if (o instanceof Watermark w) main.add("W" + w.getTimestamp());
                else if (o instanceof StreamRecord<?> r) main.add(r.getTimestamp() + ":" + bytes((SpecificRecordBase) r.getValue()));
            }
            if (h.getSideOutput(ReactivePattern.LATE_POINTS) != null)
                for (StreamRecord<?> r : h.getSideOutput(ReactivePattern.LATE_POINTS)) late.add(r.getTimestamp() + ":" + bytes((SpecificRecordBase) r.getValue()));
            if (h.getSideOutput(BurstCandidates.LIFECYCLE_POINTS) != null)
                for (StreamRecord<?> r : h.getSideOutput(BurstCandidates.LIFECYCLE_POINTS))
                    lifecycle.add(r.getTimestamp() + ":" + bytes((SpecificRecordBase) r.getValue()));
        }
    }

    private static String bytes(SpecificRecordBase r) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            var enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(b, null);
            new org.apache.avro.specific.SpecificDatumWriter<SpecificRecordBase>(r.getSchema()).write(r, enc);
            enc.flush();
            return java.util.HexFormat.of().formatHex(b.toByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Over every series of {@code keys}: rows in the list state burst-held, held datapoints in burst-held-points, rows of
     * reactive-context, held datapoints in reactive-series, rows of reactive-series.
     */
    private static int[] heldInState(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> h, Set<String> keys) throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        ListState<ScoredDatapoint> list = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                BurstCandidates.heldDescriptor());
        ValueState<HeldPoints> compact = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                BurstCandidates.heldPointsDescriptor());
        ValueState<ReactiveContext> context = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                BurstCandidates.contextDescriptor(S));
        ValueState<ReactiveSeries> series = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                BurstCandidates.seriesDescriptor(S));
        int rows = 0, points = 0, contexts = 0, seriesHeld = 0, seriesRows = 0;
        for (String k : keys) {
            backend.setCurrentKey(k);
            Iterable<ScoredDatapoint> l = list.get();
            if (l != null) for (ScoredDatapoint ignored : l) rows++;
            HeldPoints p = compact.value();
            if (p != null) points += p.getTimestamps().size();
            if (context.value() != null) contexts++;
            ReactiveSeries r = series.value();
            if (r != null) {
                seriesRows++;
                seriesHeld += ReactiveSeriesCodec.read(k, r).held().size();
            }
        }
        return new int[] {rows, points, contexts, seriesHeld, seriesRows};
    }

    private record Step(ScoredDatapoint point, Long watermark) {
    }

    private static List<Step> steps(int seed) {
        Random r = new Random(seed);
        List<ScoredDatapoint> points = QuietSeriesLifecycleHarnessTest.scenario(r, 600);
        int disorder = 1 + r.nextInt(8);
        for (int i = 0; i + disorder <= points.size(); i += disorder) Collections.shuffle(points.subList(i, i + disorder), r);
        long lag = (2 + r.nextInt(4)) * Points.MIN;
        List<Step> out = new ArrayList<>();
        long max = Long.MIN_VALUE, wm = Long.MIN_VALUE;
        for (ScoredDatapoint p : points) {
            out.add(new Step(p, null));
            max = Math.max(max, p.getDatapoint().getTimestamp());
            if (r.nextInt(3) == 0 && max - lag > wm) out.add(new Step(null, wm = max - lag));
        }
        out.add(new Step(null, Long.MAX_VALUE));
        return out;
    }

    private static void apply(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ScoredDatapoint> h, Step s) throws Exception {
        if (s.point() != null) h.processElement(s.point(), s.point().getDatapoint().getTimestamp());
        else h.processWatermark(new Watermark(s.watermark()));
    }

    /**
     * Runs {@code steps}: the operator of form {@code first}, snapshotting at each of {@code restarts} (step indexes,
     * ascending) and restoring the operator of form {@code after}; {@code drained} adds up {@link #heldInState} at the snapshots.
     * (A restored operator's watermark starts over, as in a job: runs with restarts are compared with runs with the same.)
     */
    private static Out run(List<Step> steps, Form first, Form after, int[] restarts, int[] drained) throws Exception {
        Out out = new Out();
        Set<String> keys = new HashSet<>();
        var h = harness(first, null);
        int next = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.point() != null) keys.add(s.point().getSeriesKey());
            apply(h, s);
            if (next < restarts.length && i == restarts[next]) {
                next++;
                out.take(h);
                h.prepareSnapshotPreBarrier(next); // as the task does: what is held in memory goes to the keyed state
                OperatorSubtaskState snapshot = h.snapshot(next, next);
                int[] before = heldInState(h, keys);
                h.close();
                h = harness(after, snapshot);
                int[] restored = heldInState(h, keys);
                if (drained != null) {
                    for (int k = 0; k < before.length; k++) drained[k] += before[k];
                    assertThat(restored).as("restored as snapshotted").containsExactly(before);
                }
            }
        }
        out.take(h);
        h.prepareSnapshotPreBarrier(restarts.length + 1);
        if (drained != null) {
            int[] end = heldInState(h, keys);
            assertThat(new int[] {end[0], end[1], end[3]}).as("nothing held behind the last watermark").containsExactly(0, 0, 0);
            if (after == Form.CURRENT) {
                assertThat(end[2]).as("every series' reactive-context row converted (each got datapoints after the restore)").isZero();
                assertThat(end[4]).as("every series in reactive-series").isEqualTo(keys.size());
            }
        }
        h.close();
        return out;
    }

    @Test
    void everyFormGivesTheSameOutputByteForByteAndTheOlderFormsAreConvertedOnRestore() throws Exception {
        int listRows = 0, twoRowPoints = 0, twoRowContexts = 0, seriesPoints = 0, releasing = 0;
        for (int seed = 0; seed < 12; seed++) {
            List<Step> steps = steps(seed);
            // restart just before onsets that arrive out of order (they release datapoints held before the restart)
            List<Integer> outOfOrderOnsets = new ArrayList<>();
            long max = Long.MIN_VALUE;
            for (int i = 1; i < steps.size(); i++) {
                ScoredDatapoint p = steps.get(i).point();
                if (p == null) continue;
                long t = p.getDatapoint().getTimestamp();
                if (t < max && ReactivePattern.isOnset(p, S.minRelativeChange(), CATALOG)) outOfOrderOnsets.add(i - 1);
                max = Math.max(max, t);
            }
            Random r = new Random(1000 + seed);
            int a = steps.size() / 5 + r.nextInt(steps.size() / 3), b = a + 1 + r.nextInt(steps.size() - a - 2);
            if (outOfOrderOnsets.size() > 1) {
                a = outOfOrderOnsets.get(0);
                b = outOfOrderOnsets.get(outOfOrderOnsets.size() / 2 + 1);
                releasing++;
            }
            Out legacy = run(steps, Form.LIST, Form.LIST, new int[0], null);
            Out current = run(steps, Form.CURRENT, Form.CURRENT, new int[0], null);
            Out twoRows = run(steps, Form.TWO_ROWS, Form.TWO_ROWS, new int[0], null);
            Out legacyRestarted = run(steps, Form.LIST, Form.LIST, new int[] {a, b}, null);
            int[] fromLegacy = new int[5];
            Out restored = run(steps, Form.LIST, Form.CURRENT, new int[] {a, b}, fromLegacy);
            int[] fromTwoRows = new int[5];
            Out restoredTwoRows = run(steps, Form.TWO_ROWS, Form.CURRENT, new int[] {a, b}, fromTwoRows);
            int[] fromCurrent = new int[5];
            Out snapshotted = run(steps, Form.CURRENT, Form.CURRENT, new int[] {a, b}, fromCurrent);
            assertThat(legacy.main).as("seed %d: to CEP", seed).isNotEmpty();
            List<String> names = List.of("uninterrupted", "two rows uninterrupted", "restored from the list state",
                    "restored from the two rows", "restored from the one row");
            List<Out> runs = List.of(current, twoRows, restored, restoredTwoRows, snapshotted);
            for (int k = 0; k < runs.size(); k++) {
                Out o = runs.get(k);
                Out reference = k <= 1 ? legacy : legacyRestarted;
                String as = "seed " + seed + ", " + names.get(k) + " (restarts after steps " + a + ", " + b + " of " + steps.size() + "): ";
                assertThat(o.main).as(as + "to CEP (and watermarks)").containsExactlyElementsOf(reference.main);
                assertThat(o.late).as(as + "late").containsExactlyElementsOf(reference.late);
                assertThat(o.lifecycle).as(as + "to the lifecycle").containsExactlyElementsOf(reference.lifecycle);
            }
            assertThat(new int[] {fromCurrent[0], fromCurrent[1], fromCurrent[2]})
                    .as("the current operator writes no rows to burst-held, burst-held-points, reactive-context").containsExactly(0, 0, 0);
            assertThat(fromTwoRows[0]).as("the two-row operator writes no rows to burst-held").isZero();
            listRows += fromLegacy[0];
            twoRowPoints += fromTwoRows[1];
            twoRowContexts += fromTwoRows[2];
            seriesPoints += fromCurrent[3];
        }
        assertThat(releasing).as("seeds restarting before onsets out of order").isGreaterThan(5);
        assertThat(listRows).as("the oldest operator's snapshots held rows in burst-held (restored and drained)").isGreaterThan(10);
        assertThat(twoRowPoints).as("the two-row operator's snapshots held datapoints in burst-held-points (converted)").isGreaterThan(10);
        assertThat(twoRowContexts).as("the two-row operator's snapshots had reactive-context rows (converted)").isGreaterThan(10);
        assertThat(seriesPoints).as("the current operator's snapshots held datapoints in reactive-series").isGreaterThan(10);
    }
}
