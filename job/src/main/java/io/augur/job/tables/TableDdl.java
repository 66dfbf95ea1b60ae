package io.augur.job.tables;

import io.augur.ops.table.Column;
import io.augur.ops.table.TableDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Flink SQL DDL for the insight tables ({@link io.augur.ops.table.Tables}): the file tables (filesystem connector, JSON,
 * partitioned by {@code dt}), the PostgreSQL tables (JDBC connector, primary key {@code id}: upserts), and the view
 * that reads the newest version of each id from a file table.
 */
public final class TableDdl {
    private TableDdl() {}

    /** The directory of one table under the tables' base path. */
    public static String tablePath(String base, TableDef t) {
        return base + "/" + t.name();
    }

    /**
     * A file table: the table's columns plus {@code dt}, {@code PARTITIONED BY (dt)}, JSON lines. Reading: bounded scan,
     * or with {@code monitorInterval} a streaming source that picks up new files.
     */
    public static String filesTable(String sqlName, TableDef t, String basePath, Map<String, String> extraOptions) {
        Map<String, String> with = new LinkedHashMap<>();
        with.put("connector", "filesystem");
        with.put("path", tablePath(basePath, t));
        with.put("format", "json");
        with.putAll(extraOptions);
        return "CREATE TEMPORARY TABLE " + quote(sqlName) + " (\n" + columns(t, true) + "\n) PARTITIONED BY (" + quote(TableDef.PARTITION_COLUMN) + ")"
                + with(with);
    }

    /** The sink options of a file table in the job: rolling, so rows become visible within {@code rollover} plus a checkpoint. */
    public static Map<String, String> fileSinkOptions(java.time.Duration rollover) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("sink.rolling-policy.rollover-interval", rollover.toMillis() + " ms");
        o.put("sink.rolling-policy.inactivity-interval", rollover.toMillis() + " ms");
        o.put("sink.rolling-policy.check-interval", Math.min(60_000, Math.max(1000, rollover.toMillis() / 2)) + " ms");
        return o;
    }

    /** A PostgreSQL table through the JDBC connector: primary key id, so the sink upserts ({@code INSERT … ON CONFLICT (id) DO UPDATE}). */
    public static String jdbcTable(String sqlName, TableDef t, TableTargets.Jdbc jdbc) {
        Map<String, String> with = new LinkedHashMap<>();
        with.put("connector", "jdbc");
        with.put("url", jdbc.url());
        with.put("table-name", t.name());
        if (!jdbc.username().isEmpty() || !jdbc.password().isEmpty()) {
            // the connector takes both or neither (trust or peer authentication: a user and an empty password)
            with.put("username", jdbc.username());
            with.put("password", jdbc.password());
        }
        with.put("sink.buffer-flush.interval", jdbc.flushInterval().toMillis() + " ms");
        with.put("sink.buffer-flush.max-rows", String.valueOf(jdbc.flushRows()));
        with.put("sink.max-retries", "3");
        return "CREATE TEMPORARY TABLE " + quote(sqlName) + " (\n" + columns(t, false) + ",\n  PRIMARY KEY (" + quote(TableDef.KEY) + ") NOT ENFORCED\n)"
                + with(with);
    }

    /** The newest version of each id of a versioned file table: {@code ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at DESC, version DESC) = 1}. */
    public static String latestView(String viewName, TableDef t, String logTable) {
        String cols = String.join(", ", quoted(t.columnNames()));
        return "CREATE TEMPORARY VIEW " + quote(viewName) + " AS\nSELECT " + cols + " FROM (\n  SELECT " + cols + ",\n    ROW_NUMBER() OVER (PARTITION BY "
                + quote(TableDef.KEY) + " ORDER BY " + quote(TableDef.UPDATED_AT) + " DESC, " + quote(TableDef.VERSION) + " DESC) AS row_num\n  FROM "
                + quote(logTable) + ")\nWHERE row_num = 1";
    }

    /** The INSERT that writes a row view into a sink table: every column, and {@code dt} for file tables. */
    public static String insert(String sinkName, String rowsView, TableDef t, boolean withPartition) {
        List<String> cols = new ArrayList<>(t.columnNames());
        if (withPartition) cols.add(TableDef.PARTITION_COLUMN);
        String list = String.join(", ", quoted(cols));
        return "INSERT INTO " + quote(sinkName) + " (" + list + ") SELECT " + list + " FROM " + quote(rowsView);
    }

    static String columns(TableDef t, boolean withPartition) {
        StringJoiner j = new StringJoiner(",\n");
        for (Column c : t.columns()) j.add("  " + quote(c.name()) + " " + c.type().flinkSql());
        if (withPartition) j.add("  " + quote(TableDef.PARTITION_COLUMN) + " STRING");
        return j.toString();
    }

    private static String with(Map<String, String> options) {
        StringJoiner j = new StringJoiner(",\n", " WITH (\n", "\n)");
        for (Map.Entry<String, String> e : options.entrySet()) j.add("  " + literal(e.getKey()) + " = " + literal(e.getValue()));
        return j.toString();
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static List<String> quoted(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) out.add(quote(n));
        return out;
    }
}
