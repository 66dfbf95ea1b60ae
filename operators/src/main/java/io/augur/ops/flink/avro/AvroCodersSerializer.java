package io.augur.ops.flink.avro;

import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.utils.DataInputDecoder;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;

import java.io.IOException;
import java.util.Objects;

/**
 * Serializes a generated Avro record with the encoder and decoder Avro generates for it ({@code customEncode} /
 * {@code customDecode}): the same bytes as Flink's {@link AvroSerializer} (Avro binary of the record's schema), without
 * the generic datum reader's and writer's per-field dispatch, string-class lookups and reflective instantiation.
 * For edges between operators only (the network): its snapshot is an {@link AvroSerializer}'s, which reads the same
 * bytes, but it is not meant for state. Copies go through Avro's deep copy, as {@link AvroSerializer}'s do.
 */
public final class AvroCodersSerializer<T extends SpecificRecordBase> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    /** Makes an empty record (the generated no-argument constructor, e.g. {@code MetricDatapoint::new}). */
    private final Factory<T> factory;
    private transient Schema schema;
    private transient DataOutputEncoder encoder;
    private transient DataInputDecoder decoder;
    private transient ResolvingDecoder resolving;

    /** An empty record of the type, serializable (a constructor reference). */
    @FunctionalInterface
    public interface Factory<T> extends java.io.Serializable {
        T create();
    }

    public AvroCodersSerializer(Class<T> type, Factory<T> factory) {
        this.type = Objects.requireNonNull(type);
        this.factory = Objects.requireNonNull(factory);
    }

    private void init() {
        if (schema != null) return;
        schema = factory.create().getSchema();
        if (!schema.getFullName().equals(type.getName())) throw new IllegalArgumentException(schema.getFullName() + " is not " + type.getName());
        encoder = new DataOutputEncoder();
        decoder = new DataInputDecoder();
        try {
            resolving = DecoderFactory.get().resolvingDecoder(schema, schema, decoder);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        init();
        encoder.setOut(target);
        record.customEncode(encoder);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        init();
        return deserialize(factory.create(), source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        init();
        if (reuse == null) reuse = factory.create();
        decoder.setIn(source);
        resolving.configure(decoder);
        reuse.customDecode(resolving);
        resolving.drain();
        return reuse;
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public T copy(T from) {
        return from == null ? null : SpecificData.getForClass(type).deepCopy(from.getSchema(), from);
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public T createInstance() {
        return factory.create();
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return new AvroCodersSerializer<>(type, factory);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new AvroSerializer<>(type).snapshotConfiguration(); // the same bytes
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvroCodersSerializer<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return "AvroCodersSerializer(" + type.getName() + ")";
    }
}
