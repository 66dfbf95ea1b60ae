package io.augur.job.state;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/** What a savepoint says about an operator's keyed state, without restoring it: the names of its registered states. */
final class SavepointMetadata {
    private SavepointMetadata() {}

    /**
     * The keyed (key-value) states an operator registered, by name, as written at the head of each key-groups stream of
     * a canonical savepoint (timers are priority-queue states and are not listed). Empty when it has no keyed state.
     */
    static Set<String> keyedStateNames(OperatorState op) throws IOException {
        Set<String> names = new TreeSet<>();
        for (OperatorSubtaskState sub : op.getSubtaskStates().values()) {
            for (KeyedStateHandle h : sub.getManagedKeyedState()) {
                if (!(h instanceof KeyGroupsStateHandle kg)) {
                    throw new IOException("operator " + op.getOperatorID() + ": keyed state in a " + h.getClass().getSimpleName()
                            + " (not a canonical savepoint: take a savepoint in the canonical format)");
                }
                try (FSDataInputStream in = kg.openInputStream()) {
                    KeyedBackendSerializationProxy<?> proxy = new KeyedBackendSerializationProxy<>(SavepointMetadata.class.getClassLoader());
                    proxy.read(new DataInputViewStreamWrapper(in));
                    for (StateMetaInfoSnapshot m : proxy.getStateMetaInfoSnapshots()) {
                        if (m.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.KEY_VALUE) names.add(m.getName());
                    }
                }
            }
        }
        return names;
    }

    /**
     * The serializer that wrote an operator's keys, from the key serializer snapshot at the head of its keyed state
     * (a canonical savepoint's key-groups stream, or a native checkpoint's metadata): {@code StringSerializer}, or
     * {@link io.augur.ops.flink.SeriesKeySerializer} in the mode it wrote. Null when the operator has no keyed state.
     */
    @SuppressWarnings("unchecked")
    static TypeSerializer<String> keySerializer(OperatorState op) throws IOException {
        for (OperatorSubtaskState sub : op.getSubtaskStates().values()) {
            for (KeyedStateHandle h : sub.getManagedKeyedState()) {
                StreamStateHandle head = h instanceof KeyGroupsStateHandle kg ? kg
                        : h instanceof IncrementalKeyedStateHandle inc ? inc.getMetaDataStateHandle() : null;
                if (head == null) continue;
                try (FSDataInputStream in = head.openInputStream()) {
                    KeyedBackendSerializationProxy<?> proxy = new KeyedBackendSerializationProxy<>(SavepointMetadata.class.getClassLoader());
                    proxy.read(new DataInputViewStreamWrapper(in));
                    return (TypeSerializer<String>) proxy.getKeySerializerSnapshot().restoreSerializer();
                }
            }
        }
        return null;
    }
}
