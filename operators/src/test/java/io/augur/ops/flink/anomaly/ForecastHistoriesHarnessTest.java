package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.anomaly.LimitCatalog;
import io.augur.ops.flink.CacheCapacity;
import io.augur.ops.flink.RecentValues;
import io.augur.ops.flink.WriteBackOperator;
import io.augur.schema.ExhaustionForecast;
import io.augur.schema.ForecastHistory;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.augur.ops.flink.anomaly.Points.MIN;
import static io.augur.ops.flink.anomaly.Points.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecaster's histories kept in memory ({@link ForecastExhaustion} under the job's {@link WriteBackOperator}, on
 * RocksDB as in production): the same forecasts as writing every history at once, across snapshots and restores, with
 * reused input records, within its capacity; the keyed state written only before a snapshot; silent series still expire.
 */
class ForecastHistoriesHarnessTest {
    static final LimitCatalog LIMITS = LimitCatalog.builtIn();
    static final int MINUTES = 27 * 60;
    static final String[] TABLES = {"orders-table", "users-table"};

    /** One input, written into {@code into} (the reused record) when it is given, else a new record. */
    static ScoredDatapoint point(String table, String metric, int minute, double value, ScoredDatapoint into) {
        Resource resource = Resource.newBuilder().setType("AWS::DynamoDB::Table").setName(table)
                .setArn("arn:aws:dynamodb:us-east-1:123456789012:table/" + table).build();
        MetricDatapoint dp = MetricDatapoint.newBuilder().setSeriesId("123456789012|us-east-1|AWS/DynamoDB|" + metric + "|TableName=" + table)
                .setAccountId("123456789012").setRegion("us-east-1").setNamespace("AWS/DynamoDB").setMetricName(metric)
                .setDimensions(new HashMap<>(Map.of("TableName", table))).setTimestamp(T0 + minute * MIN).setMin(value).setMax(value)
                .setSum(value).setCount(1).setUnit("Count").setResource(resource).setPercentiles(new HashMap<>()).build();
        ScoredDatapoint p = Points.scored(dp, "Sum", value, value, value * 0.9, value * 1.1, 0.1);
        if (into == null) return p;
        // as a network input with object reuse: the same record objects, every field overwritten
        MetricDatapoint d = into.getDatapoint();
        d.setSeriesId(dp.getSeriesId());
        d.setMetricName(metric);
        d.getDimensions().clear();
        d.getDimensions().putAll(dp.getDimensions());
        d.setTimestamp(dp.getTimestamp());
        d.setMin(value);
        d.setMax(value);
        d.setSum(value);
        d.setCount(1.0);
        d.getResource().setName(table);
        d.getResource().setArn(resource.getArn());
        into.setSeriesKey(p.getSeriesKey());
        into.setValue(value);
        into.setExpected(value);
        into.setLower(value * 0.9);
        into.setUpper(value * 1.1);
        return into;
    }

