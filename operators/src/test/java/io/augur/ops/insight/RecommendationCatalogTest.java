package io.augur.ops.insight;

import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;
import io.augur.schema.Resource;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.augur.ops.testing.InsightFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The shipped catalog against the anomalies each simulator incident kind produces, and the services the issue names. */
class RecommendationCatalogTest {
    private final RecommendationCatalog catalog = RecommendationCatalog.loadDefault();

    private List<String> ids(ChangeEvent cause, Anomaly... anomalies) {
        List<Anomaly> as = List.of(anomalies);
        OpenInsightCausal causal = new OpenInsightCausal(as);
        return catalog.match(as, causal.id, cause, "app").stream().map(Recommendation::ruleId).toList();
    }

    /** The causal anomaly as the correlator picks it. */
    private record OpenInsightCausal(String id) {
        OpenInsightCausal(List<Anomaly> as) {
            this(InsightCorrelator.causalId(io.augur.schema.OpenInsight.newBuilder().setId("i").setKind(as.get(0).getKind()).setSeverity(Severity.LOW)
                    .setStartTime(0).setOpenTime(0).setName("").setDescription("").setAnomalies(as).setLastUpdate(0).build()));
        }
    }

    private static Anomaly up(String id, Resource r, String metric) {
        return reactive(id, Severity.MEDIUM, T0, T0 + 2 * MIN, r, metric);
    }

    private static Anomaly trend(String id, Resource r, String metric, int direction) {
        return anomaly(id, AnomalyKind.PROACTIVE, Severity.MEDIUM, AnomalyStatus.ONGOING, 0, T0, T0, r, metric, direction);
    }

    @Test
    void deploymentRegression() {
        assertThat(ids(deployment("d-1", "SUCCESS", T0 - MIN), up("a", API, "Duration"), up("b", API, "Errors"),
                up("c", ALB, "TargetResponseTime"), up("d", ALB, "HTTPCode_Target_5XX_Count")))
                .containsExactly("deployment-rollback", "lambda-duration-near-timeout", "lambda-errors", "alb-5xx", "alb-latency");
        assertThat(ids(deployment("d-1", "SUCCESS", T0 - MIN), up("a", INSTANCE, "CPUUtilization")))
                .containsExactly("deployment-rollback", "ec2-cpu");
    }

    @Test
    void badConfigChangeOfAFunctionOrADatabase() {
        assertThat(ids(cloudTrail("e", "UpdateFunctionConfiguration20150331v2", EventClass.CONFIG_CHANGE, T0 - MIN, API),
                up("a", API, "Duration"), up("b", API, "Errors")))
                .containsExactly("config-change-review", "lambda-config-memory-timeout", "lambda-duration-near-timeout", "lambda-errors");
        assertThat(ids(cloudTrail("e", "ModifyDBInstance", EventClass.CONFIG_CHANGE, T0 - MIN, DB), up("a", DB, "CPUUtilization"),
                up("b", DB, "DBLoad"), up("c", DB, "ReadLatency")))
                .containsExactly("config-change-review", "rds-instance-class-change", "rds-dbload-above-vcpus", "rds-cpu", "rds-latency");
    }

    @Test
    void trafficSurge() {
        assertThat(ids(null, up("a", ALB, "RequestCount"), up("b", API, "Invocations"), up("c", API, "Throttles"), up("d", TABLE, "ThrottledRequests")))
                .containsExactly("lambda-throttles", "dynamodb-throttling", "traffic-surge-scale");
    }

    @Test
    void dependencyFailureStartsAtTheDatabase() {
        assertThat(ids(null, up("a", DB, "ReadLatency"), up("b", API, "Duration"), up("c", ALB, "HTTPCode_Target_5XX_Count"),
                up("d", QUEUE, "ApproximateAgeOfOldestMessage")))
                .containsExactly("rds-latency", "lambda-duration-near-timeout", "alb-5xx", "sqs-message-age", "dependency-slow-database");
        assertThat(ids(null, up("a", TABLE, "SuccessfulRequestLatency"), up("b", API, "Errors")))
                .containsExactly("lambda-errors", "dynamodb-latency", "dependency-slow-database");
        assertThat(ids(null, up("a", DB, "ReadLatency"))).as("one resource: no cascade").containsExactly("rds-latency");
    }

    @Test
    void proactiveExhaustions() {
        assertThat(ids(null, trend("a", DB, "FreeableMemory", -1))).containsExactly("rds-memory-running-out");
        assertThat(ids(null, trend("a", DB, "FreeStorageSpace", -1))).containsExactly("rds-storage-running-out");
        assertThat(ids(null, trend("a", TABLE, "ConsumedWriteCapacityUnits", 1))).containsExactly("dynamodb-capacity");
        assertThat(ids(null, trend("a", API, "ConcurrentExecutions", 1))).containsExactly("lambda-concurrency-limit");
    }

    @Test
    void theOtherServiceProblemsTheIssueNames() {
        assertThat(ids(null, up("a", DB, "DatabaseConnections"))).containsExactly("rds-connections");
        assertThat(ids(null, up("a", INSTANCE, "EBSWriteOps"))).containsExactly("ec2-disk");
        assertThat(ids(null, up("a", QUEUE, "ApproximateNumberOfMessagesVisible"))).containsExactly("sqs-message-age");
        assertThat(ids(null, up("a", TABLE, "ConsumedReadCapacityUnits"))).containsExactly("dynamodb-capacity");
        assertThat(ids(null, up("a", API, "ConcurrentExecutions"))).containsExactly("lambda-concurrency-limit");
    }

    @Test
    void everyRuleIsCompleteAndLinksToAwsDocumentation() {
        assertThat(catalog.rules()).hasSize(24);
        assertThat(catalog.rules()).allSatisfy(r -> {
            assertThat(r.link()).startsWith("https://docs.aws.amazon.com/");
            assertThat(r.name()).isNotBlank();
            assertThat(r.description()).isNotBlank();
            assertThat(r.reason()).isNotBlank();
        });
    }
}
