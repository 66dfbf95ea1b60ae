package io.augur.ops.flink.insight;

import io.augur.ops.insight.InsightCorrelator;
import io.augur.ops.insight.InsightSettings;
import io.augur.ops.insight.RecommendationCatalog;
import io.augur.schema.Anomaly;
import io.augur.schema.InsightInput;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.augur.ops.testing.InsightFixtures.*;
import static io.augur.schema.InsightMessageType.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CorrelateInsightsHarnessTest {
    private static final String APP = "checkout-prod";

    private static KeyedOneInputStreamOperatorTestHarness<String, InsightInput, InsightNotification> harness() throws Exception {
        CorrelateInsights f = new CorrelateInsights(new InsightCorrelator(InsightSettings.defaults(), RecommendationCatalog.loadDefault()));
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), CorrelateInsights.applicationKey(), Types.STRING);
    }

    private static void in(KeyedOneInputStreamOperatorTestHarness<String, InsightInput, InsightNotification> h, Anomaly a) throws Exception {
        h.processElement(input(APP, APP, a), a.getUpdateTime());
    }

    @Test
    void anInsightOpensClosesOnItsTimerAndItsStateIsClearedWithTheLastTimer() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(input(APP, APP, deployment("d-1", "SUCCESS", T0 - 3 * MIN)), T0 - 3 * MIN);
            assertThat(h.numEventTimeTimers()).as("held until the watermark passes it").isEqualTo(1);
            h.processWatermark(new Watermark(T0 - 3 * MIN));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).as("the insight state; nothing held").isEqualTo(1);
            assertThat(h.numEventTimeTimers()).as("event retention").isEqualTo(1);

            Anomaly a = reactive("a1", Severity.HIGH, T0, T0 + 2 * MIN, API, "Duration");
            in(h, a);
            Anomaly b = reactive("a2", Severity.MEDIUM, T0 + MIN, T0 + 3 * MIN, ALB, "TargetResponseTime");
            in(h, b);
            in(h, closed(a, 1, T0 + 10 * MIN));
            in(h, closed(b, 1, T0 + 12 * MIN));
            h.processWatermark(new Watermark(T0 + 12 * MIN));
            assertThat(h.extractOutputValues()).extracting(InsightNotification::getMessageType, InsightNotification::getSequence)
                    .containsExactly(tuple(NEW_INSIGHT, 0), tuple(NEW_RECOMMENDATION, 1), tuple(NEW_ASSOCIATION, 2), tuple(NEW_RECOMMENDATION, 3));
            assertThat(h.numEventTimeTimers()).as("one timer per key: the close at T0+22min").isEqualTo(1);

            h.processWatermark(new Watermark(T0 + 22 * MIN));
            List<InsightNotification> out = h.extractOutputValues();
            assertThat(out).hasSize(5);
            assertThat(out.get(4)).extracting(InsightNotification::getMessageType, InsightNotification::getTime, InsightNotification::getSeverity)
                    .containsExactly(CLOSED_INSIGHT, T0 + 22 * MIN, Severity.HIGH);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).as("event retention, then the repeat window").isEqualTo(1);

            h.processWatermark(new Watermark(T0 + 22 * MIN + 24 * 60 * MIN));
            assertThat(h.numKeyedStateEntries()).as("nothing left to remember").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.extractOutputValues()).hasSize(5);
        }
    }

    @Test
    void anOpenInsightSurvivesARestoreAndGoesOnWithItsSequence() throws Exception {
        OperatorSubtaskState snapshot;
        Anomaly a = reactive("a1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
        try (var h = harness()) {
            h.open();
            in(h, a);
            assertThat(h.extractOutputValues()).as("held until the watermark passes it").isEmpty();
            h.processWatermark(new Watermark(T0 + 2 * MIN));
            assertThat(h.extractOutputValues()).extracting(InsightNotification::getMessageType).containsExactly(NEW_INSIGHT, NEW_RECOMMENDATION);
            snapshot = h.snapshot(1, T0 + 3 * MIN);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            assertThat(h.numEventTimeTimers()).as("the time-out timer is restored").isEqualTo(1);
            in(h, revised(a, 1, T0 + 4 * MIN, Severity.HIGH));
            in(h, closed(a, 2, T0 + 6 * MIN));
            h.processWatermark(new Watermark(T0 + 16 * MIN));
            assertThat(h.extractOutputValues()).extracting(InsightNotification::getMessageType, InsightNotification::getSequence)
                    .containsExactly(tuple(SEVERITY_UPGRADED, 2), tuple(CLOSED_INSIGHT, 3));
        }
    }

    @Test
    void inputsApplyInEventTimeOrderWhateverOrderTheyArriveIn() throws Exception {
        Anomaly a = reactive("a1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
        Anomaly late = reactive("a2", Severity.MEDIUM, T0 + 7 * MIN, T0 + 9 * MIN, ALB, "TargetResponseTime");
        Anomaly next = reactive("b1", Severity.HIGH, T0 + 600 * MIN, T0 + 603 * MIN, DB, "ReadLatency");
        try (var h = harness()) {
            h.open();
            in(h, a);
            in(h, closed(a, 1, T0 + 5 * MIN));
            in(h, next); // from a subtask running ahead: in event time the first insight is still open at a2's report
            in(h, late);
            in(h, closed(late, 1, T0 + 20 * MIN));
            h.processWatermark(new Watermark(T0 + 700 * MIN));
            List<InsightNotification> out = h.extractOutputValues();
            assertThat(out).filteredOn(n -> n.getMessageType() != NEW_RECOMMENDATION)
                    .extracting(InsightNotification::getMessageType, InsightNotification::getTime)
                    .containsExactly(tuple(NEW_INSIGHT, T0 + 2 * MIN), tuple(NEW_ASSOCIATION, T0 + 9 * MIN), tuple(CLOSED_INSIGHT, T0 + 30 * MIN),
                            tuple(NEW_INSIGHT, T0 + 603 * MIN));
            assertThat(out.get(out.size() - 1).getInsightId()).isNotEqualTo(out.get(0).getInsightId());
            assertThat(h.numEventTimeTimers()).as("only the open insights' timer").isEqualTo(1);
        }
    }

    @Test
    void theEndOfInputClosesWhatIsClosingAndLeavesOngoingInsightsWithoutTimers() throws Exception {
        try (var h = harness()) {
            h.open();
            Anomaly a = reactive("a1", Severity.MEDIUM, T0, T0 + 2 * MIN, API, "Duration");
            in(h, a);
            h.processElement(input("orders-prod", "orders-prod", reactive("b1", Severity.LOW, T0, T0 + 2 * MIN, DB, "CPUUtilization")), T0 + 2 * MIN);
            in(h, closed(a, 1, T0 + 4 * MIN));
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).filteredOn(n -> n.getMessageType() == CLOSED_INSIGHT)
                    .extracting(InsightNotification::getApplication, InsightNotification::getTime).containsExactly(tuple(APP, T0 + 14 * MIN));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).as("orders-prod's ongoing insight").isEqualTo(1);
        }
    }
}
