package io.augur.ops.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.schema.InsightMessageType;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBudgetTest {
    @Test
    void aBodyThatFitsIsLeftByteForByte() {
        String body = InsightBodies.body("ins-1", InsightMessageType.NEW_INSIGHT, Severity.HIGH, 2, 5, 0).toString();
        JsonBudget.Fitted f = JsonBudget.fit(body, 256 * 1024);
        assertThat(f.truncated()).isFalse();
        assertThat(f.json()).isSameAs(body);
    }

    @Test
    void datapointsGoFirstThenRecommendationsAndAnomaliesStayAsLongAsPossible() throws Exception {
        String body = InsightBodies.body("ins-1", InsightMessageType.NEW_RECOMMENDATION, Severity.HIGH, 4, 2_000, 3).toString();
        assertThat(JsonBudget.utf8Length(body)).isGreaterThan(256 * 1024);
        JsonBudget.Fitted f = JsonBudget.fit(body, 256 * 1024);
        assertThat(f.truncated()).isTrue();
        assertThat(f.bytes()).isLessThanOrEqualTo(256 * 1024);
        JsonNode n = InsightBodies.MAPPER.readTree(f.json());
        assertThat(n.get("truncated").asBoolean()).isTrue();
        assertThat(n.get("anomalies")).hasSize(4);
        assertThat(n.get("recommendations")).hasSize(3);
        // halved until it fit: 2000 -> 1000 -> ... each anomaly keeps the same number of datapoints
        int kept = n.get("anomalies").get(0).get("datapoints").size();
        assertThat(kept).isBetween(1, 1999);
        for (JsonNode a : n.get("anomalies")) assertThat(a.get("datapoints")).hasSize(kept);
        assertThat(n.get("insightId").asText()).isEqualTo("ins-1");
        assertThat(n.get("messageType").asText()).isEqualTo("NEW_RECOMMENDATION");
    }

    @Test
    void aTightBudgetDropsArraysInOrderButKeepsTheIdentity() throws Exception {
        String body = InsightBodies.body("ins-2", InsightMessageType.NEW_INSIGHT, Severity.MEDIUM, 30, 50, 10).toString();
        JsonBudget.Fitted f = JsonBudget.fit(body, 2_000);
        assertThat(f.bytes()).isLessThanOrEqualTo(2_000);
        JsonNode n = InsightBodies.MAPPER.readTree(f.json());
        assertThat(n.get("recommendations")).isEmpty();
        assertThat(n.get("insightId").asText()).isEqualTo("ins-2");
        assertThat(n.get("accountId").asText()).isEqualTo("123456789012");
        assertThat(n.get("truncated").asBoolean()).isTrue();
        for (JsonNode a : n.get("anomalies")) assertThat(a.get("datapoints")).isEmpty();
    }

    @Test
    void longStringsAreCutWhenArraysAreNotEnoughAndTheResultIsStillJson() throws Exception {
        String huge = "x".repeat(10_000);
        String body = "{\"insightId\":\"i\",\"insightDescription\":\"" + huge + "\",\"anomalies\":[]}";
        JsonBudget.Fitted f = JsonBudget.fit(body, 1_000);
        assertThat(f.bytes()).isLessThanOrEqualTo(1_000);
        JsonNode n = InsightBodies.MAPPER.readTree(f.json());
        assertThat(n.get("insightDescription").asText()).endsWith("…").hasSizeLessThan(1_000);
        assertThat(n.get("insightId").asText()).isEqualTo("i");
    }

    @Test
    void multiByteCharactersAreCountedAsUtf8AndNeverSplit() throws Exception {
        String body = "{\"insightId\":\"i\",\"insightName\":\"" + "😀é".repeat(3_000) + "\"}";
        JsonBudget.Fitted f = JsonBudget.fit(body, 4_000);
        assertThat(f.bytes()).isLessThanOrEqualTo(4_000);
        assertThat(f.json().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(f.bytes());
        String name = InsightBodies.MAPPER.readTree(f.json()).get("insightName").asText();
        assertThat(name.codePoints().filter(c -> c == 0xFFFD)).isEmpty();
        assertThat(Character.isHighSurrogate(name.charAt(name.length() - 2))).isFalse();
    }

    @Test
    void notJsonIsWrappedNotBroken() throws Exception {
        JsonBudget.Fitted f = JsonBudget.fit("not json ".repeat(500), 300);
        assertThat(f.bytes()).isLessThanOrEqualTo(300);
        assertThat(InsightBodies.MAPPER.readTree(f.json()).get("truncated").asBoolean()).isTrue();
    }

    @Test
    void sameInputSameOutput() {
        String body = InsightBodies.body("ins-3", InsightMessageType.NEW_INSIGHT, Severity.LOW, 7, 300, 4).toString();
        assertThat(JsonBudget.fit(body, 10_000).json()).isEqualTo(JsonBudget.fit(body, 10_000).json());
    }
}
