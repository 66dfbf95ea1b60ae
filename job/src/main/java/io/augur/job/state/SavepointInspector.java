package io.augur.job.state;

import io.augur.job.config.AugurConfig;
import org.apache.flink.api.java.tuple.Tuple5;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code augur state inspect}: counts and samples of every keyed state of Augur's operators in a savepoint (or a
 * retained checkpoint), read with Flink's State Processor API through {@link StateCatalog}.
 */
public final class SavepointInspector {
    /** A sample value of a state: the key and the value's rendering (Avro records as JSON). */
    public record Sample(String key, String value) {}

    /** One state (or a facet of it, "state: what"): keys with a value, total entries, samples. */
    public record StateReport(String name, long keys, long entries, List<Sample> samples) {}

    /** One operator: whether the savepoint has it, its states, and whether prune rewrites it (else why not). */
    public record OperatorReport(String uid, String title, String keyedBy, boolean present, boolean prunable, String keptBecause,
                                 List<StateReport> states, List<String> undecodedStates) {
        public StateReport state(String name) {
            for (StateReport s : states) if (s.name().equals(name)) return s;
            return new StateReport(name, 0, 0, List.of());
        }
    }

    /** The whole savepoint: its operators (Augur's known ones first), and the headline counts. */
    public record Report(String savepoint, long checkpointId, int maxParallelism, int operatorsWithState, List<OperatorReport> operators,
                         List<String> otherOperators, Map<String, Long> summary) {
        public OperatorReport operator(String uid) {
            for (OperatorReport o : operators) if (o.uid().equals(uid)) return o;
            throw new IllegalArgumentException("no operator " + uid);
        }
    }

    private SavepointInspector() {}

