package io.augur.ops.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.EventClass;
import io.augur.schema.InsightInput;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightState;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.augur.ops.testing.InsightFixtures.*;
import static io.augur.schema.InsightMessageType.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class InsightCorrelatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "checkout-prod";
    private final InsightCorrelator c = new InsightCorrelator(InsightSettings.defaults(), RecommendationCatalog.loadDefault());

    private InsightState state;

    private List<InsightNotification> in(Anomaly a) {
        InsightInput i = input(APP, APP, a);
        if (state == null) state = InsightCorrelator.newState(i);
        return c.process(state, i, a.getUpdateTime());
    }

    private List<InsightNotification> in(io.augur.schema.ChangeEvent e, long now) {
        InsightInput i = input(APP, APP, e);
        if (state == null) state = InsightCorrelator.newState(i);
        return c.process(state, i, now);
    }

    static String insightId(String application, AnomalyKind kind, String firstAnomaly) {
        return UUID.nameUUIDFromBytes(String.join("|", "augur-insight", ACCOUNT, REGION, application, kind.name(), firstAnomaly)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void overlappingAnomaliesOfAnApplicationFormOneInsightThatClosesAfterItsLastAnomaly() throws Exception {
        assertThat(in(deployment("d-ABC123456", "START", T0 - 8 * MIN), T0 - 8 * MIN)).isEmpty();
        assertThat(in(deployment("d-ABC123456", "SUCCESS", T0 - 2 * MIN), T0 - 2 * MIN)).isEmpty();

        Anomaly api = reactive("a-api-duration", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
        List<InsightNotification> open = in(api);
        String id = insightId(APP, AnomalyKind.REACTIVE, "a-api-duration");
        assertThat(open).extracting(InsightNotification::getId, InsightNotification::getMessageType, InsightNotification::getSequence,
                        InsightNotification::getSeverity, InsightNotification::getTime)
                .containsExactly(tuple(id + ":NEW_INSIGHT:0", NEW_INSIGHT, 0, Severity.MEDIUM, T0 + 2 * MIN),
                        tuple(id + ":NEW_RECOMMENDATION:1", NEW_RECOMMENDATION, 1, Severity.MEDIUM, T0 + 2 * MIN));
        InsightNotification first = open.get(0);
        assertThat(first.getInsightName()).isEqualTo("Lambda Duration anomalous in application checkout-prod");
        assertThat(first.getApplication()).isEqualTo(APP);
        JsonNode body = JSON.readTree(first.getBody());
        assertThat(body.get("insightDescription").asText()).isEqualTo("At 2025-03-03 11:06 UTC, Duration (Average) of Lambda function checkout-api rose unusually."
                + " It began 2 minutes after CodeDeploy deployment d-ABC123456 of checkout/checkout-prod (SUCCESS) at 2025-03-03 11:04 UTC: a likely cause.");
        assertThat(body.get("relatedEvents")).extracting(e -> e.get("id").asText(), e -> e.get("eventClass").asText())
                .containsExactly(tuple("codedeploy:d-ABC123456:START", "DEPLOYMENT"), tuple("codedeploy:d-ABC123456:SUCCESS", "DEPLOYMENT"));
        JsonNode recs = JSON.readTree(open.get(1).getBody()).get("recommendations");
        assertThat(recs).extracting(r -> r.get("name").asText()).containsExactly(
                "Roll back the deployment that preceded the anomalies", "Check the Lambda function's duration against its timeout");
        assertThat(recs.get(0).get("reason").asText()).isEqualTo("CodeDeploy deployment d-ABC123456 of checkout/checkout-prod (SUCCESS) at "
                + "2025-03-03 11:04 UTC, shortly before Duration of Lambda function checkout-api became anomalous.");
        assertThat(recs.get(0).get("relatedEvents").get(0).get("name").asText()).isEqualTo("CodeDeploy deployment SUCCESS");

        // the database slowed in the same minute: it joins, is upstream, so CAUSAL; its HIGH severity upgrades the insight
        Anomaly db = reactive("a-db-latency", Severity.HIGH, T0 + 30_000, T0 + 3 * MIN, DB, "ReadLatency");
        List<InsightNotification> join = in(db);
        assertThat(join).extracting(InsightNotification::getMessageType, InsightNotification::getSequence, InsightNotification::getSeverity)
                .containsExactly(tuple(NEW_ASSOCIATION, 2, Severity.HIGH), tuple(SEVERITY_UPGRADED, 3, Severity.HIGH),
                        tuple(NEW_RECOMMENDATION, 4, Severity.HIGH));
        JsonNode assoc = JSON.readTree(join.get(0).getBody());
        assertThat(assoc.get("anomalies")).extracting(a -> a.get("id").asText(), a -> a.get("type").asText())
                .containsExactly(tuple("a-db-latency", "CAUSAL"));
        assertThat(JSON.readTree(join.get(1).getBody()).get("insightSeverity").asText()).isEqualTo("high");
        assertThat(JSON.readTree(join.get(2).getBody()).get("recommendations")).extracting(r -> r.get("link").asText()).containsExactly(
                "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html",
                "https://docs.aws.amazon.com/wellarchitected/latest/framework/rel_mitigate_interaction_failure_client_timeouts.html");

        // a later revision of the same anomaly is no new association; closing one of two keeps the insight open
        assertThat(in(revised(api, 1, T0 + 5 * MIN, Severity.MEDIUM))).isEmpty();
        assertThat(in(closed(api, 2, T0 + 20 * MIN))).isEmpty();
        assertThat(in(closed(db, 1, T0 + 30 * MIN))).isEmpty();
        assertThat(state.getInsights().get(0).getAllClosedAt()).isEqualTo(T0 + 30 * MIN);
        assertThat(c.nextWakeUp(state)).isEqualTo(T0 + 40 * MIN);

        assertThat(c.advance(state, T0 + 40 * MIN - 1, false)).isEmpty();
        List<InsightNotification> close = c.advance(state, T0 + 40 * MIN, false);
        assertThat(close).extracting(InsightNotification::getId, InsightNotification::getMessageType, InsightNotification::getSequence,
                InsightNotification::getTime).containsExactly(tuple(id + ":CLOSED_INSIGHT:5", CLOSED_INSIGHT, 5, T0 + 40 * MIN));
        JsonNode closedBody = JSON.readTree(close.get(0).getBody());
        assertThat(closedBody.get("endTime").asLong()).isEqualTo(T0 + 29 * MIN);
        assertThat(closedBody.get("endTimeISO").asText()).isEqualTo("2025-03-03T11:35:40Z");
        assertThat(closedBody.get("anomalies")).extracting(a -> a.get("id").asText(), a -> a.get("closeTime").asLong())
                .containsExactly(tuple("a-api-duration", T0 + 20 * MIN), tuple("a-db-latency", T0 + 30 * MIN));

        // state: nothing open, the closed insight remembered for a day, the events until their retention ends
        assertThat(state.getInsights()).isEmpty();
        assertThat(state.getHistory()).extracting(h -> h.getClosedAt(), h -> h.getSignature()).containsExactly(tuple(T0 + 40 * MIN,
                List.of(API.getArn() + "|Duration", DB.getArn() + "|ReadLatency")));
        assertThat(c.nextWakeUp(state)).isEqualTo(T0 - 8 * MIN + 3 * 60 * MIN);
        c.advance(state, T0 + 40 * MIN + 24 * 60 * MIN, false);
        assertThat(InsightCorrelator.isEmpty(state)).isTrue();
        assertThat(c.nextWakeUp(state)).isNull();
    }

    /**
     * More load and nothing wrong with it (a LOW consumed-capacity rise, as a table's traffic runs 25 % above its usual
     * for half an hour) is no insight: nothing is announced, and it leaves nothing behind. A load rise that a symptom
     * joins (the load balancer's latency) is announced when the symptom comes, with both anomalies.
     */
    @Test
    void aLoadRiseAloneIsNoInsightUntilASymptomJoins() throws Exception {
        Anomaly writes = reactive("a-table-writes", Severity.LOW, T0, T0 + 3 * MIN, TABLE, "ConsumedWriteCapacityUnits");
        assertThat(in(writes)).isEmpty();
        assertThat(in(closed(writes, 1, T0 + 25 * MIN))).isEmpty();
        assertThat(c.advance(state, T0 + 24 * 60 * MIN, false)).isEmpty();
        assertThat(state.getInsights()).isEmpty();
        assertThat(state.getHistory()).as("never announced: no repeat to remember").isEmpty();

        Anomaly requests = reactive("a-alb-requests", Severity.LOW, T0 + 25 * 60 * MIN, T0 + 25 * 60 * MIN + 3 * MIN, ALB, "RequestCount");
        assertThat(in(requests)).isEmpty();
        Anomaly latency = reactive("a-alb-latency", Severity.MEDIUM, T0 + 25 * 60 * MIN + MIN, T0 + 25 * 60 * MIN + 4 * MIN, ALB, "TargetResponseTime");
        List<InsightNotification> open = in(latency);
        String id = insightId(APP, AnomalyKind.REACTIVE, "a-alb-requests");
        assertThat(open).extracting(InsightNotification::getId, InsightNotification::getMessageType, InsightNotification::getSeverity,
                InsightNotification::getTime).startsWith(tuple(id + ":NEW_INSIGHT:0", NEW_INSIGHT, Severity.MEDIUM, T0 + 25 * 60 * MIN + 4 * MIN));
        assertThat(JSON.readTree(open.get(0).getBody()).get("anomalies")).extracting(a -> a.get("id").asText())
                .containsExactlyInAnyOrder("a-alb-requests", "a-alb-latency");
    }

    @Test
    void theSameProblemWithinADayIsARepeatAndStaysLow() throws Exception {
        Anomaly first = reactive("a1", Severity.HIGH, T0, T0 + 2 * MIN, API, "Duration");
        in(first);
        in(closed(first, 1, T0 + 10 * MIN));
        assertThat(c.advance(state, T0 + 20 * MIN, false)).extracting(InsightNotification::getMessageType).containsExactly(CLOSED_INSIGHT);

        Anomaly again = reactive("a2", Severity.MEDIUM, T0 + 5 * 60 * MIN, T0 + 5 * 60 * MIN + 2 * MIN, API, "Duration");
        List<InsightNotification> open = in(again);
        assertThat(open.get(0).getMessageType()).isEqualTo(NEW_INSIGHT);
        assertThat(open.get(0).getSeverity()).isEqualTo(Severity.LOW);
        assertThat(open.get(0).getInsightName()).isEqualTo("Repeated Insight: Lambda Duration anomalous in application checkout-prod");
        assertThat(JSON.readTree(open.get(0).getBody()).get("insightDescription").asText())
                .endsWith("Augur has detected this is a repeated insight and treats repeated insights as 'Low Severity'.");
        assertThat(in(revised(again, 1, T0 + 5 * 60 * MIN + 5 * MIN, Severity.HIGH))).as("no upgrade of a repeat").isEmpty();
        assertThat(in(reactive("a3", Severity.HIGH, T0 + 5 * 60 * MIN, T0 + 5 * 60 * MIN + 3 * MIN, ALB, "HTTPCode_Target_5XX_Count")))
                .extracting(InsightNotification::getMessageType, InsightNotification::getSeverity)
                .containsExactly(tuple(NEW_ASSOCIATION, Severity.LOW), tuple(NEW_RECOMMENDATION, Severity.LOW));
    }

    @Test
    void aDifferentProblemOrOneOlderThanADayIsNoRepeat() {
        Anomaly first = reactive("a1", Severity.HIGH, T0, T0 + 2 * MIN, API, "Duration");
        in(first);
        in(closed(first, 1, T0 + 10 * MIN));
        c.advance(state, T0 + 20 * MIN, false);
        assertThat(in(reactive("b1", Severity.HIGH, T0 + 60 * MIN, T0 + 62 * MIN, INSTANCE, "CPUUtilization")).get(0).getSeverity())
                .isEqualTo(Severity.HIGH);
        in(closed(reactive("b1", Severity.HIGH, T0 + 60 * MIN, T0 + 62 * MIN, INSTANCE, "CPUUtilization"), 1, T0 + 70 * MIN));
        c.advance(state, T0 + 80 * MIN, false);
        long nextDay = T0 + 20 * MIN + 24 * 60 * MIN;
        assertThat(in(reactive("c1", Severity.MEDIUM, nextDay, nextDay + 2 * MIN, API, "Duration")).get(0).getSeverity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aRepeatIsTheSameCausalProblemNotAnyResourceAndMetricTheEarlierInsightTouched() {
        // a traffic surge: the database is CAUSAL, the load balancer's latency CONTEXTUAL
        Anomaly db = reactive("s-db", Severity.HIGH, T0, T0 + 2 * MIN, DB, "CPUUtilization");
        Anomaly alb = reactive("s-alb", Severity.MEDIUM, T0 + 2 * MIN, T0 + 4 * MIN, ALB, "TargetResponseTime");
        in(db);
        in(alb);
        in(closed(db, 1, T0 + 30 * MIN));
        in(closed(alb, 1, T0 + 30 * MIN));
        c.advance(state, T0 + 40 * MIN, false);
        assertThat(state.getHistory()).extracting(h -> h.getCausalSignature(), h -> h.getCauseEventId())
                .containsExactly(tuple(DB.getArn() + "|CPUUtilization", null));
        // hours later the load balancer's latency rises again: not the problem the earlier insight was about
        long later = T0 + 10 * 60 * MIN;
        List<InsightNotification> open = in(reactive("d-alb", Severity.MEDIUM, later, later + 2 * MIN, ALB, "TargetResponseTime"));
        assertThat(open.get(0).getSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(open.get(0).getInsightName()).isEqualTo("ApplicationELB TargetResponseTime anomalous in application checkout-prod");
    }

    @Test
    void theSameResourceAndMetricWithANewCauseIsNoRepeat() {
        Anomaly first = reactive("a1", Severity.HIGH, T0, T0 + 2 * MIN, API, "Duration");
        in(first);
        in(closed(first, 1, T0 + 10 * MIN));
        c.advance(state, T0 + 20 * MIN, false);
        long later = T0 + 5 * 60 * MIN;
        in(deployment("d-NEW", "SUCCESS", later - 3 * MIN), later - 3 * MIN);
        List<InsightNotification> open = in(reactive("a2", Severity.MEDIUM, later, later + 2 * MIN, API, "Duration"));
        assertThat(open.get(0).getSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(open.get(0).getInsightName()).doesNotStartWith("Repeated Insight");
        assertThat(state.getInsights().get(0).getCauseEventId()).isEqualTo("codedeploy:d-NEW:SUCCESS");
    }

    @Test
    void aCauseNamedLateLiftsTheRepeat() {
        Anomaly first = reactive("a1", Severity.HIGH, T0, T0 + 2 * MIN, API, "Errors");
        in(first);
        in(closed(first, 1, T0 + 10 * MIN));
        c.advance(state, T0 + 20 * MIN, false);
        long later = T0 + 5 * 60 * MIN;
        assertThat(in(reactive("a2", Severity.HIGH, later, later + 2 * MIN, API, "Errors")).get(0).getSeverity()).isEqualTo(Severity.LOW);
        // CloudTrail delivers the configuration change that preceded it minutes later
        List<InsightNotification> late = in(cloudTrail("ct-9", "UpdateFunctionConfiguration20150331v2", EventClass.CONFIG_CHANGE, later - 40_000, API),
                later + 6 * MIN);
        assertThat(late).extracting(InsightNotification::getMessageType, InsightNotification::getSeverity)
                .startsWith(tuple(SEVERITY_UPGRADED, Severity.HIGH));
        assertThat(late.get(0).getInsightName()).isEqualTo("Lambda Errors anomalous in application checkout-prod");
        assertThat(state.getInsights().get(0).getRepeated()).isFalse();
    }

    @Test
    void proactiveAnomaliesOnDifferentLimitsAreSeparateInsightsAndOneLimitStaysInOne() {
        Anomaly leak = anomaly("p-mem", AnomalyKind.PROACTIVE, Severity.MEDIUM, AnomalyStatus.ONGOING, 0, T0, T0 + 30 * MIN, DB, "FreeableMemory", -1);
        Anomaly creep = anomaly("p-conc", AnomalyKind.PROACTIVE, Severity.MEDIUM, AnomalyStatus.ONGOING, 0, T0 + 8 * 60 * MIN, T0 + 8 * 60 * MIN + 30 * MIN,
                API, "ConcurrentExecutions", 1);
        Anomaly fill = anomaly("p-disk", AnomalyKind.PROACTIVE, Severity.HIGH, AnomalyStatus.ONGOING, 0, T0 + 9 * 60 * MIN, T0 + 9 * 60 * MIN + 30 * MIN,
                DB, "FreeStorageSpace", -1);
        assertThat(in(leak).get(0).getMessageType()).isEqualTo(NEW_INSIGHT);
        List<InsightNotification> second = in(creep);
        assertThat(second.get(0).getMessageType()).isEqualTo(NEW_INSIGHT);
        assertThat(second.get(0).getInsightId()).isEqualTo(insightId(APP, AnomalyKind.PROACTIVE, "p-conc"));
        assertThat(in(fill).get(0).getInsightId()).as("the same database, another limit").isEqualTo(insightId(APP, AnomalyKind.PROACTIVE, "p-disk"));
        assertThat(state.getInsights()).hasSize(3);
        // the memory forecast closed and opened again while its insight is in its close grace: the same insight
        in(closed(leak, 1, T0 + 60 * MIN));
        Anomaly again = anomaly("p-mem-2", AnomalyKind.PROACTIVE, Severity.MEDIUM, AnomalyStatus.ONGOING, 0, T0 + 65 * MIN, T0 + 65 * MIN, DB,
                "FreeableMemory", -1);
        List<InsightNotification> join = in(again);
        assertThat(join.get(0).getMessageType()).isEqualTo(NEW_ASSOCIATION);
        assertThat(join.get(0).getInsightId()).isEqualTo(insightId(APP, AnomalyKind.PROACTIVE, "p-mem"));
        assertThat(state.getInsights()).hasSize(3);
    }

    @Test
    void proactiveInsightsDoNotTimeOutAfterADayWithoutARevision() {
        Anomaly leak = anomaly("p-mem", AnomalyKind.PROACTIVE, Severity.MEDIUM, AnomalyStatus.ONGOING, 0, T0, T0 + 30 * MIN, DB, "FreeableMemory", -1);
        in(leak);
        assertThat(c.nextWakeUp(state)).isEqualTo(T0 + 30 * MIN + 7 * 24 * 60 * MIN);
        assertThat(c.advance(state, T0 + 30 * MIN + 3 * 24 * 60 * MIN, false)).isEmpty();
        assertThat(in(revised(leak, 1, T0 + 3 * 24 * 60 * MIN, Severity.HIGH))).extracting(InsightNotification::getMessageType)
                .containsExactly(SEVERITY_UPGRADED);
    }

    @Test
    void aChangeArrivingAfterTheInsightOpenedIsRelatedAndNamedAsTheCause() throws Exception {
        in(reactive("a1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Errors"));
        assertThat(state.getInsights().get(0).getCauseEventId()).isNull();
        List<InsightNotification> late = in(cloudTrail("ct-1", "UpdateFunctionConfiguration20150331v2", EventClass.CONFIG_CHANGE, T0 - 40_000, API),
                T0 + 6 * MIN);
        assertThat(late).extracting(InsightNotification::getMessageType, InsightNotification::getSequence, InsightNotification::getTime)
                .containsExactly(tuple(NEW_RECOMMENDATION, 2, T0 + 6 * MIN));
        JsonNode body = JSON.readTree(late.get(0).getBody());
        assertThat(body.get("recommendations")).extracting(r -> r.get("name").asText()).containsExactly(
                "Review the configuration change that preceded the anomalies", "Restore the Lambda function's memory and timeout");
        assertThat(body.get("insightDescription").asText()).contains("It began less than a minute after UpdateFunctionConfiguration20150331v2 on "
                + "Lambda function checkout-api by DeployRole/jane.doe at 2025-03-03 11:06 UTC: a likely cause.");
        assertThat(state.getInsights().get(0).getCauseEventId()).isEqualTo("ct-1");
        // the same event again (it touched two resources of the application): nothing new
        assertThat(in(cloudTrail("ct-1", "UpdateFunctionConfiguration20150331v2", EventClass.CONFIG_CHANGE, T0 - 40_000, API), T0 + 7 * MIN)).isEmpty();
        // an event after the onset minute, or older than the look-back, is not related
        in(cloudTrail("ct-2", "UpdateFunctionConfiguration20150331v2", EventClass.CONFIG_CHANGE, T0 + MIN, API), T0 + 8 * MIN);
        in(cloudTrail("ct-3", "ModifyDBInstance", EventClass.CONFIG_CHANGE, T0 - 61 * MIN, DB), T0 + 8 * MIN);
        assertThat(state.getInsights().get(0).getRelatedEvents()).extracting(e -> e.getId()).containsExactly("ct-1");
        assertThat(state.getRecentEvents()).extracting(e -> e.getId()).containsExactly("ct-3", "ct-1", "ct-2");
    }

    @Test
    void reactiveAndProactiveInsightsAreSeparate() {
        in(reactive("r1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration"));
        Anomaly leak = anomaly("p1", AnomalyKind.PROACTIVE, Severity.MEDIUM, AnomalyStatus.ONGOING, 0, T0 - 600 * MIN, T0 + 3 * MIN, DB, "FreeableMemory", -1);
        List<InsightNotification> p = in(leak);
        assertThat(p).extracting(InsightNotification::getMessageType, InsightNotification::getInsightType)
                .containsExactly(tuple(NEW_INSIGHT, AnomalyKind.PROACTIVE), tuple(NEW_RECOMMENDATION, AnomalyKind.PROACTIVE));
        assertThat(p.get(0).getInsightName()).isEqualTo("RDS FreeableMemory predicted to reach its limit in application checkout-prod");
        assertThat(p.get(0).getInsightId()).isEqualTo(insightId(APP, AnomalyKind.PROACTIVE, "p1"));
        assertThat(state.getInsights()).hasSize(2);
    }

    @Test
    void silentAnomaliesTimeOutButTheEndOfInputLeavesOngoingInsightsOpen() {
        in(reactive("r1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration"));
        assertThat(c.nextWakeUp(state)).isEqualTo(T0 + 2 * MIN + 24 * 60 * MIN);
        assertThat(c.advance(state, Long.MAX_VALUE, true)).as("end of input").isEmpty();
        assertThat(state.getInsights()).hasSize(1);
        List<InsightNotification> timeout = c.advance(state, T0 + 2 * MIN + 24 * 60 * MIN, false);
        assertThat(timeout).extracting(InsightNotification::getMessageType, InsightNotification::getTime)
                .containsExactly(tuple(CLOSED_INSIGHT, T0 + 2 * MIN + 24 * 60 * MIN));
        assertThat(state.getInsights()).isEmpty();
    }

    @Test
    void aPendingCloseHappensAtTheEndOfInput() {
        Anomaly a = reactive("r1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
        in(a);
        in(closed(a, 1, T0 + 5 * MIN));
        assertThat(c.advance(state, Long.MAX_VALUE, true)).extracting(InsightNotification::getMessageType, InsightNotification::getTime)
                .containsExactly(tuple(CLOSED_INSIGHT, T0 + 15 * MIN));
    }

    @Test
    void anAnomalyWithinTheCloseGraceJoinsTheInsight() {
        Anomaly a = reactive("r1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
        in(a);
        in(closed(a, 1, T0 + 5 * MIN));
        assertThat(in(reactive("r2", Severity.MEDIUM, T0 + 9 * MIN, T0 + 11 * MIN, API, "Errors")))
                .extracting(InsightNotification::getMessageType).startsWith(NEW_ASSOCIATION);
        assertThat(state.getInsights().get(0).getAllClosedAt()).isNull();
        assertThat(c.advance(state, T0 + 16 * MIN, false)).isEmpty();
    }

    @Test
    void anAnomalyReportedAfterTheInsightWasDueToCloseOpensANewInsightEvenBeforeTheCloseTimerFires() {
        Anomaly a = reactive("r1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
        in(a);
        in(closed(a, 1, T0 + 5 * MIN));
        // no advance(): the anomaly input runs ahead of the watermark; the insight was due at T0 + 15 min
        List<InsightNotification> out = in(reactive("r2", Severity.HIGH, T0 + 600 * MIN, T0 + 603 * MIN, API, "Errors"));
        assertThat(out).extracting(InsightNotification::getMessageType, InsightNotification::getTime)
                .startsWith(tuple(CLOSED_INSIGHT, T0 + 15 * MIN), tuple(NEW_INSIGHT, T0 + 603 * MIN));
        assertThat(out.get(0).getInsightId()).isEqualTo(insightId(APP, AnomalyKind.REACTIVE, "r1"));
        assertThat(out.get(1).getInsightId()).isEqualTo(insightId(APP, AnomalyKind.REACTIVE, "r2"));
        assertThat(state.getInsights()).hasSize(1);
        assertThat(state.getInsights().get(0).getAnomalies()).extracting(Anomaly::getId).containsExactly("r2");
        assertThat(c.advance(state, T0 + 16 * MIN, false)).as("the close timer firing late has nothing left to do").isEmpty();
    }

    @Test
    void closedRevisionsNeverOpenAnInsightAndStaleRevisionsAreIgnored() {
        Anomaly a = reactive("r1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
        assertThat(in(closed(a, 3, T0 + 5 * MIN))).isEmpty();
        assertThat(state.getInsights()).isEmpty();
        in(a);
        in(revised(a, 2, T0 + 4 * MIN, Severity.MEDIUM));
        assertThat(in(revised(a, 1, T0 + 3 * MIN, Severity.HIGH))).isEmpty();
        assertThat(state.getInsights().get(0).getAnomalies().get(0).getRevision()).isEqualTo(2);
        assertThat(state.getInsights().get(0).getAnomalies().get(0).getDatapoints()).as("datapoints are not kept").isEmpty();
    }

    @Test
    void newInsightBodyIsDevOpsGurusNotification() {
        List<InsightNotification> out = in(reactive("a-queue-age", Severity.HIGH, T0, T0 + 2 * MIN, QUEUE, "ApproximateAgeOfOldestMessage"));
        String id = insightId(APP, AnomalyKind.REACTIVE, "a-queue-age");
        assertThat(out.get(0).getBody()).isEqualTo("{\"accountId\":\"123456789012\",\"region\":\"us-east-1\",\"messageType\":\"NEW_INSIGHT\","
                + "\"insightId\":\"" + id + "\",\"insightName\":\"SQS ApproximateAgeOfOldestMessage anomalous in application checkout-prod\","
                + "\"insightUrl\":\"https://augur.local/insights/reactive/" + id + "\",\"insightType\":\"REACTIVE\","
                + "\"insightDescription\":\"At 2025-03-03 11:06 UTC, ApproximateAgeOfOldestMessage (Average) of SQS queue checkout-jobs rose unusually.\","
                + "\"insightSeverity\":\"high\",\"startTime\":1741000000000,\"startTimeISO\":\"2025-03-03T11:06:40Z\","
                + "\"anomalies\":[{\"id\":\"a-queue-age\",\"startTime\":1741000000000,\"startTimeISO\":\"2025-03-03T11:06:40Z\","
                + "\"openTime\":1741000120000,\"openTimeISO\":\"2025-03-03T11:08:40Z\",\"anomalySeverity\":\"high\",\"type\":\"CAUSAL\","
                + "\"name\":\"ApproximateAgeOfOldestMessage rose on AWS::SQS::Queue checkout-jobs\","
                + "\"sourceDetails\":[{\"dataSource\":\"CW_METRICS\",\"dataIdentifiers\":{\"namespace\":\"AWS/SQS\",\"name\":\"ApproximateAgeOfOldestMessage\","
                + "\"stat\":\"Average\",\"unit\":\"None\",\"period\":\"60\",\"dimensions\":\"{\\\"QueueName\\\":\\\"checkout-jobs\\\"}\"}}],"
                + "\"associatedResourceArns\":[\"arn:aws:sqs:us-east-1:123456789012:checkout-jobs\"],"
                + "\"anomalyResources\":[{\"type\":\"AWS::SQS::Queue\",\"name\":\"checkout-jobs\"}]}],"
                + "\"resourceCollection\":{\"cloudFormation\":{\"stackNames\":[\"checkout-prod\"]}},\"relatedEvents\":[]}");
    }

    @Test
    void tagApplicationsNameTheirBoundaryKeyInTheResourceCollection() throws Exception {
        InsightInput i = InsightInput.newBuilder(input("checkout", null, reactive("t1", Severity.HIGH, T0, T0 + MIN, API, "Errors")))
                .setTagKey("devops-guru-app").build();
        state = InsightCorrelator.newState(i);
        JsonNode body = JSON.readTree(c.process(state, i, T0 + MIN).get(0).getBody());
        assertThat(body.get("resourceCollection").toString()).isEqualTo("{\"tags\":[{\"appBoundaryKey\":\"devops-guru-app\",\"tagValues\":[\"checkout\"]}]}");
    }

    @Test
    void anInsightKeepsAtMostMaxAnomalies() {
        InsightSettings d = InsightSettings.defaults();
        InsightCorrelator small = new InsightCorrelator(new InsightSettings(d.closeGrace(), d.anomalyTimeout(), d.repeatWindow(), d.lookback(),
                d.causeWindow(), d.eventRetention(), d.maxRelatedEvents(), 2, d.maxRecentEvents(), d.urlTemplate()), RecommendationCatalog.loadDefault());
        List<InsightNotification> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            InsightInput x = input(APP, APP, reactive("m" + i, Severity.MEDIUM, T0, T0 + MIN + i, API, "Metric" + i));
            if (state == null) state = InsightCorrelator.newState(x);
            all.addAll(small.process(state, x, T0 + MIN + i));
        }
        assertThat(all).extracting(InsightNotification::getMessageType).containsExactly(NEW_INSIGHT, NEW_ASSOCIATION);
        assertThat(state.getInsights().get(0).getAnomalies()).hasSize(2);
    }
}
