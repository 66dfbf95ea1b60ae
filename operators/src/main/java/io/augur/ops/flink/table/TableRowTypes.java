package io.augur.ops.flink.table;

import io.augur.ops.table.Column;
import io.augur.ops.table.TableDef;
import io.augur.ops.table.TableRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

import java.util.List;

/**
 * Table rows as Flink {@link Row}s with an explicit {@link RowTypeInfo} (no Kryo): the table's columns in order, then
 * the {@code dt} partition column. The Table API reads these streams with a matching schema.
 */
public final class TableRowTypes {
    private TableRowTypes() {}

    public static RowTypeInfo rowType(TableDef table) {
        List<Column> cols = table.columns();
        TypeInformation<?>[] types = new TypeInformation<?>[cols.size() + 1];
        String[] names = new String[cols.size() + 1];
        for (int i = 0; i < cols.size(); i++) {
            names[i] = cols.get(i).name();
            types[i] = switch (cols.get(i).type()) {
                case STRING -> Types.STRING;
                case INT -> Types.INT;
                case BIGINT -> Types.LONG;
                case DOUBLE -> Types.DOUBLE;
                case TIMESTAMP -> Types.LOCAL_DATE_TIME;
            };
        }
        names[cols.size()] = TableDef.PARTITION_COLUMN;
        types[cols.size()] = Types.STRING;
        return new RowTypeInfo(types, names);
    }

    /** The row's values, then its day partition. */
    public static Row toRow(TableRow r) {
        Object[] values = r.values();
        Row row = new Row(values.length + 1);
        for (int i = 0; i < values.length; i++) row.setField(i, values[i]);
        row.setField(values.length, r.day());
        return row;
    }
}
