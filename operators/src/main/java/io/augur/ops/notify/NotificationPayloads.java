package io.augur.ops.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.schema.InsightNotification;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payloads the SNS and EventBridge sinks send, fitted to each API's size limits with {@link JsonBudget}.
 *
 * <ul>
 *   <li>SNS: the message is the DevOps Guru body; message attributes {@code MessageType}, {@code Severity},
 *   {@code InsightType} (for subscription filter policies) and {@code NotificationId} (Augur's deterministic id, so
 *   consumers can drop repeats). Message plus attributes is at most 256 KB, and so is a whole PublishBatch.</li>
 *   <li>EventBridge: the detail is the body plus {@code notificationId}; an entry (time, source, detail-type, detail) is
 *   at most 256 KB, and so is a whole PutEvents call.</li>
 * </ul>
 */
public final class NotificationPayloads {
    public static final int SNS_MAX_BYTES = 256 * 1024;
    public static final int EVENTBRIDGE_MAX_BYTES = 256 * 1024;
    /** EventBridge counts a set Time as 14 bytes. */
    static final int EVENTBRIDGE_TIME_BYTES = 14;
    public static final String ATTR_MESSAGE_TYPE = "MessageType";
    public static final String ATTR_SEVERITY = "Severity";
    public static final String ATTR_INSIGHT_TYPE = "InsightType";
    public static final String ATTR_NOTIFICATION_ID = "NotificationId";
    public static final String DETAIL_NOTIFICATION_ID = "notificationId";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NotificationPayloads() {}

    public static Map<String, String> snsAttributes(InsightNotification n) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(ATTR_MESSAGE_TYPE, n.getMessageType().name());
        a.put(ATTR_SEVERITY, n.getSeverity().name());
        a.put(ATTR_INSIGHT_TYPE, n.getInsightType().name());
        a.put(ATTR_NOTIFICATION_ID, n.getId());
        return a;
    }

    /** SNS counts an attribute as its name, its data type ("String") and its value. */
    public static int snsAttributeBytes(Map<String, String> attributes) {
        int n = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            n += JsonBudget.utf8Length(e.getKey()) + "String".length() + JsonBudget.utf8Length(e.getValue());
        }
        return n;
    }

    /** Bytes SNS counts for a message: body plus attributes. */
    public static int snsBytes(InsightNotification n) {
        return JsonBudget.utf8Length(n.getBody()) + snsAttributeBytes(snsAttributes(n));
    }

    /** A copy whose body fits SNS's limit together with the attributes. */
    public static InsightNotification forSns(InsightNotification n) {
        int budget = SNS_MAX_BYTES - snsAttributeBytes(snsAttributes(n));
        JsonBudget.Fitted f = JsonBudget.fit(n.getBody(), budget);
        return f.truncated() ? withBody(n, f.json()) : n;
    }

    /** A copy whose body is the EventBridge detail (body + notificationId), fitted with source and detail-type. */
    public static InsightNotification forEventBridge(InsightNotification n, String source) {
        String detail = detail(n);
        int overhead = eventBridgeOverhead(n, source);
        return withBody(n, JsonBudget.fit(detail, EVENTBRIDGE_MAX_BYTES - overhead).json());
    }

    /** Bytes EventBridge counts for an entry whose detail is {@code n}'s body. */
    public static int eventBridgeBytes(InsightNotification n, String source) {
        return eventBridgeOverhead(n, source) + JsonBudget.utf8Length(n.getBody());
    }

    static int eventBridgeOverhead(InsightNotification n, String source) {
        return EVENTBRIDGE_TIME_BYTES + JsonBudget.utf8Length(source) + JsonBudget.utf8Length(DevOpsGuruNames.detailType(n.getMessageType()));
    }

    static String detail(InsightNotification n) {
        ObjectNode o;
        try {
            JsonNode parsed = MAPPER.readTree(n.getBody());
            o = parsed instanceof ObjectNode x ? x : MAPPER.createObjectNode().put("body", n.getBody());
        } catch (IOException e) {
            o = MAPPER.createObjectNode().put("body", n.getBody());
        }
        o.put(DETAIL_NOTIFICATION_ID, n.getId());
        return JsonBudget.write(o);
    }

    private static InsightNotification withBody(InsightNotification n, String body) {
        InsightNotification copy = InsightNotification.newBuilder(n).build();
        copy.setBody(body);
        return copy;
    }
}
