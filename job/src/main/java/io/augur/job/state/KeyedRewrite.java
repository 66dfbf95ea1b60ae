package io.augur.job.state;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What {@code augur state prune} and {@code augur state migrate} share: which keyed operators of a savepoint they may
 * rewrite, and the rewrite itself (every key read with all its states and timers, {@link StateFunctions.Copy}, and
 * written back under the same uid with the operator's current key type, {@link StateFunctions.Restore}).
 */
final class KeyedRewrite {
    private KeyedRewrite() {}

    /**
     * The operators of the catalog that {@code which} selects and the savepoint holds. A rewrite keeps only the states
     * Augur knows, so an operator holding a keyed state this version does not know is refused rather than lose it (a
     * savepoint of another version): the message names {@code command} to run with the Augur of that version.
     */
    static List<StateCatalog.KeyedOperator> present(CheckpointMetadata meta, List<StateCatalog.KeyedOperator> catalog,
                                                    Predicate<StateCatalog.KeyedOperator> which, String command) throws IOException {
        List<StateCatalog.KeyedOperator> ops = new ArrayList<>();
        for (StateCatalog.KeyedOperator op : catalog) {
            if (!which.test(op)) continue;
            OperatorState state = null;
            for (OperatorState s : meta.getOperatorStates()) {
                if (s.getOperatorID().equals(OperatorIdentifier.forUid(op.uid()).getOperatorId())) state = s;
            }
            if (state == null) continue;
            Set<String> unknown = new TreeSet<>(SavepointMetadata.keyedStateNames(state));
            for (StateCatalog.StateSpec sp : op.states()) unknown.remove(sp.name());
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("operator " + op.uid() + " has keyed state " + unknown + " that this version of Augur does not "
                        + "know: the savepoint is from another version; " + command + " it with the augur of that version");
            }
            ops.add(op);
        }
        return ops;
    }

    /** Replaces {@code op} in {@code writer} by its keys read from {@code reader}, those {@code keep} accepts (null: all). */
    static void rewrite(SavepointReader reader, SavepointWriter writer, StateCatalog.KeyedOperator op,
                        FilterFunction<Tuple2<String, byte[]>> keep) throws IOException {
        OperatorIdentifier id = OperatorIdentifier.forUid(op.uid());
        // read in whatever form the keys were written (the key type reads plain-string keys too), written in the current one
        DataStream<Tuple2<String, byte[]>> rows = reader.readKeyedState(id, new StateFunctions.Copy(op), StateCatalog.keyType(op.uid()),
                StateFunctions.COPY);
        if (keep != null) rows = rows.filter(keep).name("keep " + op.uid());
        StateBootstrapTransformation<Tuple2<String, byte[]>> t = OperatorTransformation.bootstrapWith(rows)
                .keyBy(c -> c.f0, StateCatalog.keyType(op.uid())).transform(new StateFunctions.Restore(op));
        writer.removeOperator(id).withOperator(id, t);
    }
}
