package io.augur.job.state;

import io.augur.job.config.AugurConfig;
import io.augur.job.topology.AnomalyStep;
import io.augur.job.topology.AugurTopology;
import io.augur.ops.anomaly.AnomalySettings;
import io.augur.ops.flink.anomaly.BurstCandidates;
import io.augur.ops.flink.anomaly.DeploymentHold;
import io.augur.ops.flink.anomaly.ForecastExhaustion;
import io.augur.ops.flink.anomaly.ProactiveAnomalies;
import io.augur.ops.flink.anomaly.ReactiveAnomalies;
import io.augur.ops.flink.dedup.DedupChangeEvents;
import io.augur.ops.flink.dedup.DedupDatapoints;
import io.augur.ops.flink.detect.ScoreDatapoints;
import io.augur.ops.flink.insight.CorrelateInsights;
import io.augur.ops.flink.insight.CoverageFunction;
import io.augur.ops.flink.insight.ResolveApplications;
import io.augur.ops.resource.ResourceIdentities;
import io.augur.schema.InsightState;
import io.augur.schema.ProactiveAnomalyState;
import io.augur.schema.Resource;
import io.augur.schema.SeriesAnomalyState;
import io.augur.ops.flink.SeriesKeyTypeInfo;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which operators of Augur's job hold keyed state, under which uid, with which state descriptors (the operators' own
 * descriptor factories, with the configured TTLs), and how a key maps to the AWS resource it is about. The savepoint
 * tools ({@code augur state inspect|prune}) read and write state through this catalog only.
 */
public final class StateCatalog {
    private StateCatalog() {}

    /** Something worth counting in a state's values (e.g. the open anomaly of a lifecycle state). */
    public interface Facet extends Serializable {
        long count(Object value);
    }

    /** One keyed state of an operator, with the facets {@code inspect} counts. */
    public record StateSpec(StateDescriptor<?, ?> descriptor, Map<String, Facet> facets) implements Serializable {
        public String name() {
            return descriptor.getName();
        }
    }

    /** The resource a key is about (null when the key is not one), for pruning. */
    public interface ResourceOfKey extends Serializable {
        String arn(String key);
    }

    /**
     * An operator with keyed state (keys are strings). {@code resourceOf} is null when its state is not per resource or
     * is not rewritten by {@code prune}; {@code keptBecause} then says why.
     */
    public record KeyedOperator(String uid, String title, String keyedBy, List<StateSpec> states, ResourceOfKey resourceOf,
                                String keptBecause) implements Serializable {
        public boolean prunable() {
            return resourceOf != null;
        }
    }

    /** Operators whose state Augur keeps but does not decode (CEP's NFA states and buffers). */
    public record OpaqueOperator(String uid, String title, String why) {}

