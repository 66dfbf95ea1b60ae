package io.augur.ops.parse;

import io.augur.ops.deadletter.DeadLetterReason;
import io.augur.schema.ChangeEvent;
import io.augur.schema.MetricDatapoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one raw record turned into. Every item read from the record lands in exactly one of the four buckets, so
 * {@code read() = metrics + events + ignored + rejections}: accepted (normalized or deliberately ignored by a rule)
 * plus dead-lettered is what was read.
 */
public final class ParseResult {
    /** An item that goes to the dead-letter output. */
    public record Rejection(DeadLetterReason reason, String detail, byte[] payload) {}

    public final List<MetricDatapoint> metrics = new ArrayList<>();
    public final List<ChangeEvent> events = new ArrayList<>();
    public final List<Rejection> rejections = new ArrayList<>();
    /** Items accepted and then deliberately not emitted, counted per rule (e.g. READ_ONLY_CALL, CONTROL_MESSAGE). */
    public final Map<String, Integer> ignored = new TreeMap<>();

    public void reject(DeadLetterReason reason, String detail, byte[] payload) {
        rejections.add(new Rejection(reason, detail, payload));
    }

    public void ignore(String rule) {
        ignored.merge(rule, 1, Integer::sum);
    }

    public int ignoredCount() {
        int n = 0;
        for (int v : ignored.values()) n += v;
        return n;
    }

    public int read() {
        return metrics.size() + events.size() + ignoredCount() + rejections.size();
    }

    public void clear() {
        metrics.clear();
        events.clear();
        rejections.clear();
        ignored.clear();
    }
}
