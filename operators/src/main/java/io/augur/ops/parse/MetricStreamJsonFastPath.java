package io.augur.ops.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.augur.ops.deadletter.BadInputException;
import io.augur.schema.MetricDatapoint;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The common case of {@link MetricStreamJsonParser} read with Jackson's streaming parser instead of a tree: one
 * well-formed metric-stream object per line. It accepts only objects that the tree path would turn into a datapoint
 * without complaint (every required field present once with the right type, finite numbers, plausible time, nothing
 * after the object) and builds the same record through {@link MetricDatapoints#of}; anything else (a malformed, partial,
 * unusual or non-metric object, a repeated field) returns null and the caller takes the tree path, which decides and
 * words every rejection as before. So the outcome of every line is unchanged; only the common case is cheaper.
 */
final class MetricStreamJsonFastPath {
    private MetricStreamJsonFastPath() {}

    /** The datapoint in {@code b[from, to)}, or null when the tree path must decide. */
    static MetricDatapoint tryParse(JsonFactory factory, byte[] b, int from, int to) {
        try (JsonParser p = factory.createParser(b, from, to - from)) {
            MetricDatapoint m = read(p);
            if (m == null || p.nextToken() != null) return null; // trailing tokens: the tree path rejects them
            return m;
        } catch (IOException | BadInputException | RuntimeException e) {
            return null;
        }
    }

    private static MetricDatapoint read(JsonParser p) throws IOException, BadInputException {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        String account = null, region = null, namespace = null, metric = null, unit = null, stream = null;
        boolean hasTs = false, hasUnit = false, hasStream = false, hasDims = false, hasValue = false;
        long ts = 0;
        Map<String, String> dims = null;
        double min = 0, max = 0, sum = 0, count = 0;
        Map<String, Double> percentiles = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "account_id":
                    if (account != null || (account = text(p, v)) == null) return null;
                    break;
                case "region":
                    if (region != null || (region = text(p, v)) == null) return null;
                    break;
                case "namespace":
                    if (namespace != null || (namespace = text(p, v)) == null) return null;
                    break;
                case "metric_name":
                    if (metric != null || (metric = text(p, v)) == null) return null;
                    break;
                case "timestamp":
                    if (hasTs || v != JsonToken.VALUE_NUMBER_INT) return null;
                    JsonParser.NumberType nt = p.getNumberType();
                    if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) return null;
                    ts = JsonFields.plausible(p.getLongValue(), "timestamp");
                    hasTs = true;
                    break;
                case "unit":
                    if (hasUnit) return null;
                    hasUnit = true;
                    if (v == JsonToken.VALUE_STRING) unit = p.getText();
                    else p.skipChildren();
                    break;
                case "metric_stream_name":
                    if (hasStream) return null;
                    hasStream = true;
                    if (v == JsonToken.VALUE_STRING) stream = p.getText();
                    else p.skipChildren();
                    break;
                case "dimensions":
                    if (hasDims) return null;
                    hasDims = true;
                    dims = new HashMap<>();
                    if (v == JsonToken.VALUE_NULL) break;
                    if (v != JsonToken.START_OBJECT) return null;
                    JsonToken d;
                    while ((d = p.nextToken()) == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        if (p.nextToken() != JsonToken.VALUE_STRING || dims.put(k, p.getText()) != null) return null;
                    }
                    if (d != JsonToken.END_OBJECT) return null;
                    break;
                case "value":
                    if (hasValue || v != JsonToken.START_OBJECT) return null;
                    hasValue = true;
                    percentiles = new HashMap<>();
                    int seen = 0;
                    JsonToken f;
                    while ((f = p.nextToken()) == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        JsonToken n = p.nextToken();
                        int bit;
                        switch (k) {
                            case "min": bit = 1; min = finite(p, n); break;
                            case "max": bit = 2; max = finite(p, n); break;
                            case "sum": bit = 4; sum = finite(p, n); break;
                            case "count": bit = 8; count = finite(p, n); break;
                            default:
                                bit = 0;
                                if (k.length() > 1 && (k.charAt(0) == 'p' || k.charAt(0) == 'P') && Character.isDigit(k.charAt(1))) {
                                    // "p99" and "P99" are one key: the tree path would keep the later one; leave that to it
                                    if (percentiles.put("p" + k.substring(1), finite(p, n)) != null) return null;
                                } else {
                                    p.skipChildren();
                                }
                        }
                        if (bit != 0) {
                            if ((seen & bit) != 0) return null;
                            seen |= bit;
                        }
                    }
                    if (f != JsonToken.END_OBJECT || seen != 15) return null;
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) return null;
        if (account == null || region == null || namespace == null || metric == null || !hasTs || !hasValue) return null;
        if (dims == null) dims = new HashMap<>();
        if (count < 0 || min > max) return null; // the tree path words the rejection
        return MetricDatapoints.of(account, region, namespace, metric, dims, ts, min, max, sum, count, percentiles, unit, stream);
    }

    /** A non-empty string value, else null (the tree path decides). */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) return null;
        String s = p.getText();
        return s.isEmpty() ? null : s;
    }

    /** A finite number; anything else throws and the tree path decides. */
    private static double finite(JsonParser p, JsonToken n) throws IOException {
        if (n != JsonToken.VALUE_NUMBER_INT && n != JsonToken.VALUE_NUMBER_FLOAT) throw new IllegalStateException("not a number");
        double v = p.getDoubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalStateException("not finite");
        return v;
    }
}
