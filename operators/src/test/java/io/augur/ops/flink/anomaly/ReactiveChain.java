package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.schema.Anomaly;
import io.augur.schema.BurstMatch;
import io.augur.schema.ReactivePoint;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.util.ArrayList;
import java.util.List;

/**
 * The reactive stage as the topology wires it, on operator test harnesses: the CEP operator and the lifecycle function
 * both see the scored datapoints; CEP's matches go to the lifecycle's second input; watermarks go to both, CEP first
 * (as in the job, where the lifecycle's watermark is the minimum of its inputs').
 */
final class ReactiveChain implements AutoCloseable {
    final KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, BurstMatch> cep;
    final KeyedTwoInputStreamOperatorTestHarness<String, ReactivePoint, BurstMatch, Anomaly> lifecycle;
    private final AnomalySettings settings;
    private int drained;
    private long lastPoint = Long.MIN_VALUE;

    ReactiveChain(AnomalySettings s, MaintenanceWindows maintenance) throws Exception {
        cep = new KeyedOneInputStreamOperatorTestHarness<>(ReactivePattern.operator(s, SeverityCatalog.builtIn()), ScoredDatapoint::getSeriesKey, Types.STRING);
        lifecycle = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ReactiveAnomalies(s, SeverityCatalog.builtIn(), maintenance)),
                ReactivePoint::getSeriesKey, BurstMatch::getSeriesKey, Types.STRING);
        settings = s;
        cep.open();
        lifecycle.open();
    }

    ReactiveChain() throws Exception {
        this(AnomalySettings.defaults(), MaintenanceWindows.none());
    }

    void point(ScoredDatapoint p) throws Exception {
        long ts = p.getDatapoint().getTimestamp();
        lastPoint = Math.max(lastPoint, ts);
        cep.processElement(p, ts);
        lifecycle.processElement1(ReactiveAnomalies.point(p, settings, SeverityCatalog.builtIn()), ts);
    }

    void watermark(long w) throws Exception {
        cep.processWatermark(new Watermark(w));
        List<StreamRecord<? extends BurstMatch>> matches = cep.extractOutputStreamRecords();
        for (int i = drained; i < matches.size(); i++) {
            StreamRecord<? extends BurstMatch> r = matches.get(i);
            lifecycle.processElement2(r.getValue(), r.getTimestamp());
        }
        drained = matches.size();
        lifecycle.processBothWatermarks(new Watermark(w));
    }

    /** The watermark past the flush bucket of the last datapoint: a quiet series' datapoints join its recent ones. */
    void flushQuiet() throws Exception {
        watermark(ReactiveAnomalies.quietFlush(lastPoint));
    }

    /** Points delivered in order, the watermark following each (bounded out-of-orderness 0). */
    void inOrder(List<ScoredDatapoint> points) throws Exception {
        for (ScoredDatapoint p : points) {
            point(p);
            watermark(p.getDatapoint().getTimestamp());
        }
    }

    List<Anomaly> anomalies() {
        return new ArrayList<>(lifecycle.extractOutputValues());
    }

    List<BurstMatch> matches() {
        return new ArrayList<>(cep.extractOutputValues());
    }

    List<ScoredDatapoint> late() {
        List<ScoredDatapoint> out = new ArrayList<>();
        var side = cep.getSideOutput(ReactivePattern.LATE_POINTS);
        if (side != null) side.forEach(r -> out.add(r.getValue()));
        return out;
    }

    @Override
    public void close() throws Exception {
        cep.close();
        lifecycle.close();
    }
}
