package io.augur.ops.flink;

import io.augur.ops.flink.table.AnomalyRowVersions;
import io.augur.ops.flink.table.InsightRowVersions;
import io.augur.ops.flink.table.TableRowTypes;
import io.augur.ops.table.TableFixtures;
import io.augur.ops.table.Tables;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.InsightNotification;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.augur.ops.table.TableFixtures.MIN;
import static io.augur.ops.table.TableFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The keyed table writers: one new row version per change, none for a repeat, state kept across restore and dropped after the TTL. */
class TableRowVersionsHarnessTest {
    private static final Duration TTL = Duration.ofDays(14);

    private static Object field(Row r, String table, String column) {
        return r.getField(Tables.byName(table).indexOf(column));
    }

    @Test
    void everyChangeOfAnInsightEmitsTheNextVersionOfItsRowAndARepeatedEventEmitsNothing() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, InsightNotification, Row> h = insightHarness()) {
            h.setup(rowSerializer("insights"));
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(TableFixtures.newInsight(), TableFixtures.newInsight().getTime());
            h.processElement(TableFixtures.newInsight(), TableFixtures.newInsight().getTime()); // repeated: no new version
            h.processElement(TableFixtures.association(), TableFixtures.association().getTime());
            snapshot = h.snapshot(1, 1);

            List<Row> out = h.extractOutputValues();
            assertThat(out).extracting(r -> field(r, "insights", "version")).containsExactly(1L, 2L);
            assertThat(out).extracting(r -> field(r, "insights", "anomaly_count")).containsExactly(1, 2);
            assertThat(out).extracting(r -> field(r, "insights", "severity")).containsExactly("MEDIUM", "HIGH");
            assertThat(out.get(0).getArity()).isEqualTo(Tables.INSIGHTS.columns().size() + 1);
            assertThat(out.get(0).getField(Tables.INSIGHTS.columns().size())).isEqualTo("2025-01-01"); // dt
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, InsightNotification, Row> h = insightHarness()) {
            h.setup(rowSerializer("insights"));
            h.initializeState(snapshot);
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(TableFixtures.closed(), TableFixtures.closed().getTime());
            assertThat(h.extractOutputValues()).singleElement().satisfies(r -> {
                assertThat(field(r, "insights", "version")).isEqualTo(3L);
                assertThat(field(r, "insights", "status")).isEqualTo("CLOSED");
                assertThat(field(r, "insights", "anomaly_count")).isEqualTo(2);
            });
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);

            // silent for longer than the TTL: the insight is forgotten, a late event starts again at version 1
            h.setStateTtlProcessingTime(TTL.toMillis() + 1);
            h.processElement(TableFixtures.recommendation(), TableFixtures.recommendation().getTime());
            assertThat(h.extractOutputValues()).last().satisfies(r -> {
                assertThat(field(r, "insights", "version")).isEqualTo(1L);
                assertThat(field(r, "insights", "recommendation_count")).isEqualTo(2);
            });
        }
    }

    @Test
    void anAnomalysRowIsUpsertedFromItsRevisionsAndTheInsightEventsThatNameIt() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<String, Anomaly, Tuple2<String, InsightNotification>, Row> h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AnomalyRowVersions(TTL)), Anomaly::getId, t -> t.f0, Types.STRING)) {
            h.setup(rowSerializer("anomalies"));
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement1(TableFixtures.lambdaErrors(0, AnomalyStatus.ONGOING, T0 + 3 * MIN), T0 + 3 * MIN);
            InsightNotification n = TableFixtures.newInsight();
            h.processElement2(Tuple2.of("an-lambda", n), n.getTime());
            h.processElement2(Tuple2.of("an-lambda", n), n.getTime()); // repeated: nothing changes
            h.processElement1(TableFixtures.lambdaErrors(0, AnomalyStatus.ONGOING, T0 + 3 * MIN), T0 + 3 * MIN); // repeated revision
            h.processElement1(TableFixtures.lambdaErrors(2, AnomalyStatus.CLOSED, T0 + 40 * MIN), T0 + 40 * MIN);
            h.processElement1(TableFixtures.lambdaErrors(1, AnomalyStatus.ONGOING, T0 + 6 * MIN), T0 + 6 * MIN); // older than what is held

            List<Row> out = h.extractOutputValues();
            assertThat(out).extracting(r -> field(r, "anomalies", "version")).containsExactly(1L, 2L, 3L);
            assertThat(out).extracting(r -> field(r, "anomalies", "insight_id")).containsExactly(null, "ins-1", "ins-1");
            assertThat(out).extracting(r -> field(r, "anomalies", "type")).containsExactly(null, "CAUSAL", "CAUSAL");
            assertThat(out).extracting(r -> field(r, "anomalies", "status")).containsExactly("ONGOING", "ONGOING", "CLOSED");
            assertThat(out).extracting(r -> field(r, "anomalies", "revision")).containsExactly(0, 0, 2);
        }
    }

    @Test
    void associationsPairEveryAnomalyABodyListsWithItsEvent() throws Exception {
        List<Tuple2<String, InsightNotification>> out = new java.util.ArrayList<>();
        new AnomalyRowVersions.Associations().flatMap(TableFixtures.closed(), new org.apache.flink.api.common.functions.util.ListCollector<>(out));
        assertThat(out).extracting(t -> t.f0).containsExactly("an-lambda", "an-alb");
        new AnomalyRowVersions.Associations().flatMap(TableFixtures.recommendation(), new org.apache.flink.api.common.functions.util.ListCollector<>(out));
        assertThat(out).hasSize(2);
    }

    /** Rows leave the operators with the explicit row type (the harness would otherwise copy them with Kryo). */
    private static org.apache.flink.api.common.typeutils.TypeSerializer<Row> rowSerializer(String table) {
        return TableRowTypes.rowType(Tables.byName(table)).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, InsightNotification, Row> insightHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new InsightRowVersions(TTL)),
                InsightNotification::getInsightId, Types.STRING);
    }
}
