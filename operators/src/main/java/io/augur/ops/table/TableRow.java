package io.augur.ops.table;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/** One row of a {@link TableDef}, filled by column name; values are checked against the column's type. */
public final class TableRow {
    private final TableDef table;
    private final Object[] values;

    public TableRow(TableDef table) {
        this.table = table;
        this.values = new Object[table.columns().size()];
    }

    public TableDef table() {
        return table;
    }

    public TableRow set(String column, Object value) {
        int i = table.indexOf(column);
        Class<?> expected = table.columns().get(i).type().javaType();
        if (value != null && !expected.isInstance(value)) {
            throw new IllegalArgumentException(table.name() + "." + column + " takes " + expected.getSimpleName() + ", not " + value.getClass().getSimpleName());
        }
        values[i] = value;
        return this;
    }

    /** Epoch milliseconds as a UTC {@code TIMESTAMP(3)}; null stays null. */
    public TableRow setTime(String column, Long epochMillis) {
        return set(column, epochMillis == null ? null : utc(epochMillis));
    }

    public Object get(String column) {
        return values[table.indexOf(column)];
    }

    /** The values in column order (a copy). */
    public Object[] values() {
        return values.clone();
    }

    /** The {@code dt} partition of the row: the UTC day of the table's day column, {@code yyyy-MM-dd}. */
    public String day() {
        Object t = get(table.dayColumn());
        return t == null ? "unknown" : ((LocalDateTime) t).toLocalDate().toString();
    }

    /** Equal in every column except {@code version}. */
    public boolean sameContent(TableRow other) {
        if (other == null || other.table != table) return false;
        for (int i = 0; i < values.length; i++) {
            if (table.columns().get(i).name().equals(TableDef.VERSION)) continue;
            if (!java.util.Objects.equals(values[i], other.values[i])) return false;
        }
        return true;
    }

    public static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableRow r && r.table == table && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(table.name()).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) b.append(", ");
            b.append(table.columns().get(i).name()).append('=').append(values[i]);
        }
        return b.append('}').toString();
    }
}
