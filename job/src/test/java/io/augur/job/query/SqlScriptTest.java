package io.augur.job.query;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlScriptTest {
    @Test
    void statementsSplitAtSemicolonsOutsideQuotesAndComments() {
        String script = """
                -- a comment; not a statement end
                CREATE VIEW v AS SELECT 'a;b' AS x, `odd;name` FROM t; /* block; comment */
                SELECT "q;" FROM v WHERE x = 'it''s;'   ;
                -- only a comment;
                """;
        assertThat(SqlScript.split(script)).containsExactly(
                "-- a comment; not a statement end\nCREATE VIEW v AS SELECT 'a;b' AS x, `odd;name` FROM t",
                "/* block; comment */\nSELECT \"q;\" FROM v WHERE x = 'it''s;'");
        assertThat(SqlScript.split("SELECT 1")).containsExactly("SELECT 1");
    }

    @Test
    void placeholdersTakeParamsThenTheirDefaultsAndAMissingOneIsNamed() {
        String sql = "SELECT * FROM t WHERE a < ${limit=20} AND p = '$${tables.path=s3://b/t}/x' AND n = '${now=}'";
        assertThat(SqlScript.substitute(sql, Map.of())).isEqualTo("SELECT * FROM t WHERE a < 20 AND p = 's3://b/t/x' AND n = ''");
        assertThat(SqlScript.substitute(sql, Map.of("limit", "3", "tables.path", "file:/tmp/t", "now", "2025-01-02 00:00:00")))
                .isEqualTo("SELECT * FROM t WHERE a < 3 AND p = 'file:/tmp/t/x' AND n = '2025-01-02 00:00:00'");
        assertThat(SqlScript.placeholders(sql)).containsExactly("limit", "tables.path", "now");
        assertThatThrownBy(() -> SqlScript.substitute("SELECT ${window}", Map.of())).hasMessage("the query needs a value for window: pass --param window=VALUE");
    }

    @Test
    void resultsPrintAsAnAlignedTableWithNumbersOnTheRight() {
        QueryRunner.Result r = new QueryRunner.Result("q", List.of("name", "n", "at"), List.of(
                Arrays.asList("checkout", 12L, LocalDateTime.parse("2025-01-01T10:00")),
                Arrays.asList("a rather long name, longer", null, LocalDateTime.parse("2025-01-01T10:00:00.250"))));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ResultTable.print(r, 23, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("""
                name                    |    n | at
                ------------------------+------+------------------------
                checkout                |   12 | 2025-01-01 10:00:00
                a rather long name, lo… | NULL | 2025-01-01 10:00:00.250
                (2 rows)
                """);
    }
}
