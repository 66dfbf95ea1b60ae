package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalyIds;
import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.LimitCatalog;
import io.augur.ops.anomaly.MaintenanceWindows;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ExhaustionForecast;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import io.augur.schema.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.augur.ops.flink.anomaly.Points.MIN;
import static io.augur.ops.flink.anomaly.Points.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ProactiveAnomaliesHarnessTest {
    static final Resource DB = Resource.newBuilder().setType("AWS::RDS::DBInstance").setName("orders-db")
            .setArn("arn:aws:rds:us-east-1:123456789012:db:orders-db").build();
    static final String SERIES = "123456789012|us-east-1|AWS/RDS|FreeStorageSpace|DBInstanceIdentifier=orders-db";
    static final String KEY = SERIES + "|Average";
    static final double GB = 1 << 30;
    /** Storage fills from minute 600 and is full at minute 600 + 1200; 100 GB are added at minute 1900. */
    static final int FILL_FROM = 600, FULL_AT = 1800, ADDED_AT = 1900;

    static ScoredDatapoint storage(int minute, double free) {
        MetricDatapoint dp = MetricDatapoint.newBuilder().setSeriesId(SERIES).setAccountId("123456789012").setRegion("us-east-1")
                .setNamespace("AWS/RDS").setMetricName("FreeStorageSpace").setDimensions(Map.of("DBInstanceIdentifier", "orders-db"))
                .setTimestamp(T0 + minute * MIN).setMin(free).setMax(free).setSum(free).setCount(1).setUnit("Bytes").setResource(DB).build();
        return Points.scored(dp, "Average", free, free, free * 0.99, free * 1.01, 0.1);
    }

    static double free(int minute, Random rnd) {
        double f = minute < FILL_FROM ? 40 * GB : minute < FULL_AT ? 40 * GB * (1 - (minute - FILL_FROM) / (double) (FULL_AT - FILL_FROM))
                : minute < ADDED_AT ? 0 : 100 * GB;
        return Math.max(0, f + 0.01 * GB * rnd.nextGaussian());
    }

    private static List<Anomaly> run(int minutes, boolean outOfOrder) throws Exception {
        try (ProactiveChain chain = new ProactiveChain(AnomalySettings.defaults(), LimitCatalog.builtIn(), MaintenanceWindows.none())) {
            Random rnd = new Random(3);
            double[] free = new double[minutes];
            for (int m = 0; m < minutes; m++) free[m] = free(m, rnd);
            for (int m = 0; m < minutes; m++) {
                // out of order: every pair of minutes arrives newest first, the watermark 5 minutes behind
                int i = outOfOrder ? (m % 2 == 0 ? Math.min(m + 1, minutes - 1) : m - 1) : m;
                chain.point(storage(i, free[i]));
                chain.watermark(T0 + (outOfOrder ? m - 5 : m) * MIN);
            }
            chain.watermark(T0 + (minutes + 60 * 24) * MIN);
            assertThat(chain.lifecycle.numEventTimeTimers()).as("timers after the close").isZero();
            assertThat(chain.lifecycle.numKeyedStateEntries()).as("state after the close").isZero();
            return chain.anomalies();
        }
    }

    @Test
    void aFillingDiskOpensOneProactiveAnomalyBeforeItIsFullAndClosesWhenStorageIsAdded() throws Exception {
        List<Anomaly> out = run(2400, false);
        long full = T0 + FULL_AT * MIN;
        Anomaly open = out.get(0);
        assertThat(out).extracting(Anomaly::getId).containsOnly(open.getId());
        assertThat(open.getKind()).isEqualTo(AnomalyKind.PROACTIVE);
        assertThat(open.getRevision()).isZero();
        assertThat(open.getStatus()).isEqualTo(AnomalyStatus.ONGOING);
        assertThat(open.getId()).isEqualTo(AnomalyIds.id(KEY, AnomalyKind.PROACTIVE, open.getStartTime()));
        assertThat(open.getStat()).isEqualTo("Minimum");
        assertThat(open.getLimit()).isEqualTo(0.0);
        assertThat(open.getDirection()).isEqualTo(-1);
        assertThat(open.getPeriod()).as("the forecaster's bucket").isEqualTo(900);
        assertThat(open.getSeverity()).as("storage full: HIGH in the catalog").isEqualTo(Severity.HIGH);
        assertThat(open.getStartTime()).as("the first of three agreeing forecasts").isEqualTo(at("2025-03-04T02:45:00Z"));
        assertThat(open.getOpenTime()).as("5 h 15 min into the 20-hour fill, 14 h 45 min before the disk is full").isEqualTo(at("2025-03-04T03:15:00Z"));
        assertThat(open.getPredictionStart()).isEqualTo(at("2025-03-04T17:43:29.717Z"));
        assertThat(open.getPredictionEnd()).isEqualTo(at("2025-03-04T18:21:02.502Z"));
        assertThat(open.getPredictionStart()).isLessThanOrEqualTo(full);
        assertThat(open.getPredictionEnd()).isGreaterThanOrEqualTo(full);
        assertThat(open.getName()).isEqualTo("FreeStorageSpace of AWS::RDS::DBInstance orders-db is falling towards its limit");
        assertThat(open.getDescription()).contains("forecast to reach its limit of 0 Bytes (storage full: writes fail) between 2025-03-04T17:43:29.717Z and 2025-03-04T18:21:02.502Z");
        assertThat(open.getDatapoints()).hasSize(30).allSatisfy(v -> assertThat(v.getExpected()).isNotNull());

        // one revision when the limit is reached (the forecast moved from "in 14 h" to "now"), then the close once storage
        // was added (minute 1900 = 19:40) and three forecasts in a row no longer reach 0
        assertThat(out).extracting(Anomaly::getRevision, Anomaly::getStatus, Anomaly::getUpdateTime).containsExactly(
                tuple(0, AnomalyStatus.ONGOING, at("2025-03-04T03:15:00Z")),
                tuple(1, AnomalyStatus.ONGOING, at("2025-03-04T18:00:00Z")),
                tuple(2, AnomalyStatus.CLOSED, at("2025-03-04T21:15:00Z")));
        assertThat(out.get(1).getPredictionStart()).isEqualTo(full);
        assertThat(out.get(2).getEndTime()).isEqualTo(at("2025-03-04T21:15:00Z"));
        assertThat(out.get(2).getCloseTime()).isEqualTo(at("2025-03-04T21:15:00Z"));
    }

    @Test
    void outOfOrderDeliveryGivesTheSameAnomalies() throws Exception {
        assertThat(run(2400, true)).isEqualTo(run(2400, false));
    }

    @Test
    void aDiskWithNormalSlowGrowthRaisesNothing() throws Exception {
        try (ProactiveChain chain = new ProactiveChain(AnomalySettings.defaults(), LimitCatalog.builtIn(), MaintenanceWindows.none())) {
            Random rnd = new Random(4);
            for (int m = 0; m < 3 * 1440; m++) {
                // 40 GB free, 0.5 GB written a day: full in 80 days, far beyond the 7-day horizon
                chain.point(storage(m, 40 * GB - 0.5 * GB * m / 1440 + 0.01 * GB * rnd.nextGaussian()));
                chain.watermark(T0 + m * MIN);
            }
            assertThat(chain.forecasts()).hasSizeGreaterThan(250).noneMatch(ExhaustionForecast::getReaches);
            assertThat(chain.forecasts().get(100).getSlopePerHour()).isCloseTo(-0.5 * GB / 24, org.assertj.core.data.Percentage.withPercentage(10));
            assertThat(chain.anomalies()).isEmpty();
        }
    }

    @Test
    void aSlowLeakOpensAtMediumAndIsRevisedToHighOnceTheLimitMayBeReachedWithinADay() throws Exception {
        try (ProactiveChain chain = new ProactiveChain(AnomalySettings.defaults(), LimitCatalog.builtIn(), MaintenanceWindows.none())) {
            Random rnd = new Random(5);
            for (int m = 0; m < 3 * 1440; m++) {
                // FreeableMemory: 8 GB free, falling to 0 over 48 hours from hour 10
                double free = m < 600 ? 8 * GB : Math.max(0, 8 * GB * (1 - (m - 600) / 2880.0));
                MetricDatapoint dp = MetricDatapoint.newBuilder(storage(m, 0).getDatapoint()).setSeriesId(SERIES.replace("FreeStorageSpace", "FreeableMemory"))
                        .setMetricName("FreeableMemory").setMin(free + 0.01 * GB * rnd.nextGaussian()).build();
                chain.point(Points.scored(dp, "Average", free, free, free, free, 0.1));
                chain.watermark(T0 + m * MIN);
            }
            List<Anomaly> out = chain.anomalies();
            assertThat(out).extracting(Anomaly::getRevision, Anomaly::getStatus, Anomaly::getSeverity).startsWith(
                    tuple(0, AnomalyStatus.ONGOING, Severity.MEDIUM), tuple(1, AnomalyStatus.ONGOING, Severity.HIGH));
            Anomaly upgraded = out.get(1);
            assertThat(upgraded.getPredictionStart() - upgraded.getUpdateTime()).isLessThanOrEqualTo(24 * 60 * MIN);
            assertThat(out.get(0).getPredictionStart() - out.get(0).getUpdateTime()).isGreaterThan(24 * 60 * MIN);
            assertThat(out.size()).as("revisions are bounded: %s", out).isLessThanOrEqualTo(5);
        }
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }
}
