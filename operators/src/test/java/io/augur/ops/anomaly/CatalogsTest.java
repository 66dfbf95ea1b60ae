package io.augur.ops.anomaly;

import io.augur.ops.anomaly.LimitCatalog.Limit;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalogs kept as data, the noise-control configuration, and what counts as a deviation. */
class CatalogsTest {
    @Test
    void severityRanksErrorsAndThrottlesAboveLatencyAboveUtilisation() {
        SeverityCatalog c = SeverityCatalog.builtIn();
        assertThat(c.lookup("AWS/Lambda", "Throttles")).extracting(SeverityCatalog.Rule::severity, SeverityCatalog.Rule::single).containsExactly(Severity.HIGH, true);
        assertThat(c.lookup("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count").severity()).isEqualTo(Severity.HIGH);
        assertThat(c.lookup("AWS/ApplicationELB", "TargetResponseTime")).extracting(SeverityCatalog.Rule::severity, SeverityCatalog.Rule::single).containsExactly(Severity.MEDIUM, false);
        assertThat(c.lookup("AWS/EC2", "CPUUtilization").severity()).isEqualTo(Severity.LOW);
        assertThat(c.lookup("AWS/EC2", "CPUUtilization").accepts(-1)).as("utilisation falling is no problem by itself").isFalse();
        assertThat(c.lookup("AWS/ApplicationELB", "RequestCount").accepts(-1)).as("lost traffic is").isTrue();
        // metrics the catalog does not name fall back on their names, then on LOW
        assertThat(c.lookup("MyApp", "CheckoutErrors").severity()).isEqualTo(Severity.HIGH);
        assertThat(c.lookup("MyApp", "QueryLatencyP99").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(c.lookup("MyApp", "Orders").severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void limitsComeFromTheCatalogWithConfiguredValuesAndPerSeriesOverrides() {
        LimitCatalog c = LimitCatalog.of(Map.of("lambda-concurrency", 500.0), "AWS/DynamoDB|ConsumedWriteCapacityUnits|TableName=orders=250;"
                + "MyApp|QueueDepth|rise=10000; AWS/Lambda|ConcurrentExecutions|FunctionName=worker=50", 60);
        c.validate();
        assertThat(c.limitFor("AWS/EC2", "CPUUtilization", Map.of("InstanceId", "i-1")))
                .isEqualTo(new Limit("Average", true, 100, true, Severity.LOW, "CPU fully used"));
        assertThat(c.limitFor("AWS/RDS", "FreeStorageSpace", Map.of()).rising()).isFalse();
        assertThat(c.limitFor("AWS/RDS", "FreeStorageSpace", Map.of()).value()).isZero();
        assertThat(c.limitFor("AWS/Lambda", "ConcurrentExecutions", Map.of("FunctionName", "api")).value()).as("configured account limit").isEqualTo(500);
        assertThat(c.limitFor("AWS/Lambda", "ConcurrentExecutions", Map.of("FunctionName", "worker")).value()).as("reserved concurrency").isEqualTo(50);
        assertThat(c.limitFor("AWS/DynamoDB", "ConsumedWriteCapacityUnits", Map.of("TableName", "orders")).value())
                .as("250 WCU per second = 15,000 units per one-minute Sum").isEqualTo(15_000);
        assertThat(c.limitFor("AWS/DynamoDB", "ConsumedWriteCapacityUnits", Map.of("TableName", "other")).value())
                .as("no provisioned capacity in the data: the per-table quota").isEqualTo(40_000 * 60);
        assertThat(c.limitFor("AWS/SQS", "ApproximateAgeOfOldestMessage", Map.of()).value()).as("4 days").isEqualTo(345_600);
        assertThat(c.limitFor("MyApp", "QueueDepth", Map.of())).isEqualTo(new Limit("Maximum", true, 10_000, false, Severity.MEDIUM, "configured limit"));
        assertThat(c.limitFor("AWS/Lambda", "Errors", Map.of())).isNull();

        assertThatThrownBy(() -> LimitCatalog.of(Map.of(), "MyApp|QueueDepth=10", 60).validate()).hasMessageContaining("add |rise or |drop");
        assertThatThrownBy(() -> LimitCatalog.of(Map.of(), "AWS/EC2|CPUUtilization=lots", 60)).hasMessageContaining("'lots' is not a number");
    }

    @Test
    void dynamoDbCapacityLimitsComeFromTheTablesProvisionedCapacityMetrics() {
        LimitCatalog c = LimitCatalog.of(Map.of(), "AWS/DynamoDB|ConsumedWriteCapacityUnits|TableName=orders=250", 60);
        assertThat(c.reportedLimitOf("AWS/DynamoDB", "ProvisionedWriteCapacityUnits"))
                .isEqualTo(new LimitCatalog.ReportedLimit("ConsumedWriteCapacityUnits", "Sum"));
        assertThat(c.reportedLimitOf("AWS/DynamoDB", "ProvisionedReadCapacityUnits"))
                .isEqualTo(new LimitCatalog.ReportedLimit("ConsumedReadCapacityUnits", "Sum"));
        assertThat(c.reportedLimitOf("AWS/DynamoDB", "ConsumedWriteCapacityUnits")).isNull();
        assertThat(c.reportedLimitOf("AWS/RDS", "ProvisionedWriteCapacityUnits")).isNull();
        assertThat(c.limitFor("AWS/DynamoDB", "ConsumedWriteCapacityUnits", Map.of("TableName", "t"), 105.0).value())
                .as("105 WCU per second reported = 6,300 units per one-minute Sum").isEqualTo(6_300);
        assertThat(c.limitFor("AWS/DynamoDB", "ConsumedReadCapacityUnits", Map.of("TableName", "t"), null).value())
                .as("nothing reported yet: the per-table quota").isEqualTo(40_000 * 60);
        assertThat(c.limitFor("AWS/DynamoDB", "ConsumedWriteCapacityUnits", Map.of("TableName", "orders"), 105.0).value())
                .as("a configured per-table limit wins").isEqualTo(15_000);
        assertThat(c.limitFor("AWS/RDS", "FreeStorageSpace", Map.of(), 5.0).value()).as("no metric reports this limit").isZero();
    }

    @Test
    void maintenanceWindowsAreIntervalsOrWeeklyWindowsOptionallyScopedByArn() {
        MaintenanceWindows w = MaintenanceWindows.parse("SUN 02:00-04:00; MON-FRI 23:30-00:30 on arn:aws:rds:*:db:orders-*;"
                + " 2025-03-04T10:00:00Z/2025-03-04T11:00:00Z on arn:aws:lambda:*");
        String db = "arn:aws:rds:us-east-1:1:db:orders-db", fn = "arn:aws:lambda:us-east-1:1:function:f";
        assertThat(w.covers(fn, at("2025-03-09T03:00:00Z"))).as("Sunday 03:00, every resource").isTrue();
        assertThat(w.covers(fn, at("2025-03-09T04:00:00Z"))).isFalse();
        assertThat(w.covers(db, at("2025-03-07T23:45:00Z"))).as("Friday 23:45").isTrue();
        assertThat(w.covers(db, at("2025-03-08T00:15:00Z"))).as("Saturday 00:15, the end of Friday's window").isTrue();
        assertThat(w.covers(db, at("2025-03-09T00:15:00Z"))).as("Sunday 00:15: Saturday has no window").isFalse();
        assertThat(w.covers(fn, at("2025-03-07T23:45:00Z"))).as("not the database").isFalse();
        assertThat(w.covers(fn, at("2025-03-04T10:30:00Z"))).isTrue();
        assertThat(w.covers(db, at("2025-03-04T10:30:00Z"))).isFalse();
        assertThat(MaintenanceWindows.parse("").covers(fn, 0)).isFalse();
        assertThatThrownBy(() -> MaintenanceWindows.parse("sometimes")).hasMessageContaining("<DAYS> HH:MM-HH:MM");
    }

    @Test
    void deploymentGroupsMapToTheirConfiguredResources() {
        DeploymentTargets t = DeploymentTargets.parse("orders/orders-prod=arn:aws:lambda:us-east-1:1:function:orders-api,arn:aws:lambda:us-east-1:1:function:orders-worker");
        assertThat(t.targetsOf("arn:aws:codedeploy:us-east-1:1:deploymentgroup:orders/orders-prod")).hasSize(2);
        assertThat(t.targetsOf("arn:aws:codedeploy:us-east-1:1:deploymentgroup:other/prod")).isEmpty();
        assertThatThrownBy(() -> DeploymentTargets.parse("orders=arn:x")).hasMessageContaining("<application>/<deployment group>=");
    }

    @Test
    void aDeviationIsBeyondTheBandAndARealChange() {
        // 5xx: 2 where 1 was expected is beyond a narrow band but within Poisson noise
        assertThat(Deviation.deviates(2, 1, 0.9995, 1.0005, 1, "Count", 0.1)).isFalse();
        assertThat(Deviation.deviates(43, 3, 1, 5, 1, "Count", 0.1)).isTrue();
        // a tiny relative change of a big number is no deviation
        assertThat(Deviation.deviates(56_514_295_965.0, 56_518_915_319.0, 56_517_000_000.0, 56_520_000_000.0, -1, "Bytes", 0.1)).isFalse();
        assertThat(Deviation.deviates(300, 100, 90, 110, 1, "Milliseconds", 0.1)).isTrue();
        assertThat(Deviation.deviates(300, 100, 90, 110, -1, "Milliseconds", 0.1)).as("wrong direction").isFalse();
        // an expectation below 0 (a trend extrapolated too far) is 0 for a metric that cannot be negative
        assertThat(Deviation.deviates(0, -1713, -2795, -631, 1, "Count", 0.1)).isFalse();
        // onsets: the change counts, not the band (the detector scored them on evidence of its own)
        assertThat(Deviation.changed(43, 3, 1, "Count", 0.1)).isTrue();
        assertThat(Deviation.changed(3, 2, 1, "Count", 0.1)).isFalse();
        // later datapoints keep half of the onset's deviation: after a spike to 4855 where 1580 was expected, 2000 is noise
        assertThat(Deviation.persists(2000, 1580, 1400, 1700, 1, "Count", 0.2, 4855 - 1580)).isFalse();
        assertThat(Deviation.persists(4000, 1580, 1400, 1700, 1, "Count", 0.2, 4855 - 1580)).isTrue();
    }

    @Test
    void anAnomalyKeepsItsContextBeforeTheStartAndItsNewestDatapoints() {
        List<io.augur.schema.MetricValue> values = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) Anomalies.insert(values, io.augur.schema.MetricValue.newBuilder().setTimestamp(i).setValue(i).build(), 1000);
        List<io.augur.schema.MetricValue> b = Anomalies.bounded(values, 50, 10, 30);
        assertThat(b).extracting(io.augur.schema.MetricValue::getTimestamp).containsExactly(
                40L, 41L, 42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L, 50L, 51L, 52L, 53L, 54L,
                85L, 86L, 87L, 88L, 89L, 90L, 91L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L);
        assertThat(AnomalyIds.id("k", io.augur.schema.AnomalyKind.REACTIVE, 5)).isEqualTo(AnomalyIds.id("k", io.augur.schema.AnomalyKind.REACTIVE, 5))
                .isNotEqualTo(AnomalyIds.id("k", io.augur.schema.AnomalyKind.PROACTIVE, 5));
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }
}
