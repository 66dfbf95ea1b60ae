package io.augur.ops.notify;

import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpsItemPlanTest {
    private static InsightNotification event(InsightMessageType t, int seq, Severity s, int anomalies, int recs) {
        return InsightBodies.notification("ins-42", t, seq, s, InsightBodies.body("ins-42", t, s, anomalies, 3, recs).toString());
    }

    @Test
    void newInsightCreatesAnItemWithDedupAndSearchableInsightId() {
        OpsItemChange c = OpsItemPlan.change(event(InsightMessageType.NEW_INSIGHT, 0, Severity.HIGH, 2, 0));
        assertThat(c.create()).isTrue();
        assertThat(c.title()).isEqualTo("DevOps Guru insight (Augur): Latency anomalies in AWS/Lambda and AWS/ApplicationELB in stack checkout");
        assertThat(c.severity()).isEqualTo("2");
        assertThat(c.operationalData()).containsEntry("/aws/dedup", "{\"dedupString\":\"ins-42\"}")
                .containsEntry("augur:insightId", "ins-42")
                .containsEntry("augur:notificationId", "ins-42:NEW_INSIGHT:0")
                .containsEntry("augur:insightUrl", "https://augur.example/insights/ins-42");
        assertThat(c.searchableKeys()).contains("augur:insightId");
        assertThat(c.actualStartTime()).isEqualTo(InsightBodies.START);
        assertThat(c.description()).startsWith("**Latency anomalies").contains("- Insight: ins-42")
                .contains("AWS/Lambda Duration (p99) {\"FunctionName\":\"checkout-0\"} since 2026-03-02T10:15:00Z");
    }

    @Test
    void theDescriptionIsCutAtALineToTheLimit() {
        OpsItemChange c = OpsItemPlan.change(event(InsightMessageType.NEW_INSIGHT, 0, Severity.HIGH, 200, 0));
        assertThat(c.description().length()).isLessThanOrEqualTo(2048).isGreaterThan(1900);
        assertThat(c.description()).endsWith("\n… (truncated)");
    }

    @Test
    void updatesChangeOnlyWhatTheEventIsAbout() {
        OpsItemChange sev = OpsItemPlan.change(event(InsightMessageType.SEVERITY_UPGRADED, 2, Severity.HIGH, 1, 0));
        assertThat(sev.create()).isFalse();
        assertThat(sev.severity()).isEqualTo("2");
        assertThat(sev.status()).isNull();
        assertThat(sev.description()).isNull();
        assertThat(sev.operationalData()).doesNotContainKey("/aws/dedup");

        OpsItemChange rec = OpsItemPlan.change(event(InsightMessageType.NEW_RECOMMENDATION, 3, Severity.HIGH, 1, 2));
        assertThat(rec.operationalData().get("augur:recommendations")).contains("Roll back deployment d-ABC123 1");
        assertThat(rec.severity()).isNull();

        OpsItemChange closed = OpsItemPlan.change(event(InsightMessageType.CLOSED_INSIGHT, 4, Severity.HIGH, 1, 0));
        assertThat(closed.status()).isEqualTo("Resolved");
        assertThat(closed.actualEndTime()).isEqualTo(InsightBodies.START + 3_600_000);
    }

    @Test
    void operationalDataValuesStayUnder20KB() {
        InsightNotification big = InsightBodies.notification("ins-42", InsightMessageType.NEW_ASSOCIATION, 1, Severity.LOW,
                InsightBodies.body("ins-42", InsightMessageType.NEW_ASSOCIATION, Severity.LOW, 20, 500, 0).toString());
        OpsItemChange c = OpsItemPlan.change(big);
        assertThat(JsonBudget.utf8Length(c.operationalData().get("augur:lastNotification"))).isLessThanOrEqualTo(20 * 1024);
    }

    @Test
    void sourcesNamingAwsAreRefused() {
        assertThat(OpsItemPlan.checkSource("Augur")).isNull();
        assertThat(OpsItemPlan.checkSource("my-AWS-tool")).contains("without 'aws', 'amazon' or 'amzn'");
        assertThat(OpsItemPlan.checkSource("Amazonian")).isNotNull();
        assertThat(OpsItemPlan.checkSource("amzn")).isNotNull();
    }

    @Test
    void theLookupFilterFindsTheItemByItsSearchableInsightId() {
        assertThat(OpsItemPlan.insightIdFilter("ins-42")).isEqualTo("{\"key\":\"augur:insightId\",\"value\":\"ins-42\"}");
    }
}
