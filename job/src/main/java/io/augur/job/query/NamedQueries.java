package io.augur.job.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The queries {@code augur query --named NAME} runs, kept as resource files ({@code io/augur/job/query/NAME.sql}) in
 * Flink SQL that reads the same on the file tables and on PostgreSQL. The first comment line of each is its description;
 * placeholders {@code ${name=default}} take {@code --param name=value}.
 */
public final class NamedQueries {
    /** Every named query, in the order {@code --list} shows them. */
    public static final List<String> NAMES = List.of("open-insights-by-severity", "mean-time-to-recover", "noisiest-resources",
            "insights-following-deployments", "proactive-insights-due-this-week");

    private NamedQueries() {}

    public static String sql(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no named query '" + name + "': use one of " + String.join(", ", NAMES));
        }
        try (InputStream in = NamedQueries.class.getResourceAsStream("/io/augur/job/query/" + name + ".sql")) {
            if (in == null) throw new IllegalStateException("named query " + name + " is missing from the jar: rebuild with ./augur --rebuild");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first comment line. */
    public static String description(String name) {
        for (String line : sql(name).split("\n")) {
            if (line.startsWith("--")) return line.substring(2).trim();
        }
        return "";
    }
}
