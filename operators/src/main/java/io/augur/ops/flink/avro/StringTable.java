package io.augur.ops.flink.avro;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Canonical {@code String}s of UTF-8 byte contents, bounded: a decoder asks it for the string of the bytes it just read
 * and gets the very object it got last time for the same bytes, when the table still holds them. A datapoint's strings
 * (series id, account, region, namespace, metric, dimensions, unit, resource) repeat with every datapoint of its series:
 * decoded through this table they are neither allocated again nor, for the strings used as hash keys downstream (the
 * series key), hashed again ({@code String} keeps its hash), and an equal string found in a map is usually the same
 * object (identity, no byte comparison).
 *
 * <p>Direct-mapped: each content has one slot (a hash of the bytes, 8 at a time). A slot that was found since it was
 * filled is kept once when another content maps to it (second chance), so that the strings every datapoint has (account,
 * region, namespace) are not pushed out by a series' own strings when there are more series than slots; otherwise the
 * newer content takes the slot. The result is always a string equal to the bytes decoded as UTF-8: the table only
 * decides whether it is a new object. Not thread-safe: one per decoder (a serializer's instance is used by one thread).
 */
public final class StringTable {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Longer contents are decoded without the table (not worth a slot). */
    static final int MAX_LENGTH = 512;

    private final int mask;
    private final byte[][] bytes;
    private final String[] strings;
    private final int[] hashes;
    private final boolean[] found;

    /** {@code slots}: rounded up to a power of two. */
    public StringTable(int slots) {
        int n = Integer.highestOneBit(Math.max(1, slots - 1)) << 1;
        mask = n - 1;
        bytes = new byte[n][];
        strings = new String[n];
        hashes = new int[n];
        found = new boolean[n];
    }

    /** The string of {@code buf[0, length)} (UTF-8). */
    public String intern(byte[] buf, int length) {
        if (length == 0) return "";
        if (length > MAX_LENGTH) return new String(buf, 0, length, StandardCharsets.UTF_8);
        int h = hash(buf, length);
        int i = h & mask;
        byte[] b = bytes[i];
        if (b != null && hashes[i] == h && Arrays.equals(b, 0, b.length, buf, 0, length)) {
            found[i] = true;
            return strings[i];
        }
        String s = new String(buf, 0, length, StandardCharsets.UTF_8);
        if (b != null && found[i]) {
            found[i] = false; // second chance: kept this time
            return s;
        }
        bytes[i] = Arrays.copyOf(buf, length);
        strings[i] = s;
        hashes[i] = h;
        return s;
    }

    /** A hash of {@code buf[0, length)}, 8 bytes per step. */
    static int hash(byte[] buf, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ (long) LONGS.get(buf, i)) * 0xC2B2AE3D27D4EB4FL;
            h = Long.rotateLeft(h, 31);
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) tail |= (buf[i] & 0xFFL) << shift;
        h = (h ^ tail) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0x165667B19E3779F9L;
        return (int) (h ^ (h >>> 32));
    }
}
