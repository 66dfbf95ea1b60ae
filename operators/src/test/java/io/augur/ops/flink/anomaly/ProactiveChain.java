package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.LimitCatalog;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.schema.Anomaly;
import io.augur.schema.ExhaustionForecast;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.util.ArrayList;
import java.util.List;

/** The proactive stage as the topology wires it: forecaster → CEP (forecasts) → lifecycle (forecasts and matches). */
final class ProactiveChain implements AutoCloseable {
    final KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> forecaster;
    final KeyedOneInputStreamOperatorTestHarness<String, ExhaustionForecast, ExhaustionForecast> cep;
    final KeyedTwoInputStreamOperatorTestHarness<String, ExhaustionForecast, ExhaustionForecast, Anomaly> lifecycle;
    private int forecastsDrained, matchesDrained;

    ProactiveChain(AnomalySettings s, LimitCatalog limits, MaintenanceWindows maintenance) throws Exception {
        forecaster = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ForecastExhaustion(s, limits)),
                ScoredDatapoint::getSeriesKey, Types.STRING);
        cep = new KeyedOneInputStreamOperatorTestHarness<>(ProactivePattern.operator(s), ExhaustionForecast::getSeriesKey, Types.STRING);
        lifecycle = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ProactiveAnomalies(s, maintenance)),
                ExhaustionForecast::getSeriesKey, ExhaustionForecast::getSeriesKey, Types.STRING);
        forecaster.open();
        cep.open();
        lifecycle.open();
    }

    void point(ScoredDatapoint p) throws Exception {
        forecaster.processElement(p, p.getDatapoint().getTimestamp());
    }

    void watermark(long w) throws Exception {
        forecaster.processWatermark(new Watermark(w));
        List<StreamRecord<? extends ExhaustionForecast>> fs = forecaster.extractOutputStreamRecords();
        for (int i = forecastsDrained; i < fs.size(); i++) {
            cep.processElement(fs.get(i).getValue(), fs.get(i).getTimestamp());
            lifecycle.processElement1(fs.get(i).getValue(), fs.get(i).getTimestamp());
        }
        forecastsDrained = fs.size();
        cep.processWatermark(new Watermark(w));
        List<StreamRecord<? extends ExhaustionForecast>> ms = cep.extractOutputStreamRecords();
        for (int i = matchesDrained; i < ms.size(); i++) lifecycle.processElement2(ms.get(i).getValue(), ms.get(i).getTimestamp());
        matchesDrained = ms.size();
        lifecycle.processBothWatermarks(new Watermark(w));
    }

    List<ExhaustionForecast> forecasts() {
        return new ArrayList<>(forecaster.extractOutputValues());
    }

    List<Anomaly> anomalies() {
        return new ArrayList<>(lifecycle.extractOutputValues());
    }

    @Override
    public void close() throws Exception {
        forecaster.close();
        cep.close();
        lifecycle.close();
    }
}
