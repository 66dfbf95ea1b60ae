package io.augur.ops.table;

import java.util.ArrayList;
import java.util.List;

/**
 * One of Augur's insight tables: its columns (in order), and how it is written.
 *
 * <p>A <em>versioned</em> table holds one row per {@code id} that is updated as the entity changes: a key-value store
 * (PostgreSQL) upserts it; an append-only file table (local directory, S3) keeps every version, and readers take the
 * row with the highest {@code (updated_at, version)} per id. An append-only table is a log: one row per event.
 *
 * <p>File tables are partitioned by {@value #PARTITION_COLUMN} ({@code yyyy-MM-dd}, UTC), the day of {@link #dayColumn()}.
 */
public record TableDef(String name, List<Column> columns, boolean versioned, String dayColumn, String doc) {
    public static final String KEY = "id";
    public static final String VERSION = "version";
    public static final String UPDATED_AT = "updated_at";
    public static final String PARTITION_COLUMN = "dt";

    public TableDef {
        columns = List.copyOf(columns);
        if (!columns.get(0).name().equals(KEY)) throw new IllegalArgumentException(name + ": the first column must be " + KEY);
        if (index(columns, dayColumn) < 0) throw new IllegalArgumentException(name + ": no day column " + dayColumn);
        if (versioned && (index(columns, VERSION) < 0 || index(columns, UPDATED_AT) < 0)) {
            throw new IllegalArgumentException(name + ": a versioned table needs " + VERSION + " and " + UPDATED_AT);
        }
    }

    public int indexOf(String column) {
        int i = index(columns, column);
        if (i < 0) throw new IllegalArgumentException("table " + name + " has no column " + column);
        return i;
    }

    public List<String> columnNames() {
        List<String> out = new ArrayList<>();
        for (Column c : columns) out.add(c.name());
        return out;
    }

    /** The name of the file table holding every version of a versioned table ({@code insights_log}); the table itself otherwise. */
    public String logName() {
        return versioned ? name + "_log" : name;
    }

    private static int index(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
        return -1;
    }
}
