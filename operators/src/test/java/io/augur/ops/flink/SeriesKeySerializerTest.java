package io.augur.ops.flink;

import io.augur.ops.codec.SeriesKeyCodec;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesKeySerializerTest {
    private static final String KEY = "123456789012|us-east-1|AWS/EC2|CPUUtilization|InstanceId=i-0bench123|Average";

    static byte[] bytes(TypeSerializer<String> s, String key) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(key, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void compactKeysRoundTripAndLegacyModeWritesWhatStringSerializerWrites() throws IOException {
        SeriesKeySerializer compact = new SeriesKeySerializer();
        byte[] b = bytes(compact, KEY);
        assertThat(b.length).isLessThan(30);
        assertThat(compact.deserialize(new DataInputDeserializer(b))).isEqualTo(KEY);
        // the same bytes again (the cache of the last key) and for an equal String object
        assertThat(bytes(compact, KEY)).isEqualTo(b);
        assertThat(bytes(compact, new String(KEY.toCharArray()))).isEqualTo(b);
        assertThat(bytes(compact, KEY + "x")).isNotEqualTo(b);

        SeriesKeySerializer legacy = new SeriesKeySerializer(SeriesKeySerializer.LEGACY);
        assertThat(bytes(legacy, KEY)).isEqualTo(bytes(StringSerializer.INSTANCE, KEY));
        assertThat(legacy.deserialize(new DataInputDeserializer(bytes(StringSerializer.INSTANCE, KEY)))).isEqualTo(KEY);

        // copy between views keeps the bytes
        for (SeriesKeySerializer s : new SeriesKeySerializer[] {compact, legacy}) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            s.copy(new DataInputDeserializer(bytes(s, KEY)), out);
            assertThat(out.getCopyOfBuffer()).isEqualTo(bytes(s, KEY));
        }
    }

    static TypeSerializerSnapshot<String> roundTrip(TypeSerializerSnapshot<String> s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()), SeriesKeySerializerTest.class.getClassLoader());
    }

    @Test
    void theModeIsKeptInTheSnapshotAndOldFormsRestoreReconfigured() throws IOException {
        TypeSerializerSnapshot<String> current = new SeriesKeySerializer().snapshotConfiguration();
        // the same form: as is
        assertThat(current.resolveSchemaCompatibility(roundTrip(new SeriesKeySerializer().snapshotConfiguration())).isCompatibleAsIs()).isTrue();
        // keys written by StringSerializer (savepoints from before): reconfigured to the legacy mode
        TypeSerializerSchemaCompatibility<String> fromString = current.resolveSchemaCompatibility(roundTrip(StringSerializer.INSTANCE.snapshotConfiguration()));
        assertThat(fromString.isCompatibleWithReconfiguredSerializer()).isTrue();
        assertThat(fromString.getReconfiguredSerializer()).isEqualTo(new SeriesKeySerializer(SeriesKeySerializer.LEGACY));
        // a legacy-mode serializer's snapshot stays legacy, and restores to it
        TypeSerializerSnapshot<String> legacy = roundTrip(new SeriesKeySerializer(SeriesKeySerializer.LEGACY).snapshotConfiguration());
        assertThat(legacy.restoreSerializer()).isEqualTo(new SeriesKeySerializer(SeriesKeySerializer.LEGACY));
        assertThat(current.resolveSchemaCompatibility(legacy).getReconfiguredSerializer()).isEqualTo(new SeriesKeySerializer(SeriesKeySerializer.LEGACY));
        // an older (shorter) dictionary: kept, so stored keys keep their bytes
        TypeSerializerSchemaCompatibility<String> older = current.resolveSchemaCompatibility(roundTrip(new SeriesKeySerializer(10).snapshotConfiguration()));
        assertThat(older.isCompatibleWithReconfiguredSerializer()).isTrue();
        assertThat(older.getReconfiguredSerializer()).isEqualTo(new SeriesKeySerializer(10));
        // another serializer: incompatible (Flink refuses the restore)
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<String> other = (TypeSerializerSnapshot) org.apache.flink.api.common.typeutils.base.LongSerializer.INSTANCE.snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(other).isIncompatible()).isTrue();
        assertThat(SeriesKeyCodec.DICTIONARY.size()).isEqualTo(new SeriesKeySerializer().mode());
    }
}
