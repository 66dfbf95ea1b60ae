package io.augur.job.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.ops.table.Column;
import io.augur.ops.table.ColumnType;
import io.augur.ops.table.TableDef;
import io.augur.ops.table.Tables;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The DDL shipped for PostgreSQL, Athena and the notebook declares exactly the columns of {@link Tables}, with the right types. */
class InsightTablesDdlTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Pattern CREATE = Pattern.compile("CREATE (?:TEMPORARY |EXTERNAL )?TABLE IF NOT EXISTS (\\w+) \\((.*?)\\n\\)", Pattern.DOTALL);

    /** Table name -> "column type" lines of every CREATE TABLE in a script (constraints and watermarks left out). */
    static Map<String, List<String>> declared(String sql) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = CREATE.matcher(sql);
        while (m.find()) {
            List<String> cols = new ArrayList<>();
            for (String line : m.group(2).split("\\n")) {
                String l = line.strip().replaceAll(",$", "").replace("`", "");
                if (l.isEmpty() || l.startsWith("--") || l.startsWith("PRIMARY KEY") || l.startsWith("WATERMARK")) continue;
                String[] parts = l.split("\\s+", 2);
                String type = parts[1].replace(" PRIMARY KEY", "").trim();
                cols.add(parts[0] + " " + type.toLowerCase(Locale.ROOT));
            }
            out.put(m.group(1), cols);
        }
        return out;
    }

    static List<String> expected(TableDef t, Function<ColumnType, String> type, boolean withDt) {
        List<String> out = new ArrayList<>();
        for (Column c : t.columns()) out.add(c.name() + " " + type.apply(c.type()).toLowerCase(Locale.ROOT));
        if (withDt) out.add("dt string");
        return out;
    }

    @Test
    void postgresDdlDeclaresEveryTableWithItsColumns() throws Exception {
        Map<String, List<String>> pg = declared(Files.readString(REPO.resolve("deploy/sql/postgres/001_insight_tables.sql")));
        assertThat(pg.keySet()).containsExactly("insights", "anomalies", "insight_events", "recommendations", "change_events");
        for (TableDef t : Tables.ALL) assertThat(pg.get(t.name())).as(t.name()).isEqualTo(expected(t, ColumnType::postgresSql, false));
    }

    @Test
    void athenaDdlDeclaresEveryTableWithItsColumnsAndAViewPerVersionedTable() throws Exception {
        String sql = Files.readString(REPO.resolve("deploy/sql/athena/insight_tables.sql"));
        Map<String, List<String>> athena = declared(sql);
        for (TableDef t : Tables.ALL) {
            // Athena declares dt in PARTITIONED BY, not among the columns
            assertThat(athena.get(t.logName())).as(t.logName()).isEqualTo(expected(t, ColumnType::athenaSql, false));
            if (t.versioned()) assertThat(sql).contains("CREATE OR REPLACE VIEW " + t.name() + " AS");
            assertThat(sql).contains("LOCATION 's3://YOUR-BUCKET/augur/tables/" + t.name() + "/'");
        }
        assertThat(athena).hasSize(Tables.ALL.size());
    }

    @Test
    void theNotebookDeclaresEveryTableWithItsColumnsAndTheLiveLogWithoutPartition() throws Exception {
        JsonNode note = new ObjectMapper().readTree(REPO.resolve("notebooks/augur-insights.zpln").toFile());
        StringBuilder sql = new StringBuilder();
        for (JsonNode p : note.get("paragraphs")) sql.append(p.get("text").asText()).append('\n');
        Map<String, List<String>> nb = declared(sql.toString());
        for (TableDef t : Tables.ALL) assertThat(nb.get(t.logName())).as(t.logName()).isEqualTo(expected(t, ColumnType::flinkSql, true));
        assertThat(nb.get("insight_events_live")).isEqualTo(expected(Tables.INSIGHT_EVENTS, ColumnType::flinkSql, false));
    }

    @Test
    void dockerComposeCreatesThePostgresTablesAndTheJobWritesToThatDatabase() throws Exception {
        JsonNode compose = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(REPO.resolve("docker-compose.yml").toFile());
        JsonNode pg = compose.at("/services/postgres");
        List<String> volumes = new ArrayList<>();
        pg.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("./deploy/sql/postgres:/docker-entrypoint-initdb.d:ro");

        io.augur.job.config.AugurConfig cfg = io.augur.job.config.AugurConfig.defaults()
                .with(io.augur.job.config.AugurConfig.readFile(REPO.resolve("deploy/compose/augur.yaml")));
        TableTargets targets = TableTargets.from(cfg, null);
        assertThat(targets.filesPath()).isEqualTo("file:///augur-output/tables");
        assertThat(targets.jdbc().url()).isEqualTo("jdbc:postgresql://postgres:5432/" + pg.at("/environment/POSTGRES_DB").asText());
        assertThat(targets.jdbc().username()).isEqualTo(pg.at("/environment/POSTGRES_USER").asText());
        assertThat(targets.jdbc().password()).isEqualTo(pg.at("/environment/POSTGRES_PASSWORD").asText());
    }
}
