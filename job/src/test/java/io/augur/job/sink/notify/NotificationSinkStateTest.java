package io.augur.job.sink.notify;

import io.augur.schema.InsightNotification;
import io.augur.schema.OpsItemRef;
import org.apache.avro.SchemaNormalization;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sinks' checkpointed buffers: what is written is read back, and a schema change cannot slip by unversioned. */
class NotificationSinkStateTest {
    /** Parsing-form fingerprints of the schemas that state version 1 is written with. */
    static final long INSIGHT_NOTIFICATION_V1 = -3110179521124140243L;
    static final long OPS_ITEM_REF_V1 = 8224507723244435146L;

    @Test
    void bufferedNotificationsRoundTrip() throws Exception {
        List<InsightNotification> input = InsightEvents.lifecycles(3);
        List<RequestEntryWrapper<InsightNotification>> entries = input.stream().map(n -> new RequestEntryWrapper<>(n, 100)).toList();
        InsightNotificationStateSerializer s = new InsightNotificationStateSerializer();
        BufferedRequestState<InsightNotification> back = s.deserialize(s.getVersion(), s.serialize(new BufferedRequestState<>(entries)));
        assertThat(back.getBufferedRequestEntries()).extracting(RequestEntryWrapper::getRequestEntry).containsExactlyElementsOf(input);
        assertThat(back.getBufferedRequestEntries()).extracting(RequestEntryWrapper::getSize).containsOnly(100L);
    }

    @Test
    void opsCenterStateKeepsNotificationsAndItemReferences() throws Exception {
        InsightNotification n = InsightEvents.event(1, 0, 2);
        OpsItemRef ref = new OpsItemRef("insight-1", "oi-0123456789ab", 42L);
        OpsCenterStateSerializer s = new OpsCenterStateSerializer();
        BufferedRequestState<OpsCenterEntry> state = new BufferedRequestState<>(List.of(
                new RequestEntryWrapper<>(OpsCenterEntry.of(n), 5000), new RequestEntryWrapper<>(OpsCenterEntry.of(ref), 1)));
        List<RequestEntryWrapper<OpsCenterEntry>> back = s.deserialize(s.getVersion(), s.serialize(state)).getBufferedRequestEntries();
        assertThat(back).hasSize(2);
        assertThat(back.get(0).getRequestEntry().isRef()).isFalse();
        assertThat(back.get(0).getRequestEntry().notification()).isEqualTo(n);
        assertThat(back.get(1).getRequestEntry().ref()).isEqualTo(ref);
    }

    @Test
    void aSchemaChangeNeedsANewStateVersion() {
        // If this fails, InsightNotification or OpsItemRef changed: bump the serializers' VERSION and keep reading
        // version 1 with the v1 schemas from state-schemas' schema-history, then update the fingerprints here.
        assertThat(InsightNotificationStateSerializer.VERSION).isEqualTo(1);
        assertThat(OpsCenterStateSerializer.VERSION).isEqualTo(1);
        assertThat(SchemaNormalization.parsingFingerprint64(InsightNotification.getClassSchema())).isEqualTo(INSIGHT_NOTIFICATION_V1);
        assertThat(SchemaNormalization.parsingFingerprint64(OpsItemRef.getClassSchema())).isEqualTo(OPS_ITEM_REF_V1);
    }
}