    public static Report inspect(String savepoint, AugurConfig cfg, int samples, int parallelism) throws Exception {
        CheckpointMetadata meta = SavepointLoader.loadSavepointMetadata(savepoint);
        Map<OperatorID, OperatorState> byId = new HashMap<>();
        int maxParallelism = 0;
        for (OperatorState s : meta.getOperatorStates()) {
            byId.put(s.getOperatorID(), s);
            maxParallelism = Math.max(maxParallelism, s.getMaxParallelism());
        }
        List<StateCatalog.KeyedOperator> catalog = StateCatalog.keyed(cfg);

        StreamExecutionEnvironment env = SavepointEnvironments.create(parallelism);
        SavepointReader reader = SavepointReader.read(env, savepoint, SavepointEnvironments.backend());
        DataStream<Tuple5<String, String, String, Long, String>> all = null;
        List<OperatorID> known = new ArrayList<>();
        for (StateCatalog.KeyedOperator op : catalog) {
            OperatorID id = OperatorIdentifier.forUid(op.uid()).getOperatorId();
            known.add(id);
            if (!byId.containsKey(id)) continue;
            DataStream<Tuple5<String, String, String, Long, String>> s = reader.readKeyedState(OperatorIdentifier.forUid(op.uid()),
                    new StateFunctions.Inspect(op, samples), StateCatalog.keyType(op.uid()), StateFunctions.ENTRY);
            all = all == null ? s : all.union(s);
        }

        // (uid, state) → keys, entries, samples (by key)
        Map<String, Map<String, long[]>> counts = new HashMap<>();
        Map<String, Map<String, TreeMap<String, String>>> sampled = new HashMap<>();
        if (all != null) {
            try (CloseableIterator<Tuple5<String, String, String, Long, String>> it = all.executeAndCollect("augur state inspect")) {
                while (it.hasNext()) {
                    Tuple5<String, String, String, Long, String> e = it.next();
                    long[] c = counts.computeIfAbsent(e.f0, k -> new HashMap<>()).computeIfAbsent(e.f1, k -> new long[2]);
                    c[0]++;
                    c[1] += e.f3;
                    if (!e.f4.isEmpty()) {
                        TreeMap<String, String> m = sampled.computeIfAbsent(e.f0, k -> new HashMap<>()).computeIfAbsent(e.f1, k -> new TreeMap<>());
                        m.put(e.f2, e.f4);
                        while (m.size() > samples) m.pollLastEntry();
                    }
                }
            }
        }

        List<OperatorReport> ops = new ArrayList<>();
        for (StateCatalog.KeyedOperator op : catalog) {
            OperatorState state = byId.get(OperatorIdentifier.forUid(op.uid()).getOperatorId());
            boolean present = state != null;
            List<String> undecoded = new ArrayList<>();
            if (present) {
                undecoded.addAll(SavepointMetadata.keyedStateNames(state));
                for (StateCatalog.StateSpec sp : op.states()) undecoded.remove(sp.name());
            }
            List<String> names = new ArrayList<>();
            for (StateCatalog.StateSpec s : op.states()) {
                names.add(s.name());
                s.facets().keySet().stream().sorted().forEach(f -> names.add(s.name() + ": " + f));
            }
            names.add(StateFunctions.EVENT_TIMERS);
            names.add(StateFunctions.PROCESSING_TIMERS);
            List<StateReport> states = new ArrayList<>();
            for (String n : names) {
                long[] c = counts.getOrDefault(op.uid(), Map.of()).getOrDefault(n, new long[2]);
                List<Sample> smp = new ArrayList<>();
                sampled.getOrDefault(op.uid(), Map.of()).getOrDefault(n, new TreeMap<>()).forEach((k, v) -> smp.add(new Sample(k, v)));
                states.add(new StateReport(n, c[0], c[1], smp));
            }
            ops.add(new OperatorReport(op.uid(), op.title(), op.keyedBy(), present, op.prunable(), op.keptBecause(), states, undecoded));
        }
        for (StateCatalog.OpaqueOperator op : StateCatalog.opaque()) {
            OperatorID id = OperatorIdentifier.forUid(op.uid()).getOperatorId();
            known.add(id);
            ops.add(new OperatorReport(op.uid(), op.title(), "series id|stat", byId.containsKey(id), false, op.why(), List.of(),
                    byId.containsKey(id) ? new ArrayList<>(SavepointMetadata.keyedStateNames(byId.get(id))) : List.of()));
        }
        List<String> others = new ArrayList<>();
        for (OperatorState s : meta.getOperatorStates()) {
            if (!known.contains(s.getOperatorID()) && s.getStateSize() > 0) others.add(s.getOperatorID().toHexString());
        }
        others.sort(null);
        Report partial = new Report(savepoint, meta.getCheckpointId(), maxParallelism, (int) meta.getOperatorStates().stream()
                .filter(s -> s.getStateSize() > 0).count(), ops, others, Map.of());
        return new Report(partial.savepoint(), partial.checkpointId(), partial.maxParallelism(), partial.operatorsWithState(), ops, others, summary(partial));
    }

    /**
     * The live size of one keyed state (or the timers, {@code "event-time timers"} / {@code "processing-time timers"})
     * of one operator: keys holding it, entries (list elements, map entries, 1 per value), and its bytes as RocksDB rows
     * before compression: row keys (key-group prefix, key, namespace, map user key) and values (serialized values, TTL
     * timestamps). See {@link StateFunctions.Sizes}.
     */
    public record StateSize(String uid, String title, String state, long keys, long entries, long keyBytes, long valueBytes) {
        public long bytes() {
            return keyBytes + valueBytes;
        }
    }

