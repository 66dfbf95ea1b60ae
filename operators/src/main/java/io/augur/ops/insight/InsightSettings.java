package io.augur.ops.insight;

import java.io.Serializable;
import java.time.Duration;

/**
 * How insights are formed.
 *
 * @param closeGrace        an insight closes this long after its last anomaly closed, unless a new anomaly joins meanwhile
 * @param anomalyTimeout    an ongoing anomaly without a revision for this long counts as closed (a lost CLOSED revision)
 * @param repeatWindow      an insight about the same problem (resource and metric, same kind) as one closed this recently
 *                          is a repeat: LOW severity, never upgraded
 * @param lookback          change events this long before onset (and up to one minute after) are related events
 * @param causeWindow       the latest deployment or configuration change this long before onset is named as the likely cause
 * @param eventRetention    how long change events are kept to relate them to insights opened later (at least lookback)
 * @param maxRelatedEvents  related events kept per insight (the latest)
 * @param maxAnomalies      anomalies kept per insight; later ones are counted, not listed
 * @param maxRecentEvents   change events kept per application
 * @param urlTemplate       insightUrl, with {region}, {type} (reactive|proactive) and {id} replaced
 */
public record InsightSettings(Duration closeGrace, Duration anomalyTimeout, Duration repeatWindow, Duration lookback, Duration causeWindow,
                              Duration eventRetention, int maxRelatedEvents, int maxAnomalies, int maxRecentEvents, String urlTemplate)
        implements Serializable {

    public static final String DEFAULT_URL_TEMPLATE = "https://augur.local/insights/{type}/{id}";

    public InsightSettings {
        if (eventRetention.compareTo(lookback) < 0) {
            throw new IllegalArgumentException("insights.related-events.retention (" + eventRetention + ") must be at least the look-back (" + lookback + ")");
        }
        if (causeWindow.compareTo(lookback) > 0) {
            throw new IllegalArgumentException("insights.cause-window (" + causeWindow + ") must not exceed the look-back (" + lookback + ")");
        }
    }

    public static InsightSettings defaults() {
        return new InsightSettings(Duration.ofMinutes(10), Duration.ofDays(1), Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofMinutes(30), Duration.ofHours(3), 20, 100, 500, DEFAULT_URL_TEMPLATE);
    }
}
