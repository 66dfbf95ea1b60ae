package io.augur.ops.flink;

import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

import java.io.IOException;
import java.util.List;

/**
 * The keyed state store a {@link WriteBackOperator}'s function gets its state handles from: every handle sets the
 * operator's pending current key on the state backend before each access ({@link WriteBackOperator#applyPendingKey}).
 * The operator defers that (on RocksDB a serialization of the key per record and operator) until some state is
 * touched, which for a function answering from its in-memory caches is mostly never; wrapping every handle the
 * function can get means no access can reach another key's row. Value and list state only (what the write-back
 * functions use); the other kinds fail loudly rather than go unguarded.
 */
final class KeyOnAccessStateStore implements KeyedStateStore {
    private final KeyedStateStore store;
    private final Runnable applyKey;

    KeyOnAccessStateStore(KeyedStateStore store, Runnable applyKey) {
        this.store = store;
        this.applyKey = applyKey;
    }

    @Override
    public <T> ValueState<T> getState(ValueStateDescriptor<T> d) {
        ValueState<T> s = store.getState(d);
        return new ValueState<>() {
            @Override
            public T value() throws IOException {
                applyKey.run();
                return s.value();
            }

            @Override
            public void update(T value) throws IOException {
                applyKey.run();
                s.update(value);
            }

            @Override
            public void clear() {
                applyKey.run();
                s.clear();
            }
        };
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> d) {
        ListState<T> s = store.getListState(d);
        return new ListState<>() {
            @Override
            public Iterable<T> get() throws Exception {
                applyKey.run();
                return s.get();
            }

            @Override
            public void add(T value) throws Exception {
                applyKey.run();
                s.add(value);
            }

            @Override
            public void update(List<T> values) throws Exception {
                applyKey.run();
                s.update(values);
            }

            @Override
            public void addAll(List<T> values) throws Exception {
                applyKey.run();
                s.addAll(values);
            }

            @Override
            public void clear() {
                applyKey.run();
                s.clear();
            }
        };
    }

    @Override
    public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> d) {
        throw new UnsupportedOperationException("reducing state is not guarded for a deferred key: " + d.getName());
    }

    @Override
    public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(AggregatingStateDescriptor<IN, ACC, OUT> d) {
        throw new UnsupportedOperationException("aggregating state is not guarded for a deferred key: " + d.getName());
    }

    @Override
    public <UK, UV> MapState<UK, UV> getMapState(MapStateDescriptor<UK, UV> d) {
        throw new UnsupportedOperationException("map state is not guarded for a deferred key: " + d.getName());
    }
}
