package io.augur.ops.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.deadletter.BadInputException;
import io.augur.ops.deadletter.DeadLetterReason;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Typed, validating access to JSON fields: every failure names the field and becomes a dead-letter reason. */
public final class JsonFields {
    /** Timestamps before 2000 or after 2200 are treated as corrupt (seconds sent as milliseconds, and the like). */
    static final long MIN_PLAUSIBLE_MS = 946_684_800_000L;
    static final long MAX_PLAUSIBLE_MS = 7_258_118_400_000L;

    private JsonFields() {}

    public static JsonNode required(JsonNode obj, String field) throws BadInputException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull() || n.isMissingNode()) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "missing field '" + field + "'");
        }
        return n;
    }

    public static String text(JsonNode obj, String field) throws BadInputException {
        JsonNode n = required(obj, field);
        if (!n.isTextual()) {
            throw new BadInputException(DeadLetterReason.WRONG_TYPE, "field '" + field + "' must be a string, got " + n.getNodeType());
        }
        if (n.textValue().isEmpty()) {
            throw new BadInputException(DeadLetterReason.MISSING_FIELD, "field '" + field + "' is empty");
        }
        return n.textValue();
    }

    public static String optText(JsonNode obj, String field) {
        JsonNode n = obj == null ? null : obj.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    public static JsonNode object(JsonNode obj, String field) throws BadInputException {
        JsonNode n = required(obj, field);
        if (!n.isObject()) {
            throw new BadInputException(DeadLetterReason.WRONG_TYPE, "field '" + field + "' must be an object, got " + n.getNodeType());
        }
        return n;
    }

    /** A finite number; a string holding a number is a type error, NaN and Infinity are rejected. */
    public static double number(JsonNode obj, String field) throws BadInputException {
        JsonNode n = required(obj, field);
        return finite(n, field);
    }

    public static double finite(JsonNode n, String field) throws BadInputException {
        if (!n.isNumber()) {
            throw new BadInputException(DeadLetterReason.WRONG_TYPE, "field '" + field + "' must be a number, got " + n.getNodeType());
        }
        double v = n.doubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new BadInputException(DeadLetterReason.NON_FINITE_VALUE, "field '" + field + "' is " + v);
        }
        return v;
    }

    /** Epoch milliseconds from a number, checked for plausibility. */
    public static long epochMillis(JsonNode obj, String field) throws BadInputException {
        JsonNode n = required(obj, field);
        if (!n.isIntegralNumber()) {
            throw new BadInputException(DeadLetterReason.WRONG_TYPE, "field '" + field + "' must be epoch milliseconds, got " + n.getNodeType());
        }
        return plausible(n.longValue(), field);
    }

    /** Epoch milliseconds from an ISO-8601 instant such as CloudTrail's eventTime 2024-05-01T12:00:00Z. */
    public static long isoMillis(JsonNode obj, String field) throws BadInputException {
        String s = text(obj, field);
        try {
            return plausible(Instant.parse(s).toEpochMilli(), field);
        } catch (DateTimeParseException e) {
            throw new BadInputException(DeadLetterReason.INVALID_TIMESTAMP, "field '" + field + "' is not an ISO-8601 instant: " + s);
        }
    }

    public static long plausible(long ms, String field) throws BadInputException {
        if (ms < MIN_PLAUSIBLE_MS || ms > MAX_PLAUSIBLE_MS) {
            throw new BadInputException(DeadLetterReason.INVALID_TIMESTAMP, "field '" + field + "' = " + ms + " is not a plausible epoch-millisecond time");
        }
        return ms;
    }
}
