package io.augur.ops.detect;

import io.augur.ops.codec.ExactDecimal;
import io.augur.schema.SeriesBaseline;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <b>Format 2</b> of {@code packed} (written since session 9, {@link #pack2}; format 1 is still read): the same
 * profile and peaks encodings written with Avro's {@link BinaryEncoder}, plus the six evidence arrays (evidence, its log
 * mean and deviation, the tail rate, mean and square: their fields then empty as well), a 2-bit code per double (the
 * same bits as the double before, +0.0, an exact short decimal ({@link ExactDecimal}), or its 8 bytes): a young series'
 * tail statistics start at repeated priors (0.15, 0.045), a constant series' are all equal.
 * Every other field is carried as it is (the stored copy is made field by field from the schema, so fields a later
 * version adds are carried too). State written before (full table, v5 fields, empty {@code packed}) is read as it is
 * and stored packed at its next write: no migration step, no uid or state change. Pure logic, no Flink.
 */
public final class StoredBaseline {
    /** First byte of the sparse form (format version 1). */
    static final byte SPARSE = 1;
    /** First byte of {@code packed} in format 1 (session 8: profile and peaks, hand-written bytes; still read). */
    static final byte PACKED = 1;
    /** First byte of {@code packed} in format 2 (written since session 9: Avro binary primitives; profile, peaks and the evidence arrays). */
    static final byte PACKED2 = 2;
    private static final int D_SAME = 0, D_ZERO = 1, D_DECIMAL = 2, D_RAW = 3;
    private static final int DAILY_PLAIN = 0, DAILY_CODED = 1, DAILY_XOR = 2, PEAKS_PLAIN = 0, PEAKS_BITMAP = 1, PEAKS_DELTA = 2;
    private static final int SAME = 0, ZERO = 1, NAN = 2, BITS = 3;
    private static final int NAN_BITS = Float.floatToRawIntBits(Float.NaN);
    private static final int DAILY = SeriesBaseline.getClassSchema().getField("daily").pos();
    private static final int DAILY_PEAK = SeriesBaseline.getClassSchema().getField("dailyPeak").pos();
    private static final int PATTERN = SeriesBaseline.getClassSchema().getField("patternCounts").pos();
    private static final int PACKED_FIELD = SeriesBaseline.getClassSchema().getField("packed").pos();
    /** The double arrays format 2 packs (in this order; their fields are then empty in the stored copy). */
    private static final int[] EVIDENCE_FIELDS = {field("evidence"), field("evidenceLogMean"), field("evidenceLogDev"), field("tailRate"),
        field("tailMean"), field("tailSquare")};

    private static int field(String name) {
        return SeriesBaseline.getClassSchema().getField(name).pos();
    }

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
            s.put(PACKED_FIELD, pack2(b));
            s.put(DAILY, List.of());
            s.put(DAILY_PEAK, ByteBuffer.allocate(0));
            for (int f : EVIDENCE_FIELDS) s.put(f, List.of());
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
        else if (packed.hasRemaining()) {
            if (packed.get(packed.position()) == PACKED2) unpack2(packed, b);
            else unpack(packed, b);
        }
        return b;
    }

    // ---- format 2 (Avro binary primitives) ----------------------------------------------------------------------------

    /**
     * Format 2 of {@code packed}: the version byte; the profile (its length, how it is stored, the codes and the bins'
     * bytes, as format 1 decides them: {@link #dailyBytes}); the peaks (length, mode, bytes: {@link #peaksBytes}); the
     * six evidence arrays ({@link #EVIDENCE_FIELDS}): their lengths, a 2-bit code per double (the same bits as the double
     * before in this sequence, +0.0, an exact short decimal ({@link ExactDecimal}: one varint of unscaled × 10 + scale),
     * or its 8 bytes) and the payloads. Everything through Avro's {@link BinaryEncoder}.
     */
    static ByteBuffer pack2(SeriesBaseline b) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(160);
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            e.writeFixed(new byte[] {PACKED2});
            List<Float> daily = b.getDaily();
            int n = daily == null ? 0 : daily.size();
            e.writeInt(n);
            byte[][] d = dailyBytes(daily, n);
            e.writeInt(d[0][0]);
            e.writeFixed(d[1]);
            ByteBuffer peaks = b.getDailyPeak();
            int pn = peaks == null ? 0 : peaks.remaining();
            e.writeInt(pn);
            byte[][] p = peaksBytes(peaks, pn);
            e.writeInt(p[0][0]);
            e.writeFixed(p[1]);
            int total = 0;
            List<?>[] arrays = new List<?>[EVIDENCE_FIELDS.length];
            for (int k = 0; k < arrays.length; k++) {
                arrays[k] = (List<?>) b.get(EVIDENCE_FIELDS[k]);
                int len = arrays[k] == null ? 0 : arrays[k].size();
                e.writeInt(len);
                total += len;
            }
            double[] x = new double[total];
            int j = 0;
            for (List<?> a : arrays) {
                if (a == null) continue;
                DoubleList dl = a instanceof DoubleList l ? l : null;
                for (int i = 0; i < a.size(); i++) x[j++] = dl != null ? dl.getDouble(i) : (Double) a.get(i);
            }
            byte[] codes = new byte[(total + 3) / 4];
            int[] scales = new int[total];
            long prev = Double.doubleToRawLongBits(Double.NaN);
            for (int i = 0; i < total; i++) {
                long bits = Double.doubleToRawLongBits(x[i]);
                int c;
                if (bits == 0L) c = D_ZERO;
                else if (bits == prev) c = D_SAME;
                else if ((scales[i] = ExactDecimal.scale(x[i])) >= 0) c = D_DECIMAL;
                else c = D_RAW;
                codes[i / 4] |= (byte) (c << (2 * (i % 4)));
                prev = bits;
            }
            e.writeFixed(codes);
            for (int i = 0; i < total; i++) {
                int c = (codes[i / 4] >> (2 * (i % 4))) & 3;
                if (c == D_DECIMAL) e.writeLong(ExactDecimal.unscaled(x[i], scales[i]) * 10 + scales[i]);
                else if (c == D_RAW) e.writeDouble(x[i]);
            }
            e.flush();
            return ByteBuffer.wrap(out.toByteArray());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * Sets the profile, the peaks and the evidence arrays of {@code b} from a format-2 {@code packed}, which it empties;
     * returns how the profile and peaks were packed (the profile's mode × 3 + the peaks' mode, for tests).
     */
    static int unpack2(ByteBuffer packed, SeriesBaseline b) {
        try {
            ByteBuffer in = packed.duplicate();
            byte[] a = new byte[in.remaining()];
            in.get(a);
            BinaryDecoder d = DecoderFactory.get().binaryDecoder(a, 1, a.length - 1, null); // after the version byte
            int n = d.readInt();
            int mode = d.readInt();
            float[] daily = new float[Math.max(n, 4)];
            if (mode == DAILY_PLAIN) {
                for (int i = 0; i < n; i++) daily[i] = Float.intBitsToFloat(int32(d));
            } else {
                byte[] codes = new byte[(n + 3) / 4];
                d.readFixed(codes);
                int prev = NAN_BITS;
                for (int i = 0; i < n; i++) {
                    int c = (codes[i / 4] >> (2 * (i % 4))) & 3;
                    int bits;
                    if (mode == DAILY_CODED) {
                        bits = c == SAME ? prev : c == ZERO ? 0 : c == NAN ? NAN_BITS : int32(d);
                    } else {
                        int len = c == 0 ? 0 : c + 1, x = 0;
                        for (int k = 0; k < len; k++) x |= (byte1(d) & 0xff) << (8 * k);
                        bits = prev ^ x;
                    }
                    daily[i] = Float.intBitsToFloat(bits);
                    prev = bits;
                }
            }
            int pn = d.readInt();
            int peaksMode = d.readInt();
            byte[] peaks = new byte[pn];
            if (peaksMode == PEAKS_BITMAP) {
                byte[] map = new byte[(pn + 7) / 8];
                d.readFixed(map);
                for (int i = 0; i < pn; i++) if ((map[i / 8] & (1 << (i % 8))) != 0) peaks[i] = (byte) byte1(d);
            } else if (peaksMode == PEAKS_DELTA) {
                int k = 0, p = 0;
                byte[] cur = new byte[1];
                for (int i = 0; i < pn; i++) {
                    int z = nibble(d, k++, cur);
                    int x;
                    if (z < 15) x = p + ((z >>> 1) ^ -(z & 1));
                    else {
                        x = nibble(d, k++, cur) | nibble(d, k++, cur) << 4;
                    }
                    peaks[i] = (byte) x;
                    p = x;
                }
            } else if (pn > 0) {
                d.readFixed(peaks);
            }
            int[] lens = new int[EVIDENCE_FIELDS.length];
            int total = 0;
            for (int k = 0; k < lens.length; k++) total += lens[k] = d.readInt();
            byte[] codes = new byte[(total + 3) / 4];
            d.readFixed(codes);
            long prev = Double.doubleToRawLongBits(Double.NaN);
            int i = 0;
            for (int k = 0; k < lens.length; k++) {
                double[] x = new double[Math.max(lens[k], 4)];
                for (int j = 0; j < lens[k]; j++, i++) {
                    int c = (codes[i / 4] >> (2 * (i % 4))) & 3;
                    long bits = switch (c) {
                        case D_SAME -> prev;
                        case D_ZERO -> 0L;
                        case D_DECIMAL -> {
                            long v = d.readLong();
                            yield Double.doubleToRawLongBits(ExactDecimal.value(Math.floorDiv(v, 10), (int) Math.floorMod(v, 10)));
                        }
                        default -> Double.doubleToRawLongBits(d.readDouble());
                    };
                    x[j] = Double.longBitsToDouble(bits);
                    prev = bits;
                }
                b.put(EVIDENCE_FIELDS[k], DoubleList.over(x, lens[k]));
            }
            b.setDaily(FloatList.over(daily, n));
            b.setDailyPeak(ByteBuffer.wrap(peaks));
            b.setPacked(ByteBuffer.allocate(0));
            return mode * 3 + peaksMode;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static int int32(BinaryDecoder d) throws IOException {
        byte[] b = new byte[4];
        d.readFixed(b);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private static int byte1(BinaryDecoder d) throws IOException {
        byte[] b = new byte[1];
        d.readFixed(b);
        return b[0];
    }

    /** Nibble {@code k} of a run of nibbles read byte by byte (low nibble first; {@code cur} holds the byte of odd k). */
    private static int nibble(BinaryDecoder d, int k, byte[] cur) throws IOException {
        if (k % 2 == 0) d.readFixed(cur);
        return (cur[0] >> (4 * (k % 2))) & 15;
    }

    /** The profile as format 1 stores it: {mode}, then the codes and the bins' bytes. */
    private static byte[][] dailyBytes(List<Float> daily, int n) {
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
        int mode = plain <= Math.min(coded, xored) ? DAILY_PLAIN : coded <= xored ? DAILY_CODED : DAILY_XOR;
        Bytes out = new Bytes(Math.min(plain, Math.min(coded, xored)) + 1);
        if (mode == DAILY_PLAIN) {
            for (int i = 0; i < n; i++) out.int32(bits[i]);
        } else {
            int codes = out.skip((n + 3) / 4);
            prev = NAN_BITS;
            for (int i = 0; i < n; i++) {
                int c;
                if (mode == DAILY_CODED) {
                    c = code(bits[i], prev);
                    if (c == BITS) out.int32(bits[i]);
                } else {
                    int x = bits[i] ^ prev, len = xorBytes(x);
                    c = len == 0 ? 0 : len - 1;
                    for (int k = 0; k < len; k++) out.put(x >>> (8 * k));
                }
                out.a[codes + i / 4] |= (byte) (c << (2 * (i % 4)));
                prev = bits[i];
            }
        }
        return new byte[][] {{(byte) mode}, java.util.Arrays.copyOf(out.a, out.n)};
    }

    /** The peaks as format 1 stores them: {mode}, then their bytes (plain, bitmap and non-zero bytes, or nibbles). */
    private static byte[][] peaksBytes(ByteBuffer peaks, int pn) {
        int pbase = peaks == null ? 0 : peaks.position();
        int nonZero = 0, nibbles = 0, p = 0;
        for (int i = 0; i < pn; i++) {
            int x = peaks.get(pbase + i) & 0xff;
            if (x != 0) nonZero++;
            nibbles += zigzag(x - p) < 15 ? 1 : 3;
            p = x;
        }
        int bitmap = (pn + 7) / 8 + nonZero, delta = (nibbles + 1) / 2;
        int mode = pn <= Math.min(bitmap, delta) ? PEAKS_PLAIN : bitmap <= delta ? PEAKS_BITMAP : PEAKS_DELTA;
        Bytes out = new Bytes(Math.min(pn, Math.min(bitmap, delta)) + 1);
        if (mode == PEAKS_BITMAP) {
            int map = out.skip((pn + 7) / 8);
            for (int i = 0; i < pn; i++) {
                byte v = peaks.get(pbase + i);
                if (v != 0) {
                    out.a[map + i / 8] |= (byte) (1 << (i % 8));
                    out.put(v);
                }
            }
        } else if (mode == PEAKS_DELTA) {
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
        return new byte[][] {{(byte) mode}, java.util.Arrays.copyOf(out.a, out.n)};
    }

    // ---- format 1 (session 8; still read, and written by tests only) ----------------------------------------------------

    /** Format 1 of {@code packed} (written by tests only, to check that state of session 8 still loads). */
    static ByteBuffer pack(List<Float> daily, ByteBuffer peaks) {
        int n = daily == null ? 0 : daily.size(), pn = peaks == null ? 0 : peaks.remaining();
        byte[][] d = dailyBytes(daily, n), p = peaksBytes(peaks, pn);
        Bytes out = new Bytes(12 + d[1].length + p[1].length);
        out.put(PACKED);
        out.varint(n);
        out.put(d[0][0]);
        for (byte x : d[1]) out.put(x);
        out.varint(pn);
        out.put(p[0][0]);
        for (byte x : p[1]) out.put(x);
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
