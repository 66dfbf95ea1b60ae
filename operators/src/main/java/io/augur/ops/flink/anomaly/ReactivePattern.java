package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.Deviation;
import io.augur.ops.anomaly.SeverityCatalog;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.BurstMatch;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reactive CEP pattern, per series: an <b>onset</b> (a datapoint the detector scored anomalous, deviating from its
 * band by a real change) followed, within {@code burstWindow}, by {@code burstPoints - 1} datapoints that still deviate
 * from the onset's expected band in the same direction and keep at least half of the onset's deviation (relaxed
 * contiguity: normal datapoints in between are skipped).
 * This is "k of the last n datapoints" with the onset's band as the reference: the detector itself learns a new level
 * within a few datapoints and stops flagging it, so later datapoints are judged against what was normal before.
 * A 1-3 minute blip deviates on too few datapoints to match; an incident keeps deviating.
 *
 * <p>CEP buffers each series' datapoints until the watermark passes them and feeds them in event-time order, so
 * out-of-order delivery does not change the matches; datapoints behind the watermark go to {@link #LATE_POINTS}.
 */
public final class ReactivePattern {
    public static final String ONSET = "onset";
    public static final String CONFIRM = "confirm";
    public static final OutputTag<ScoredDatapoint> LATE_POINTS = new OutputTag<>("late-points", new AvroTypeInfo<>(ScoredDatapoint.class));

    private ReactivePattern() {}

    public static Pattern<ScoredDatapoint, ScoredDatapoint> pattern(AnomalySettings s, SeverityCatalog catalog) {
        return Pattern.<ScoredDatapoint>begin(ONSET, AfterMatchSkipStrategy.skipPastLastEvent()).where(new Onset(s.minRelativeChange(), catalog))
                .followedBy(CONFIRM).where(new Confirms(s.minRelativeChange())).times(s.burstPoints() - 1)
                .within(s.burstWindow());
    }

    /** The pattern on a keyed stream of scored datapoints, in event time, late datapoints to {@link #LATE_POINTS}. */
    public static SingleOutputStreamOperator<BurstMatch> apply(KeyedStream<ScoredDatapoint, String> scores, AnomalySettings s,
                                                               SeverityCatalog catalog) {
        return CEP.pattern(scores, pattern(s, catalog)).inEventTime().sideOutputLateData(LATE_POINTS)
                .process(new ToMatch(), new AvroTypeInfo<>(BurstMatch.class));
    }

    /** The same CEP operator, for operator test harnesses. */
    public static CepOperator<ScoredDatapoint, String, BurstMatch> operator(AnomalySettings s, SeverityCatalog catalog) {
        Pattern<ScoredDatapoint, ScoredDatapoint> p = pattern(s, catalog);
        return new CepOperator<>(new AvroTypeInfo<>(ScoredDatapoint.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()),
                false, NFACompiler.compileFactory(p, false), null, p.getAfterMatchSkipStrategy(), new ToMatch(), LATE_POINTS);
    }

    /**
     * A datapoint that can start a burst: scored anomalous, in a direction the severity catalog reports for the metric,
     * and a real change from its expected value. An expectation below zero for a value that is not (a baseline that
     * extrapolated a trend too far) is no reference to deviate from.
     */
    public static boolean isOnset(ScoredDatapoint p, double minRelativeChange, SeverityCatalog catalog) {
        MetricDatapoint dp = p.getDatapoint();
        boolean sane = p.getExpected() >= 0 || p.getValue() < 0;
        return p.getWarm() && p.getAnomalous() && sane && catalog.lookup(dp.getNamespace(), dp.getMetricName()).accepts(p.getDirection())
                && Deviation.changed(p.getValue(), p.getExpected(), p.getDirection(), dp.getUnit(), minRelativeChange);
    }

    /**
     * Whether {@code p} still deviates from what was expected at {@code onset}, in the onset's direction, keeping at
     * least half of the onset's own deviation.
     */
    public static boolean deviatesFrom(ScoredDatapoint onset, ScoredDatapoint p, double minRelativeChange) {
        return Deviation.persists(p.getValue(), onset.getExpected(), onset.getLower(), onset.getUpper(), onset.getDirection(),
                p.getDatapoint().getUnit(), minRelativeChange, onsetChange(onset));
    }

    /** How far the onset is from its expected value, in its direction. */
    public static double onsetChange(ScoredDatapoint onset) {
        return Deviation.onsetChange(onset.getValue(), onset.getExpected());
    }

    static final class Onset extends SimpleCondition<ScoredDatapoint> {
        private final double minRelativeChange;
        private final SeverityCatalog catalog;

        Onset(double minRelativeChange, SeverityCatalog catalog) {
            this.minRelativeChange = minRelativeChange;
            this.catalog = catalog;
        }

        @Override
        public boolean filter(ScoredDatapoint p) {
            return isOnset(p, minRelativeChange, catalog);
        }
    }

    static final class Confirms extends IterativeCondition<ScoredDatapoint> {
        private final double minRelativeChange;

        Confirms(double minRelativeChange) {
            this.minRelativeChange = minRelativeChange;
        }

        @Override
        public boolean filter(ScoredDatapoint p, Context<ScoredDatapoint> ctx) throws Exception {
            for (ScoredDatapoint onset : ctx.getEventsForPattern(ONSET)) return deviatesFrom(onset, p, minRelativeChange);
            return false;
        }
    }

    /** One match: the onset and its confirmations, in event-time order. */
    static final class ToMatch extends PatternProcessFunction<ScoredDatapoint, BurstMatch> {
        @Override
        public void processMatch(Map<String, List<ScoredDatapoint>> match, Context ctx, Collector<BurstMatch> out) {
            List<ScoredDatapoint> points = new ArrayList<>(match.get(ONSET));
            points.addAll(match.getOrDefault(CONFIRM, List.of()));
            out.collect(BurstMatch.newBuilder().setSeriesKey(points.get(0).getSeriesKey()).setPoints(points).build());
        }
    }
}
