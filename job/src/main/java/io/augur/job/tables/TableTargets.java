package io.augur.job.tables;

import io.augur.job.config.AugurConfig;
import io.augur.job.config.ConfigException;

import java.time.Duration;
import java.util.List;

/**
 * Where the insight tables go, from {@code tables.*}: a directory of file tables and/or a PostgreSQL database.
 *
 * @param filesPath base directory or URI of the file tables, or null for none
 * @param jdbc      PostgreSQL connection, or null for none
 */
public record TableTargets(String filesPath, Jdbc jdbc, Duration filesRollover, Duration stateTtl) {
    /** A PostgreSQL connection for the JDBC connector. */
    public record Jdbc(String url, String username, String password, Duration flushInterval, int flushRows) {
    }

    public boolean any() {
        return filesPath != null || jdbc != null;
    }

    /**
     * The targets {@code cfg} asks for. {@code defaultPath} is used for files when {@code tables.path} is empty
     * (replay: its output directory); when both are empty, {@code output.dir}/tables, else no file tables.
     */
    public static TableTargets from(AugurConfig cfg, String defaultPath) {
        List<String> sinks = List.of(cfg.get(AugurConfig.TABLES_SINK).split(","));
        String files = null;
        if (sinks.contains("files")) {
            if (cfg.isSet(AugurConfig.TABLES_PATH)) files = cfg.get(AugurConfig.TABLES_PATH);
            else if (defaultPath != null && !defaultPath.isEmpty()) files = defaultPath;
            else if (cfg.isSet(AugurConfig.OUTPUT_DIR)) files = stripSlash(cfg.get(AugurConfig.OUTPUT_DIR)) + "/tables";
        }
        Jdbc jdbc = null;
        if (sinks.contains("postgres")) {
            if (!cfg.isSet(AugurConfig.TABLES_JDBC_URL)) {
                throw new ConfigException("tables.sink=" + cfg.get(AugurConfig.TABLES_SINK) + " needs tables.jdbc.url (e.g. jdbc:postgresql://localhost:5432/augur)");
            }
            if (!cfg.get(AugurConfig.TABLES_JDBC_URL).startsWith("jdbc:postgresql:")) {
                throw new ConfigException("tables.jdbc.url=" + cfg.get(AugurConfig.TABLES_JDBC_URL) + " is not valid: use a PostgreSQL URL, jdbc:postgresql://host:5432/database");
            }
            jdbc = new Jdbc(cfg.get(AugurConfig.TABLES_JDBC_URL), cfg.get(AugurConfig.TABLES_JDBC_USER), cfg.get(AugurConfig.TABLES_JDBC_PASSWORD),
                    cfg.getDuration(AugurConfig.TABLES_JDBC_FLUSH_INTERVAL), cfg.getInt(AugurConfig.TABLES_JDBC_FLUSH_ROWS));
        }
        return new TableTargets(files == null ? null : normalize(files), jdbc, cfg.getDuration(AugurConfig.TABLES_FILES_ROLLOVER),
                cfg.getDuration(AugurConfig.TABLES_STATE_TTL));
    }

    /** A local path as an absolute file: URI (Flink resolves scheme-less paths against its default file system); URIs as given. */
    public static String normalize(String path) {
        java.nio.file.Path local = InsightTables.localPath(path);
        return stripSlash(local == null ? path : local.toAbsolutePath().normalize().toUri().toString());
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
