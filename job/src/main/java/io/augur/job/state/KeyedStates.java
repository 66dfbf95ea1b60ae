package io.augur.job.state;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The keyed states of one operator, opened by descriptor (value, map or list state alike), read as plain values for the
 * current key, and copied through bytes: the descriptors' own serializers (Avro and Flink basic types, never Kryo)
 * write every state of a key and its timers into one byte array, which {@code prune} writes back unchanged.
 */
final class KeyedStates {
    /** A key's state: the value of each state (null when empty; a Map for map state, a List for list state). */
    record Values(List<Object> values, List<Long> eventTimers, List<Long> processingTimers) {}

    private final List<StateDescriptor<?, ?>> descriptors;
    private final List<State> states = new ArrayList<>();

    KeyedStates(List<StateDescriptor<?, ?>> descriptors) {
        this.descriptors = descriptors;
    }

    /** Opens every state (call from the function's {@code open}). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void open(RuntimeContext ctx) {
        for (StateDescriptor<?, ?> d : descriptors) {
            switch (d.getType()) {
                case VALUE -> states.add(ctx.getState((ValueStateDescriptor) d));
                case MAP -> states.add(ctx.getMapState((MapStateDescriptor) d));
                case LIST -> states.add(ctx.getListState((ListStateDescriptor) d));
                default -> throw new IllegalStateException("state " + d.getName() + ": " + d.getType() + " state is not supported");
            }
        }
    }

    /** The current key's values (TTL applies: expired values are not returned). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Object> read() throws Exception {
        List<Object> out = new ArrayList<>();
        for (State s : states) {
            if (s instanceof ValueState v) {
                out.add(v.value());
            } else if (s instanceof MapState m) {
                Map<Object, Object> copy = new LinkedHashMap<>();
                for (Object o : m.entries()) {
                    Map.Entry e = (Map.Entry) o;
                    copy.put(e.getKey(), e.getValue());
                }
                out.add(copy.isEmpty() ? null : copy);
            } else {
                List<Object> copy = new ArrayList<>();
                Iterable<Object> it = (Iterable<Object>) ((ListState) s).get();
                if (it != null) for (Object o : it) copy.add(o);
                out.add(copy.isEmpty() ? null : copy);
            }
        }
        return out;
    }

    /** Writes values as read by {@link #read} into the current key's states. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void write(List<Object> values) throws Exception {
        for (int i = 0; i < states.size(); i++) {
            Object v = values.get(i);
            if (v == null) continue;
            State s = states.get(i);
            if (s instanceof ValueState vs) vs.update(v);
            else if (s instanceof MapState ms) ms.putAll((Map) v);
            else ((ListState) s).update((List) v);
        }
    }

    /** Number of entries of a value as read: map entries, list elements, 1 for a value, 0 for none. */
    static long entries(Object v) {
        if (v == null) return 0;
        if (v instanceof Map<?, ?> m) return m.size();
        if (v instanceof List<?> l && !(v instanceof org.apache.avro.generic.GenericContainer)) return l.size();
        return 1;
    }

    /** The values and timers of a key as bytes, with the descriptors' serializers (initialized by {@link #open}). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] toBytes(List<Object> values, Iterable<Long> eventTimers, Iterable<Long> processingTimers) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (int i = 0; i < descriptors.size(); i++) {
            Object v = values.get(i);
            out.writeBoolean(v != null);
            if (v != null) ((TypeSerializer) serializer(descriptors.get(i))).serialize(v, out);
        }
        writeTimers(out, eventTimers);
        writeTimers(out, processingTimers);
        return out.getCopyOfBuffer();
    }

    /** The inverse of {@link #toBytes}. */
    Values fromBytes(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        List<Object> values = new ArrayList<>();
        for (StateDescriptor<?, ?> d : descriptors) values.add(in.readBoolean() ? serializer(d).deserialize(in) : null);
        return new Values(values, readTimers(in), readTimers(in));
    }

    /** The serializer of the whole value: for map and list state the descriptor's MapSerializer / ListSerializer. */
    private static TypeSerializer<?> serializer(StateDescriptor<?, ?> d) {
        return d.getSerializer();
    }

    private static void writeTimers(DataOutputSerializer out, Iterable<Long> timers) throws IOException {
        TreeSet<Long> sorted = new TreeSet<>();
        for (Long t : timers) sorted.add(t);
        out.writeInt(sorted.size());
        for (long t : sorted) out.writeLong(t);
    }

    private static List<Long> readTimers(DataInputDeserializer in) throws IOException {
        int n = in.readInt();
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(in.readLong());
        return out;
    }

}
