package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;

import java.nio.ByteBuffer;

/**
 * The stored form of a {@link SeriesBaseline}: the same record (same schema, same state, every field carried as it is)
 * except its pattern memory ({@code patternCounts}), a 256-byte table of which a series typically uses a handful of
 * slots (NAB: 5 of 256 non-zero on average), which is stored <b>sparse</b>: a marker byte, then (slot, count) byte pairs
 * of the non-zero slots in slot order. Lossless: {@link #load} gives back the exact table.
 *
 * <p>The two forms cannot be confused: the table is exactly {@link PatternMemory#SLOTS} (256, even) bytes long, the
 * sparse form {@code 1 + 2k} (odd) bytes with {@code k < 128} and starts with {@link #SPARSE}; anything else (e.g. the
 * empty bytes of state from before v3) is left to the detector, as before. State written before this form (a full
 * table) is read as it is and stored sparse at its next write. Pure logic, no Flink.
 */
public final class StoredBaseline {
    /** First byte of the sparse form (format version 1). */
    static final byte SPARSE = 1;

    private StoredBaseline() {}

    /**
     * The sparse form of a full table, or null when {@code table} is not a full table or would not be shorter.
     */
    static ByteBuffer sparse(ByteBuffer table) {
        // a slot index is one byte: a table of more than 256 slots stays full
        if (PatternMemory.SLOTS > 256 || table == null || table.remaining() != PatternMemory.SLOTS) return null;
        int base = table.position();
        int k = 0;
        for (int i = 0; i < PatternMemory.SLOTS; i++) if (table.get(base + i) != 0) k++;
        if (k >= 128) return null; // 1 + 2k would not be shorter than the table
        byte[] out = new byte[1 + 2 * k];
        out[0] = SPARSE;
        int j = 1;
        for (int i = 0; i < PatternMemory.SLOTS; i++) {
            byte c = table.get(base + i);
            if (c != 0) {
                out[j++] = (byte) i;
                out[j++] = c;
            }
        }
        return ByteBuffer.wrap(out);
    }

    /** The full table of a sparse form, or null when {@code b} is not one. */
    static ByteBuffer table(ByteBuffer b) {
        if (b == null) return null;
        int n = b.remaining(), base = b.position();
        if ((n & 1) == 0 || n >= PatternMemory.SLOTS || b.get(base) != SPARSE) return null;
        byte[] t = new byte[PatternMemory.SLOTS];
        for (int j = 1; j < n; j += 2) t[b.get(base + j) & 0xff] = b.get(base + j + 1);
        return ByteBuffer.wrap(t);
    }

    /** Writes one value (e.g. a keyed state's update, which serializes it at once on RocksDB). */
    @FunctionalInterface
    public interface Store<E extends Exception> {
        void write(SeriesBaseline stored) throws E;
    }

    /**
     * Stores {@code b} in its stored form with {@code store}, which must serialize it (or keep it) before returning;
     * {@code b} itself is unchanged afterwards (the detector keeps using it in memory). A state backend that keeps the
     * object by reference (heap) therefore keeps the full table: both forms load to the same baseline.
     */
    public static <E extends Exception> void store(SeriesBaseline b, Store<E> store) throws E {
        ByteBuffer full = b.getPatternCounts();
        ByteBuffer sparse = sparse(full);
        if (sparse == null) {
            store.write(b);
            return;
        }
        b.setPatternCounts(sparse);
        try {
            store.write(b);
        } finally {
            b.setPatternCounts(full);
        }
    }

    /** The baseline as the detector uses it, from a stored value (either form; null stays null). Updates {@code b} in place. */
    public static SeriesBaseline load(SeriesBaseline b) {
        if (b == null) return null;
        ByteBuffer t = table(b.getPatternCounts());
        if (t != null) b.setPatternCounts(t);
        return b;
    }
}
