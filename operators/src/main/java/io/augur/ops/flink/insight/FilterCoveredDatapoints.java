package io.augur.ops.flink.insight;

import io.augur.ops.coverage.Coverage;
import io.augur.schema.CoverageItem;
import io.augur.schema.CoverageSettings;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ResourceMembership;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Datapoints of covered resources only, before scoring: resources outside coverage are not analysed and cost no
 * baseline state (dropped ones are counted as {@code coverage.datapointsDropped}). Change events only feed the
 * membership state here. In ACCOUNT mode only the account is checked, without a state read.
 */
public class FilterCoveredDatapoints extends CoverageFunction<MetricDatapoint> {
    public FilterCoveredDatapoints(CoverageSettings initial, Duration membershipTtl) {
        super(initial, membershipTtl);
    }

    @Override
    protected void handle(CoverageItem item, Coverage cov, ResourceMembership m, boolean known, ReadOnlyContext ctx,
                          Collector<MetricDatapoint> out) throws Exception {
        MetricDatapoint d = item.getDatapoint();
        if (d == null) return;
        boolean covered = cov.coversAccount(d.getAccountId())
                && (!cov.needsMembership() || cov.applicationOf(d.getAccountId(), item.getArn(), known ? m : membership()) != null);
        if (covered) out.collect(d);
        else counters.inc("coverage.datapointsDropped", 1);
    }
}
