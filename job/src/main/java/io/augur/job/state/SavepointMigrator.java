package io.augur.job.state;

import io.augur.job.config.AugurConfig;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.augur.ops.flink.SeriesKeySerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code augur state migrate}: a new savepoint whose scoring-chain operators (de-duplication, scoring, burst
 * candidates) and forecaster ({@link StateCatalog#COMPACT_KEYS}) store their keys in the current compact form
 * ({@link io.augur.ops.flink.SeriesKeySerializer}). Without it a savepoint from before keeps its keys' form when the job
 * restores it (plain strings, or an older dictionary), which works but takes more bytes per row and timer.
 * Every key is read with all its states and timers and written back unchanged under the same uid ({@code prune}'s
 * copy); every other operator's state is carried over as it is.
 */
public final class SavepointMigrator {
    /** The operators rewritten (uids, pipeline order). */
    public record Result(String savepoint, String out, List<String> rewritten) {}

    private SavepointMigrator() {}

    public static Result migrate(String savepoint, String out, AugurConfig cfg, int parallelism) throws Exception {
        CheckpointMetadata meta = SavepointLoader.loadSavepointMetadata(savepoint);
        List<StateCatalog.KeyedOperator> ops = KeyedRewrite.present(meta, StateCatalog.keyed(cfg),
                op -> StateCatalog.COMPACT_KEYS.contains(op.uid()), "migrate");
        List<String> rewritten = new ArrayList<>();
        StreamExecutionEnvironment env = SavepointEnvironments.create(parallelism, true);
        SavepointWriter writer = SavepointWriter.fromExistingSavepoint(env, savepoint, SavepointEnvironments.backend());
        SavepointReader reader = SavepointReader.read(env, savepoint, SavepointEnvironments.backend());
        for (StateCatalog.KeyedOperator op : ops) {
            KeyedRewrite.rewrite(reader, writer, op, null);
            rewritten.add(op.uid());
        }
        writer.write(out);
        env.execute("augur state migrate");
        return new Result(savepoint, out, rewritten);
    }

    /**
     * How each operator of {@link StateCatalog#COMPACT_KEYS} present in the savepoint stores its keys: "string" (plain
     * strings: before the compact key), "compact N" (compact with a dictionary of N words), or "legacy" (a job restored
     * from plain-string keys keeps writing them).
     */
    public static Map<String, String> keyForms(String savepoint) throws Exception {
        CheckpointMetadata meta = SavepointLoader.loadSavepointMetadata(savepoint);
        Map<String, String> out = new LinkedHashMap<>();
        for (String uid : StateCatalog.COMPACT_KEYS.stream().sorted().toList()) {
            for (OperatorState s : meta.getOperatorStates()) {
                if (!s.getOperatorID().equals(OperatorIdentifier.forUid(uid).getOperatorId())) continue;
                TypeSerializer<String> k = SavepointMetadata.keySerializer(s);
                if (k == null) continue;
                out.put(uid, k instanceof SeriesKeySerializer c
                        ? (c.mode() == SeriesKeySerializer.LEGACY ? "legacy" : "compact " + c.mode()) : "string");
            }
        }
        return out;
    }
}
