package io.augur.ops.flink.insight;

import io.augur.schema.Anomaly;
import io.augur.schema.ChangeEvent;
import io.augur.schema.CoverageItem;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.Resource;
import io.augur.schema.ResourceMembership;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.util.Collector;

/** The inputs of the coverage operators, keyed by resource ARN: one item per resource a record is about. */
public final class CoverageItems {
    private CoverageItems() {}

    public static MapFunction<MetricDatapoint, CoverageItem> datapoints() {
        return d -> CoverageItem.newBuilder().setArn(d.getResource().getArn()).setAccountId(d.getAccountId()).setDatapoint(d).build();
    }

    public static MapFunction<Anomaly, CoverageItem> anomalies() {
        return a -> CoverageItem.newBuilder().setArn(a.getResource().getArn()).setAccountId(a.getAccountId()).setAnomaly(a).build();
    }

    /** A change event once per resource it touches. */
    public static FlatMapFunction<ChangeEvent, CoverageItem> events() {
        return (ChangeEvent e, Collector<CoverageItem> out) -> {
            for (Resource r : e.getResources()) {
                out.collect(CoverageItem.newBuilder().setArn(r.getArn()).setAccountId(e.getAccountId()).setEvent(e).build());
            }
        };
    }

    public static CoverageItem membership(ResourceMembership m) {
        String[] p = m.getArn().split(":", 6);
        return CoverageItem.newBuilder().setArn(m.getArn()).setAccountId(p.length > 4 ? p[4] : "").setMembership(m).build();
    }
}