    /** The keyed operators, in pipeline order. */
    public static List<KeyedOperator> keyed(AugurConfig cfg) {
        AnomalySettings s = AnomalyStep.settings(cfg);
        Duration membershipTtl = cfg.getDuration(AugurConfig.COVERAGE_MEMBERSHIP_TTL);
        ResourceOfKey seriesStat = key -> arn(ResourceIdentities.fromSeriesKey(key, true));
        ResourceOfKey resourceArn = key -> key;
        Facet openReactive = v -> ((SeriesAnomalyState) v).getOpen() != null ? 1 : 0;
        Facet openProactive = v -> ((ProactiveAnomalyState) v).getOpen() != null ? 1 : 0;
        Facet openInsights = v -> ((InsightState) v).getInsights().size();
        Facet recentEvents = v -> ((InsightState) v).getRecentEvents().size();

        List<KeyedOperator> out = new ArrayList<>();
        // keyed by series id|stat since the session-5 round (issue 9); savepoints from before hold series-id keys, which expire
        ResourceOfKey dedupKey = key -> arn(ResourceIdentities.fromSeriesKey(key, endsWithStat(key)));
        out.add(new KeyedOperator(AugurTopology.DEDUP_DATAPOINTS_UID, "De-duplicate datapoints", "series id|stat (series id before)",
                specs(DedupDatapoints.descriptor(cfg.getDuration(AugurConfig.DEDUP_SERIES_TTL))), dedupKey, null));
        out.add(new KeyedOperator(AugurTopology.DEDUP_CHANGE_EVENTS_UID, "De-duplicate change events", "change event id",
                specs(DedupChangeEvents.descriptor(cfg.getDuration(AugurConfig.DEDUP_EVENT_TTL))), null,
                "keyed by event id, not by resource; expires after dedup.event-ttl"));
        out.add(new KeyedOperator(AugurTopology.COVERAGE_DATAPOINTS_UID, "Covered datapoints (memberships)", "resource ARN",
                specs(CoverageFunction.membershipDescriptor(membershipTtl)), null,
                "also holds the coverage settings as broadcast state, which a keyed rewrite would lose; memberships expire after insights.coverage.membership-ttl"));
        out.add(new KeyedOperator(AugurTopology.SCORE_DATAPOINTS_UID, "Score datapoints against baselines", "series id|stat",
                specs(ScoreDatapoints.descriptor(cfg.getDuration(AugurConfig.DETECTOR_STATE_TTL))), seriesStat, null));
        out.add(new KeyedOperator(AnomalyStep.BURST_CANDIDATES_UID, "Burst candidates", "series id|stat",
                specs(BurstCandidates.stateDescriptors(s)), seriesStat, null));
        out.add(new KeyedOperator(AnomalyStep.REACTIVE_LIFECYCLE_UID, "Reactive anomaly lifecycle", "series id|stat",
                withFacets(specs(ReactiveAnomalies.stateDescriptors(s)), ReactiveAnomalies.STATE_NAME, Map.of("open anomalies", openReactive)), seriesStat, null));
        out.add(new KeyedOperator(AnomalyStep.FORECAST_UID, "Forecast time to limit", "series id|stat",
                specs(ForecastExhaustion.descriptor(s)), seriesStat, null));
        out.add(new KeyedOperator(AnomalyStep.PROACTIVE_LIFECYCLE_UID, "Proactive anomaly lifecycle", "series id|stat",
                withFacets(specs(ProactiveAnomalies.stateDescriptors(s)), ProactiveAnomalies.STATE_NAME, Map.of("open anomalies", openProactive)), seriesStat, null));
        out.add(new KeyedOperator(AnomalyStep.DEPLOYMENT_HOLD_UID, "Hold anomalies during deployments", "resource ARN",
                specs(DeploymentHold.stateDescriptors(s.stateTtl())), resourceArn, null));
        out.add(new KeyedOperator(AugurTopology.COVERAGE_APPLICATIONS_UID, "Applications of covered resources (memberships)", "resource ARN",
                specs(List.<StateDescriptor<?, ?>>of(CoverageFunction.membershipDescriptor(membershipTtl), ResolveApplications.pendingDescriptor())), null,
                "also holds the coverage settings as broadcast state, which a keyed rewrite would lose; memberships expire after insights.coverage.membership-ttl"));
        out.add(new KeyedOperator(AugurTopology.CORRELATE_INSIGHTS_UID, "Correlate insights", "application",
                withFacets(specs(CorrelateInsights.stateDescriptors()), CorrelateInsights.STATE_NAME,
                        Map.of("open insights", openInsights, "recent change events", recentEvents)), null,
                "keyed by application, not by resource: insights close by themselves once their anomalies close"));
        return out;
    }

    /**
     * The key type of an operator's state: the scoring chain's operators (de-duplication, scoring, burst candidates) and
     * the forecaster store their keys compactly ({@link SeriesKeyTypeInfo}, which also reads keys written as plain strings, before it),
     * every other operator as a plain string.
     */
    public static TypeInformation<String> keyType(String uid) {
        return COMPACT_KEYS.contains(uid) ? SeriesKeyTypeInfo.INSTANCE : Types.STRING;
    }

    /** The uids of the operators whose keys are stored in {@link SeriesKeyTypeInfo}'s form. */
    public static final Set<String> COMPACT_KEYS = Set.of(AugurTopology.DEDUP_DATAPOINTS_UID, AugurTopology.SCORE_DATAPOINTS_UID,
            AnomalyStep.BURST_CANDIDATES_UID, AnomalyStep.FORECAST_UID);

    /** Whether a de-duplication key ends with a statistic (series id|stat) rather than the dimensions (a series id). */
    static boolean endsWithStat(String key) {
        String last = key.substring(key.lastIndexOf('|') + 1);
        return !last.isEmpty() && last.indexOf('=') < 0;
    }

    /** The CEP operators: their state is Flink CEP's own (NFA states, shared buffer of partial matches). */
    public static List<OpaqueOperator> opaque() {
        String why = "Flink CEP's internal state (NFA states and the shared buffer of partial matches) is kept as it is: "
                + "partial matches are pruned by the pattern's time window within minutes of event time";
        return List.of(new OpaqueOperator(AnomalyStep.REACTIVE_PATTERN_UID, "CEP reactive bursts", why),
                new OpaqueOperator(AnomalyStep.PROACTIVE_PATTERN_UID, "CEP agreeing forecasts", why));
    }

    private static String arn(Resource r) {
        return r == null ? null : r.getArn();
    }

    private static List<StateSpec> specs(StateDescriptor<?, ?> d) {
        return specs(List.of(d));
    }

    private static List<StateSpec> specs(List<StateDescriptor<?, ?>> ds) {
        List<StateSpec> out = new ArrayList<>();
        for (StateDescriptor<?, ?> d : ds) out.add(new StateSpec(d, Map.of()));
        return out;
    }

    private static List<StateSpec> withFacets(List<StateSpec> specs, String state, Map<String, Facet> facets) {
        List<StateSpec> out = new ArrayList<>();
        for (StateSpec sp : specs) out.add(sp.name().equals(state) ? new StateSpec(sp.descriptor(), facets) : sp);
        return out;
    }
}
