package io.augur.ops.notify;

import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which notifications a destination gets, like DevOps Guru's per-topic filters on severities and message types.
 * Severity is the insight's severity after the event.
 */
public final class NotificationFilter implements Serializable {
    private static final long serialVersionUID = 1L;
    private final EnumSet<Severity> severities;
    private final EnumSet<InsightMessageType> messageTypes;

    public NotificationFilter(Set<Severity> severities, Set<InsightMessageType> messageTypes) {
        this.severities = severities.isEmpty() ? EnumSet.noneOf(Severity.class) : EnumSet.copyOf(severities);
        this.messageTypes = messageTypes.isEmpty() ? EnumSet.noneOf(InsightMessageType.class) : EnumSet.copyOf(messageTypes);
    }

    public static NotificationFilter all() {
        return new NotificationFilter(EnumSet.allOf(Severity.class), EnumSet.allOf(InsightMessageType.class));
    }

    public boolean accepts(InsightNotification n) {
        return severities.contains(n.getSeverity()) && messageTypes.contains(n.getMessageType());
    }

    public boolean acceptsEverything() {
        return severities.size() == Severity.values().length && messageTypes.size() == InsightMessageType.values().length;
    }

    @Override
    public String toString() {
        return "severities=" + severities + " messageTypes=" + messageTypes;
    }
}
