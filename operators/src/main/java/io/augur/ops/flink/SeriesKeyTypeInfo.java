package io.augur.ops.flink;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * A series key ({@code String}) stored in {@link SeriesKeySerializer}'s compact form: the key type of the scoring chain's
 * keyed operators ({@code keyBy(selector, SeriesKeyTypeInfo.INSTANCE)}). Keys are still Strings: same hash, same key
 * groups, same {@code getCurrentKey()}.
 */
public final class SeriesKeyTypeInfo extends TypeInformation<String> {
    private static final long serialVersionUID = 1L;
    public static final SeriesKeyTypeInfo INSTANCE = new SeriesKeyTypeInfo();

    private SeriesKeyTypeInfo() {}

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
    public Class<String> getTypeClass() {
        return String.class;
    }

    @Override
    public boolean isKeyType() {
        return true;
    }

    @Override
    public TypeSerializer<String> createSerializer(SerializerConfig config) {
        return new SeriesKeySerializer();
    }

    @Override
    @Deprecated
    public TypeSerializer<String> createSerializer(ExecutionConfig config) {
        return new SeriesKeySerializer();
    }

    @Override
    public String toString() {
        return "SeriesKey";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesKeyTypeInfo;
    }

    @Override
    public int hashCode() {
        return SeriesKeyTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof SeriesKeyTypeInfo;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
