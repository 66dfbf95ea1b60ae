package io.augur.ops.flink.table;

import io.augur.ops.flink.StateTtl;
import io.augur.ops.table.TableRow;
import io.augur.ops.table.TableRows;
import io.augur.ops.table.TableStates;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyTableState;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Keyed by anomaly id, two inputs: the anomaly's revisions, and the insight lifecycle events that name it (as
 * {@link #ASSOCIATION_TYPE} pairs from {@link Associations}). Emits a new version of the anomaly's {@code anomalies} row
 * whenever it changes. State expires after {@code ttl} without either input.
 */
public final class AnomalyRowVersions extends KeyedCoProcessFunction<String, Anomaly, Tuple2<String, InsightNotification>, Row> {
    /** (anomaly id, lifecycle event naming it): Flink tuple of a string and an Avro record, no Kryo. */
    public static final TupleTypeInfo<Tuple2<String, InsightNotification>> ASSOCIATION_TYPE =
            new TupleTypeInfo<>(Types.STRING, new AvroTypeInfo<>(InsightNotification.class));

    private final Duration ttl;
    private transient ValueState<AnomalyTableState> state;

    public AnomalyRowVersions(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(StateTtl.expireAfterSilence(
                new ValueStateDescriptor<>("anomaly-table", new AvroTypeInfo<>(AnomalyTableState.class)), ttl));
    }

    @Override
    public void processElement1(Anomaly a, Context ctx, Collector<Row> out) throws Exception {
        apply(ctx.getCurrentKey(), s -> TableStates.withRevision(s, a), out);
    }

    @Override
    public void processElement2(Tuple2<String, InsightNotification> assoc, Context ctx, Collector<Row> out) throws Exception {
        apply(ctx.getCurrentKey(), s -> TableStates.withAssociation(s, assoc.f1), out);
    }

    private void apply(String id, UnaryOperator<AnomalyTableState> fold, Collector<Row> out) throws Exception {
        AnomalyTableState before = state.value();
        AnomalyTableState after = fold.apply(before);
        TableRow row = TableRows.anomaly(id, after);
        if (before != null && row.sameContent(TableRows.anomaly(id, before))) {
            state.update(after);
            return;
        }
        after.setVersion(before == null ? 1 : before.getVersion() + 1);
        state.update(after);
        out.collect(TableRowTypes.toRow(TableRows.anomaly(id, after)));
    }

    /** One (anomaly id, event) pair per anomaly a lifecycle event's body lists. */
    public static final class Associations implements FlatMapFunction<InsightNotification, Tuple2<String, InsightNotification>> {
        @Override
        public void flatMap(InsightNotification n, Collector<Tuple2<String, InsightNotification>> out) {
            for (String id : TableStates.anomalyIds(n)) out.collect(Tuple2.of(id, n));
        }
    }
}
