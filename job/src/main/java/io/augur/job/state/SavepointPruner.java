package io.augur.job.state;

import io.augur.job.config.AugurConfig;
import io.augur.job.topology.AugurTopology;
import io.augur.job.topology.InsightConfig;
import io.augur.ops.coverage.Coverage;
import io.augur.ops.flink.insight.CoverageFunction;
import io.augur.schema.ResourceMembership;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code augur state prune}: a new savepoint without the keyed state of resources that are no longer covered (by the
 * configured coverage: {@code insights.coverage.*}) or that are named explicitly ({@code --drop-resource ARN-or-prefix}).
 * Only operators whose keys are series or resources are rewritten ({@link StateCatalog.KeyedOperator#prunable()}):
 * their state is read key by key with the State Processor API, the dropped keys are filtered out, and the rest is
 * written back under the same uid with the same descriptors and timers. Every other operator's state is carried over.
 */
public final class SavepointPruner {
    /** What to drop: explicit ARN prefixes, and/or what the configured coverage does not cover. */
    public record Selection(List<String> resourcePrefixes, boolean byCoverage, boolean dropUnknownMembership) {}

    /** Per operator: keys dropped and kept. */
    public record OperatorResult(String uid, long dropped, long kept) {}

    public record Result(String savepoint, String out, boolean written, List<OperatorResult> operators, Set<String> droppedResources,
                         int resourcesWithoutMembership) {
        public OperatorResult operator(String uid) {
            for (OperatorResult o : operators) if (o.uid().equals(uid)) return o;
            return new OperatorResult(uid, 0, 0);
        }
    }

    private SavepointPruner() {}

    public static Result prune(String savepoint, String out, AugurConfig cfg, Selection sel, boolean dryRun, int parallelism) throws Exception {
        CheckpointMetadata meta = SavepointLoader.loadSavepointMetadata(savepoint);
        Set<OperatorID> present = new HashSet<>();
        for (OperatorState s : meta.getOperatorStates()) present.add(s.getOperatorID());
        List<StateCatalog.KeyedOperator> ops = KeyedRewrite.present(meta, StateCatalog.keyed(cfg), StateCatalog.KeyedOperator::prunable, "prune");

        Coverage coverage = sel.byCoverage() ? new Coverage(InsightConfig.coverage(cfg)) : null;
        Map<String, ResourceMembership> memberships = coverage != null && coverage.needsMembership()
                ? memberships(savepoint, cfg, present, parallelism) : Map.of();

        // which keys to drop, per operator
        Map<String, HashSet<String>> drop = new LinkedHashMap<>();
        Map<String, long[]> counts = new LinkedHashMap<>();
        Set<String> droppedResources = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();
        for (StateCatalog.KeyedOperator op : ops) {
            drop.put(op.uid(), new HashSet<>());
            counts.put(op.uid(), new long[2]);
        }
        if (!ops.isEmpty()) {
            StreamExecutionEnvironment env = SavepointEnvironments.create(parallelism);
            SavepointReader reader = SavepointReader.read(env, savepoint, SavepointEnvironments.backend());
            DataStream<Tuple2<String, String>> keys = null;
            for (StateCatalog.KeyedOperator op : ops) {
                DataStream<Tuple2<String, String>> k = reader.readKeyedState(OperatorIdentifier.forUid(op.uid()), new StateFunctions.Keys(op),
                        StateCatalog.keyType(op.uid()), Types.TUPLE(Types.STRING, Types.STRING));
                keys = keys == null ? k : keys.union(k);
            }
            Map<String, StateCatalog.KeyedOperator> byUid = new HashMap<>();
            for (StateCatalog.KeyedOperator op : ops) byUid.put(op.uid(), op);
            try (CloseableIterator<Tuple2<String, String>> it = keys.executeAndCollect("augur state prune: keys")) {
                while (it.hasNext()) {
                    Tuple2<String, String> k = it.next();
                    String arn = byUid.get(k.f0).resourceOf().arn(k.f1);
                    boolean d = arn != null && drops(arn, account(k.f1, arn), sel, coverage, memberships, unknown);
                    counts.get(k.f0)[d ? 0 : 1]++;
                    if (d) {
                        drop.get(k.f0).add(k.f1);
                        droppedResources.add(arn);
                    }
                }
            }
        }
        List<OperatorResult> results = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) results.add(new OperatorResult(e.getKey(), e.getValue()[0], e.getValue()[1]));
        if (dryRun) return new Result(savepoint, out, false, results, droppedResources, unknown.size());

        StreamExecutionEnvironment env = SavepointEnvironments.create(parallelism, true);
        SavepointWriter writer = SavepointWriter.fromExistingSavepoint(env, savepoint, SavepointEnvironments.backend());
        SavepointReader reader = SavepointReader.read(env, savepoint, SavepointEnvironments.backend());
        for (StateCatalog.KeyedOperator op : ops) {
            HashSet<String> keys = drop.get(op.uid());
            if (keys.isEmpty()) continue; // untouched: carried over as it is
            KeyedRewrite.rewrite(reader, writer, op, new StateFunctions.NotIn(keys));
        }
        writer.write(out);
        env.execute("augur state prune");
        return new Result(savepoint, out, true, results, droppedResources, unknown.size());
    }

    private static boolean drops(String arn, String account, Selection sel, Coverage coverage, Map<String, ResourceMembership> memberships,
                                 Set<String> unknown) {
        for (String p : sel.resourcePrefixes()) if (arn.startsWith(p)) return true;
        if (coverage == null) return false;
        ResourceMembership m = memberships.get(arn);
        if (coverage.needsMembership() && m == null && Coverage.stackOfStackArn(arn) == null) {
            unknown.add(arn);
            if (!sel.dropUnknownMembership()) return false;
        }
        return coverage.applicationOf(account, arn, m) == null;
    }

    /** The account of a key: a series key starts with it; else the ARN's account field. */
    static String account(String key, String arn) {
        int bar = key.indexOf('|');
        if (bar > 0) return key.substring(0, bar);
        String[] p = arn.split(":", 6);
        return p.length > 4 ? p[4] : "";
    }

    /** What the coverage operators in the savepoint know of each resource's stack and tags. */
    private static Map<String, ResourceMembership> memberships(String savepoint, AugurConfig cfg, Set<OperatorID> present, int parallelism)
            throws Exception {
        StreamExecutionEnvironment env = SavepointEnvironments.create(parallelism);
        SavepointReader reader = SavepointReader.read(env, savepoint, SavepointEnvironments.backend());
        DataStream<ResourceMembership> all = null;
        for (String uid : List.of(AugurTopology.COVERAGE_APPLICATIONS_UID, AugurTopology.COVERAGE_DATAPOINTS_UID)) {
            OperatorIdentifier id = OperatorIdentifier.forUid(uid);
            if (!present.contains(id.getOperatorId())) continue;
            DataStream<ResourceMembership> m = reader.readKeyedState(id,
                    new StateFunctions.Memberships(CoverageFunction.membershipDescriptor(cfg.getDuration(AugurConfig.COVERAGE_MEMBERSHIP_TTL))),
                    Types.STRING, new AvroTypeInfo<>(ResourceMembership.class));
            all = all == null ? m : all.union(m);
        }
        Map<String, ResourceMembership> out = new HashMap<>();
        if (all == null) return out;
        try (CloseableIterator<ResourceMembership> it = all.executeAndCollect("augur state prune: memberships")) {
            while (it.hasNext()) {
                ResourceMembership m = it.next();
                out.merge(m.getArn(), m, (a, b) -> a.getStackName() != null || !a.getTags().isEmpty() ? a : b);
            }
        }
        return out;
    }
}
