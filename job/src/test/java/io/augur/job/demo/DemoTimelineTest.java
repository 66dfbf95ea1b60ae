package io.augur.job.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTimelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String type, String severity, String body) throws Exception {
        return JSON.readTree("{\"messageType\":\"" + type + "\",\"severity\":\"" + severity + "\",\"insightType\":\"REACTIVE\","
                + "\"insightName\":\"ApplicationELB TargetResponseTime anomalous in application search\",\"application\":\"search\","
                + "\"time\":1741081980000,\"body\":" + body + "}");
    }

    private static final String ANOMALIES = "\"anomalies\":[{\"anomalySeverity\":\"medium\",\"sourceDetails\":[{\"dataSource\":\"CW_METRICS\","
            + "\"dataIdentifiers\":{\"namespace\":\"AWS/ApplicationELB\",\"name\":\"TargetResponseTime\"}}],"
            + "\"associatedResourceArns\":[\"arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/search-alb/2\"],"
            + "\"anomalyResources\":[{\"name\":\"search-alb\",\"type\":\"AWS::ElasticLoadBalancingV2::LoadBalancer\"}]},"
            + "{\"anomalySeverity\":\"high\",\"sourceDetails\":[{\"dataIdentifiers\":{\"name\":\"HTTPCode_Target_5XX_Count\"}}]}]";
    private static final String DESCRIPTION = "\"insightDescription\":\"At 2025-03-04 09:50 UTC, TargetResponseTime (Average) of load balancer search-alb rose "
            + "unusually. It began 3 minutes after CodeDeploy deployment d-I6IN8I69X of search/search-prod (SUCCESS) at 2025-03-04 09:46 UTC: "
            + "a likely cause. Augur has detected this is a repeated insight.\"";

    @Test
    void newInsightShowsTimeApplicationTypeSeverityNameCauseAndItsAnomalies() throws Exception {
        assertThat(DemoTimeline.lines(event("NEW_INSIGHT", "HIGH", "{" + DESCRIPTION + "," + ANOMALIES + "}"), false)).containsExactly(
                "2025-03-04 09:53   search          NEW_INSIGHT        HIGH    REACTIVE   ApplicationELB TargetResponseTime anomalous in application search",
                "                   cause: 3 minutes after CodeDeploy deployment d-I6IN8I69X of search/search-prod (SUCCESS) at 2025-03-04 09:46 UTC",
                "                   TargetResponseTime of search-alb (medium) and 1 more");
    }

    @Test
    void recommendationsShowTheFirstAndHowManyMore() throws Exception {
        String body = "{\"insightDescription\":\"no cause here\",\"recommendations\":[{\"name\":\"Roll back the deployment\"},{\"name\":\"Check the logs\"}]}";
        assertThat(DemoTimeline.lines(event("NEW_RECOMMENDATION", "MEDIUM", body), false)).containsExactly(
                "2025-03-04 09:53   search          NEW_RECOMMENDATION MEDIUM  REACTIVE   ApplicationELB TargetResponseTime anomalous in application search",
                "                   recommendation: Roll back the deployment (+1 more)");
    }

    @Test
    void associationsAreOnlyShownWhenAskedFor() throws Exception {
        String body = "{\"anomalies\":[{\"anomalySeverity\":\"low\",\"sourceDetails\":[{\"dataIdentifiers\":{\"name\":\"Errors\"}}],"
                + "\"associatedResourceArns\":[\"arn:aws:lambda:us-east-1:1:function:api\"]}]}";
        assertThat(DemoTimeline.lines(event("NEW_ASSOCIATION", "LOW", body), false)).isEmpty();
        assertThat(DemoTimeline.lines(event("NEW_ASSOCIATION", "LOW", body), true)).last()
                .isEqualTo("                   + Errors of arn:aws:lambda:us-east-1:1:function:api (low)");
    }

    @Test
    void closedInsightShowsItsSpanAndAnomalyCount() throws Exception {
        String body = "{\"startTimeISO\":\"2025-03-04T09:50:00Z\",\"endTimeISO\":\"2025-03-04T10:41:00Z\"," + ANOMALIES + "}";
        assertThat(DemoTimeline.lines(event("CLOSED_INSIGHT", "LOW", body), false)).last()
                .isEqualTo("                   closed: 2 anomalies, 2025-03-04T09:50:00Z to 2025-03-04T10:41:00Z");
    }

    @Test
    void headerLinesUpWithTheColumns() {
        assertThat(DemoTimeline.header()).startsWith("event time (UTC)   application     message            sev.    type       insight");
    }
}
