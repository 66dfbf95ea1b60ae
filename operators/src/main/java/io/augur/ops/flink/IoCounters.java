package io.augur.ops.flink;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts that are both a Flink metric (for dashboards: group {@code augur}) and an accumulator (so a replay can print
 * its totals). Names: {@code read}, {@code accepted.metrics}, {@code accepted.events}, {@code ignored.<RULE>},
 * {@code deadLetter.<REASON>}.
 */
public final class IoCounters {
    public static final String ACC_PREFIX = "augur.";
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

    private Counter counter(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? group.counter(name) : group.addGroup(name.substring(0, dot)).counter(name.substring(dot + 1));
    }
}
