package io.augur.ops.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.augur.ops.deadletter.BadInputException;
import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.ops.parse.events.ChangeEventParser;
import io.augur.ops.parse.otel.OtelMetricParser;
import io.augur.schema.MetricDatapoint;

import java.io.IOException;
import java.util.Arrays;

/**
 * The one entry point from raw records to normalized records. A record is a Kinesis record's data or a line of a
 * replay file; its format is recognised from its content:
 * <ul>
 *   <li>gzip is unwrapped first (metric streams via Firehose, CloudTrail log files, CloudWatch Logs subscriptions);</li>
 *   <li>JSON: newline-delimited metric-stream objects, EventBridge events (CloudTrail, CodeDeploy, Config),
 *       CloudTrail log files ({@code {"Records":[…]}}), CloudWatch Logs subscription payloads;</li>
 *   <li>anything else binary: length-delimited OpenTelemetry ExportMetricsServiceRequest messages (0.7 or 1.0).</li>
 * </ul>
 * Every item inside ends up in exactly one bucket of the {@link ParseResult}. Not thread-safe: one per task.
 */
public final class RecordParser {
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 16 << 20;

    /** NaN and Infinity are read (not failed on) so that they can be told apart from malformed JSON. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private final PayloadDecoder decoder;
    private final ChangeEventParser events;

    public RecordParser() {
        this(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    public RecordParser(int maxRecordBytes, int maxDecompressedBytes) {
        this.decoder = new PayloadDecoder(maxRecordBytes, maxDecompressedBytes);
        this.events = ChangeEventParser.withDefaults();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses one record into {@code out} (which is not cleared first). */
    public void parse(byte[] payload, ParseResult out) {
        byte[] content;
        try {
            content = decoder.decode(payload);
        } catch (BadInputException e) {
            out.reject(e.reason(), e.detail(), payload);
            return;
        }
        int first = firstNonBlank(content, 0);
        if (first < 0) {
            out.reject(DeadLetterReason.EMPTY_RECORD, "record holds only whitespace", payload);
        } else if (content[first] == '{' || content[first] == '[') {
            parseJson(content, first, out);
        } else if (looksLikeText(content, first)) {
            out.reject(DeadLetterReason.MALFORMED_JSON, "text record that is not JSON", content);
        } else {
            OtelMetricParser.parse(content, out);
        }
    }

    private void parseJson(byte[] content, int start, ParseResult out) {
        // Metric streams put many objects in one record, one per line. Pretty-printed single objects also occur.
        int end = lineEnd(content, start);
        int next = firstNonBlank(content, end);
        if (next < 0) {
            parseObject(content, start, end, out);
            return;
        }
        JsonNode firstLine = tryRead(content, start, end);
        if (firstLine == null) {
            JsonNode whole = tryRead(content, start, content.length);
            if (whole != null) {
                dispatch(whole, Arrays.copyOfRange(content, start, content.length), out);
                return;
            }
        }
        int lineStart = start;
        while (lineStart >= 0) {
            int lineEnd = lineEnd(content, lineStart);
            parseObject(content, lineStart, lineEnd, out);
            lineStart = firstNonBlank(content, lineEnd);
        }
    }

    private void parseObject(byte[] content, int from, int to, ParseResult out) {
        // the common case, a well-formed metric-stream object, without a tree; anything else takes the tree path below
        MetricDatapoint fast = MetricStreamJsonFastPath.tryParse(MAPPER.getFactory(), content, from, to);
        if (fast != null) {
            out.metrics.add(fast);
            return;
        }
        byte[] raw = Arrays.copyOfRange(content, from, to);
        JsonNode node;
        try {
            node = MAPPER.readTree(raw);
        } catch (IOException e) {
            out.reject(DeadLetterReason.MALFORMED_JSON, firstLine(e.getMessage()), raw);
            return;
        }
        dispatch(node, raw, out);
    }

    private void dispatch(JsonNode node, byte[] raw, ParseResult out) {
        if (node == null || !node.isObject()) {
            out.reject(DeadLetterReason.UNKNOWN_FORMAT, "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()), raw);
        } else if (MetricStreamJsonParser.accepts(node)) {
            try {
                out.metrics.add(MetricStreamJsonParser.parse(node));
            } catch (BadInputException e) {
                out.reject(e.reason(), e.detail(), raw);
            }
        } else if (events.accepts(node)) {
            events.parse(node, raw, out);
        } else {
            out.reject(DeadLetterReason.UNKNOWN_FORMAT,
                    "JSON object is neither a metric-stream datapoint nor a CloudTrail, CodeDeploy or Config event", raw);
        }
    }

    private static JsonNode tryRead(byte[] content, int from, int to) {
        try {
            return MAPPER.readTree(content, from, to - from);
        } catch (IOException e) {
            return null;
        }
    }

    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == '\n') return i;
        return b.length;
    }

    private static int firstNonBlank(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return i;
        }
        return -1;
    }

    private static boolean looksLikeText(byte[] b, int from) {
        int n = Math.min(b.length, from + 64);
        for (int i = from; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
        }
        return true;
    }

    static String firstLine(String s) {
        if (s == null) return "unparseable";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
