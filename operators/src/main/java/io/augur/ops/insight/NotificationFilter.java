package io.augur.ops.insight;

import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * DevOps Guru's notification filters: by the insight's severity (after the event) and by message type. Applied to the
 * notifications the sinks send, not to the insight records ({@code insights.ndjson} keeps every event).
 */
public record NotificationFilter(Set<Severity> severities, Set<InsightMessageType> messageTypes) implements Serializable {
    public static NotificationFilter all() {
        return new NotificationFilter(EnumSet.allOf(Severity.class), EnumSet.allOf(InsightMessageType.class));
    }

    /** From names, e.g. ["MEDIUM", "HIGH"] and ["NEW_INSIGHT", "CLOSED_INSIGHT"]; empty lists mean all. */
    public static NotificationFilter of(List<String> severities, List<String> messageTypes) {
        Set<Severity> s = EnumSet.noneOf(Severity.class);
        for (String x : severities) s.add(Severity.valueOf(x.trim().toUpperCase()));
        Set<InsightMessageType> t = EnumSet.noneOf(InsightMessageType.class);
        for (String x : messageTypes) t.add(InsightMessageType.valueOf(x.trim().toUpperCase()));
        return new NotificationFilter(s.isEmpty() ? EnumSet.allOf(Severity.class) : s, t.isEmpty() ? EnumSet.allOf(InsightMessageType.class) : t);
    }

    public boolean test(InsightNotification n) {
        return severities.contains(n.getSeverity()) && messageTypes.contains(n.getMessageType());
    }
}
