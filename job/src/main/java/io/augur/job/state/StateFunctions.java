package io.augur.job.state;

import io.augur.schema.ResourceMembership;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple5;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The State Processor API functions of {@code augur state}: read for inspection, copy keys, write them back. */
final class StateFunctions {
    /** (operator uid, state or "state: facet", key, count, sample rendering or ""). */
    static final TypeInformation<Tuple5<String, String, String, Long, String>> ENTRY =
            Types.TUPLE(Types.STRING, Types.STRING, Types.STRING, Types.LONG, Types.STRING);
    /** (key, every state and timer of the key as bytes). */
    static final TypeInformation<Tuple2<String, byte[]>> COPY = Types.TUPLE(Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE));

    static final String EVENT_TIMERS = "event-time timers";
    static final String PROCESSING_TIMERS = "processing-time timers";
    static final int SAMPLE_CHARS = 2000;

    private StateFunctions() {}

    /**
     * Registers every state of the operator, in the catalog's order. The State Processor API visits the keys of the
     * states a reader registers in {@code open()}, so even a reader that reads no value registers them all.
     */
    static KeyedStates register(StateCatalog.KeyedOperator op, RuntimeContext ctx) {
        List<StateDescriptor<?, ?>> descriptors = new ArrayList<>();
        for (StateCatalog.StateSpec s : op.states()) descriptors.add(s.descriptor());
        KeyedStates states = new KeyedStates(descriptors);
        states.open(ctx);
        return states;
    }

    /** Per key: one entry per non-empty state, per facet that counts something, and per kind of timer. */
    static final class Inspect extends KeyedStateReaderFunction<String, Tuple5<String, String, String, Long, String>> {
        private final StateCatalog.KeyedOperator op;
        private final int samples;
        private transient KeyedStates states;
        private transient Map<String, Integer> sampled;

        Inspect(StateCatalog.KeyedOperator op, int samples) {
            this.op = op;
            this.samples = samples;
        }

        @Override
        public void open(Configuration parameters) {
            states = register(op, getRuntimeContext());
            sampled = new HashMap<>();
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Tuple5<String, String, String, Long, String>> out) throws Exception {
            List<Object> values = states.read();
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v == null) continue;
                StateCatalog.StateSpec spec = op.states().get(i);
                out.collect(Tuple5.of(op.uid(), spec.name(), key, KeyedStates.entries(v), sample(spec.name(), v)));
                for (Map.Entry<String, StateCatalog.Facet> f : spec.facets().entrySet()) {
                    long n = f.getValue().count(v);
                    if (n > 0) out.collect(Tuple5.of(op.uid(), spec.name() + ": " + f.getKey(), key, n, ""));
                }
            }
            timers(key, EVENT_TIMERS, ctx.registeredEventTimeTimers(), out);
            timers(key, PROCESSING_TIMERS, ctx.registeredProcessingTimeTimers(), out);
        }

        private void timers(String key, String name, Set<Long> timers, Collector<Tuple5<String, String, String, Long, String>> out) {
            if (!timers.isEmpty()) out.collect(Tuple5.of(op.uid(), name, key, (long) timers.size(), ""));
        }

        /** A rendering of the first values of each state this reader sees (Avro records render as JSON). */
        private String sample(String state, Object v) {
            int n = sampled.merge(state, 1, Integer::sum);
            if (n > samples) return "";
            String s = String.valueOf(v);
            return s.length() > SAMPLE_CHARS ? s.substring(0, SAMPLE_CHARS) + "…" : s;
        }
    }

    /** (operator uid, state name, [keys, entries, row-key bytes, value bytes]) per key and non-empty state. */
    static final TypeInformation<Tuple3<String, String, long[]>> SIZE =
            Types.TUPLE(Types.STRING, Types.STRING, Types.PRIMITIVE_ARRAY(Types.LONG));

    /**
     * Per key: the bytes each of its states takes as RocksDB rows (uncompressed, before any compaction or block
     * encoding): the row key is the key-group prefix (1 byte at max parallelism up to 128), the serialized key, the
     * namespace (1 byte) and for map state the user key; the value is the descriptors' serializers' bytes, plus the TTL
     * timestamp (8 bytes) per value, list element or map entry when the state has a TTL (and a 1-byte separator per list
     * element, a 1-byte null flag per map value). Timers (heap) are counted as key + namespace + timestamp.
     */
    static final class Sizes extends KeyedStateReaderFunction<String, Tuple3<String, String, long[]>> {
        private final StateCatalog.KeyedOperator op;
        private transient KeyedStates states;
        private transient DataOutputSerializer buf;
        private final TypeSerializer<String> keySerializer;

        /** {@code keySerializer}: the serializer that wrote the keys (as stored: the chain's compact form, or a plain string). */
        Sizes(StateCatalog.KeyedOperator op, TypeSerializer<String> keySerializer) {
            this.op = op;
            this.keySerializer = keySerializer.duplicate();
        }

        @Override
        public void open(Configuration parameters) {
            states = register(op, getRuntimeContext());
            buf = new DataOutputSerializer(1024);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void readKey(String key, Context ctx, Collector<Tuple3<String, String, long[]>> out) throws Exception {
            buf.clear();
            keySerializer.serialize(key, buf);
            long rowKey = 1 + buf.length() + 1;
            List<Object> values = states.read();
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v == null) continue;
                StateDescriptor<?, ?> d = op.states().get(i).descriptor();
                long ttl = d.getTtlConfig().isEnabled() ? 8 : 0;
                long keys = 0, valueBytes = 0, entries;
                if (d instanceof MapStateDescriptor<?, ?> md) {
                    Map<Object, Object> m = (Map<Object, Object>) v;
                    entries = m.size();
                    for (Map.Entry<Object, Object> e : m.entrySet()) {
                        keys += rowKey + bytes((TypeSerializer) md.getKeySerializer(), e.getKey());
                        valueBytes += 1 + ttl + (e.getValue() == null ? 0 : bytes((TypeSerializer) md.getValueSerializer(), e.getValue()));
                    }
                } else if (d instanceof ListStateDescriptor<?> ld) {
                    List<Object> l = (List<Object>) v;
                    entries = l.size();
                    keys = rowKey;
                    for (Object o : l) valueBytes += ttl + bytes((TypeSerializer) ld.getElementSerializer(), o);
                    valueBytes += Math.max(0, l.size() - 1);
                } else {
                    entries = 1;
                    keys = rowKey;
                    valueBytes = ttl + bytes((TypeSerializer) d.getSerializer(), v);
                }
                out.collect(Tuple3.of(op.uid(), d.getName(), new long[] {1, entries, keys, valueBytes}));
            }
            timers(EVENT_TIMERS, ctx.registeredEventTimeTimers().size(), rowKey, out);
            timers(PROCESSING_TIMERS, ctx.registeredProcessingTimeTimers().size(), rowKey, out);
        }

        private void timers(String name, int n, long rowKey, Collector<Tuple3<String, String, long[]>> out) {
            if (n > 0) out.collect(Tuple3.of(op.uid(), name, new long[] {1, n, n * rowKey, 8L * n}));
        }

        private long bytes(TypeSerializer<Object> s, Object v) throws java.io.IOException {
            buf.clear();
            s.serialize(v, buf);
            return buf.length();
        }
    }

    /** Every key with all its state and timers, as bytes. */
    static final class Copy extends KeyedStateReaderFunction<String, Tuple2<String, byte[]>> {
        private final StateCatalog.KeyedOperator op;
        private transient KeyedStates states;

        Copy(StateCatalog.KeyedOperator op) {
            this.op = op;
        }

        @Override
        public void open(Configuration parameters) {
            states = register(op, getRuntimeContext());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Tuple2<String, byte[]>> out) throws Exception {
            out.collect(Tuple2.of(key, states.toBytes(states.read(), ctx.registeredEventTimeTimers(), ctx.registeredProcessingTimeTimers())));
        }
    }

    /** Writes copied keys back: the same states (same descriptors) and the same timers. */
    static final class Restore extends KeyedStateBootstrapFunction<String, Tuple2<String, byte[]>> {
        private final StateCatalog.KeyedOperator op;
        private transient KeyedStates states;

        Restore(StateCatalog.KeyedOperator op) {
            this.op = op;
        }

        @Override
        public void open(Configuration parameters) {
            states = register(op, getRuntimeContext());
        }

        @Override
        public void processElement(Tuple2<String, byte[]> copy, Context ctx) throws Exception {
            KeyedStates.Values v = states.fromBytes(copy.f1);
            states.write(v.values());
            for (long t : v.eventTimers()) ctx.timerService().registerEventTimeTimer(t);
            for (long t : v.processingTimers()) ctx.timerService().registerProcessingTimeTimer(t);
        }
    }

    /** (operator uid, key) of every key of an operator. */
    static final class Keys extends KeyedStateReaderFunction<String, Tuple2<String, String>> {
        private final StateCatalog.KeyedOperator op;
        private transient KeyedStates states;

        Keys(StateCatalog.KeyedOperator op) {
            this.op = op;
        }

        @Override
        public void open(Configuration parameters) {
            states = register(op, getRuntimeContext());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Tuple2<String, String>> out) {
            out.collect(Tuple2.of(op.uid(), key));
        }
    }

    /** What the coverage operators know of each resource: its stack and tags. */
    static final class Memberships extends KeyedStateReaderFunction<String, ResourceMembership> {
        private final StateDescriptor<?, ?> descriptor;
        private transient ValueState<ResourceMembership> state;

        Memberships(StateDescriptor<?, ?> descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void open(Configuration parameters) {
            state = getRuntimeContext().getState((ValueStateDescriptor<ResourceMembership>) descriptor);
        }

        @Override
        public void readKey(String key, Context ctx, Collector<ResourceMembership> out) throws Exception {
            ResourceMembership m = state.value();
            if (m != null) out.collect(m);
        }
    }

    /** Keeps the keys not in the set. */
    static final class NotIn implements FilterFunction<Tuple2<String, byte[]>> {
        private final HashSet<String> keys;

        NotIn(HashSet<String> keys) {
            this.keys = keys;
        }

        @Override
        public boolean filter(Tuple2<String, byte[]> t) {
            return !keys.contains(t.f0);
        }
    }
}
