package io.augur.ops.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationPayloadsTest {
    @Test
    void detailTypesAreDevOpsGurus() {
        assertThat(DevOpsGuruNames.detailType(InsightMessageType.NEW_INSIGHT)).isEqualTo("DevOps Guru New Insight Open");
        assertThat(DevOpsGuruNames.detailType(InsightMessageType.NEW_ASSOCIATION)).isEqualTo("DevOps Guru New Anomaly Association");
        assertThat(DevOpsGuruNames.detailType(InsightMessageType.SEVERITY_UPGRADED)).isEqualTo("DevOps Guru Insight Severity Upgraded");
        assertThat(DevOpsGuruNames.detailType(InsightMessageType.NEW_RECOMMENDATION)).isEqualTo("DevOps Guru New Recommendation Created");
        assertThat(DevOpsGuruNames.detailType(InsightMessageType.CLOSED_INSIGHT)).isEqualTo("DevOps Guru Insight Closed");
    }

    @Test
    void opsItemSeverityFollowsTheInsight() {
        assertThat(DevOpsGuruNames.opsItemSeverity(Severity.HIGH)).isEqualTo("2");
        assertThat(DevOpsGuruNames.opsItemSeverity(Severity.MEDIUM)).isEqualTo("3");
        assertThat(DevOpsGuruNames.opsItemSeverity(Severity.LOW)).isEqualTo("4");
    }

    @Test
    void snsAttributesCarryTheFilterFieldsAndTheId() {
        InsightNotification n = InsightBodies.notification("ins-1", InsightMessageType.SEVERITY_UPGRADED, 2, Severity.HIGH, "{}");
        assertThat(NotificationPayloads.snsAttributes(n)).containsExactly(
                org.assertj.core.api.Assertions.entry("MessageType", "SEVERITY_UPGRADED"),
                org.assertj.core.api.Assertions.entry("Severity", "HIGH"),
                org.assertj.core.api.Assertions.entry("InsightType", "REACTIVE"),
                org.assertj.core.api.Assertions.entry("NotificationId", "ins-1:SEVERITY_UPGRADED:2"));
    }

    @Test
    void snsMessagesFitTheLimitWithTheirAttributes() {
        String big = InsightBodies.body("ins-1", InsightMessageType.NEW_INSIGHT, Severity.HIGH, 5, 3_000, 0).toString();
        InsightNotification n = InsightBodies.notification("ins-1", InsightMessageType.NEW_INSIGHT, 0, Severity.HIGH, big);
        InsightNotification fitted = NotificationPayloads.forSns(n);
        assertThat(NotificationPayloads.snsBytes(fitted)).isLessThanOrEqualTo(256 * 1024).isGreaterThan(128 * 1024); // halving keeps more than half the budget
        assertThat(fitted.getBody()).contains("\"truncated\":true");
        assertThat(n.getBody()).isEqualTo(big); // the input is not changed
        InsightNotification small = InsightBodies.notification("ins-1", InsightMessageType.NEW_INSIGHT, 0, Severity.HIGH, "{\"insightId\":\"ins-1\"}");
        assertThat(NotificationPayloads.forSns(small)).isSameAs(small);
    }

    @Test
    void eventBridgeDetailIsTheBodyPlusTheNotificationIdAndFitsTheEntryLimit() throws Exception {
        String body = InsightBodies.body("ins-9", InsightMessageType.NEW_ASSOCIATION, Severity.MEDIUM, 2, 3, 0).toString();
        InsightNotification n = InsightBodies.notification("ins-9", InsightMessageType.NEW_ASSOCIATION, 1, Severity.MEDIUM, body);
        InsightNotification e = NotificationPayloads.forEventBridge(n, "augur.devops-guru");
        JsonNode d = InsightBodies.MAPPER.readTree(e.getBody());
        assertThat(d.get("notificationId").asText()).isEqualTo("ins-9:NEW_ASSOCIATION:1");
        ((com.fasterxml.jackson.databind.node.ObjectNode) d).remove("notificationId");
        assertThat(d).isEqualTo(InsightBodies.MAPPER.readTree(body));

        String big = InsightBodies.body("ins-9", InsightMessageType.NEW_INSIGHT, Severity.MEDIUM, 5, 3_000, 0).toString();
        InsightNotification large = NotificationPayloads.forEventBridge(
                InsightBodies.notification("ins-9", InsightMessageType.NEW_INSIGHT, 0, Severity.MEDIUM, big), "augur.devops-guru");
        assertThat(NotificationPayloads.eventBridgeBytes(large, "augur.devops-guru")).isLessThanOrEqualTo(256 * 1024);
        assertThat(InsightBodies.MAPPER.readTree(large.getBody()).get("notificationId").asText()).isEqualTo("ins-9:NEW_INSIGHT:0");
    }

    @Test
    void fifoIdsAreUsedAsIsWhenValidAndHashedOtherwise() {
        assertThat(FifoIds.of("ins-1:NEW_INSIGHT:0")).isEqualTo("ins-1:NEW_INSIGHT:0");
        String hashed = FifoIds.of("insight with spaces");
        assertThat(hashed).hasSize(64).matches("[0-9a-f]+").isEqualTo(FifoIds.of("insight with spaces"));
        assertThat(FifoIds.of("x".repeat(129))).hasSize(64);
        assertThat(FifoIds.of("x".repeat(128))).hasSize(128);
    }

    @Test
    void filtersOnSeverityAndMessageType() {
        NotificationFilter f = new NotificationFilter(java.util.EnumSet.of(Severity.HIGH),
                java.util.EnumSet.of(InsightMessageType.NEW_INSIGHT, InsightMessageType.CLOSED_INSIGHT));
        assertThat(f.accepts(InsightBodies.notification("i", InsightMessageType.NEW_INSIGHT, 0, Severity.HIGH, "{}"))).isTrue();
        assertThat(f.accepts(InsightBodies.notification("i", InsightMessageType.NEW_INSIGHT, 0, Severity.LOW, "{}"))).isFalse();
        assertThat(f.accepts(InsightBodies.notification("i", InsightMessageType.NEW_ASSOCIATION, 1, Severity.HIGH, "{}"))).isFalse();
        assertThat(NotificationFilter.all().acceptsEverything()).isTrue();
        assertThat(f.acceptsEverything()).isFalse();
    }
}