    /** Feeds minutes [from, to) of both tables (consumption and, every 5 minutes, provisioned capacity), the watermark in step. */
    static void feed(KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h, int from, int to, boolean reuse)
            throws Exception {
        ScoredDatapoint record = reuse ? point(TABLES[0], "ConsumedWriteCapacityUnits", 0, 1, null) : null;
        for (int m = from; m < to; m++) {
            for (int t = 0; t < TABLES.length; t++) {
                if (m % 5 == 0) {
                    ScoredDatapoint p = point(TABLES[t], "ProvisionedWriteCapacityUnits", m, m < 1590 ? 100 : 200 + t, record);
                    h.processElement(p, T0 + m * MIN);
                }
                double v = 2000 + 500 * Math.sin(2 * Math.PI * m / 1440.0) + m * (t + 1);
                h.processElement(point(TABLES[t], "ConsumedWriteCapacityUnits", m, v, record), T0 + m * MIN);
            }
            h.processWatermark(new Watermark(T0 + m * MIN));
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> harness(ForecastExhaustion f, boolean writeBack)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = new KeyedOneInputStreamOperatorTestHarness<>(
                writeBack ? new WriteBackOperator<>(f) : new KeyedProcessOperator<>(f), ForecastExhaustion.forecastKey(LIMITS), Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static List<ExhaustionForecast> writeThrough;

    /** Every history written at once (as before the caches), no interruption (computed once: the reference of every test). */
    static synchronized List<ExhaustionForecast> writeThrough() throws Exception {
        if (writeThrough == null) writeThrough = List.copyOf(computeWriteThrough());
        return writeThrough;
    }

    private static List<ExhaustionForecast> computeWriteThrough() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h =
                     harness(new ForecastExhaustion(AnomalySettings.defaults(), LIMITS, CacheCapacity.of(0)), false)) {
            h.open();
            feed(h, 0, MINUTES, false);
            h.processWatermark(new Watermark(T0 + (MINUTES + 15) * MIN));
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    /** Histories in memory, snapshots at {@code restoreAt} minutes, each restored into a new operator. */
    static List<ExhaustionForecast> writeBack(int capacity, boolean reuse, int... restoreAt) throws Exception {
        List<ExhaustionForecast> out = new ArrayList<>();
        OperatorSubtaskState snapshot = null;
        int from = 0;
        int[] ends = new int[restoreAt.length + 1];
        System.arraycopy(restoreAt, 0, ends, 0, restoreAt.length);
        ends[restoreAt.length] = MINUTES;
        for (int i = 0; i < ends.length; i++) {
            ForecastExhaustion f = new ForecastExhaustion(AnomalySettings.defaults(), LIMITS, CacheCapacity.of(capacity));
            try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = harness(f, true)) {
                if (snapshot != null) h.initializeState(snapshot);
                h.open();
                RecentValues<?> cache = f.recentValues().get(0);
                assertThat(cache.size()).as("nothing in memory after a (re)start").isZero();
                feed(h, from, ends[i], reuse);
                assertThat(cache.size()).as("histories in memory").isEqualTo(Math.min(capacity, TABLES.length));
                if (i == ends.length - 1) {
                    h.processWatermark(new Watermark(T0 + (MINUTES + 15) * MIN));
                } else {
                    h.prepareSnapshotPreBarrier(i + 1); // as a task does before every checkpoint and savepoint
                    snapshot = h.snapshot(i + 1, i + 1);
                    assertThat(cache.dirty()).as("every history written to the keyed state before the snapshot").isZero();
                }
                out.addAll(h.extractOutputValues());
                from = ends[i];
            }
        }
        return out;
    }

    @Test
    void historiesInMemoryGiveTheForecastsOfWritingEachAtOnceAcrossRestores() throws Exception {
        List<ExhaustionForecast> expected = writeThrough();
        assertThat(expected).extracting(ExhaustionForecast::getSeriesKey).as("both tables forecast")
                .contains(ForecastExhaustionHarnessTest.CONSUMED_KEY, ForecastExhaustionHarnessTest.CONSUMED_KEY.replace("orders-table", "users-table"));
        assertThat(writeBack(100, false)).as("in memory, uninterrupted").isEqualTo(expected);
        // restores mid-bucket and mid-history: each history missing from memory is read from the keyed state
        assertThat(writeBack(100, false, 7 * 60 + 7, 1590, 1591)).as("restored three times").isEqualTo(expected);
    }

    @Test
    void aHistoryKeepsCopiesOfTheDatapointsOfReusedInputRecords() throws Exception {
        // the job reuses input records: a history that kept the record's datapoint would show the next datapoint's values
        assertThat(writeBack(100, true, 600)).isEqualTo(writeThrough());
    }

    @Test
    void beyondItsCapacityASeriesIsReadAndWrittenInTheKeyedStateWithTheSameForecasts() throws Exception {
        List<ExhaustionForecast> expected = writeThrough();
        ForecastExhaustion f = new ForecastExhaustion(AnomalySettings.defaults(), LIMITS, CacheCapacity.of(1));
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = harness(f, true)) {
            h.open();
            feed(h, 0, MINUTES, false);
            h.processWatermark(new Watermark(T0 + (MINUTES + 15) * MIN));
            RecentValues<?> cache = f.recentValues().get(0);
            assertThat(cache.size()).as("capacity 1").isEqualTo(1);
            assertThat(cache.refusedWrites()).as("the other table's writes went to the keyed state").isGreaterThan(MINUTES);
            assertThat(h.extractOutputValues()).isEqualTo(expected);
        }
        assertThat(writeBack(0, false, 800)).as("capacity 0: nothing in memory").isEqualTo(expected);
    }

    @Test
    void theKeyedStateIsWrittenOnlyBeforeASnapshot() throws Exception {
        ForecastExhaustion f = new ForecastExhaustion(AnomalySettings.defaults(), LIMITS, CacheCapacity.of(100));
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = harness(f, true)) {
            h.open();
            feed(h, 0, 120, false);
            RecentValues<?> cache = f.recentValues().get(0);
            assertThat(cache.dirty()).isEqualTo(TABLES.length);
            assertThat(stored(h.snapshot(1, 1), AnomalySettings.defaults())).as("not flushed: nothing in the keyed state").containsOnly(-1);
            h.prepareSnapshotPreBarrier(2);
            assertThat(cache.dirty()).isZero();
            assertThat(cache.size()).as("still in memory, clean").isEqualTo(TABLES.length);
            assertThat(stored(h.snapshot(2, 2), AnomalySettings.defaults()))
                    .as("closed buckets per table in the snapshot: 2 hours of 15 minutes, the newest still open").containsOnly(7);
        }
    }

