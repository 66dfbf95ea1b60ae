package io.augur.ops.table;

import io.augur.schema.Anomaly;
import io.augur.schema.AnomalyStatus;
import io.augur.schema.AnomalyTableState;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.InsightTableState;

import java.util.ArrayList;
import java.util.List;

/**
 * How the table writers fold what they see into their per-id state, pure functions of (state, input). Order-tolerant:
 * the latest lifecycle event is the one with the highest sequence, the latest anomaly revision the one with the highest
 * revision number, and anomaly ids and recommendations accumulate as sets, so the final state does not depend on the
 * order in which the two input streams interleave.
 */
public final class TableStates {
    private TableStates() {}

    /** The insight's state after lifecycle event {@code n}; {@code state} may be null (first event). Version unchanged. */
    public static InsightTableState insight(InsightTableState state, InsightNotification n) {
        if (state == null) {
            return InsightTableState.newBuilder().setLatest(n).setOpenedAt(n.getTime())
                    .setClosedAt(n.getMessageType() == InsightMessageType.CLOSED_INSIGHT ? n.getTime() : null)
                    .setBody(NotificationBody.normalize(n.getBody())).setVersion(0).build();
        }
        InsightTableState.Builder b = InsightTableState.newBuilder(state);
        boolean later = n.getSequence() >= state.getLatest().getSequence();
        if (n.getSequence() > state.getLatest().getSequence()) b.setLatest(n);
        b.setOpenedAt(Math.min(state.getOpenedAt(), n.getTime()));
        b.setBody(NotificationBody.merge(state.getBody(), n.getBody(), later));
        if (n.getMessageType() == InsightMessageType.CLOSED_INSIGHT && (state.getClosedAt() == null || n.getTime() > state.getClosedAt())) {
            b.setClosedAt(n.getTime());
        }
        return b.build();
    }

    /** The anomaly's state after revision {@code a}: kept if it is newer than the one held. Version unchanged. */
    public static AnomalyTableState withRevision(AnomalyTableState state, Anomaly a) {
        AnomalyTableState.Builder b = state == null ? AnomalyTableState.newBuilder().setVersion(0) : AnomalyTableState.newBuilder(state);
        Anomaly held = b.getRevision();
        boolean newer = held == null || a.getRevision() > held.getRevision()
                || (a.getRevision() == held.getRevision() && a.getStatus() == AnomalyStatus.CLOSED && held.getStatus() != AnomalyStatus.CLOSED);
        if (newer) b.setRevision(a);
        return b.build();
    }

    /** The anomaly's state after lifecycle event {@code n} named it: kept if it is a later event than the one held. */
    public static AnomalyTableState withAssociation(AnomalyTableState state, InsightNotification n) {
        AnomalyTableState.Builder b = state == null ? AnomalyTableState.newBuilder().setVersion(0) : AnomalyTableState.newBuilder(state);
        InsightNotification held = b.getAssociation();
        boolean later = held == null
                || (held.getInsightId().equals(n.getInsightId()) ? n.getSequence() > held.getSequence() : n.getTime() > held.getTime());
        if (later) b.setAssociation(n);
        return b.build();
    }

    /** The ids of the anomalies a lifecycle event's body lists (each becomes an association of that anomaly). */
    public static List<String> anomalyIds(InsightNotification n) {
        List<String> out = new ArrayList<>();
        for (NotificationBody.AnomalyEntry a : NotificationBody.parse(n.getBody()).anomalies()) if (!out.contains(a.id())) out.add(a.id());
        return out;
    }
}
