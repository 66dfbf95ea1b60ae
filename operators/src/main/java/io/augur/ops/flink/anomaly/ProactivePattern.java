package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.schema.ExhaustionForecast;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/**
 * The proactive CEP pattern, per series: {@code agreeing} consecutive forecasts (strict contiguity: a forecast that
 * does not reach breaks the run) that all see the limit reached within the horizon. A match is the last of them, with
 * {@code agreeingSince} set to the first one's time (the anomaly's start).
 */
public final class ProactivePattern {
    public static final String AGREE = "agree";

    private ProactivePattern() {}

    public static Pattern<ExhaustionForecast, ExhaustionForecast> pattern(AnomalySettings s) {
        return Pattern.<ExhaustionForecast>begin(AGREE, AfterMatchSkipStrategy.skipPastLastEvent()).where(new Reaches())
                .times(s.agreeing()).consecutive();
    }

    public static SingleOutputStreamOperator<ExhaustionForecast> apply(KeyedStream<ExhaustionForecast, String> forecasts, AnomalySettings s) {
        return CEP.pattern(forecasts, pattern(s)).inEventTime().process(new ToMatch(), new AvroTypeInfo<>(ExhaustionForecast.class));
    }

    public static CepOperator<ExhaustionForecast, String, ExhaustionForecast> operator(AnomalySettings s) {
        Pattern<ExhaustionForecast, ExhaustionForecast> p = pattern(s);
        return new CepOperator<>(new AvroTypeInfo<>(ExhaustionForecast.class).createSerializer(new SerializerConfigImpl()), false,
                NFACompiler.compileFactory(p, false), null, p.getAfterMatchSkipStrategy(), new ToMatch(), null);
    }

    static final class Reaches extends SimpleCondition<ExhaustionForecast> {
        @Override
        public boolean filter(ExhaustionForecast f) {
            return f.getReaches();
        }
    }

    static final class ToMatch extends PatternProcessFunction<ExhaustionForecast, ExhaustionForecast> {
        @Override
        public void processMatch(Map<String, List<ExhaustionForecast>> match, Context ctx, Collector<ExhaustionForecast> out) {
            List<ExhaustionForecast> run = match.get(AGREE);
            ExhaustionForecast last = run.get(run.size() - 1);
            out.collect(ExhaustionForecast.newBuilder(last).setAgreeingSince(run.get(0).getTime()).build());
        }
    }
}
