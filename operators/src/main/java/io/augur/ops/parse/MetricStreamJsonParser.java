package io.augur.ops.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.augur.ops.deadletter.BadInputException;
import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.schema.MetricDatapoint;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One object of CloudWatch Metric Streams' JSON output format:
 * {@code {metric_stream_name, account_id, region, namespace, metric_name, dimensions, timestamp, value{max,min,sum,count[,pNN]}, unit}}.
 */
public final class MetricStreamJsonParser {
    private MetricStreamJsonParser() {}

    /** Whether a JSON object is a metric-stream datapoint (as opposed to an event). */
    public static boolean accepts(JsonNode obj) {
        return obj.has("metric_name") || (obj.has("namespace") && obj.has("value") && obj.has("dimensions"));
    }

    public static MetricDatapoint parse(JsonNode obj) throws BadInputException {
        String account = JsonFields.text(obj, "account_id");
        String region = JsonFields.text(obj, "region");
        String namespace = JsonFields.text(obj, "namespace");
        String metric = JsonFields.text(obj, "metric_name");
        long ts = JsonFields.epochMillis(obj, "timestamp");

        Map<String, String> dims = new HashMap<>();
        JsonNode d = obj.get("dimensions");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) {
                throw new BadInputException(DeadLetterReason.WRONG_TYPE, "field 'dimensions' must be an object, got " + d.getNodeType());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new BadInputException(DeadLetterReason.WRONG_TYPE, "dimension '" + e.getKey() + "' must be a string");
                }
                dims.put(e.getKey(), e.getValue().textValue());
            }
        }

        JsonNode value = JsonFields.object(obj, "value");
        double min = JsonFields.number(value, "min");
        double max = JsonFields.number(value, "max");
        double sum = JsonFields.number(value, "sum");
        double count = JsonFields.number(value, "count");
        MetricDatapoints.checkStatistics(min, max, count);
        Map<String, Double> percentiles = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.length() > 1 && (k.charAt(0) == 'p' || k.charAt(0) == 'P') && Character.isDigit(k.charAt(1))) {
                percentiles.put("p" + k.substring(1), JsonFields.finite(e.getValue(), "value." + k));
            }
        }
        return MetricDatapoints.of(account, region, namespace, metric, dims, ts, min, max, sum, count, percentiles,
                JsonFields.optText(obj, "unit"), JsonFields.optText(obj, "metric_stream_name"));
    }
}
