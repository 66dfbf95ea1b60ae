package io.augur.job.tables;

import io.augur.ops.table.TableDef;
import io.augur.ops.table.Tables;
import org.apache.flink.table.api.TableEnvironment;

import java.util.Map;

/**
 * Registers the insight tables for reading, under the same names whatever they are stored in: {@code insights},
 * {@code anomalies}, {@code recommendations}, {@code insight_events}, {@code change_events}.
 * <ul>
 *   <li>file tables: the versioned ones as {@code <name>_log} (every version, with {@code dt}) plus a view {@code <name>}
 *       holding the newest version of each id; the logs as they are (with {@code dt}, for partition pruning);</li>
 *   <li>PostgreSQL: each table through the JDBC connector (one row per id already).</li>
 * </ul>
 */
public final class QueryTables {
    private QueryTables() {}

    /** File tables under {@code basePath}; {@code options} are extra connector options (e.g. {@code source.monitor-interval} to stream). */
    public static void registerFiles(TableEnvironment tEnv, String basePath, Map<String, String> options) {
        InsightTables.createLocalDirectories(basePath); // a table nothing was written to yet reads as empty
        for (TableDef t : Tables.ALL) {
            tEnv.executeSql(TableDdl.filesTable(t.logName(), t, basePath, options));
            if (t.versioned()) tEnv.executeSql(TableDdl.latestView(t.name(), t, t.logName()));
        }
    }

    public static void registerPostgres(TableEnvironment tEnv, TableTargets.Jdbc jdbc) {
        for (TableDef t : Tables.ALL) tEnv.executeSql(TableDdl.jdbcTable(t.name(), t, jdbc));
    }
}