    @Test
    void aSilentSeriesHistoryStillExpiresAfterTheStateTtlInMemoryOrFlushed() throws Exception {
        // TTL is processing time: a short one, and a sleep past it (the harness's state TTL clock follows the wall clock
        // the caches use: set at each step)
        for (boolean flushed : new boolean[] {false, true}) {
            for (Duration ttl : List.of(Duration.ofMillis(500), Duration.ofDays(1))) {
                AnomalySettings s = AnomalySettings.defaults().withStateTtl(ttl);
                ForecastExhaustion f = new ForecastExhaustion(s, LIMITS, CacheCapacity.of(100));
                OperatorSubtaskState snapshot;
                try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, ExhaustionForecast> h = harness(f, true)) {
                    h.open();
                    h.setStateTtlProcessingTime(System.currentTimeMillis());
                    feed(h, 0, 120, false);
                    if (flushed) {
                        h.setStateTtlProcessingTime(System.currentTimeMillis());
                        h.prepareSnapshotPreBarrier(1);
                        h.snapshot(1, 1);
                    }
                    Thread.sleep(700);
                    h.setStateTtlProcessingTime(System.currentTimeMillis());
                    feed(h, 120, 121, false); // the series speak again
                    h.prepareSnapshotPreBarrier(2);
                    snapshot = h.snapshot(2, 2);
                }
                List<Integer> buckets = stored(snapshot, s);
                if (ttl.toMillis() < 1000) {
                    assertThat(buckets).as("expired (flushed " + flushed + "): a new history").containsOnly(0);
                } else {
                    assertThat(buckets).as("kept (flushed " + flushed + ")").containsOnly(8);
                }
            }
        }
    }

    /** The closed buckets of each table's history in {@code snapshot}, read back from the keyed state (long TTL). */
    static List<Integer> stored(OperatorSubtaskState snapshot, AnomalySettings s) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredDatapoint, String> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new StoredBuckets(s.withStateTtl(Duration.ofDays(30)))), ForecastExhaustion.forecastKey(LIMITS), Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.initializeState(snapshot);
            h.open();
            for (String table : TABLES) h.processElement(point(table, "ConsumedWriteCapacityUnits", 0, 1, null), T0);
            List<Integer> out = new ArrayList<>();
            for (String n : h.extractOutputValues()) out.add(Integer.parseInt(n));
            assertThat(out).hasSize(TABLES.length);
            return out;
        }
    }

    /** Emits the number of closed buckets of the key's stored history (-1: none). */
    static final class StoredBuckets extends KeyedProcessFunction<String, ScoredDatapoint, String> {
        private final AnomalySettings settings;
        private transient ValueState<ForecastHistory> history;

        StoredBuckets(AnomalySettings settings) {
            this.settings = settings;
        }

        @Override
        public void open(Configuration parameters) {
            history = getRuntimeContext().getState(ForecastExhaustion.descriptor(settings));
        }

        @Override
        public void processElement(ScoredDatapoint p, Context ctx, Collector<String> out) throws Exception {
            ForecastHistory h = history.value();
            out.collect(String.valueOf(h == null ? -1 : h.getBucketStarts().size()));
        }
    }
}
