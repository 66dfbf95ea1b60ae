package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;
import org.apache.avro.Schema;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The stored form of a {@link SeriesBaseline}: the same record (same schema, same state) with two parts packed
 * losslessly; {@link #load} gives back the exact baseline (every field bit for bit), {@link #store} writes the packed
 * copy and leaves the caller's baseline as it was.
 * <ul>
 *   <li><b>Pattern memory</b> ({@code patternCounts}), a 256-byte table of which a series typically uses a handful of
 *       slots (NAB: 5 of 256 non-zero on average): <b>sparse</b>, a marker byte, then (slot, count) byte pairs of the
 *       non-zero slots in slot order. The two forms cannot be confused: the table is exactly {@link PatternMemory#SLOTS}
 *       (256, even) bytes long, the sparse form {@code 1 + 2k} (odd) bytes with {@code k < 128} and starts with
 *       {@link #SPARSE}; anything else (e.g. the empty bytes of state from before v3) is left to the detector.</li>
 *   <li><b>Daily profile and time-of-day peaks</b> ({@code daily}: one float per bin, NaN until the bin is visited;
 *       {@code dailyPeak}: one byte per statistic and bin, empty in a series' first day) go to {@code packed} (v6; their
 *       own fields then empty): a version byte; the profile's length and its bins either as they are (four bytes each),
 *       or with a two-bit code per bin: "the same bits as the bin before" (the first: as NaN), +0.0, NaN (canonical) or
 *       the four bytes of its bits, or: the XOR of its bits with the bin before's, as its low 0, 2, 3 or 4 bytes
 *       (neighbouring bins share sign, exponent and the high mantissa bits); the peaks' length and either their bytes,
 *       a bitmap of the non-zero ones followed by those, or a nibble per byte (the zig-zag difference to the byte before,
 *       or 15 and the byte's two nibbles); each the shortest. A young series (its profile mostly unvisited, no peaks
 *       yet) stores some 170 bytes less; on NAB (every bin visited) about 10 % less.</li>
 * </ul>
 * Every other field is carried as it is (the stored copy is made field by field from the schema, so fields a later
 * version adds are carried too). State written before (full table, v5 fields, empty {@code packed}) is read as it is
 * and stored packed at its next write: no migration step, no uid or state change. Pure logic, no Flink.
 */
public final class StoredBaseline {
    /** First byte of the sparse form (format version 1). */
    static final byte SPARSE = 1;
    /** First byte of {@code packed} (format version 1). */
    static final byte PACKED = 1;
    private static final int DAILY_PLAIN = 0, DAILY_CODED = 1, DAILY_XOR = 2, PEAKS_PLAIN = 0, PEAKS_BITMAP = 1, PEAKS_DELTA = 2;
    private static final int SAME = 0, ZERO = 1, NAN = 2, BITS = 3;
    private static final int NAN_BITS = Float.floatToRawIntBits(Float.NaN);
    private static final int DAILY = SeriesBaseline.getClassSchema().getField("daily").pos();
    private static final int DAILY_PEAK = SeriesBaseline.getClassSchema().getField("dailyPeak").pos();
    private static final int PATTERN = SeriesBaseline.getClassSchema().getField("patternCounts").pos();
    private static final int PACKED_FIELD = SeriesBaseline.getClassSchema().getField("packed").pos();

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
     * Stores {@code b} in its stored form with {@code store}: a copy that shares every field with {@code b} except the
     * packed ones ({@code b} itself is not changed, the detector keeps using it). A state backend that keeps the object
     * by reference (heap) keeps the copy, which {@link #load} unpacks in place when it is read.
     */
    public static <E extends Exception> void store(SeriesBaseline b, Store<E> store) throws E {
        store.write(stored(b));
    }

    /** The stored form of {@code b} (shares its unpacked fields with it). */
    static SeriesBaseline stored(SeriesBaseline b) {
        SeriesBaseline s = new SeriesBaseline();
        List<Schema.Field> fields = SeriesBaseline.getClassSchema().getFields();
        for (Schema.Field f : fields) s.put(f.pos(), b.get(f.pos()));
        ByteBuffer sparse = sparse(b.getPatternCounts());
        if (sparse != null) s.put(PATTERN, sparse);
        ByteBuffer packed = b.getPacked();
        if (packed == null || !packed.hasRemaining()) { // not already in the stored form (a copy read back and not loaded)
            s.put(PACKED_FIELD, pack(b.getDaily(), b.getDailyPeak()));
            s.put(DAILY, List.of());
            s.put(DAILY_PEAK, ByteBuffer.allocate(0));
        }
        return s;
    }

    /** The baseline as the detector uses it, from a stored value (either form; null stays null). Updates {@code b} in place. */
    public static SeriesBaseline load(SeriesBaseline b) {
        if (b == null) return null;
        ByteBuffer t = table(b.getPatternCounts());
        if (t != null) b.setPatternCounts(t);
        ByteBuffer packed = b.getPacked();
        if (packed == null) b.setPacked(ByteBuffer.allocate(0));
        else if (packed.hasRemaining()) unpack(packed, b);
        return b;
    }

    // ---- packed: daily profile and time-of-day peaks -----------------------------------------------------------------

    static ByteBuffer pack(List<Float> daily, ByteBuffer peaks) {
        int n = daily == null ? 0 : daily.size();
        int[] bits = new int[n];
        FloatList fl = daily instanceof FloatList x ? x : null;
        for (int i = 0; i < n; i++) bits[i] = Float.floatToRawIntBits(fl != null ? fl.getFloat(i) : daily.get(i));
        int coded = (n + 3) / 4, xored = (n + 3) / 4, plain = 4 * n;
        int prev = NAN_BITS;
        for (int i = 0; i < n; i++) {
            if (code(bits[i], prev) == BITS) coded += 4;
            xored += xorBytes(bits[i] ^ prev);
            prev = bits[i];
        }
        int dailyMode = plain <= Math.min(coded, xored) ? DAILY_PLAIN : coded <= xored ? DAILY_CODED : DAILY_XOR;
        int pn = peaks == null ? 0 : peaks.remaining(), pbase = peaks == null ? 0 : peaks.position();
        int nonZero = 0, nibbles = 0, p = 0;
        for (int i = 0; i < pn; i++) {
            int x = peaks.get(pbase + i) & 0xff;
            if (x != 0) nonZero++;
            nibbles += zigzag(x - p) < 15 ? 1 : 3;
            p = x;
        }
        int bitmap = (pn + 7) / 8 + nonZero, delta = (nibbles + 1) / 2;
        int peaksMode = pn <= Math.min(bitmap, delta) ? PEAKS_PLAIN : bitmap <= delta ? PEAKS_BITMAP : PEAKS_DELTA;
        Bytes out = new Bytes(12 + Math.min(plain, Math.min(coded, xored)) + Math.min(pn, Math.min(bitmap, delta)));
        out.put(PACKED);
        out.varint(n);
        out.put(dailyMode);
        if (dailyMode == DAILY_PLAIN) {
            for (int i = 0; i < n; i++) out.int32(bits[i]);
        } else {
            int codes = out.skip((n + 3) / 4);
            prev = NAN_BITS;
            for (int i = 0; i < n; i++) {
                int c;
                if (dailyMode == DAILY_CODED) {
                    c = code(bits[i], prev);
                    if (c == BITS) out.int32(bits[i]);
                } else { // the XOR with the bin before: its low 0, 2, 3 or 4 bytes
                    int x = bits[i] ^ prev, len = xorBytes(x);
                    c = len == 0 ? 0 : len - 1;
                    for (int k = 0; k < len; k++) out.put(x >>> (8 * k));
                }
                out.a[codes + i / 4] |= (byte) (c << (2 * (i % 4)));
                prev = bits[i];
            }
        }
        out.varint(pn);
        out.put(peaksMode);
        if (peaksMode == PEAKS_BITMAP) {
            int map = out.skip((pn + 7) / 8);
            for (int i = 0; i < pn; i++) {
                byte v = peaks.get(pbase + i);
                if (v != 0) {
                    out.a[map + i / 8] |= (byte) (1 << (i % 8));
                    out.put(v);
                }
            }
        } else if (peaksMode == PEAKS_DELTA) { // per byte a nibble: the zig-zag difference to the byte before, or 15 and the byte
            int at = out.skip(delta), k = 0;
            p = 0;
            for (int i = 0; i < pn; i++) {
                int x = peaks.get(pbase + i) & 0xff, z = zigzag(x - p);
                if (z < 15) k = nibble(out.a, at, k, z);
                else {
                    k = nibble(out.a, at, k, 15);
                    k = nibble(out.a, at, k, x & 15);
                    k = nibble(out.a, at, k, x >>> 4);
                }
                p = x;
            }
        } else {
            for (int i = 0; i < pn; i++) out.put(peaks.get(pbase + i));
        }
        return ByteBuffer.wrap(out.a, 0, out.n).slice();
    }

    /** How many low bytes of a XOR of two bins' bits are stored: 0 (the same), 2, 3 or 4. */
    private static int xorBytes(int x) {
        if (x == 0) return 0;
        if ((x & 0xff000000) != 0) return 4;
        return (x & 0x00ff0000) != 0 ? 3 : 2;
    }

    private static int zigzag(int d) {
        return (d << 1) ^ (d >> 31);
    }

    private static int nibble(byte[] a, int at, int k, int v) {
        a[at + k / 2] |= (byte) (v << (4 * (k % 2)));
        return k + 1;
    }

    private static int code(int bits, int prev) {
        if (bits == prev) return SAME;
        if (bits == 0) return ZERO;
        if (bits == NAN_BITS) return NAN;
        return BITS;
    }

    /**
     * Sets {@code daily} and {@code dailyPeak} of {@code b} from its {@code packed}, which it empties; returns how they
     * were packed (the profile's mode × 3 + the peaks' mode, for tests).
     */
    static int unpack(ByteBuffer packed, SeriesBaseline b) {
        Reader r = new Reader(packed);
        if (r.get() != PACKED) throw new IllegalArgumentException("unknown packed baseline format");
        int n = r.varint();
        float[] daily = new float[Math.max(n, 4)];
        int mode = r.get();
        if (mode == DAILY_PLAIN) {
            for (int i = 0; i < n; i++) daily[i] = Float.intBitsToFloat(r.int32());
        } else {
            int codes = r.at;
            r.at += (n + 3) / 4;
            int prev = NAN_BITS;
            for (int i = 0; i < n; i++) {
                int c = (r.a.get(codes + i / 4) >> (2 * (i % 4))) & 3;
                int bits;
                if (mode == DAILY_CODED) {
                    bits = c == SAME ? prev : c == ZERO ? 0 : c == NAN ? NAN_BITS : r.int32();
                } else {
                    int len = c == 0 ? 0 : c + 1, x = 0;
                    for (int k = 0; k < len; k++) x |= (r.get() & 0xff) << (8 * k);
                    bits = prev ^ x;
                }
                daily[i] = Float.intBitsToFloat(bits);
                prev = bits;
            }
        }
        int pn = r.varint();
        byte[] peaks = new byte[pn];
        int peaksMode = r.get();
        if (peaksMode == PEAKS_BITMAP) {
            int map = r.at;
            r.at += (pn + 7) / 8;
            for (int i = 0; i < pn; i++) if ((r.a.get(map + i / 8) & (1 << (i % 8))) != 0) peaks[i] = (byte) r.get();
        } else if (peaksMode == PEAKS_DELTA) {
            int k = 0, p = 0;
            for (int i = 0; i < pn; i++) {
                int z = r.nibble(k++);
                int x;
                if (z < 15) x = p + ((z >>> 1) ^ -(z & 1));
                else {
                    x = r.nibble(k) | r.nibble(k + 1) << 4;
                    k += 2;
                }
                peaks[i] = (byte) x;
                p = x;
            }
            r.at += (k + 1) / 2;
        } else {
            for (int i = 0; i < pn; i++) peaks[i] = (byte) r.get();
        }
        b.setDaily(FloatList.over(daily, n));
        b.setDailyPeak(ByteBuffer.wrap(peaks));
        b.setPacked(ByteBuffer.allocate(0));
        return mode * 3 + peaksMode;
    }

    /** A growing byte array. */
    private static final class Bytes {
        byte[] a;
        int n;

        Bytes(int capacity) {
            a = new byte[capacity];
        }

        void put(int b) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, 2 * a.length + 8);
            a[n++] = (byte) b;
        }

        /** Reserves {@code len} zero bytes; their offset. */
        int skip(int len) {
            if (n + len > a.length) a = java.util.Arrays.copyOf(a, Math.max(2 * a.length, n + len + 8));
            int at = n;
            n += len;
            return at;
        }

        void int32(int v) {
            put(v);
            put(v >>> 8);
            put(v >>> 16);
            put(v >>> 24);
        }

        void varint(int v) {
            while ((v & ~0x7f) != 0) {
                put((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            put(v);
        }
    }

    private static final class Reader {
        final ByteBuffer a;
        int at;

        Reader(ByteBuffer b) {
            a = b;
            at = b.position();
        }

        int get() {
            return a.get(at++);
        }

        int int32() {
            return (a.get(at++) & 0xff) | (a.get(at++) & 0xff) << 8 | (a.get(at++) & 0xff) << 16 | (a.get(at++) & 0xff) << 24;
        }

        /** Nibble {@code k} of the nibbles starting at the current position (low nibble first). */
        int nibble(int k) {
            return (a.get(at + k / 2) >> (4 * (k % 2))) & 15;
        }

        int varint() {
            int v = 0, shift = 0, b;
            do {
                b = a.get(at++);
                v |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return v;
        }
    }
}
