package io.augur.job.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.job.cli.AugurCli;
import io.augur.job.query.NamedQueries;
import io.augur.job.query.QueryRunner;
import io.augur.job.query.SqlScript;
import io.augur.job.testing.EmbeddedPostgres;
import io.augur.schema.Anomaly;
import io.augur.schema.ChangeEvent;
import io.augur.schema.InsightNotification;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table sinks on a MiniCluster over a known input ({@link TableScenario}), written to file tables and to a real
 * PostgreSQL at once; then read back with {@code augur query}'s runner, named queries included, from both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsightTablesTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private Path dir;
    private EmbeddedPostgres pg;
    private TableTargets.Jdbc jdbc;
    private QueryRunner files;
    private QueryRunner postgres;
    private Set<String> uids;

    private static LocalDateTime t(String iso) {
        return LocalDateTime.parse(iso);
    }

    @BeforeAll
    void runTheTableSinksOverTheKnownInput() throws Exception {
        dir = Files.createTempDirectory("augur-tables");
        pg = EmbeddedPostgres.start();
        pg.execute(Files.readString(REPO.resolve("deploy/sql/postgres/001_insight_tables.sql")));
        jdbc = new TableTargets.Jdbc(pg.jdbcUrl(), EmbeddedPostgres.USER, "", Duration.ofSeconds(1), 500);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        DataStream<InsightNotification> insights = env.fromData(TableScenario.insightEvents(), new AvroTypeInfo<>(InsightNotification.class))
                .uid("test-insights").name("insights");
        DataStream<Anomaly> anomalies = env.fromData(TableScenario.anomalies(), new AvroTypeInfo<>(Anomaly.class)).uid("test-anomalies").name("anomalies");
        DataStream<ChangeEvent> changes = env.fromData(TableScenario.changeEvents(), new AvroTypeInfo<>(ChangeEvent.class)).uid("test-changes").name("changes");
        TableTargets targets = new TableTargets(TableTargets.normalize(dir.toString()), jdbc, Duration.ofMinutes(5), Duration.ofDays(14));
        InsightTables.Attached attached = InsightTables.attach(env, targets, insights, anomalies, changes);
        assertThat(attached.tables()).containsExactly("insights", "anomalies", "insight_events", "recommendations", "change_events");

        StreamGraph graph = env.getStreamGraph();
        uids = new TreeSet<>();
        for (StreamNode n : graph.getStreamNodes()) uids.add(n.getTransformationUID());
        env.execute(graph);

        files = QueryRunner.overFiles(dir.toString());
        postgres = QueryRunner.overPostgres(jdbc);
    }

    @AfterAll
    void stopPostgresAndRemoveTheTables() throws Exception {
        if (pg != null) pg.close();
        delete(dir);
    }

    static void delete(Path root) throws java.io.IOException {
        if (root == null || !Files.exists(root)) return;
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static List<List<Object>> rows(QueryRunner q, String sql) {
        return q.execute(sql).rows();
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    @Test
    void theFileTablesKeepEveryVersionPartitionedByDayAndTheViewsShowTheNewestOfEachId() {
        assertThat(rows(files, "SELECT id, type, severity, status, start_time, end_time, prediction_start, anomaly_count, recommendation_count, version, "
                + "versions, dt FROM insights JOIN (SELECT id AS i, COUNT(*) AS versions, MAX(dt) AS dt FROM insights_log GROUP BY id) ON i = id ORDER BY id"))
                .containsExactly(
                        row("ins-a", "REACTIVE", "HIGH", "CLOSED", t("2025-01-01T10:00"), t("2025-01-01T10:45"), null, 2, 2, 4L, 4L, "2025-01-01"),
                        row("ins-b", "REACTIVE", "MEDIUM", "CLOSED", t("2025-01-01T12:00"), t("2025-01-01T12:15"), null, 1, 0, 2L, 2L, "2025-01-01"),
                        row("ins-c", "REACTIVE", "LOW", "ONGOING", t("2025-01-01T15:00"), null, null, 1, 0, 1L, 1L, "2025-01-01"),
                        row("ins-d", "PROACTIVE", "MEDIUM", "ONGOING", t("2025-01-01T13:00"), null, t("2025-01-04T10:00"), 1, 0, 1L, 1L, "2025-01-01"),
                        row("ins-e", "PROACTIVE", "LOW", "ONGOING", t("2025-01-01T16:00"), null, null, 1, 0, 1L, 1L, "2025-01-01"));
        assertThat(rows(files, "SELECT id, insight_id, kind, type, severity, status, revision, resource_arn, limit_value FROM anomalies ORDER BY id")).containsExactly(
                row("a-alb", "ins-a", "REACTIVE", "CONTEXTUAL", "MEDIUM", "CLOSED", 1, TableScenario.ALB, null),
                row("a-lambda", "ins-a", "REACTIVE", "CAUSAL", "HIGH", "CLOSED", 2, TableScenario.CHECKOUT_API, null),
                row("b-ddb", "ins-b", "REACTIVE", "CAUSAL", "MEDIUM", "CLOSED", 1, TableScenario.ORDERS_TABLE, null),
                row("c-lambda", "ins-c", "REACTIVE", "CAUSAL", "LOW", "ONGOING", 0, TableScenario.CHECKOUT_API, null),
                row("d-rds", "ins-d", "PROACTIVE", null, "MEDIUM", "ONGOING", 0, TableScenario.ORDERS_DB, 0.0),
                row("e-lambda", "ins-e", "PROACTIVE", null, "LOW", "ONGOING", 0, TableScenario.BILLING_FN, 1000.0),
                row("x-sqs", null, "REACTIVE", null, "LOW", "ONGOING", 0, TableScenario.JOBS_QUEUE, null));
        assertThat(rows(files, "SELECT insight_id, message_type, sequence, anomaly_ids FROM insight_events WHERE insight_id = 'ins-a' ORDER BY sequence")).containsExactly(
                row("ins-a", "NEW_INSIGHT", 0, "a-lambda"), row("ins-a", "NEW_ASSOCIATION", 1, "a-alb"),
                row("ins-a", "NEW_RECOMMENDATION", 2, null), row("ins-a", "CLOSED_INSIGHT", 3, "a-lambda,a-alb"));
        assertThat(rows(files, "SELECT 'insight_events', dt, COUNT(*) FROM insight_events GROUP BY dt UNION ALL "
                + "SELECT 'recommendations', dt, COUNT(*) FROM recommendations_log GROUP BY dt UNION ALL "
                + "SELECT 'change_events', dt, COUNT(*) FROM change_events GROUP BY dt")).containsExactlyInAnyOrder(
                row("insight_events", "2025-01-01", 9L), row("recommendations", "2025-01-01", 2L), row("change_events", "2025-01-01", 6L));
    }

    @Test
    void postgresHoldsOneRowPerIdWithItsFinalStateTheSameAsTheFileTablesNewestVersions() throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (Map.Entry<String, Integer> e : Map.of("insights", 5, "anomalies", 7, "insight_events", 9, "recommendations", 2, "change_events", 6).entrySet()) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + e.getKey())) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("rows in %s", e.getKey()).isEqualTo(e.getValue());
                    assertThat(rs.getInt(2)).isEqualTo(e.getValue());
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT status, severity, anomaly_count, recommendation_count, version, end_time FROM insights WHERE id = 'ins-a'")) {
                rs.next();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getTimestamp(6).toLocalDateTime()))
                        .containsExactly("CLOSED", "HIGH", 2, 2, 4L, t("2025-01-01T10:45"));
            }
            // the trigger: an older version never overwrites a newer one
            s.executeUpdate("INSERT INTO insights (id, status, updated_at, version) VALUES ('ins-a', 'ONGOING', '2025-01-01 10:05:00', 1) "
                    + "ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version");
            try (ResultSet rs = s.executeQuery("SELECT status, version FROM insights WHERE id = 'ins-a'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("CLOSED");
                assertThat(rs.getLong(2)).isEqualTo(4L);
            }
        }
        // the upserted tables hold what the file tables' newest versions hold, column for column
        for (String table : List.of("insights", "anomalies", "recommendations")) {
            assertThat(jdbcRows("SELECT * FROM " + table + " ORDER BY id")).as(table).isEqualTo(rows(files, "SELECT * FROM " + table + " ORDER BY id"));
        }
    }

    /** Rows read with plain JDBC, as Flink would give them (timestamps as LocalDateTime). */
    private List<List<Object>> jdbcRows(String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] values = new Object[n];
                for (int i = 0; i < n; i++) {
                    Object v = rs.getObject(i + 1);
                    values[i] = v instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : v;
                }
                out.add(Arrays.asList(values));
            }
        }
        return out;
    }

    @Test
    void theNamedQueriesAnswerCorrectlyOnTheFileTablesAndOnPostgres() {
        Map<String, List<List<Object>>> expected = Map.of(
                "open-insights-by-severity", List.of(
                        row("MEDIUM", "ins-d", "Free storage heading for zero on orders-db", "PROACTIVE", "orders", t("2025-01-01T13:00"), 1, 0),
                        row("LOW", "ins-c", "Latency rose in checkout", "REACTIVE", "checkout", t("2025-01-01T15:00"), 1, 0),
                        row("LOW", "ins-e", "Concurrency heading for the limit on billing-fn", "PROACTIVE", "billing", t("2025-01-01T16:00"), 1, 0)),
                "mean-time-to-recover", List.of(
                        row("checkout", 1L, 45.0, 45.0),
                        row("orders", 1L, 15.0, 15.0)),
                "noisiest-resources", List.of(
                        row(TableScenario.CHECKOUT_API, "AWS::Lambda::Function", 2L, 2L, 1, t("2025-01-01T15:00")),
                        row(TableScenario.ORDERS_TABLE, "AWS::DynamoDB::Table", 1L, 1L, 0, t("2025-01-01T12:00")),
                        row(TableScenario.ALB, "AWS::ElasticLoadBalancingV2::LoadBalancer", 1L, 1L, 0, t("2025-01-01T10:02"))),
                "insights-following-deployments", List.of(
                        row("ins-a", "Errors rose in checkout", "HIGH", "checkout", t("2025-01-01T10:00"), t("2025-01-01T09:40"), "DEPLOYMENT",
                                "UpdateFunctionCode", "lambda.amazonaws.com", 20, "ch-1"),
                        row("ins-a", "Errors rose in checkout", "HIGH", "checkout", t("2025-01-01T10:00"), t("2025-01-01T09:50"), "DEPLOYMENT",
                                "CodeDeploy deployment SUCCESS", "codedeploy.amazonaws.com", 10, "codedeploy:d-1:SUCCESS"),
                        row("ins-b", "DynamoDB throttling on orders", "MEDIUM", "orders", t("2025-01-01T12:00"), t("2025-01-01T11:58"), "CONFIG_CHANGE",
                                "Config UPDATE AWS::DynamoDB::Table", "config.amazonaws.com", 2, "ch-3")),
                "proactive-insights-due-this-week", List.of(
                        row("ins-d", "Free storage heading for zero on orders-db", "MEDIUM", "orders", t("2025-01-04T10:00"), t("2025-01-06T10:00"), 65)));
        // now = the newest insight event (ins-e opened 2025-01-01 16:05): ins-d's limit is 65 h away, ins-e's 19 days
        Map<String, Map<String, String>> params = Map.of("noisiest-resources", Map.of("limit", "3"));
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(NamedQueries.NAMES);
        for (String name : NamedQueries.NAMES) {
            String sql = SqlScript.substitute(NamedQueries.sql(name), params.getOrDefault(name, Map.of()));
            assertThat(rows(files, sql)).as("%s on the file tables", name).isEqualTo(expected.get(name));
        }
        // over PostgreSQL (same tables, see above): the query that reads three of them
        assertThat(rows(postgres, NamedQueries.sql("insights-following-deployments").replace("${window_minutes=60}", "60")))
                .isEqualTo(expected.get("insights-following-deployments"));
        // parameters change the answers: a wider window, a later now
        String wide = SqlScript.substitute(NamedQueries.sql("insights-following-deployments"), Map.of("window_minutes", "240"));
        assertThat(rows(files, wide)).extracting(r -> r.get(0) + "<-" + r.get(10)).containsExactly(
                "ins-a<-ch-1", "ins-a<-codedeploy:d-1:SUCCESS", "ins-b<-ch-3", "ins-c<-ch-4");
        String later = SqlScript.substitute(NamedQueries.sql("proactive-insights-due-this-week"), Map.of("now", "2025-01-15 00:00:00"));
        assertThat(rows(files, later)).extracting(r -> r.get(0) + ":" + r.get(6)).containsExactly("ins-d:-254", "ins-e:144");
    }

    @Test
    void augurQueryPrintsANamedQueryAsAnAlignedTable() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            exit = AugurCli.execute("query", "--tables", dir.toString(), "--named", "mean-time-to-recover");
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("""
                application | closed_insights | mttr_minutes | longest_minutes
                ------------+-----------------+--------------+----------------
                checkout    |               1 |         45.0 |            45.0
                orders      |               1 |         15.0 |            15.0
                (2 rows)
                """);
    }

    /**
     * The uids of the table part of the job: the DataStream operators', and those InsightTables gives the operators the
     * planner makes for each (sink, table): {@code table-<sink>-<table>-<what>}.
     */
    static Set<String> tableUids(boolean files, boolean postgres) {
        Set<String> out = new TreeSet<>(List.of("table-rows-insights", "table-anomaly-associations", "table-rows-anomalies",
                "table-rows-insight-events", "table-rows-recommendations", "table-rows-change-events"));
        for (String t : List.of("insights", "anomalies", "insight_events", "recommendations", "change_events")) {
            if (files) for (String what : List.of("source", "streaming-writer", "discarding-sink")) out.add("table-files-" + t + "-" + what);
            if (postgres) for (String what : List.of("source", "calc", "constraint-validator", "sink")) out.add("table-postgres-" + t + "-" + what);
        }
        return out;
    }

    @Test
    void everyTableOperatorHasAFixedUidAndPlanningAgainGivesTheSameUids() {
        Set<String> table = new TreeSet<>();
        for (String u : uids) if (!u.startsWith("test-")) table.add(u);
        assertThat(table).isEqualTo(tableUids(true, true));

        // a second job planned in the same JVM gets the same uids (the planner's own node ids would have moved on)
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        InsightTables.attach(env, new TableTargets(TableTargets.normalize(dir.toString()), jdbc, Duration.ofMinutes(5), Duration.ofDays(14)),
                env.fromData(TableScenario.insightEvents(), new AvroTypeInfo<>(InsightNotification.class)).uid("test-insights"),
                env.fromData(TableScenario.anomalies(), new AvroTypeInfo<>(Anomaly.class)).uid("test-anomalies"),
                env.fromData(TableScenario.changeEvents(), new AvroTypeInfo<>(ChangeEvent.class)).uid("test-changes"));
        Set<String> again = new TreeSet<>();
        for (StreamNode n : env.getStreamGraph().getStreamNodes()) if (!n.getTransformationUID().startsWith("test-")) again.add(n.getTransformationUID());
        assertThat(again).isEqualTo(tableUids(true, true));
    }

    /**
     * Every SQL paragraph of the Studio notebook runs against the tables written above: the batch ones
     * ({@code %flink.bsql}) must return rows; the streaming ones ({@code %flink.ssql}) must emit a row, and the live
     * table must pick up a file that appears in a new day's folder while its query runs.
     */
    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a streaming read that never emits fails, not hangs
    void everySqlParagraphOfTheNotebookRunsOverTheTables() throws Exception {
        JsonNode note = new ObjectMapper().readTree(REPO.resolve("notebooks/augur-insights.zpln").toFile());
        Path copy = Files.createTempDirectory("augur-notebook-tables"); // the live check adds a file: work on a copy
        try (var files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(dir.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        Map<String, String> forms = Map.of("tables.path", TableTargets.normalize(copy.toString()), "monitor.interval", "1s");
        QueryRunner batch = QueryRunner.batch();
        Configuration conf = new Configuration();
        conf.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        TableEnvironment streaming = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
        List<String> batchQueries = new ArrayList<>();
        List<String> streamingQueries = new ArrayList<>();
        boolean livePickup = false;
        for (JsonNode p : note.get("paragraphs")) {
            String text = p.get("text").asText();
            String directive = text.lines().findFirst().orElse("");
            if (!directive.startsWith("%flink.bsql") && !directive.startsWith("%flink.ssql")) continue;
            String title = p.get("title").asText();
            for (String statement : SqlScript.split(SqlScript.substitute(text.substring(directive.length()), forms))) {
                if (directive.startsWith("%flink.bsql")) {
                    QueryRunner.Result r = batch.execute(statement);
                    if (!r.hasContent()) continue;
                    assertThat(r.rows()).as("rows of '%s'", title).isNotEmpty();
                    batchQueries.add(title);
                    continue;
                }
                TableResult r = streaming.executeSql(statement);
                if (r.getResultKind() != ResultKind.SUCCESS_WITH_CONTENT) continue;
                streamingQueries.add(title);
                try (CloseableIterator<Row> it = r.collect()) {
                    assertThat(it.hasNext()).as("'%s' emits", title).isTrue();
                    Row first = it.next();
                    if (!livePickup && first.getArity() > 0 && r.getResolvedSchema().getColumnNames().get(0).equals("application")) {
                        // a lifecycle event committed while the query runs, in a new day's folder
                        writeLiveEvent(copy);
                        while (!"live".equals(it.next().getField(0))) {
                            // changes for the existing applications until the new one shows up
                        }
                        livePickup = true;
                    }
                }
            }
        }
        delete(copy);
        assertThat(batchQueries).hasSize(6);
        assertThat(streamingQueries).hasSize(3);
        assertThat(livePickup).as("the live table picked up a new file").isTrue();
    }

    /** One more insight_events line, for application "live", committed in a new day's folder. */
    private static void writeLiveEvent(Path tables) throws Exception {
        Path existing;
        try (var files = Files.walk(tables.resolve("insight_events"))) {
            existing = files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode line = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(Files.readAllLines(existing).get(0));
        line.put("id", "live-NEW_INSIGHT-0").put("insight_id", "live").put("application", "live").put("event_time", "2025-01-02 08:00:00");
        Path day = Files.createDirectories(tables.resolve("insight_events/dt=2025-01-02"));
        Path tmp = day.resolve(".part-live.inprogress");
        Files.writeString(tmp, line + "\n");
        Files.move(tmp, day.resolve("part-live-0"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
