package io.augur.ops.flink;

import io.augur.ops.codec.SeriesKeyCodec;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * The key serializer of the scoring chain's keyed operators (de-duplication, scoring, burst candidates): the key stays
 * a {@code String} (same {@code hashCode}, so the same key groups and partitioning), written in {@link SeriesKeyCodec}'s
 * compact form (issue 9: the key was ~86 of every row's bytes and nearly all of a heap timer's).
 *
 * <p>A serializer has a mode, kept in its snapshot: {@link #LEGACY} writes exactly what {@link StringSerializer} writes,
 * any other mode is the number of dictionary words the compact form uses. A savepoint whose keys were written by
 * {@code StringSerializer} (before this serializer) restores with the serializer reconfigured to {@link #LEGACY}, and one
 * written with a shorter dictionary with that dictionary: stored keys keep their bytes. {@code augur state migrate}
 * rewrites a savepoint's keys into the current form.
 */
public final class SeriesKeySerializer extends TypeSerializer<String> {
    private static final long serialVersionUID = 1L;
    /** The mode that writes keys as {@link StringSerializer} does (savepoints from before the compact key). */
    public static final int LEGACY = -1;

    private final int mode;
    private transient SeriesKeyCodec codec;
    // the key last written and its bytes (one object: a snapshot thread may race the task thread; then one encodes again).
    // The chain sets the same key String for each state access of a datapoint.
    private transient Last last;

    private record Last(String key, byte[] bytes) {}

    /** The current form: the whole dictionary. */
    public SeriesKeySerializer() {
        this(SeriesKeyCodec.DICTIONARY.size());
    }

    public SeriesKeySerializer(int mode) {
        if (mode != LEGACY && (mode < 0 || mode > SeriesKeyCodec.DICTIONARY.size())) {
            throw new IllegalArgumentException("series key serializer mode " + mode + " is not known to this version of Augur");
        }
        this.mode = mode;
    }

    public int mode() {
        return mode;
    }

    private SeriesKeyCodec codec() {
        SeriesKeyCodec c = codec;
        if (c == null) codec = c = new SeriesKeyCodec(mode);
        return c;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<String> duplicate() {
        return new SeriesKeySerializer(mode);
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public String copy(String from, String reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(String key, DataOutputView target) throws IOException {
        if (mode == LEGACY) {
            StringValue.writeString(key, target);
            return;
        }
        if (key == null) throw new NullPointerException("series key serializer: null key");
        Last l = last;
        if (l == null || l.key != key) {
            DataOutputSerializer buf = new DataOutputSerializer(key.length() / 2 + 16);
            codec().write(key, buf);
            l = new Last(key, buf.getCopyOfBuffer());
            last = l;
        }
        target.write(l.bytes);
    }

    @Override
    public String deserialize(DataInputView source) throws IOException {
        return mode == LEGACY ? StringValue.readString(source) : codec().read(source);
    }

    @Override
    public String deserialize(String reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        if (mode == LEGACY) StringValue.copyString(source, target);
        else serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesKeySerializer s && s.mode == mode;
    }

    @Override
    public int hashCode() {
        return 31 + mode;
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot(mode);
    }

    /** The serializer's mode. Reads {@link StringSerializer}'s snapshot as {@link #LEGACY}. */
    public static final class Snapshot implements TypeSerializerSnapshot<String> {
        private static final int VERSION = 1;
        private int mode;

        /** For Flink's reflective instantiation (then {@link #readSnapshot}). */
        public Snapshot() {
            this(SeriesKeyCodec.DICTIONARY.size());
        }

        Snapshot(int mode) {
            this.mode = mode;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(mode);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
            if (readVersion != VERSION) throw new IOException("series key serializer snapshot version " + readVersion + " is not known");
            mode = in.readInt();
        }

        @Override
        public TypeSerializer<String> restoreSerializer() {
            return new SeriesKeySerializer(mode);
        }

        /**
         * This snapshot is the new serializer's: keys written as {@code old} describes keep that form (same mode, legacy
         * or a dictionary no longer than ours); a dictionary longer than ours (a newer Augur) or another serializer is
         * incompatible.
         */
        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(TypeSerializerSnapshot<String> old) {
            int oldMode;
            if (old instanceof StringSerializer.StringSerializerSnapshot) {
                oldMode = LEGACY;
            } else if (old instanceof Snapshot s) {
                oldMode = s.mode;
            } else {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            if (oldMode == mode) return TypeSerializerSchemaCompatibility.compatibleAsIs();
            if (oldMode != LEGACY && oldMode > SeriesKeyCodec.DICTIONARY.size()) return TypeSerializerSchemaCompatibility.incompatible();
            return TypeSerializerSchemaCompatibility.compatibleWithReconfiguredSerializer(new SeriesKeySerializer(oldMode));
        }
    }
}
