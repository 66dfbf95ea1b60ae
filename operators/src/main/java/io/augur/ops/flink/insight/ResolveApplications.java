package io.augur.ops.flink.insight;

import io.augur.ops.coverage.Coverage;
import io.augur.schema.CoverageItem;
import io.augur.schema.CoverageSettings;
import io.augur.schema.InsightInput;
import io.augur.schema.ResourceMembership;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Anomalies and change events of covered resources, with their application: the input of insight correlation.
 * Anomalies and events of resources outside coverage are dropped (counted as {@code coverage.anomaliesDropped} and
 * {@code coverage.eventsDropped}).
 */
public class ResolveApplications extends CoverageFunction<InsightInput> {
    public ResolveApplications(CoverageSettings initial, Duration membershipTtl) {
        super(initial, membershipTtl);
    }

    @Override
    protected void handle(CoverageItem item, Coverage cov, ResourceMembership m, boolean known, ReadOnlyContext ctx,
                          Collector<InsightInput> out) throws Exception {
        if (item.getAnomaly() == null && item.getEvent() == null) return;
        boolean anomaly = item.getAnomaly() != null;
        String account = anomaly ? item.getAnomaly().getAccountId() : item.getEvent().getAccountId();
        String region = anomaly ? item.getAnomaly().getRegion() : item.getEvent().getRegion();
        Coverage.Application app = cov.coversAccount(account) ? cov.applicationOf(account, item.getArn(), known ? m : membership()) : null;
        if (app == null) {
            counters.inc(anomaly ? "coverage.anomaliesDropped" : "coverage.eventsDropped", 1);
            return;
        }
        out.collect(InsightInput.newBuilder().setApplication(app.name()).setAccountId(account).setRegion(region)
                .setStackName(app.stackName()).setTagKey(app.tagKey())
                .setAnomaly(item.getAnomaly()).setEvent(item.getEvent()).build());
    }
}
