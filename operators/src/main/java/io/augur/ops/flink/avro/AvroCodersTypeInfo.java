package io.augur.ops.flink.avro;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.util.Objects;

/**
 * The type of a stream of generated Avro records whose edge to the next operator serializes them with
 * {@link AvroCodersSerializer} (the same bytes as Flink's {@code AvroTypeInfo}, cheaper). Only for streams whose
 * consumers keep no records in state with their input's serializer (CEP and windows do): a keyed process function that
 * keeps its own state is fine.
 */
public final class AvroCodersTypeInfo<T extends SpecificRecordBase> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;
    private final AvroCodersSerializer.Factory<T> factory;

    /** {@code factory}: the record's no-argument constructor ({@code MetricDatapoint::new}). */
    public AvroCodersTypeInfo(Class<T> type, AvroCodersSerializer.Factory<T> factory) {
        this.type = Objects.requireNonNull(type);
        this.factory = Objects.requireNonNull(factory);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new AvroCodersSerializer<>(type, factory);
    }

    @Override
    @Deprecated
    public TypeSerializer<T> createSerializer(ExecutionConfig config) {
        return new AvroCodersSerializer<>(type, factory);
    }

    @Override
    public String toString() {
        return "AvroCoders<" + type.getName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvroCodersTypeInfo<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + 7;
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof AvroCodersTypeInfo;
    }
}
