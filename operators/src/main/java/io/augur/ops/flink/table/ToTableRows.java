package io.augur.ops.flink.table;

import io.augur.ops.table.TableRow;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

import java.io.Serializable;
import java.util.List;

/** Stateless: each record becomes zero or more rows of an append-only table (or of a table versioned by the record itself). */
public final class ToTableRows<T> implements FlatMapFunction<T, Row> {
    /** The mapping, e.g. {@code e -> List.of(TableRows.changeEvent(e))}. */
    public interface Mapping<T> extends Serializable {
        List<TableRow> rows(T record);
    }

    private final Mapping<T> mapping;

    public ToTableRows(Mapping<T> mapping) {
        this.mapping = mapping;
    }

    @Override
    public void flatMap(T record, Collector<Row> out) {
        for (TableRow r : mapping.rows(record)) out.collect(TableRowTypes.toRow(r));
    }
}
