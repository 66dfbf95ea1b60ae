package io.augur.ops.flink;

import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.StreamTaskStateInitializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;

/**
 * The operator the job runs a {@link WritesBack} function with: the function keeps the values it writes in memory
 * ({@link RecentValues}) and this operator has it write them to its keyed state before every checkpoint and savepoint,
 * instead of after every record. A snapshot holds exactly what writing each value at once would have held, and a
 * failure restores the last snapshot. Run under a plain {@link KeyedProcessOperator} (tests), the function writes
 * every value at once.
 *
 * <p><b>The current key on demand.</b> Flink sets each record's key on the keyed state backend before the operator
 * sees it: on RocksDB a serialization of the key (and its key group) per record and operator, although a function
 * answering from its caches touches no state. This operator keeps the record's key as pending instead
 * ({@link #getCurrentKey()} answers it: the function's context, timer registrations and the caches' flush use it) and sets
 * it on the backend only before a state access: every keyed state handle the function gets wraps its accesses
 * ({@link KeyOnAccessStateStore}). The same for every other key set through the operator ({@link #setCurrentKey}: timers
 * firing, the caches' flush).
 */
public final class WriteBackOperator<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** A keyed function whose written values go through {@link RecentValues}, which can hold them back until a snapshot. */
    public interface WritesBack {
        /** The function's caches of written values (available once the function is open). */
        List<RecentValues<?>> recentValues();
    }

    public <F extends KeyedProcessFunction<String, IN, OUT> & WritesBack> WriteBackOperator(F function) {
        super(function);
    }

    /**
     * Whether the keyed state backend serializes every value it is given (RocksDB). Any other (heap, changelog) keeps
     * the objects, which a snapshot's asynchronous part serializes while the task goes on: the caches then forget their
     * values at every snapshot, so that the next read goes through the state, which copies a value a snapshot holds.
     */
    private transient boolean serializingState;

    /** The record's key, not yet set on the keyed state backend ({@link #keyPending}). */
    private transient Object pendingKey;
    private transient boolean keyPending;

    @Override
    public void initializeState(StreamTaskStateInitializer initializer) throws Exception {
        super.initializeState(initializer);
        KeyedStateStore store = getKeyedStateStore();
        if (store != null) getRuntimeContext().setKeyedStateStore(new KeyOnAccessStateStore(store, this::applyPendingKey));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setKeyContextElement1(StreamRecord record) throws Exception {
        if (stateKeySelector1 != null) setCurrentKey(((KeySelector) stateKeySelector1).getKey(record.getValue()));
    }

    /** The key of the record or timer at hand: pending, set on the keyed state backend before a state access. */
    @Override
    public void setCurrentKey(Object key) {
        pendingKey = key;
        keyPending = true;
    }

    @Override
    public Object getCurrentKey() {
        return keyPending ? pendingKey : super.getCurrentKey();
    }

    /** Sets the pending key on the keyed state backend (before a state access). */
    void applyPendingKey() {
        if (!keyPending) return;
        Object key = pendingKey;
        keyPending = false;
        pendingKey = null;
        super.setCurrentKey(key);
    }

    @Override
    public void open() throws Exception {
        super.open();
        serializingState = getKeyedStateBackend() != null
                && getKeyedStateBackend().getClass().getName().equals("org.apache.flink.contrib.streaming.state.RocksDBKeyedStateBackend");
        for (RecentValues<?> r : ((WritesBack) userFunction).recentValues()) r.holdWrites();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        for (RecentValues<?> r : ((WritesBack) userFunction).recentValues()) {
            r.flush(this);
            if (!serializingState) r.forget();
        }
    }
}
