package io.augur.ops.eval.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.ops.eval.scenarios.ScenarioScorer.IncidentResult;
import io.augur.ops.eval.scenarios.ScenarioScorer.Score;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scorer's arithmetic on a small hand-made truth and set of insights. */
class ScenarioScorerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long S = 1_740_960_000_000L; // 2025-03-03T00:00:00Z
    private static final long MIN = 60_000L;

    private static GroundTruth truth() {
        ObjectNode root = twoDayTruth();
        ArrayNode incs = (ArrayNode) root.get("incidents");
        incident(incs, "inc-1", "DEPLOYMENT_REGRESSION", "REACTIVE", 100, 200, "ev-1", null, "fn", "alb");
        incident(incs, "inc-2", "TRAFFIC_SURGE", "REACTIVE", 1000, 1040, null, null, "alb2");
        incident(incs, "inc-3", "BAD_CONFIG_CHANGE", "REACTIVE", 2000, 2050, "ev-3", null, "db");
        incident(incs, "inc-4", "MEMORY_LEAK", "PROACTIVE", 60, 2800, null, 2790L, "db2");
        return GroundTruth.parse(root);
    }

    private static void incident(ArrayNode incs, String id, String kind, String type, int onset, int end, String cause, Long exhaustion,
                                 String primary, String... affected) {
        ObjectNode o = incs.addObject();
        o.put("id", id);
        o.put("kind", kind);
        o.put("expectedInsight", type);
        o.put("onsetEpochMs", S + onset * MIN);
        o.put("endEpochMs", S + end * MIN);
        o.put("application", "app");
        o.put("primaryResource", primary);
        ArrayNode a = o.putArray("affectedResources");
        a.add(primary);
        for (String r : affected) a.add(r);
        if (cause == null) o.putNull("causeEventId");
        else o.put("causeEventId", cause);
        if (exhaustion == null) o.putNull("exhaustionEpochMs");
        else o.put("exhaustionEpochMs", S + exhaustion * MIN);
        if (exhaustion == null) o.putNull("limit");
        else o.putObject("limit").put("metricName", kind.equals("LAMBDA_CONCURRENCY_CREEP") ? "ConcurrentExecutions" : "FreeableMemory");
    }

    /** An insight's lifecycle lines as insights.ndjson has them: NEW_INSIGHT, and CLOSED_INSIGHT when {@code end} is set. */
    private static void insight(List<JsonNode> lines, String id, String type, int start, int announced, Integer end, String resource, String... events) {
        for (String messageType : end == null ? new String[] {"NEW_INSIGHT"} : new String[] {"NEW_INSIGHT", "CLOSED_INSIGHT"}) {
            ObjectNode l = JSON.createObjectNode();
            l.put("id", id + ":" + messageType);
            l.put("insightId", id);
            l.put("messageType", messageType);
            l.put("insightType", type);
            l.put("application", "app");
            l.put("time", S + (messageType.equals("NEW_INSIGHT") ? announced : end + 10) * MIN);
            ObjectNode body = l.putObject("body");
            body.put("startTime", S + start * MIN);
            if (messageType.equals("CLOSED_INSIGHT")) body.put("endTime", S + end * MIN);
            ObjectNode a = body.putArray("anomalies").addObject();
            a.putArray("sourceDetails").addObject().putObject("dataIdentifiers").put("name", type.equals("PROACTIVE") ? "FreeableMemory" : "Errors");
            a.putArray("associatedResourceArns").add(resource);
            ArrayNode re = body.putArray("relatedEvents");
            for (String e : events) re.addObject().put("id", e);
            lines.add(l);
        }
    }

    @Test
    void scoresRecallFalseInsightsDetectionCausesLeadTimeAndGrouping() {
        List<JsonNode> lines = new ArrayList<>();
        insight(lines, "A", "REACTIVE", 100, 103, 190, "fn", "ev-1");   // inc-1, 3 min, cause linked
        insight(lines, "B", "REACTIVE", 101, 106, null, "alb");         // inc-1 again: two insights for one incident
        insight(lines, "C", "REACTIVE", 1000, 1002, 1030, "alb2");      // inc-2, 2 min
        insight(lines, "D", "REACTIVE", 500, 502, 520, "other");        // nothing there: false
        insight(lines, "E", "PROACTIVE", 1200, 1210, null, "db2");      // inc-4, warned 1,580 min = 26.33 h ahead
        insight(lines, "F", "REACTIVE", 2785, 2787, null, "db2");       // inc-4 at exhaustion: other type, not false
        insight(lines, "G", "REACTIVE", 2100, 2102, null, "db");        // after inc-3's window (end + 30 min): false
        Score s = ScenarioScorer.score(truth(), InsightHistory.fold(lines));

        assertThat(s.incidents()).isEqualTo(4);
        assertThat(s.detected()).isEqualTo(3);
        assertThat(s.recall()).isEqualTo(0.75);
        assertThat(s.insights()).isEqualTo(7);
        assertThat(s.falseInsights()).isEqualTo(2);
        assertThat(s.unexplained()).extracting(InsightHistory.Insight::id).containsExactly("D", "G");
        assertThat(s.describe()).contains("false insights (matching no incident):");
        assertThat(s.resourceDays()).isEqualTo(40.0);
        assertThat(s.falsePer1000ResourceDays()).isEqualTo(50.0);
        assertThat(s.detectMedianMinutes()).isEqualTo(2.5);
        assertThat(s.detectP90Minutes()).isEqualTo(3.0);
        assertThat(s.incidentsWithCause()).isEqualTo(2);
        assertThat(s.causeLinked()).isEqualTo(1);
        assertThat(s.causeLinkedShare()).isEqualTo(0.5);
        assertThat(s.leadMedianHours()).isCloseTo(1580 / 60.0, within(1e-12));
        assertThat(s.leadMinHours()).isCloseTo(1580 / 60.0, within(1e-12));
        assertThat(s.proactiveDetected()).isEqualTo(1);
        assertThat(s.warned24h()).isEqualTo(1);
        assertThat(s.groupedOne()).isEqualTo(2);
        assertThat(s.groupedShare()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(s.insightsPerDetected()).isCloseTo(4 / 3.0, within(1e-12));
        assertThat(s.perIncident()).containsExactly(
                new IncidentResult("inc-1", "DEPLOYMENT_REGRESSION", true, 2, 3.0, true, null),
                new IncidentResult("inc-2", "TRAFFIC_SURGE", true, 1, 2.0, null, null),
                new IncidentResult("inc-3", "BAD_CONFIG_CHANGE", false, 0, null, false, null),
                new IncidentResult("inc-4", "MEMORY_LEAK", true, 1, null, null, 1580 / 60.0));
        assertThat(s.describe()).contains("incident recall        3/4 = 75.0 %", "2 of 7 insights; 50.00 per 1,000 resource-days",
                "median 2.5 min (2.5 datapoints), p90 3.0 min (3.0 datapoints)", "cause linked           1/2 = 50.0 %");
    }

    /** One lifecycle line of a proactive insight announcing one anomaly. */
    private static ObjectNode proactiveLine(String id, String messageType, int start, int time, String resource, String metric) {
        ObjectNode l = JSON.createObjectNode();
        l.put("id", id + ":" + messageType + ":" + time);
        l.put("insightId", id);
        l.put("messageType", messageType);
        l.put("insightType", "PROACTIVE");
        l.put("application", "app");
        l.put("time", S + time * MIN);
        ObjectNode body = l.putObject("body");
        body.put("startTime", S + start * MIN);
        ObjectNode a = body.putArray("anomalies").addObject();
        a.putArray("sourceDetails").addObject().putObject("dataIdentifiers").put("name", metric);
        a.putArray("associatedResourceArns").add(resource);
        return l;
    }

    /** A hand-made ground truth of 20 resources over two days, with no incidents yet. */
    private static ObjectNode twoDayTruth() {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", "hand-made");
        root.put("startEpochMs", S);
        root.put("endEpochMs", S + 2 * 1440 * MIN);
        root.put("periodSeconds", 60);
        root.putObject("counts").put("resources", 20);
        root.putArray("incidents");
        return root;
    }

    @Test
    void aProactiveInsightHoldingTwoIncidentsGroupsNeitherAndTheLeadCountsFromEachAnomalysAnnouncement() {
        ObjectNode root = twoDayTruth();
        ArrayNode incs = (ArrayNode) root.get("incidents");
        incident(incs, "leak", "MEMORY_LEAK", "PROACTIVE", 60, 2800, null, 2790L, "db2");
        incident(incs, "creep", "LAMBDA_CONCURRENCY_CREEP", "PROACTIVE", 100, 2700, null, 2690L, "fn");
        List<JsonNode> lines = List.of(
                proactiveLine("P", "NEW_INSIGHT", 1190, 1200, "db2", "FreeableMemory"),
                proactiveLine("P", "NEW_ASSOCIATION", 1190, 1300, "fn", "ConcurrentExecutions"));
        Score s = ScenarioScorer.score(GroundTruth.parse(root), InsightHistory.fold(lines));
        assertThat(s.detected()).isEqualTo(2);
        assertThat(s.groupedOne()).as("one insight for two problems").isZero();
        assertThat(s.perIncident()).extracting(IncidentResult::leadHours).containsExactly(1590 / 60.0, 1390 / 60.0);
        assertThat(s.warned24h()).isEqualTo(1);
    }

    @Test
    void aProactiveInsightMatchesAProactiveIncidentOnlyOnItsLimitMetric() {
        List<JsonNode> lines = new ArrayList<>();
        insight(lines, "E", "PROACTIVE", 1200, 1210, null, "db2");
        ((ObjectNode) lines.get(0).get("body").get("anomalies").get(0).get("sourceDetails").get(0).get("dataIdentifiers")).put("name", "FreeStorageSpace");
        Score s = ScenarioScorer.score(truth(), InsightHistory.fold(lines));
        assertThat(s.detected()).isZero();
        assertThat(s.falseInsights()).isEqualTo(1);
    }

    @Test
    void aReactiveInsightBelongsToAProactiveIncidentNearExhaustionOrThroughTheTrendingResourcesThrottles() {
        // inc-4: memory leak of db2 from minute 60, exhaustion at 2790
        List<JsonNode> lines = new ArrayList<>();
        insight(lines, "early", "REACTIVE", 1500, 1502, null, "db2");     // Errors on db2 a day before exhaustion: false
        insight(lines, "near", "REACTIVE", 2610, 2612, null, "db2");      // three hours before exhaustion: the incident's
        Score s = ScenarioScorer.score(truth(), InsightHistory.fold(lines));
        assertThat(s.falseInsights()).isEqualTo(1);
        List<JsonNode> throttles = new ArrayList<>();
        insight(throttles, "brush", "REACTIVE", 1500, 1502, null, "db2");
        ((ObjectNode) throttles.get(0).get("body").get("anomalies").get(0).get("sourceDetails").get(0).get("dataIdentifiers")).put("name", "Throttles");
        assertThat(ScenarioScorer.score(truth(), InsightHistory.fold(throttles)).falseInsights()).as("the trending resource's throttles").isZero();
    }

    @Test
    void aReactiveInsightOnWhatATrendMovesBelongsToIt() {
        // a Lambda concurrency creep of fn5 from minute 60, exhaustion at 2790: the function slows down (its Duration,
        // and the load balancer's response time in front of it, rise from the onset)
        ObjectNode root = twoDayTruth();
        ArrayNode incs = (ArrayNode) root.get("incidents");
        incident(incs, "inc-5", "LAMBDA_CONCURRENCY_CREEP", "PROACTIVE", 60, 2800, null, 2790L, "fn5");
        ArrayNode trend = ((ObjectNode) incs.get(0)).putArray("trendSignals");
        trend.addObject().put("resource", "fn5").put("metric", "ConcurrentExecutions");
        trend.addObject().put("resource", "fn5").put("metric", "Duration");
        trend.addObject().put("resource", "alb5").put("metric", "TargetResponseTime");
        GroundTruth truth = GroundTruth.parse(root);
        assertThat(truth.incidents().get(0).trendSignals()).containsExactly("fn5|ConcurrentExecutions", "fn5|Duration", "alb5|TargetResponseTime");

        String[][] cases = {{"fn5", "Duration", "0"}, {"alb5", "TargetResponseTime", "0"}, {"fn5", "Errors", "1"}, {"alb5", "HTTPCode_Target_5XX_Count", "1"}};
        for (String[] c : cases) {
            List<JsonNode> lines = new ArrayList<>();
            insight(lines, "day-before", "REACTIVE", 1500, 1502, null, c[0]);
            ((ObjectNode) lines.get(0).get("body").get("anomalies").get(0).get("sourceDetails").get(0).get("dataIdentifiers")).put("name", c[1]);
            assertThat(ScenarioScorer.score(truth, InsightHistory.fold(lines)).falseInsights()).as("%s %s a day before exhaustion", c[0], c[1])
                    .isEqualTo(Integer.parseInt(c[2]));
        }
        // a ground truth without trend signals: the trending resource's limit metric
        ((ObjectNode) incs.get(0)).remove("trendSignals");
        assertThat(GroundTruth.parse(root).incidents().get(0).trendSignals()).containsExactly("fn5|ConcurrentExecutions");
    }

    @Test
    void theWindowIsTenMinutesBeforeOnsetToThirtyAfterTheEnd() {
        for (int[] c : new int[][] {{89, 0}, {90, 1}, {230, 1}, {231, 0}}) {
            List<JsonNode> lines = new ArrayList<>();
            insight(lines, "X", "REACTIVE", c[0], c[0] + 1, null, "fn");
            assertThat(ScenarioScorer.score(truth(), InsightHistory.fold(lines)).detected()).as("start at minute %d", c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void medianAndP90() {
        assertThat(ScenarioScorer.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(ScenarioScorer.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(ScenarioScorer.p90(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0))).isEqualTo(9.0);
        assertThat(ScenarioScorer.p90(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0))).isEqualTo(10.0);
        assertThat(ScenarioScorer.p90(List.of(7.0))).isEqualTo(7.0);
        assertThat(ScenarioScorer.median(List.of())).isNull();
    }

    @Test
    void noInsightsAtAll() {
        Score s = ScenarioScorer.score(truth(), List.of());
        assertThat(s.recall()).isZero();
        assertThat(s.falseInsights()).isZero();
        assertThat(s.detectMedianMinutes()).isNull();
        assertThat(s.causeLinkedShare()).isZero();
        assertThat(s.groupedShare()).isNull();
    }
}
