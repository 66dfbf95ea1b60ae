package io.augur.ops.notify;

import io.augur.schema.InsightMessageType;
import io.augur.schema.Severity;

/** DevOps Guru's names for notification kinds and severities, as its SNS, EventBridge and OpsCenter integrations use them. */
public final class DevOpsGuruNames {
    /** The EventBridge source DevOps Guru itself uses; custom buses cannot receive events with an {@code aws.} source. */
    public static final String AWS_SOURCE = "aws.devops-guru";
    /** Augur's default EventBridge source. */
    public static final String DEFAULT_SOURCE = "augur.devops-guru";

    private DevOpsGuruNames() {}

    /** EventBridge detail-type of a lifecycle event ({@code DevOps Guru New Insight Open}, …). */
    public static String detailType(InsightMessageType t) {
        switch (t) {
            case NEW_INSIGHT: return "DevOps Guru New Insight Open";
            case NEW_ASSOCIATION: return "DevOps Guru New Anomaly Association";
            case SEVERITY_UPGRADED: return "DevOps Guru Insight Severity Upgraded";
            case NEW_RECOMMENDATION: return "DevOps Guru New Recommendation Created";
            case CLOSED_INSIGHT: return "DevOps Guru Insight Closed";
            default: throw new IllegalArgumentException("no detail-type for " + t);
        }
    }

    /**
     * OpsItem severity, "1" (critical) to "4" (low). An insight has three severities; OpsCenter's "1" (critical) is
     * left for people to set: HIGH = "2", MEDIUM = "3", LOW = "4".
     */
    public static String opsItemSeverity(Severity s) {
        switch (s) {
            case HIGH: return "2";
            case MEDIUM: return "3";
            case LOW: return "4";
            default: throw new IllegalArgumentException("no OpsItem severity for " + s);
        }
    }

    /** {@code insightSeverity} in EventBridge details is lower case. */
    public static String lowerCaseSeverity(Severity s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }
}
