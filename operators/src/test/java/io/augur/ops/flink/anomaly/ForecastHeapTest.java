package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.RecentValues;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.ExhaustionForecast;
import io.augur.schema.ForecastHistory;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import java.util.ArrayList;
import java.util.List;

import static io.augur.ops.flink.anomaly.ForecastHistoriesHarnessTest.LIMITS;
import static io.augur.ops.flink.anomaly.Points.MIN;
import static io.augur.ops.flink.anomaly.Points.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap of a cached forecast history at the default retention (50 hours: 200 closed buckets of 15 minutes), counted
 * with JOL's object graph (this JVM's real layout): the history as the forecaster keeps it in memory and its key.
 * {@link ForecastExhaustion#HEAP_BYTES_PER_HISTORY} sizes the {@code auto} cache with this figure and room (the cache's
 * entry and slot, the heap timer of the open bucket): the test fails when the history outgrows it.
 */
class ForecastHeapTest {
    static final int TABLES = 4;
    static final double HEADROOM = 1.2;

    static {
        System.setProperty("jol.magicFieldOffset", "true");
    }

    @Test
    void aFullHistoryFitsTheFigureTheCacheIsSizedWith() throws Exception {
        AnomalySettings s = AnomalySettings.defaults();
        ForecastExhaustion f = new ForecastExhaustion(s, LIMITS, CacheCapacity.of(100));
        int minutes = (int) (s.historyRetention().toMinutes() + 3 * 60);
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new WriteBackOperator<>(f), ForecastExhaustion.forecastKey(LIMITS), Types.STRING)) {
            h.open();
            List<String> keys = new ArrayList<>();
            for (int m = 0; m < minutes; m++) {
                for (int t = 0; t < TABLES; t++) {
                    String table = "table-" + t;
                    if (m % 5 == 0) h.processElement(ForecastHistoriesHarnessTest.point(table, "ProvisionedWriteCapacityUnits", m, 1000, null), T0 + m * MIN);
                    ScoredDatapoint p = ForecastHistoriesHarnessTest.point(table, "ConsumedWriteCapacityUnits", m, 2000 + 500 * Math.sin(m / 200.0) + m, null);
                    if (m == 0) keys.add(p.getSeriesKey());
                    h.processElement(p, T0 + m * MIN);
                }
                h.processWatermark(new Watermark(T0 + m * MIN));
                h.getOutput().clear();
            }
            @SuppressWarnings("unchecked")
            RecentValues<ForecastHistory> cache = (RecentValues<ForecastHistory>) f.recentValues().get(0);
            List<Object> held = new ArrayList<>();
            for (String k : keys) {
                ForecastHistory history = cache.get(k, System.currentTimeMillis());
                assertThat(history.getBucketStarts()).as("a full history").hasSize((int) (s.historyRetention().toMinutes() / 15));
                held.add(k);
                held.add(history);
            }
            double perHistory = GraphLayout.parseInstance(held.toArray()).totalSize() / (double) TABLES;
            System.out.printf("heap per cached forecast history (%d buckets): %.0f B%n", s.historyRetention().toMinutes() / 15, perHistory);
            assertThat(perHistory * HEADROOM).isLessThanOrEqualTo(ForecastExhaustion.HEAP_BYTES_PER_HISTORY);
            assertThat(perHistory).as("the figure is not far above what a history takes").isGreaterThan(ForecastExhaustion.HEAP_BYTES_PER_HISTORY / 3.0);
        }
    }
}
