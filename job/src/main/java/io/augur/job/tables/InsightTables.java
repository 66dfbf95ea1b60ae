package io.augur.job.tables;

import io.augur.job.config.AugurConfig;
import io.augur.ops.flink.table.AnomalyRowVersions;
import io.augur.ops.flink.table.InsightRowVersions;
import io.augur.ops.flink.table.TableRowTypes;
import io.augur.ops.flink.table.ToTableRows;
import io.augur.ops.table.Column;
import io.augur.ops.table.TableDef;
import io.augur.ops.table.TableRows;
import io.augur.ops.table.Tables;
import io.augur.schema.Anomaly;
import io.augur.schema.ChangeEvent;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The insight tables, written by the job through Flink's Table API connectors: {@code insights}, {@code anomalies},
 * {@code insight_events}, {@code recommendations} and {@code change_events} (columns in {@link Tables}).
 *
 * <p>The DataStream side turns records into table rows: stateless for the logs, keyed by id for the upserted tables
 * ({@link InsightRowVersions}, {@link AnomalyRowVersions}: a new version of the row each time it changes). The Table
 * API side converts each row stream with an explicit schema and {@code INSERT}s it into the configured sinks:
 * <ul>
 *   <li><b>files</b> ({@code tables.path}: a local directory or {@code s3://…}): the filesystem connector, JSON lines,
 *       {@code PARTITIONED BY (dt)}. Files are append-only, so versioned tables keep every version; readers take the
 *       newest per id ({@link TableDdl#latestView}, the {@code insights} view over {@code insights_log}).</li>
 *   <li><b>postgres</b>: the JDBC connector with primary key {@code id}, so each version is an upsert and the table
 *       holds one row per id (a trigger in deploy/sql/postgres refuses to go back to an older version).</li>
 * </ul>
 *
 * <p><b>Uids.</b> Every operator has a fixed uid: the DataStream ones {@code table-rows-<table>}, and those the planner
 * makes for each INSERT {@code table-<sink>-<table>-<what>} (e.g. {@code table-files-insights-streaming-writer},
 * {@code table-postgres-insights-sink}), assigned here after planning because the planner's own uids
 * ({@code table.exec.uid.generation}: {@code <node id>_<what>}) count nodes across the whole JVM. They stay the same
 * while the planner makes the same operators for an INSERT (same Flink version, same table columns); if a Flink
 * upgrade plans differently, restore with {@code --allowNonRestoredState}: the file writers' state is their
 * in-progress files, so at most the rows of the last checkpoint interval are lost or written again, which readers
 * absorb by version.
 */
public final class InsightTables {
    private static final Logger LOG = LoggerFactory.getLogger(InsightTables.class);

    /** What {@link #attach} wired: the tables and where they go. */
    public record Attached(List<String> tables, TableTargets targets) {
    }

    private InsightTables() {}

    /** {@link #attach(StreamExecutionEnvironment, TableTargets, DataStream, DataStream, DataStream)} with targets from {@code tables.*}. */
    public static Attached attach(StreamExecutionEnvironment env, AugurConfig cfg, String defaultPath,
                                  DataStream<InsightNotification> insights, DataStream<Anomaly> anomalies, DataStream<ChangeEvent> changes) {
        return attach(env, TableTargets.from(cfg, defaultPath), insights, anomalies, changes);
    }

    /**
     * Adds the table sinks to {@code env}'s job. Any stream may be null (its tables are not written); {@code insights}
     * feeds {@code insights}, {@code insight_events} and {@code recommendations}; {@code anomalies} feeds {@code anomalies}
     * and needs {@code insights} too (the insight id and CAUSAL/CONTEXTUAL type of an anomaly come from the insight events).
     */
    public static Attached attach(StreamExecutionEnvironment env, TableTargets targets, DataStream<InsightNotification> insights,
                                  DataStream<Anomaly> anomalies, DataStream<ChangeEvent> changes) {
        if (anomalies != null && insights == null) {
            throw new IllegalArgumentException("the anomalies table needs the insight stream too (insight ids and CAUSAL/CONTEXTUAL come from it)");
        }
        if (!targets.any()) return new Attached(List.of(), targets);

        Map<TableDef, DataStream<Row>> rows = new LinkedHashMap<>();
        if (insights != null) {
            rows.put(Tables.INSIGHTS, insights.keyBy(InsightNotification::getInsightId)
                    .process(new InsightRowVersions(targets.stateTtl())).returns(TableRowTypes.rowType(Tables.INSIGHTS))
                    .uid("table-rows-insights").name("Table rows: insights"));
        }
        if (anomalies != null) {
            DataStream<org.apache.flink.api.java.tuple.Tuple2<String, InsightNotification>> associations = insights
                    .flatMap(new AnomalyRowVersions.Associations()).returns(AnomalyRowVersions.ASSOCIATION_TYPE)
                    .uid("table-anomaly-associations").name("Table rows: anomalies named by insight events");
            rows.put(Tables.ANOMALIES, anomalies.keyBy(Anomaly::getId).connect(associations.keyBy(a -> a.f0))
                    .process(new AnomalyRowVersions(targets.stateTtl())).returns(TableRowTypes.rowType(Tables.ANOMALIES))
                    .uid("table-rows-anomalies").name("Table rows: anomalies"));
        }
        if (insights != null) {
            rows.put(Tables.INSIGHT_EVENTS, insights.flatMap(new ToTableRows<InsightNotification>(n -> List.of(TableRows.insightEvent(n))))
                    .returns(TableRowTypes.rowType(Tables.INSIGHT_EVENTS)).uid("table-rows-insight-events").name("Table rows: insight_events"));
            rows.put(Tables.RECOMMENDATIONS, insights.flatMap(new ToTableRows<InsightNotification>(TableRows::recommendations))
                    .returns(TableRowTypes.rowType(Tables.RECOMMENDATIONS)).uid("table-rows-recommendations").name("Table rows: recommendations"));
        }
        if (changes != null) {
            rows.put(Tables.CHANGE_EVENTS, changes.flatMap(new ToTableRows<ChangeEvent>(e -> List.of(TableRows.changeEvent(e))))
                    .returns(TableRowTypes.rowType(Tables.CHANGE_EVENTS)).uid("table-rows-change-events").name("Table rows: change_events"));
        }
        if (rows.isEmpty()) return new Attached(List.of(), targets);

        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        configure(tEnv.getConfig());
        Set<Transformation<?>> rowStreams = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> names = new ArrayList<>();
        for (Map.Entry<TableDef, DataStream<Row>> e : rows.entrySet()) {
            TableDef t = e.getKey();
            String view = "augur_rows_" + t.name();
            rowStreams.add(e.getValue().getTransformation());
            tEnv.createTemporaryView(view, tEnv.fromDataStream(e.getValue(), schema(t)));
            if (targets.filesPath() != null) {
                String sink = "augur_files_" + t.name();
                tEnv.executeSql(TableDdl.filesTable(sink, t, targets.filesPath(), TableDdl.fileSinkOptions(targets.filesRollover())));
                attach(env, tEnv, TableDdl.insert(sink, view, t, true), rowStreams, "table-files-" + t.name());
            }
            if (targets.jdbc() != null) {
                String sink = "augur_postgres_" + t.name();
                tEnv.executeSql(TableDdl.jdbcTable(sink, t, targets.jdbc()));
                attach(env, tEnv, TableDdl.insert(sink, view, t, false), rowStreams, "table-postgres-" + t.name());
            }
            names.add(t.name());
        }
        LOG.info("Insight tables {} -> {}{}", names, targets.filesPath() == null ? "" : "files at " + targets.filesPath(),
                targets.jdbc() == null ? "" : (targets.filesPath() == null ? "" : " and ") + "PostgreSQL " + targets.jdbc().url());
        return new Attached(List.copyOf(names), targets);
    }

    /**
     * Plans one INSERT into the job and gives every operator it planned a fixed uid, {@code <prefix>-<what>} (e.g.
     * {@code table-files-insights-streaming-writer}, {@code table-postgres-insights-sink}). The planner's own uids
     * ({@code table.exec.uid.generation=ALWAYS}: {@code <node id>_<what>}) number nodes with a counter that runs on for
     * the life of the JVM, so they would differ between two plannings of the same job; these do not. Each INSERT is
     * planned on its own so that every planned operator belongs to exactly one (table, sink).
     */
    private static void attach(StreamExecutionEnvironment env, StreamTableEnvironment tEnv, String insert, Set<Transformation<?>> stops, String prefix) {
        int before = env.getTransformations().size();
        StreamStatementSet statement = tEnv.createStatementSet();
        statement.addInsertSql(insert);
        statement.attachAsDataStream();
        List<Transformation<?>> added = new ArrayList<>(env.getTransformations().subList(before, env.getTransformations().size()));
        Set<Transformation<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> used = new HashSet<>();
        Deque<Transformation<?>> todo = new ArrayDeque<>(added);
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (stops.contains(t) || !seen.add(t)) continue;
            String what = t.getUid() != null ? t.getUid().replaceFirst("^\\d+_", "") : t.getName().toLowerCase().replaceAll("[^a-z0-9]+", "-");
            String uid = prefix + "-" + what;
            for (int i = 2; !used.add(uid); i++) uid = prefix + "-" + what + "-" + i;
            t.setUid(uid);
            todo.addAll(t.getInputs());
        }
    }

    /** Table settings of the job and of {@code augur query}: UTC, and uids for every planned operator. */
    static void configure(TableConfig config) {
        config.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
        config.set(ExecutionConfigOptions.TABLE_EXEC_UID_GENERATION, ExecutionConfigOptions.UidGeneration.ALWAYS);
    }

    /** The row streams' schema: the table's columns with their SQL types, then dt. */
    static Schema schema(TableDef t) {
        Schema.Builder b = Schema.newBuilder();
        for (Column c : t.columns()) b.column(c.name(), dataType(c));
        return b.column(TableDef.PARTITION_COLUMN, DataTypes.STRING()).build();
    }

    private static DataType dataType(Column c) {
        return switch (c.type()) {
            case STRING -> DataTypes.STRING();
            case INT -> DataTypes.INT();
            case BIGINT -> DataTypes.BIGINT();
            case DOUBLE -> DataTypes.DOUBLE();
            case TIMESTAMP -> DataTypes.TIMESTAMP(3);
        };
    }

    /** Local file tables: every table's directory exists (possibly empty), so every table can be queried. URIs: nothing to do. */
    public static void createLocalDirectories(String base) {
        Path dir = localPath(base);
        if (dir == null) return;
        try {
            for (TableDef t : Tables.ALL) Files.createDirectories(dir.resolve(t.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the table directories under " + dir, e);
        }
    }

    /** The local path of a base path without a scheme or with file:, else null. */
    public static Path localPath(String base) {
        if (base.startsWith("file:")) return Path.of(URI.create(base));
        return base.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? null : Path.of(base);
    }
}
