package io.augur.job.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.augur.ops.flink.IoCounters;
import io.augur.ops.flink.parse.ParseRecords;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay read and what became of it. {@code read = accepted metrics + accepted events + ignored + dead-lettered}.
 * {@code uncheckedMetrics}: accepted datapoints too old for the de-duplication to check ({@code dedup.window}).
 * {@code lateMetrics}, {@code lateEvents}: accepted datapoints and change events that arrived behind the event-time
 * watermark (the datapoints are in late-points, not scored; the change events were applied when event time learned of them).
 */
public record ReplaySummary(long records, long read, long metrics, long events, Map<String, Long> ignored,
                            Map<String, Long> deadLetters, long eventTimeReached, double seconds, Map<String, Long> anomalies,
                            long uncheckedMetrics, long lateMetrics, long lateEvents) {
    /** Counters of the anomaly step ({@code anomaly.opened.reactive}, {@code anomaly.latePoints}, ...). */
    static final String ANOMALY_PREFIX = "anomaly.";


    public static ReplaySummary from(Map<String, Object> accumulators, double seconds) {
        Map<String, Long> ignored = new TreeMap<>();
        Map<String, Long> dead = new TreeMap<>();
        Map<String, Long> anomalies = new TreeMap<>();
        long records = 0, read = 0, metrics = 0, events = 0, unchecked = 0, lateMetrics = 0, lateEvents = 0, eventTime = Long.MIN_VALUE;
        for (Map.Entry<String, Object> e : accumulators.entrySet()) {
            String k = e.getKey();
            if (k.equals(ParseRecords.EVENT_TIME_REACHED)) {
                eventTime = ((Number) e.getValue()).longValue();
                continue;
            }
            if (!k.startsWith(IoCounters.ACC_PREFIX) || !(e.getValue() instanceof Number)) continue;
            long v = ((Number) e.getValue()).longValue();
            String name = k.substring(IoCounters.ACC_PREFIX.length());
            if (name.equals(IoCounters.RECORDS)) records = v;
            else if (name.equals(IoCounters.READ)) read = v;
            else if (name.equals(IoCounters.ACCEPTED_METRICS)) metrics = v;
            else if (name.equals(IoCounters.ACCEPTED_EVENTS)) events = v;
            else if (name.equals(IoCounters.DEDUP_UNCHECKED)) unchecked = v;
            else if (name.equals(IoCounters.LATE_METRICS)) lateMetrics = v;
            else if (name.equals(IoCounters.LATE_EVENTS)) lateEvents = v;
            else if (name.startsWith(IoCounters.IGNORED)) ignored.put(name.substring(IoCounters.IGNORED.length()), v);
            else if (name.startsWith(IoCounters.DEAD_LETTER)) dead.put(name.substring(IoCounters.DEAD_LETTER.length()), v);
            else if (name.startsWith(ANOMALY_PREFIX)) anomalies.put(name.substring(ANOMALY_PREFIX.length()), v);
        }
        return new ReplaySummary(records, read, metrics, events, ignored, dead, eventTime, seconds, anomalies, unchecked, lateMetrics, lateEvents);
    }

    public long ignoredTotal() {
        return ignored.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deadLettered() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean balanced() {
        return read == metrics + events + ignoredTotal() + deadLettered();
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("replayed %,d records in %.1f s: %,d items read%n", records, seconds, read));
        b.append(String.format("  accepted      %,d metric datapoints, %,d change events%n", metrics, events));
        if (uncheckedMetrics > 0) {
            b.append(String.format("                (%,d of the datapoints were older than dedup.window behind their series: not checked for repeats)%n",
                    uncheckedMetrics));
        }
        if (lateMetrics > 0 || lateEvents > 0) {
            b.append(String.format("                (%,d datapoints arrived behind the watermark: in late-points, not scored; %,d change events did: applied when event time learned of them)%n",
                    lateMetrics, lateEvents));
        }
        b.append(String.format("  ignored       %,d %s%n", ignoredTotal(), ignored.isEmpty() ? "" : ignored));
        b.append(String.format("  dead-lettered %,d %s%n", deadLettered(), deadLetters.isEmpty() ? "" : deadLetters));
        b.append(String.format("  %s: read %,d = %,d + %,d + %,d + %,d", balanced() ? "balanced" : "UNBALANCED",
                read, metrics, events, ignoredTotal(), deadLettered()));
        if (!anomalies.isEmpty()) b.append(String.format("%n  anomalies     %s", anomalies));
        return b.toString();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("records", records);
        o.put("read", read);
        o.put("acceptedMetrics", metrics);
        o.put("acceptedEvents", events);
        o.put("uncheckedMetrics", uncheckedMetrics);
        o.put("lateMetrics", lateMetrics);
        o.put("lateEvents", lateEvents);
        ignored.forEach(o.putObject("ignored")::put);
        deadLetters.forEach(o.putObject("deadLetters")::put);
        anomalies.forEach(o.putObject("anomalies")::put);
        o.put("deadLettered", deadLettered());
        o.put("balanced", balanced());
        o.put("seconds", seconds);
        return o.toPrettyString();
    }
}