    /**
     * The live keyed state of every decodable operator of the savepoint or retained checkpoint (Augur's catalogue:
     * CEP operators are not decoded), state by state, in catalogue order. Only what the state backend would return is
     * counted (expired TTL values are not), so this is the state that exists, not what a checkpoint's files hold.
     */
    public static List<StateSize> sizes(String savepoint, AugurConfig cfg, int parallelism) throws Exception {
        CheckpointMetadata meta = SavepointLoader.loadSavepointMetadata(savepoint);
        java.util.Set<OperatorID> present = new java.util.HashSet<>();
        for (OperatorState s : meta.getOperatorStates()) present.add(s.getOperatorID());
        List<StateCatalog.KeyedOperator> catalog = StateCatalog.keyed(cfg);
        StreamExecutionEnvironment env = SavepointEnvironments.create(parallelism);
        SavepointReader reader = SavepointReader.read(env, savepoint, SavepointEnvironments.backend());
        DataStream<org.apache.flink.api.java.tuple.Tuple3<String, String, long[]>> all = null;
        Map<OperatorID, OperatorState> states = new HashMap<>();
        for (OperatorState s : meta.getOperatorStates()) states.put(s.getOperatorID(), s);
        for (StateCatalog.KeyedOperator op : catalog) {
            if (!present.contains(OperatorIdentifier.forUid(op.uid()).getOperatorId())) continue;
            // the key's bytes as stored: the serializer (and mode) that wrote them
            TypeSerializer<String> stored = SavepointMetadata.keySerializer(states.get(OperatorIdentifier.forUid(op.uid()).getOperatorId()));
            if (stored == null) stored = StateCatalog.keyType(op.uid()).createSerializer(new SerializerConfigImpl());
            var s = reader.readKeyedState(OperatorIdentifier.forUid(op.uid()), new StateFunctions.Sizes(op, stored),
                    StateCatalog.keyType(op.uid()), StateFunctions.SIZE);
            all = all == null ? s : all.union(s);
        }
        Map<String, Map<String, long[]>> sums = new LinkedHashMap<>();
        if (all != null) {
            try (CloseableIterator<org.apache.flink.api.java.tuple.Tuple3<String, String, long[]>> it = all.executeAndCollect("augur state sizes")) {
                while (it.hasNext()) {
                    var e = it.next();
                    long[] c = sums.computeIfAbsent(e.f0, k -> new HashMap<>()).computeIfAbsent(e.f1, k -> new long[4]);
                    for (int i = 0; i < 4; i++) c[i] += e.f2[i];
                }
            }
        }
        List<StateSize> out = new ArrayList<>();
        for (StateCatalog.KeyedOperator op : catalog) {
            Map<String, long[]> m = sums.getOrDefault(op.uid(), Map.of());
            List<String> names = new ArrayList<>();
            for (StateCatalog.StateSpec sp : op.states()) names.add(sp.name());
            names.add(StateFunctions.EVENT_TIMERS);
            names.add(StateFunctions.PROCESSING_TIMERS);
            for (String n : names) {
                long[] c = m.get(n);
                if (c != null) out.add(new StateSize(op.uid(), op.title(), n, c[0], c[1], c[2], c[3]));
            }
        }
        return out;
    }

    /** The headline counts: what an upgrade must keep. */
    static Map<String, Long> summary(Report r) {
        Map<String, Long> s = new LinkedHashMap<>();
        s.put("series with baselines", r.operator(io.augur.job.topology.AugurTopology.SCORE_DATAPOINTS_UID)
                .state(io.augur.ops.flink.detect.ScoreDatapoints.STATE_NAME).keys());
        s.put("open reactive anomalies", r.operator(io.augur.job.topology.AnomalyStep.REACTIVE_LIFECYCLE_UID)
                .state(io.augur.ops.flink.anomaly.ReactiveAnomalies.STATE_NAME + ": open anomalies").entries());
        s.put("open proactive anomalies", r.operator(io.augur.job.topology.AnomalyStep.PROACTIVE_LIFECYCLE_UID)
                .state(io.augur.ops.flink.anomaly.ProactiveAnomalies.STATE_NAME + ": open anomalies").entries());
        OperatorReport insights = r.operator(io.augur.job.topology.AugurTopology.CORRELATE_INSIGHTS_UID);
        s.put("open insights", insights.state(io.augur.ops.flink.insight.CorrelateInsights.STATE_NAME + ": open insights").entries());
        s.put("applications with insight state", insights.state(io.augur.ops.flink.insight.CorrelateInsights.STATE_NAME).keys());
        s.put("series de-duplicated", r.operator(io.augur.job.topology.AugurTopology.DEDUP_DATAPOINTS_UID)
                .state(io.augur.ops.flink.dedup.DedupDatapoints.STATE_NAME).keys());
        s.put("change events remembered", r.operator(io.augur.job.topology.AugurTopology.DEDUP_CHANGE_EVENTS_UID)
                .state(io.augur.ops.flink.dedup.DedupChangeEvents.STATE_NAME).keys());
        s.put("series with forecasts", r.operator(io.augur.job.topology.AnomalyStep.FORECAST_UID)
                .state(io.augur.ops.flink.anomaly.ForecastExhaustion.STATE_NAME).keys());
        return s;
    }
}
