package io.augur.ops.flink;

import io.augur.ops.deadletter.DeadLetterReason;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts that are both a Flink metric (for dashboards: group {@code augur}) and an accumulator (so a replay can print
 * its totals). Names: {@code read}, {@code accepted.metrics}, {@code accepted.events}, {@code ignored.<RULE>},
 * {@code deadLetter.<REASON>}, and {@code dedup.unchecked} (accepted datapoints the de-duplication could not check: older
 * than {@code dedup.window} behind their series' newest; they are also in {@code accepted.metrics}), {@code late.metrics} and
 * {@code late.events} (accepted datapoints and change events that arrived behind their channel's watermark: see
 * {@link LateDatapoints}, {@link LateChangeEvents}; also in the accepted counts).
 */
public final class IoCounters {
    public static final String ACC_PREFIX = "augur.";
    public static final String RECORDS = "records";
    public static final String READ = "read";
    public static final String ACCEPTED_METRICS = "accepted.metrics";
    public static final String ACCEPTED_EVENTS = "accepted.events";
    public static final String IGNORED = "ignored.";
    public static final String DEAD_LETTER = "deadLetter.";
    public static final String DEDUP_UNCHECKED = "dedup.unchecked";
    public static final String LATE_METRICS = LateDatapoints.COUNTER;
    public static final String LATE_EVENTS = LateChangeEvents.COUNTER;
    private final RuntimeContext ctx;
    private final MetricGroup group;
    private final Map<String, Counter> metrics = new HashMap<>();
    private final Map<String, LongCounter> accumulators = new HashMap<>();

    public IoCounters(RuntimeContext ctx) {
        this.ctx = ctx;
        this.group = ctx.getMetricGroup().addGroup("augur");
    }

    public void inc(String name, long n) {
        if (n == 0) return;
        Counter c = metrics.get(name);
        if (c == null) {
            c = counter(name);
            metrics.put(name, c);
            LongCounter acc = ctx.getLongCounter(ACC_PREFIX + name);
            accumulators.put(name, acc);
        }
        c.inc(n);
        accumulators.get(name).add(n);
    }

    /** One item sent to the dead-letter output. */
    public void deadLetter(DeadLetterReason reason) {
        inc(DEAD_LETTER + reason.name(), 1);
    }

    /**
     * An item counted as accepted (in {@code acceptedCounter}) turned out to repeat one already accepted: it moves to the
     * DUPLICATE dead letters, so that read = accepted + ignored + dead-lettered still holds.
     */
    public void duplicate(String acceptedCounter) {
        deadLetter(DeadLetterReason.DUPLICATE);
        inc(acceptedCounter, -1);
    }

    private Counter counter(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? group.counter(name) : group.addGroup(name.substring(0, dot)).counter(name.substring(dot + 1));
    }
}
