package io.augur.ops.flink.anomaly;

import io.augur.ops.anomaly.Anomalies;
import io.augur.ops.anomaly.DeploymentTargets;
import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyKind;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.ChangeEvent;
import io.augur.schema.EventClass;
import io.augur.schema.EventDataSource;
import io.augur.schema.Resource;
import io.augur.schema.Severity;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.augur.ops.flink.anomaly.Points.FUNCTION;
import static io.augur.ops.flink.anomaly.Points.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DeploymentHoldHarnessTest {
    static final String GROUP_ARN = "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:orders/orders-prod";

    private static KeyedTwoInputStreamOperatorTestHarness<String, Anomaly, ChangeEvent, Anomaly> harness() throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, Anomaly, ChangeEvent, Anomaly> h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new DeploymentHold(Duration.ofMinutes(30), Duration.ofDays(1))),
                a -> a.getResource().getArn(), DeploymentEvents::resourceArn, Types.STRING);
        h.open();
        return h;
    }

    /** A CodeDeploy deployment state change as the parser normalizes it, expanded to the function by the configured targets. */
    static List<ChangeEvent> deployment(String id, String state, int minute) {
        ChangeEvent e = ChangeEvent.newBuilder().setId("codedeploy:" + id + ":" + state).setTime(t(minute)).setEventSource("codedeploy.amazonaws.com")
                .setName("CodeDeploy deployment " + state).setDataSource(EventDataSource.AWS_CODE_DEPLOY).setEventClass(EventClass.DEPLOYMENT)
                .setResources(List.of(Resource.newBuilder().setType("AWS::CodeDeploy::DeploymentGroup").setName("orders/orders-prod").setArn(GROUP_ARN).build()))
                .setAccountId("123456789012").setRegion("us-east-1").setDeploymentId(id).build();
        List<ChangeEvent> out = new ArrayList<>();
        new DeploymentEvents(DeploymentTargets.parse("orders/orders-prod=" + FUNCTION.getArn())).flatMap(e, new Collector<>() {
            @Override
            public void collect(ChangeEvent x) {
                out.add(x);
            }

            @Override
            public void close() {
            }
        });
        return out;
    }

    static Anomaly opened(int start, int open) {
        return Anomalies.open(Points.DURATION_KEY, Points.datapoint("AWS/Lambda", "Duration", "Milliseconds", t(start), 300), "Average",
                AnomalyKind.REACTIVE, t(start), t(open), 60).setSeverity(Severity.MEDIUM).build();
    }

    private static Anomaly closed(Anomaly a, int end, int close) {
        return Anomalies.revise(a, t(close)).setStatus(AnomalyStatus.CLOSED).setEndTime(t(end)).setCloseTime(t(close)).build();
    }

    @Test
    void anAnomalyOpeningDuringADeploymentIsReportedWhenTheDeploymentEndsNotHidden() throws Exception {
        try (var h = harness()) {
            Anomaly a = opened(10, 13);
            h.processElement1(a, t(13));
            h.processElement1(closed(a, 15, 18), t(18));
            // the deployment's events arrive after the anomaly (CloudTrail/EventBridge are slower than metrics)
            for (ChangeEvent e : deployment("d-1", "START", 5)) h.processElement2(e, t(5));
            for (ChangeEvent e : deployment("d-1", "SUCCESS", 20)) h.processElement2(e, t(20));
            h.processBothWatermarks(new Watermark(t(19)));
            assertThat(h.extractOutputValues()).as("held while the deployment runs").isEmpty();
            h.processBothWatermarks(new Watermark(t(60)));
            assertThat(h.extractOutputValues()).extracting(Anomaly::getRevision, Anomaly::getStatus, Anomaly::getOpenTime, Anomaly::getUpdateTime,
                    Anomaly::getCloseTime).containsExactly(
                    tuple(0, AnomalyStatus.ONGOING, t(20), t(20), null),
                    tuple(1, AnomalyStatus.CLOSED, t(20), t(20), t(20)));
            assertThat(h.extractOutputValues()).extracting(Anomaly::getStartTime, Anomaly::getId).containsOnly(tuple(t(10), a.getId()));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).as("deployments forgotten, nothing held").isZero();
        }
    }

    @Test
    void aDeploymentWithoutEndHoldsAtMostTheMaximum() throws Exception {
        try (var h = harness()) {
            for (ChangeEvent e : deployment("d-2", "START", 5)) h.processElement2(e, t(5));
            Anomaly a = opened(10, 13);
            h.processElement1(a, t(13));
            h.processElement1(Anomalies.revise(a, t(16)).setSeverity(Severity.HIGH).build(), t(16));
            h.processBothWatermarks(new Watermark(t(120)));
            assertThat(h.extractOutputValues()).extracting(Anomaly::getRevision, Anomaly::getOpenTime, Anomaly::getUpdateTime, Anomaly::getSeverity)
                    .containsExactly(tuple(0, t(35), t(35), Severity.MEDIUM), tuple(1, t(35), t(35), Severity.HIGH));
            // later revisions keep the opening time as it was reported
            h.processElement1(closed(Anomalies.revise(a, t(16)).setSeverity(Severity.HIGH).build(), 40, 130), t(130));
            h.processBothWatermarks(new Watermark(t(200)));
            Anomaly last = h.extractOutputValues().get(2);
            assertThat(last.getStatus()).isEqualTo(AnomalyStatus.CLOSED);
            assertThat(last.getOpenTime()).isEqualTo(t(35));
            assertThat(last.getCloseTime()).isEqualTo(t(130));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anomaliesOutsideDeploymentsAndProactiveOnesPassUnchanged() throws Exception {
        try (var h = harness()) {
            for (ChangeEvent e : deployment("d-3", "START", 30)) h.processElement2(e, t(30));
            for (ChangeEvent e : deployment("d-3", "SUCCESS", 36)) h.processElement2(e, t(36));
            Anomaly before = opened(10, 13), after = opened(40, 43);
            Anomaly proactive = Anomaly.newBuilder(opened(31, 32)).setKind(AnomalyKind.PROACTIVE).setId("p").build();
            h.processElement1(before, t(13));
            h.processElement1(proactive, t(32));
            assertThat(h.extractOutputValues()).as("proactive anomalies are not held").containsExactly(proactive);
            h.processElement1(after, t(43));
            h.processBothWatermarks(new Watermark(t(100)));
            assertThat(h.extractOutputValues()).containsExactly(proactive, before, after);
        }
    }

    @Test
    void aRevisionDatedBeforeTheTimerThatEmittedItWaitsForItsTimestamp() throws Exception {
        try (var h = harness()) {
            h.processBothWatermarks(new Watermark(t(15)));
            // the lifecycle applied a quiet series' datapoints in a batch: opened at 13, emitted by its timer at 22
            Anomaly a = opened(10, 13);
            h.processElement1(a, t(22));
            assertThat(h.extractOutputValues()).as("not decided while event time is before its timestamp").isEmpty();
            // a deployment that had started at 12 becomes known before event time reaches 22 (an idle input woke up)
            for (ChangeEvent e : deployment("d-4", "START", 12)) h.processElement2(e, t(12));
            for (ChangeEvent e : deployment("d-4", "SUCCESS", 25)) h.processElement2(e, t(25));
            h.processBothWatermarks(new Watermark(t(100)));
            assertThat(h.extractOutputValues()).extracting(Anomaly::getRevision, Anomaly::getOpenTime)
                    .as("held by the deployment it was decided with").containsExactly(tuple(0, t(25)));
        }
    }
}
