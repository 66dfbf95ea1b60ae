package io.augur.ops.parse.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.parse.ParseResult;

/**
 * CONTRACT (being implemented): parses one JSON object of the change-event family into change events:
 * EventBridge envelopes (detail-type "AWS API Call via CloudTrail", "CodeDeploy Deployment State-change Notification",
 * "CodeDeploy Instance State-change Notification", "Config Configuration Item Change"), CloudTrail log files
 * ({"Records":[…]}), CloudWatch Logs subscription payloads (already gunzipped: {messageType, logEvents[]}), and bare
 * CloudTrail records. Each item inside (log record, log event) counts as exactly one of: event, ignored, rejection.
 */
public final class ChangeEventParser {
    public static ChangeEventParser withDefaults() {
        return new ChangeEventParser();
    }

    public boolean accepts(JsonNode obj) {
        return obj.has("detail-type") || obj.has("Records") || obj.has("logEvents") || obj.has("eventName");
    }

    public void parse(JsonNode obj, byte[] raw, ParseResult out) {
        out.reject(DeadLetterReason.UNKNOWN_FORMAT, "change events are not parsed yet", raw);
    }
}
