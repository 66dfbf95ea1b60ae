package io.augur.job.sink.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.ops.notify.InsightBodies;
import io.augur.schema.AnomalyKind;
import io.augur.schema.InsightMessageType;
import io.augur.schema.InsightNotification;
import io.augur.schema.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Insight lifecycles as the correlation stage emits them, with DevOps Guru-shaped bodies ({@link InsightBodies}):
 * NEW_INSIGHT (MEDIUM), NEW_ASSOCIATION, SEVERITY_UPGRADED (to HIGH), NEW_RECOMMENDATION, CLOSED_INSIGHT. Insight
 * {@code i} starts 2 minutes after insight {@code i - 1} and has an event every 10 minutes, so insights overlap in time.
 */
final class InsightEvents {
    static final ObjectMapper MAPPER = InsightBodies.MAPPER;
    static final InsightMessageType[] LIFECYCLE = {InsightMessageType.NEW_INSIGHT, InsightMessageType.NEW_ASSOCIATION,
            InsightMessageType.SEVERITY_UPGRADED, InsightMessageType.NEW_RECOMMENDATION, InsightMessageType.CLOSED_INSIGHT};

    private InsightEvents() {}

    static String insightId(int i) {
        return String.format("ADyf4FvaVNDzu9MA2-%04d", i);
    }

    /** Every event of {@code insights} insights, in event-time order. */
    static List<InsightNotification> lifecycles(int insights) {
        List<InsightNotification> out = new ArrayList<>();
        for (int i = 0; i < insights; i++) {
            for (int k = 0; k < LIFECYCLE.length; k++) out.add(event(i, k, 2));
        }
        out.sort(Comparator.comparingLong(InsightNotification::getTime).thenComparing(InsightNotification::getId));
        return out;
    }

    /** Event {@code sequence} of insight {@code insight}: one anomaly with {@code datapoints} datapoints. */
    static InsightNotification event(int insight, int sequence, int datapoints) {
        InsightMessageType type = LIFECYCLE[sequence];
        Severity severity = sequence >= 2 ? Severity.HIGH : Severity.MEDIUM;
        String id = insightId(insight);
        String application = "shop-" + insight;
        long start = InsightBodies.START + insight * 120_000L;
        long time = type == InsightMessageType.CLOSED_INSIGHT ? start + InsightBodies.DURATION : start + sequence * 600_000L;
        ObjectNode body = InsightBodies.body(id, type, severity, start, application, 1, datapoints,
                type == InsightMessageType.NEW_RECOMMENDATION ? 1 : 0);
        return InsightNotification.newBuilder()
                .setId(id + "-" + type + "-" + sequence).setInsightId(id).setMessageType(type).setSequence(sequence)
                .setSeverity(severity).setInsightType(AnomalyKind.REACTIVE)
                .setInsightName(body.get("insightName").asText())
                .setAccountId("123456789012").setRegion("us-east-1").setApplication(application)
                .setTime(time).setBody(body.toString()).build();
    }
}
