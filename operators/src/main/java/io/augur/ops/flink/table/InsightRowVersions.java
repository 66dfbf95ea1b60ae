package io.augur.ops.flink.table;

import io.augur.ops.flink.StateTtl;
import io.augur.ops.table.TableRow;
import io.augur.ops.table.TableRows;
import io.augur.ops.table.TableStates;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightTableState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Keyed by insight id: folds the insight's lifecycle events into its state and emits a new version of its
 * {@code insights} row whenever the row changes (a repeated event changes nothing and emits nothing). State expires
 * after {@code ttl} without events.
 */
public final class InsightRowVersions extends KeyedProcessFunction<String, InsightNotification, Row> {
    private final Duration ttl;
    private transient ValueState<InsightTableState> state;

    public InsightRowVersions(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(StateTtl.expireAfterSilence(
                new ValueStateDescriptor<>("insight-table", new AvroTypeInfo<>(InsightTableState.class)), ttl));
    }

    @Override
    public void processElement(InsightNotification n, Context ctx, Collector<Row> out) throws Exception {
        InsightTableState before = state.value();
        InsightTableState after = TableStates.insight(before, n);
        TableRow row = TableRows.insight(after);
        if (before != null && row.sameContent(TableRows.insight(before))) {
            state.update(after);
            return;
        }
        after.setVersion(before == null ? 1 : before.getVersion() + 1);
        state.update(after);
        out.collect(TableRowTypes.toRow(TableRows.insight(after)));
    }
}
