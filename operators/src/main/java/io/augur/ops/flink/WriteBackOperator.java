package io.augur.ops.flink;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * The operator the job runs a {@link WritesBack} function with: the function keeps the values it writes in memory
 * ({@link RecentValues}) and this operator has it write them to its keyed state before every checkpoint and savepoint,
 * instead of after every record. A snapshot holds exactly what writing each value at once would have held, and a
 * failure restores the last snapshot. Run under a plain {@link KeyedProcessOperator} (tests), the function writes
 * every value at once.
 */
public final class WriteBackOperator<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** A keyed function that can hold its written values back until {@link #flush}. */
    public interface WritesBack {
        /** From now on, values may be held in memory until {@link #flush}. */
        void holdWrites();

        /** Writes every value held back to the keyed state of {@code operator}, under its key. */
        void flush(AbstractStreamOperator<?> operator) throws Exception;
    }

    public <F extends KeyedProcessFunction<String, IN, OUT> & WritesBack> WriteBackOperator(F function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        ((WritesBack) userFunction).holdWrites();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((WritesBack) userFunction).flush(this);
    }
}
