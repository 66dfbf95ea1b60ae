package io.augur.job.cli;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;
import io.augur.job.query.NamedQueries;
import io.augur.job.query.QueryRunner;
import io.augur.job.query.ResultTable;
import io.augur.job.query.SqlScript;
import io.augur.job.tables.InsightTables;
import io.augur.job.tables.TableTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run Flink SQL (batch) over the insight tables and print the results as aligned tables.",
                "Tables: insights, anomalies, recommendations (one row per id), insight_events, change_events (logs);",
                "over file tables also insights_log, anomalies_log, recommendations_log (every version).",
                "Reads the file tables a replay or run wrote (--tables DIR, default tables.path or augur-out/tables),",
                "or PostgreSQL with --source postgres (tables.jdbc.*).",
                "Examples:",
                "  augur query \"SELECT severity, COUNT(*) FROM insights GROUP BY severity\"",
                "  augur query --named open-insights-by-severity",
                "  augur query --named proactive-insights-due-this-week --param now='2025-01-02 00:00:00'",
                "  augur query --file report.sql --tables s3-copy/tables"})
public final class QueryCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SQL", description = "Statements to run, separated by ';'.")
    String sql;

    @Option(names = "--file", description = "Run the statements in this file.")
    Path file;

    @Option(names = "--named", paramLabel = "NAME", description = "Run a named query (see --list).")
    String named;

    @Option(names = "--list", description = "List the named queries.")
    boolean list;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Value for a ${NAME} placeholder (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--tables", paramLabel = "DIR", description = "Directory of the file tables (default: tables.path, else augur-out/tables).")
    String tables;

    @Option(names = "--source", paramLabel = "files|postgres", description = "Which tables to read (default: postgres when tables.sink=postgres, else files).")
    String source;

    @Option(names = "--max-width", defaultValue = "80", description = "Cut longer cells (default ${DEFAULT-VALUE}; 0 = no limit).")
    int maxWidth;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (list) {
            for (String n : NamedQueries.NAMES) out.printf("%-34s %s%n", n, NamedQueries.description(n));
            return 0;
        }
        int given = (sql != null ? 1 : 0) + (file != null ? 1 : 0) + (named != null ? 1 : 0);
        if (given != 1) {
            System.err.println("augur: give exactly one of SQL, --file FILE or --named NAME (--list shows the named queries)");
            return 2;
        }
        String text;
        try {
            text = named != null ? NamedQueries.sql(named) : file != null ? Files.readString(file) : sql;
            text = SqlScript.substitute(text, params);
        } catch (IllegalArgumentException e) {
            System.err.println("augur: " + e.getMessage());
            return 2;
        }
        AugurConfig cfg = options.load(Map.of());
        String from = source != null ? source : "postgres".equals(cfg.get(AugurConfig.TABLES_SINK)) ? "postgres" : "files";

        QueryRunner runner;
        if (from.equals("postgres")) {
            TableTargets.Jdbc jdbc = TableTargets.from(cfg.with(AugurConfig.TABLES_SINK.name(), "postgres"), null).jdbc();
            runner = QueryRunner.overPostgres(jdbc);
        } else if (from.equals("files")) {
            String dir = tables != null ? tables : cfg.isSet(AugurConfig.TABLES_PATH) ? cfg.get(AugurConfig.TABLES_PATH) : "augur-out/tables";
            Path local = InsightTables.localPath(dir);
            if (local != null && !Files.isDirectory(local)) {
                System.err.println("augur: no tables at " + dir + ": run `augur replay` first, or pass --tables DIR");
                return 2;
            }
            runner = QueryRunner.overFiles(dir);
        } else {
            throw new ConfigException("--source " + from + " is not valid: use files or postgres");
        }

        try {
            List<QueryRunner.Result> results = runner.run(text);
            boolean first = true;
            for (QueryRunner.Result r : results) {
                if (!r.hasContent()) continue;
                if (!first) out.println();
                ResultTable.print(r, maxWidth, out);
                first = false;
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("augur: query failed: " + message(e));
            return 1;
        }
    }

    /** The messages down the cause chain that say something, without repeats. */
    static String message(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank() || b.indexOf(m) >= 0) continue;
            if (b.length() > 0) b.append(": ");
            b.append(m.strip());
        }
        return b.length() == 0 ? e.toString() : b.toString();
    }
}
