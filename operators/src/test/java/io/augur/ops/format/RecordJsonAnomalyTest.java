package io.augur.ops.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.anomaly.Anomalies;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.MetricValue;
import io.augur.schema.Resource;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordJsonAnomalyTest {
    static final Resource DB = Resource.newBuilder().setType("AWS::RDS::DBInstance").setName("orders-db").setArn("arn:aws:rds:us-east-1:1:db:orders-db").build();
    static final MetricDatapoint DP = MetricDatapoint.newBuilder().setSeriesId("s").setAccountId("123456789012").setRegion("us-east-1")
            .setNamespace("AWS/RDS").setMetricName("FreeStorageSpace").setDimensions(Map.of("DBInstanceIdentifier", "orders-db"))
            .setTimestamp(0).setMin(1).setMax(1).setSum(1).setCount(1).setUnit("Bytes").setResource(DB).build();

    @Test
    void aProactiveAnomalyUsesDevOpsGurusFieldNames() throws Exception {
        Anomaly a = Anomalies.open("s|Average", DP, "Minimum", AnomalyKind.PROACTIVE, 1_741_000_000_000L, 1_741_000_900_000L, 900)
                .setSeverity(Severity.HIGH).setDirection(-1).setPeakScore(0.9).setLimit(0.0)
                .setPredictionStart(1_741_100_000_000L).setPredictionEnd(1_741_200_000_000L)
                .setDatapoints(List.of(MetricValue.newBuilder().setTimestamp(1_741_000_000_000L).setValue(5e9).setExpected(5.1e9).build()))
                .setName("n").setDescription("d").build();
        JsonNode j = RecordJson.mapper().readTree(RecordJson.anomaly(a));
        assertThat(j.get("Id").asText()).isEqualTo(a.getId());
        assertThat(j.get("Severity").asText()).isEqualTo("HIGH");
        assertThat(j.get("Status").asText()).isEqualTo("ONGOING");
        assertThat(j.get("AnomalyTimeRange").get("StartTime").asText()).isEqualTo("2025-03-03T11:06:40Z");
        assertThat(j.get("AnomalyTimeRange").has("EndTime")).isFalse();
        assertThat(j.get("AnomalyReportedTimeRange").get("OpenTime").asText()).isEqualTo("2025-03-03T11:21:40Z");
        assertThat(j.get("PredictionTimeRange").get("StartTime").asText()).isEqualTo("2025-03-04T14:53:20Z");
        assertThat(j.get("Limit").asDouble()).isZero();
        JsonNode m = j.get("SourceDetails").get("CloudWatchMetrics").get(0);
        assertThat(m.get("Namespace").asText()).isEqualTo("AWS/RDS");
        assertThat(m.get("Dimensions").get(0).get("Name").asText()).isEqualTo("DBInstanceIdentifier");
        assertThat(m.get("Stat").asText()).isEqualTo("Minimum");
        assertThat(m.get("Period").asInt()).isEqualTo(900);
        assertThat(m.get("MetricDataSummary").get("TimestampMetricValuePairList").get(0).get("MetricValue").asDouble()).isEqualTo(5e9);
        assertThat(m.get("MetricDataSummary").get("StatusCode").asText()).isEqualTo("Complete");
        assertThat(j.get("SourceMetadata").get("SourceResourceType").asText()).isEqualTo("AWS::RDS::DBInstance");
        assertThat(j.get("AnomalyResources").get(0).get("Name").asText()).isEqualTo("orders-db");
        assertThat(j.get("ResourceArn").asText()).isEqualTo(DB.getArn());

        Anomaly closed = Anomalies.revise(Anomaly.newBuilder(a).setKind(AnomalyKind.REACTIVE).build(), 1_741_001_000_000L)
                .setStatus(AnomalyStatus.CLOSED).setEndTime(1_741_000_960_000L).setCloseTime(1_741_001_000_000L).build();
        JsonNode c = RecordJson.mapper().readTree(RecordJson.anomaly(closed));
        assertThat(c.get("Revision").asInt()).isEqualTo(1);
        assertThat(c.get("AnomalyReportedTimeRange").get("CloseTime").asText()).isEqualTo("2025-03-03T11:23:20Z");
        assertThat(c.has("PredictionTimeRange")).as("reactive anomalies have no prediction").isFalse();
        assertThat(c.has("SourceMetadata")).isFalse();
    }
}
