package io.augur.job.sink.notify;

import io.augur.schema.InsightNotification;
import io.augur.schema.OpsItemRef;

import java.io.Serializable;

/**
 * One entry of the OpsCenter sink's buffer: a notification to apply, or (only in checkpoints) a remembered
 * insight → OpsItem id. Both parts are Avro records.
 */
public final class OpsCenterEntry implements Serializable {
    private static final long serialVersionUID = 1L;
    private final InsightNotification notification;
    private final OpsItemRef ref;

    private OpsCenterEntry(InsightNotification notification, OpsItemRef ref) {
        this.notification = notification;
        this.ref = ref;
    }

    public static OpsCenterEntry of(InsightNotification n) {
        return new OpsCenterEntry(n, null);
    }

    public static OpsCenterEntry of(OpsItemRef r) {
        return new OpsCenterEntry(null, r);
    }

    public boolean isRef() {
        return ref != null;
    }

    public InsightNotification notification() {
        return notification;
    }

    public OpsItemRef ref() {
        return ref;
    }

    @Override
    public String toString() {
        return isRef() ? "OpsItemRef " + ref.getInsightId() + " -> " + ref.getOpsItemId() : "notification " + notification.getId();
    }
}
