package io.augur.job.query;

import io.augur.job.tables.QueryTables;
import io.augur.job.tables.TableTargets;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Flink SQL in batch mode over the insight tables: what {@code augur query} runs. */
public final class QueryRunner {
    /** One statement's result: its columns and rows, or no columns for a statement without content (DDL). */
    public record Result(String statement, List<String> columns, List<List<Object>> rows) {
        public boolean hasContent() {
            return !columns.isEmpty();
        }
    }

    private final TableEnvironment tEnv;

    private QueryRunner(TableEnvironment tEnv) {
        this.tEnv = tEnv;
    }

    /** A batch table environment (UTC, parallelism 1: the tables are small) without tables registered. */
    public static QueryRunner batch() {
        Configuration conf = new Configuration();
        conf.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        return new QueryRunner(TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build()));
    }

    /** Batch over the file tables under {@code basePath} (a directory or URI). */
    public static QueryRunner overFiles(String basePath) {
        QueryRunner q = batch();
        QueryTables.registerFiles(q.tEnv, TableTargets.normalize(basePath), Map.of());
        return q;
    }

    /** Batch over the PostgreSQL tables. */
    public static QueryRunner overPostgres(TableTargets.Jdbc jdbc) {
        QueryRunner q = batch();
        QueryTables.registerPostgres(q.tEnv, jdbc);
        return q;
    }

    public TableEnvironment tableEnvironment() {
        return tEnv;
    }

    /** Runs every statement of a script (placeholders already substituted), in order. */
    public List<Result> run(String script) {
        List<Result> out = new ArrayList<>();
        for (String statement : SqlScript.split(script)) out.add(execute(statement));
        return out;
    }

    /** One statement. */
    public Result execute(String statement) {
        TableResult r = tEnv.executeSql(statement);
        if (r.getResultKind() != ResultKind.SUCCESS_WITH_CONTENT) return new Result(statement, List.of(), List.of());
        List<String> columns = r.getResolvedSchema().getColumnNames();
        List<List<Object>> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = r.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                Object[] values = new Object[row.getArity()];
                for (int i = 0; i < values.length; i++) values[i] = row.getField(i);
                rows.add(Arrays.asList(values));
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading the result of: " + statement, e);
        }
        return new Result(statement, List.copyOf(columns), rows);
    }
}
