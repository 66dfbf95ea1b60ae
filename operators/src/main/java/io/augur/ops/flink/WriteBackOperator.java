package io.augur.ops.flink;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

import java.util.List;

/**
 * The operator the job runs a {@link WritesBack} function with: the function keeps the values it writes in memory
 * ({@link RecentValues}) and this operator has it write them to its keyed state before every checkpoint and savepoint,
 * instead of after every record. A snapshot holds exactly what writing each value at once would have held, and a
 * failure restores the last snapshot. Run under a plain {@link KeyedProcessOperator} (tests), the function writes
 * every value at once.
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
