package io.augur.ops.anomaly;

import io.augur.ops.codec.ExactDecimal;
import io.augur.schema.LiveBound;
import io.augur.schema.ReactiveSeries;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The burst-candidates filter's per-series reactive state ({@link LifecycleContext} and {@link HeldDatapoints}) as ONE
 * state record ({@link ReactiveSeries}), each datapoint kept once and nothing kept that can no longer be read. Exact:
 * {@link #read} gives back objects that behave exactly as the ones written (every field a later call reads is
 * bit-identical; {@code ReactiveSeriesCodecTest}).
 *
 * <p>Two byte formats, told apart by the sign of each part's leading count: <b>format 1</b> (session 8; still read) and
 * <b>format 2</b> (written since session 9). Rows are written in format 2 at their next write.
 *
 * <p><b>Context datapoints</b> ({@code points}, Avro binary primitives). Format 1: their count; the timestamps as zig-zag
 * varints of the delta of deltas (one byte each at a regular interval); then per datapoint a flag byte (sent, band form,
 * score zero) and, for a datapoint not yet sent to the lifecycle, its value ({@link #writeNumber}), expected value, band
 * (nothing when lower = upper = expected, the spread when expected ∓ spread gives both bounds exactly, else both) and
 * score (nothing when +0.0). Format 2: the count as -(n + 1); the first timestamp, the first interval, then the delta
 * of deltas as runs (a count of zeros, then the next non-zero one: a series reporting every minute takes one byte for
 * all); the number of leading datapoints with only their timestamp and their sent flags as bits; then per other
 * datapoint the flag byte and, when full, the fields of {@link Xor} (the value as "the previous full one's" when equal;
 * expected value, spread and score as the XOR with the previous full datapoint's, only the differing low bytes). A
 * datapoint already sent is never shipped again ({@link LifecycleContext#takeUnsent} skips it, a later one of the same
 * timestamp overwrites it): only its timestamp is kept (it still counts for {@link LifecycleContext#prune}); its other
 * fields read back as 0.
 *
 * <p><b>Held datapoints</b> ({@code held}): their count (format 2: negated); the strings of the held datapoints once per
 * distinct combination (format 1: series key, left out when it is the state's key, statistic, namespace, metric name,
 * unit; format 2: a flag per string that is the state key's own ({@link #keyParts}), the others, and the unit as an
 * index into CloudWatch's units ({@link #UNITS}) or as a string); then in arrival order per datapoint: the index + 1
 * of the context datapoint of the same timestamp (0: none, then the timestamp follows), a flag byte (own fields,
 * direction, warm, anomalous); value, band and score only when the context datapoint does not hold the same (it was
 * sent, or a later one of that timestamp replaced it); the identity index (format 2: only when there are several);
 * format 1: min, max, sum and count ({@link #writeNumber}, or "the value"); format 2: count ("the value", or the held
 * datapoint before's), min, max, sum ("the value", or value × count when that is exact).
 */
public final class ReactiveSeriesCodec {
    private static final int SENT = 1, FULL = 2, BAND_SHIFT = 2, BAND_MASK = 3 << BAND_SHIFT, SCORE_ZERO = 1 << 4;
    private static final int BAND_FLAT = 0, BAND_SPREAD = 1, BAND_RAW = 2;
    private static final int OWN = 1, DIR_SHIFT = 1, DIR_MASK = 3 << DIR_SHIFT, WARM = 1 << 3, ANOMALOUS = 1 << 4;
    /** Number headers: 0..{@link ExactDecimal#MAX_SCALE} a decimal with that scale (zig-zag unscaled value follows); else raw or "the value". */
    private static final int RAW = -2, SAME_AS_VALUE = -1, SAME_AS_ALTERNATIVE = -3;
    /** Format 2 identity flags: the string is the state key's (series key, statistic, namespace, metric name; {@link #keyParts}). */
    private static final int ID_KEY = 1, ID_STAT = 2, ID_NAMESPACE = 4, ID_METRIC = 8;
    /**
     * CloudWatch's units (StandardUnit), stored as their index + 1 (0: the string follows). Append only: the index is
     * stored.
     */
    static final List<String> UNITS = List.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
            "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
            "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
            "Gigabits/Second", "Terabits/Second", "Count/Second", "None", "");

    private ReactiveSeriesCodec() {
    }

    /** One series' reactive state: its lifecycle context and its held datapoints (mutable, kept in memory). */
    public record Series(LifecycleContext context, HeldDatapoints held) {
    }

    /** The state record of {@code c} and {@code h}, the series' state key {@code key} (a held datapoint's series key is mostly the same). */
    public static ReactiveSeries write(String key, LifecycleContext c, HeldDatapoints h) {
        c.compact(); // the datapoints at indexes 0 .. n-1
        try {
            ByteArrayOutputStream points = new ByteArrayOutputStream(16 + c.n * 34);
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(points, null);
            writeContext(e, c);
            e.flush();
            ByteArrayOutputStream held = new ByteArrayOutputStream(h.n == 0 ? 1 : 8 + h.n * 24);
            e = EncoderFactory.get().directBinaryEncoder(held, e);
            writeHeld(e, h, c, key);
            e.flush();
            List<LiveBound> bs = new ArrayList<>(c.bounds.size());
            for (LiveBound b : c.bounds) bs.add(LiveBound.newBuilder(b).build());
            return ReactiveSeries.newBuilder().setPoints(ByteBuffer.wrap(points.toByteArray())).setBounds(bs).setLegacy(c.isLegacy())
                    .setHeld(ByteBuffer.wrap(held.toByteArray())).setValuesFloor(floorField(c)).build();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** The series written by {@link #write} with the same {@code key}. */
    public static Series read(String key, ReactiveSeries r) {
        try {
            List<LiveBound> bounds = new ArrayList<>(r.getBounds().size());
            for (LiveBound b : r.getBounds()) bounds.add(LiveBound.newBuilder(b).build());
            BinaryDecoder d = DecoderFactory.get().binaryDecoder(bytes(r.getPoints()), null);
            LifecycleContext c = readContext(d, bounds, r.getLegacy());
            long f = r.getValuesFloor();
            if (f != 0) c.valuesFloor = newest(c) - f + 1;
            d = DecoderFactory.get().binaryDecoder(bytes(r.getHeld()), d);
            HeldDatapoints h = readHeld(d, c, key);
            return new Series(c, h);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** {@link LifecycleContext#floor()} as {@code ReactiveSeries.valuesFloor}: 0 none, else its distance to the newest datapoint + 1 (a short varint). */
    private static long floorField(LifecycleContext c) {
        return c.valuesFloor == Long.MIN_VALUE ? 0 : newest(c) - c.valuesFloor + 1;
    }

    private static long newest(LifecycleContext c) {
        return c.n == 0 ? 0 : c.ts[c.n - 1];
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer x = b.duplicate();
        byte[] out = new byte[x.remaining()];
        x.get(out);
        return out;
    }

    private static void writeContext(BinaryEncoder e, LifecycleContext c) throws IOException {
        int n = c.n;
        e.writeInt(-n - 1); // format 2: the count as -(n + 1)
        // timestamps: the first, the first delta, then the delta of deltas as runs: zeros counted, the others as they are
        if (n > 0) e.writeLong(c.ts[0]);
        if (n > 1) e.writeLong(c.ts[1] - c.ts[0]);
        int i = 2;
        while (i < n) {
            int zeros = 0;
            while (i < n && dod(c.ts, i) == 0) {
                zeros++;
                i++;
            }
            e.writeInt(zeros);
            if (i < n) e.writeLong(dod(c.ts, i++));
        }
        // the leading datapoints with only their timestamp: their count and their sent flags as bits
        int bare = 0;
        while (bare < n && c.bare(bare)) bare++;
        e.writeInt(bare);
        for (int k = 0; k < bare; k += 8) {
            int bits = 0;
            for (int j = k; j < Math.min(bare, k + 8); j++) if (c.sent(j)) bits |= 1 << (j - k);
            e.writeFixed(new byte[] {(byte) bits});
        }
        Xor x = new Xor();
        for (int k = bare; k < n; k++) {
            if (c.bare(k)) {
                e.writeInt(c.sent(k) ? SENT : 0);
                continue;
            }
            int band = band(c.expected(k), c.lower(k), c.upper(k));
            boolean scoreZero = isPositiveZero(c.score(k));
            e.writeInt(FULL | band << BAND_SHIFT | (scoreZero ? SCORE_ZERO : 0));
            x.write(e, c.value(k), c.expected(k), c.lower(k), c.upper(k), c.score(k), band, scoreZero);
        }
    }

    private static long dod(long[] ts, int i) {
        return (ts[i] - ts[i - 1]) - (ts[i - 1] - ts[i - 2]);
    }

    private static LifecycleContext readContext(BinaryDecoder d, List<LiveBound> bounds, boolean legacy) throws IOException {
        int n = d.readInt();
        if (n >= 0) return readContext1(d, n, bounds, legacy);
        n = -n - 1;
        LifecycleContext c = new LifecycleContext(legacy && n == 0 ? 0 : Math.max(8, n), bounds, legacy);
        if (n > 0) c.ts[0] = d.readLong();
        if (n > 1) c.ts[1] = c.ts[0] + d.readLong();
        int i = 2;
        while (i < n) {
            int zeros = d.readInt();
            if (zeros < 0 || zeros > n - i) throw new IOException("bad timestamp run " + zeros);
            for (int z = 0; z < zeros; z++, i++) c.ts[i] = 2 * c.ts[i - 1] - c.ts[i - 2];
            if (i < n) {
                c.ts[i] = 2 * c.ts[i - 1] - c.ts[i - 2] + d.readLong();
                i++;
            }
        }
        int bare = d.readInt();
        if (bare < 0 || bare > n) throw new IOException("bad bare count " + bare);
        byte[] one = new byte[1];
        for (int k = 0; k < bare; k += 8) {
            d.readFixed(one);
            for (int j = k; j < Math.min(bare, k + 8); j++) {
                c.setBare(j, (one[0] & (1 << (j - k))) != 0);
            }
        }
        double[] f = new double[5];
        Xor x = new Xor();
        for (int k = bare; k < n; k++) {
            int flags = d.readInt();
            boolean sent = (flags & SENT) != 0;
            if ((flags & FULL) == 0) {
                c.setBare(k, sent);
            } else {
                x.read(d, flags, f);
                c.setFull(k, sent, f[0], f[1], f[2], f[3], f[4]);
            }
        }
        c.n = n;
        return c;
    }

    /** Format 1 (ReactiveSeries rows written before format 2): the count, delta-of-delta timestamps, a flag byte per datapoint. */
    private static LifecycleContext readContext1(BinaryDecoder d, int n, List<LiveBound> bounds, boolean legacy) throws IOException {
        LifecycleContext c = new LifecycleContext(legacy && n == 0 ? 0 : Math.max(8, n), bounds, legacy);
        long prev = 0, prevDelta = 0;
        for (int i = 0; i < n; i++) {
            long x = d.readLong();
            long t;
            if (i == 0) t = x;
            else {
                long delta = i == 1 ? x : prevDelta + x;
                t = prev + delta;
                prevDelta = delta;
            }
            c.ts[i] = t;
            prev = t;
        }
        double[] f = new double[5];
        for (int i = 0; i < n; i++) {
            int flags = d.readInt();
            boolean sent = (flags & SENT) != 0;
            if ((flags & FULL) == 0) {
                c.setBare(i, sent);
            } else {
                readFields(d, flags, Double.NaN, f);
                c.setFull(i, sent, f[0], f[1], f[2], f[3], f[4]);
            }
        }
        c.n = n;
        return c;
    }

    private static void writeHeld(BinaryEncoder e, HeldDatapoints h, LifecycleContext c, String key) throws IOException {
        int n = h.n;
        e.writeInt(-n); // format 2: the count negated (0: none, the same in either format)
        if (n == 0) return;
        List<HeldDatapoints.Identity> ids = new ArrayList<>(1);
        int[] renumber = h.renumberIdentities(ids);
        e.writeInt(ids.size());
        String[] parts = keyParts(key);
        for (HeldDatapoints.Identity x : ids) {
            boolean isKey = x.seriesKey().equals(key), stat = x.stat().equals(parts[2]), ns = x.namespace().equals(parts[0]),
                    metric = x.metricName().equals(parts[1]);
            e.writeInt((isKey ? ID_KEY : 0) | (stat ? ID_STAT : 0) | (ns ? ID_NAMESPACE : 0) | (metric ? ID_METRIC : 0));
            if (!isKey) e.writeString(x.seriesKey());
            if (!stat) e.writeString(x.stat());
            if (!ns) e.writeString(x.namespace());
            if (!metric) e.writeString(x.metricName());
            int unit = UNITS.indexOf(x.unit());
            e.writeInt(unit + 1);
            if (unit < 0) e.writeString(x.unit());
        }
        writeHeldPoints(e, h, c, renumber, ids.size() > 1);
    }

    /**
     * The namespace, metric name and statistic of a series key ({@code account|region|namespace|metric|dims|stat}), as
     * far as {@code key} has them (else null): a held datapoint's strings are mostly these, and stored as a flag then.
     */
    static String[] keyParts(String key) {
        String[] out = new String[3];
        if (key == null) return out;
        int a = key.indexOf('|'), b = a < 0 ? -1 : key.indexOf('|', a + 1), c = b < 0 ? -1 : key.indexOf('|', b + 1),
                d = c < 0 ? -1 : key.indexOf('|', c + 1), last = key.lastIndexOf('|');
        if (d > 0) {
            out[0] = key.substring(b + 1, c);
            out[1] = key.substring(c + 1, d);
        }
        if (last > d && d > 0) out[2] = key.substring(last + 1);
        return out;
    }

    private static void writeHeldPoints(BinaryEncoder e, HeldDatapoints h, LifecycleContext c, int[] renumber, boolean identities) throws IOException {
        int n = h.n;
        for (int j = 0; j < n; j++) {
            long t = h.ts[j];
            int ref = Arrays.binarySearch(c.ts, 0, c.n, t);
            if (ref < 0) ref = -1;
            boolean own = ref < 0 || c.bare(ref) || !same(c.value(ref), h.value(j)) || !same(c.score(ref), h.score(j))
                    || !same(c.expected(ref), h.expected(j)) || !same(c.lower(ref), h.lower(j)) || !same(c.upper(ref), h.upper(j));
            int dir = h.direction(j);
            int dirCode = dir == 0 ? 0 : dir == 1 ? 1 : dir == -1 ? 2 : 3;
            e.writeInt(ref + 1);
            if (ref < 0) e.writeLong(t);
            e.writeInt((own ? OWN : 0) | dirCode << DIR_SHIFT | (h.warm(j) ? WARM : 0) | (h.anomalous(j) ? ANOMALOUS : 0));
            if (dirCode == 3) e.writeInt(dir);
            if (own) {
                int band = band(h.expected(j), h.lower(j), h.upper(j));
                boolean scoreZero = isPositiveZero(h.score(j));
                e.writeInt(band << BAND_SHIFT | (scoreZero ? SCORE_ZERO : 0));
                writeFields(e, h.value(j), Double.NaN, h.expected(j), h.lower(j), h.upper(j), h.score(j), band, scoreZero);
            }
            if (identities) e.writeInt(renumber[h.identity(j)]); // format 2: not when there is one
            double v = h.value(j);
            // format 2: the count first ("the value", or the held datapoint before's count), the sum may be value × count
            writeNumber(e, h.count(j), v, j == 0 ? Double.NaN : h.count(j - 1));
            writeNumber(e, h.min(j), v);
            writeNumber(e, h.max(j), v);
            writeNumber(e, h.sum(j), v, v * h.count(j));
        }
    }

    private static HeldDatapoints readHeld(BinaryDecoder d, LifecycleContext c, String key) throws IOException {
        int n = d.readInt();
        boolean format2 = n < 0;
        if (format2) n = -n;
        HeldDatapoints h = new HeldDatapoints(Math.max(4, n));
        if (n == 0) return h;
        int ids = d.readInt();
        String[] parts = format2 ? keyParts(key) : null;
        for (int i = 0; i < ids; i++) {
            if (format2) {
                int flags = d.readInt();
                String seriesKey = (flags & ID_KEY) != 0 ? key : d.readString();
                String stat = (flags & ID_STAT) != 0 ? parts[2] : d.readString();
                String ns = (flags & ID_NAMESPACE) != 0 ? parts[0] : d.readString();
                String metric = (flags & ID_METRIC) != 0 ? parts[1] : d.readString();
                int unit = d.readInt();
                h.identities.add(new HeldDatapoints.Identity(seriesKey, stat, ns, metric, unit == 0 ? d.readString() : UNITS.get(unit - 1)));
            } else { // format 1: every string but a series key equal to the state's key
                String seriesKey = d.readBoolean() ? key : d.readString();
                h.identities.add(new HeldDatapoints.Identity(seriesKey, d.readString(), d.readString(), d.readString(), d.readString()));
            }
        }
        double[] f = new double[5];
        for (int j = 0; j < n; j++) {
            int ref = d.readInt() - 1;
            long t = ref < 0 ? d.readLong() : c.ts[ref];
            int flags = d.readInt();
            int dirCode = (flags & DIR_MASK) >> DIR_SHIFT;
            int dir = dirCode == 0 ? 0 : dirCode == 1 ? 1 : dirCode == 2 ? -1 : d.readInt();
            if ((flags & OWN) != 0) {
                readFields(d, d.readInt(), Double.NaN, f);
            } else {
                f[0] = c.value(ref);
                f[1] = c.expected(ref);
                f[2] = c.lower(ref);
                f[3] = c.upper(ref);
                f[4] = c.score(ref);
            }
            h.setBand(j, f[0], f[1], f[2], f[3], f[4]);
            h.set(j, t, dir, (flags & WARM) != 0, (flags & ANOMALOUS) != 0, format2 && ids == 1 ? 0 : d.readInt());
            double v = f[0];
            if (format2) {
                double count = readNumber(d, v, j == 0 ? Double.NaN : h.count(j - 1));
                double min = readNumber(d, v);
                double max = readNumber(d, v);
                h.setStats(j, min, max, readNumber(d, v, v * count), count);
            } else {
                double min = readNumber(d, v);
                double max = readNumber(d, v);
                double sum = readNumber(d, v);
                h.setStats(j, min, max, sum, readNumber(d, v));
            }
        }
        h.n = n;
        return h;
    }

    private static void writeFields(BinaryEncoder e, double value, double sameAs, double expected, double lower, double upper, double score,
                                    int band, boolean scoreZero) throws IOException {
        writeNumber(e, value, sameAs);
        e.writeDouble(expected);
        if (band == BAND_SPREAD) e.writeDouble(upper - expected);
        else if (band == BAND_RAW) {
            e.writeDouble(lower);
            e.writeDouble(upper);
        }
        if (!scoreZero) e.writeDouble(score);
    }

    /** value, expected, lower, upper, score into {@code f}. */
    private static void readFields(BinaryDecoder d, int flags, double sameAs, double[] f) throws IOException {
        f[0] = readNumber(d, sameAs);
        double expected = d.readDouble();
        f[1] = expected;
        int band = (flags & BAND_MASK) >> BAND_SHIFT;
        if (band == BAND_FLAT) {
            f[2] = expected;
            f[3] = expected;
        } else if (band == BAND_SPREAD) {
            double spread = d.readDouble();
            f[2] = expected - spread;
            f[3] = expected + spread;
        } else {
            f[2] = d.readDouble();
            f[3] = d.readDouble();
        }
        f[4] = (flags & SCORE_ZERO) != 0 ? 0.0 : d.readDouble();
    }

    /**
     * Format 2's full context datapoints, in timestamp order: the value ({@link #writeNumber}, "the value" being the
     * previous full datapoint's), then a byte saying how many high bytes the bits of the expected value, the spread and
     * the score share with the previous full datapoint's (3 bits each for the expected value and the spread: 0..6 high
     * bytes, or 7: all, the same bits; 2 bits for the score: 0..2 high bytes, or 3: the same bits — consecutive bands
     * of a series change a little, so sign, exponent and high mantissa bits repeat, and most scores of a quiet series
     * repeat exactly; the first expected value is compared with its own datapoint's value), then only the low bytes of
     * each XOR that differ. Exact: the XOR gives the bits back.
     */
    static final class Xor {
        private long expected, spread, score;
        private double value = Double.NaN;
        private boolean first = true;
        /** The code byte of the datapoint at hand (one array for the whole row, not one per datapoint). */
        private final byte[] one = new byte[1];

        void write(BinaryEncoder e, double v, double exp, double lower, double upper, double sc, int band, boolean scoreZero) throws IOException {
            writeNumber(e, v, value);
            value = v;
            long eb = Double.doubleToRawLongBits(exp), ex = eb ^ (first ? Double.doubleToRawLongBits(v) : expected);
            long sb = band == BAND_SPREAD ? Double.doubleToRawLongBits(upper - exp) : spread, sx = sb ^ spread;
            long cb = scoreZero ? score : Double.doubleToRawLongBits(sc), cx = cb ^ score;
            int es = shared(ex, 6), ss = shared(sx, 6), cs = shared(cx, 2);
            one[0] = (byte) (es | ss << 3 | cs << 6);
            e.writeFixed(one);
            low(e, ex, bytes(es, 6));
            if (band == BAND_SPREAD) low(e, sx, bytes(ss, 6));
            else if (band == BAND_RAW) {
                e.writeDouble(lower);
                e.writeDouble(upper);
            }
            if (!scoreZero) low(e, cx, bytes(cs, 2));
            expected = eb;
            spread = sb;
            score = cb;
            first = false;
        }

        void read(BinaryDecoder d, int flags, double[] f) throws IOException {
            double v = readNumber(d, value);
            value = v;
            f[0] = v;
            d.readFixed(one);
            int es = one[0] & 7, ss = (one[0] >> 3) & 7, cs = (one[0] >> 6) & 3;
            long eb = low(d, bytes(es, 6)) ^ (first ? Double.doubleToRawLongBits(v) : expected);
            double exp = Double.longBitsToDouble(eb);
            f[1] = exp;
            int band = (flags & BAND_MASK) >> BAND_SHIFT;
            if (band == BAND_FLAT) {
                f[2] = exp;
                f[3] = exp;
            } else if (band == BAND_SPREAD) {
                spread ^= low(d, bytes(ss, 6));
                double sp = Double.longBitsToDouble(spread);
                f[2] = exp - sp;
                f[3] = exp + sp;
            } else {
                f[2] = d.readDouble();
                f[3] = d.readDouble();
            }
            if ((flags & SCORE_ZERO) != 0) f[4] = 0.0;
            else {
                score ^= low(d, bytes(cs, 2));
                f[4] = Double.longBitsToDouble(score);
            }
            expected = eb;
            first = false;
        }

        /** How many high bytes of {@code x} are zero, at most {@code max}; {@code max + 1} when all are (the same bits). */
        private static int shared(long x, int max) {
            return x == 0 ? max + 1 : Math.min(max, Long.numberOfLeadingZeros(x) / 8);
        }

        /** How many low bytes follow for a share code (the code after the largest count means none). */
        private static int bytes(int code, int max) {
            return code > max ? 0 : 8 - code;
        }

        private static void low(BinaryEncoder e, long x, int bytes) throws IOException {
            byte[] b = new byte[bytes];
            for (int i = 0; i < bytes; i++) b[i] = (byte) (x >>> (8 * i));
            e.writeFixed(b);
        }

        private static long low(BinaryDecoder d, int bytes) throws IOException {
            byte[] b = new byte[bytes];
            d.readFixed(b);
            long x = 0;
            for (int i = 0; i < bytes; i++) x |= (b[i] & 0xffL) << (8 * i);
            return x;
        }
    }

    /** How a band is stored: flat, expected ∓ spread (only when that gives both bounds bit for bit), or raw. */
    private static int band(double expected, double lower, double upper) {
        if (same(lower, expected) && same(upper, expected)) return BAND_FLAT;
        double spread = upper - expected;
        if (same(expected - spread, lower) && same(expected + spread, upper)) return BAND_SPREAD;
        return BAND_RAW;
    }

    /**
     * A number as a short decimal when that is exact (metric values mostly are: an unscaled integer and a scale, read
     * back as unscaled / 10^scale, checked bit for bit here), as "the value" ({@code value}) when it equals it, else raw.
     */
    static void writeNumber(BinaryEncoder e, double x, double value) throws IOException {
        writeNumber(e, x, value, value);
    }

    /** As {@link #writeNumber(BinaryEncoder, double, double)}, or (format 2) as {@code alternative} when it equals that. */
    static void writeNumber(BinaryEncoder e, double x, double value, double alternative) throws IOException {
        if (same(x, value)) {
            e.writeInt(SAME_AS_VALUE);
            return;
        }
        if (same(x, alternative)) {
            e.writeInt(SAME_AS_ALTERNATIVE);
            return;
        }
        int s = ExactDecimal.scale(x);
        if (s >= 0) {
            e.writeInt(s);
            e.writeLong(ExactDecimal.unscaled(x, s));
            return;
        }
        e.writeInt(RAW);
        e.writeDouble(x);
    }

    static double readNumber(BinaryDecoder d, double value) throws IOException {
        return readNumber(d, value, Double.NaN, false);
    }

    static double readNumber(BinaryDecoder d, double value, double alternative) throws IOException {
        return readNumber(d, value, alternative, true);
    }

    private static double readNumber(BinaryDecoder d, double value, double alternative, boolean hasAlternative) throws IOException {
        int h = d.readInt();
        if (h == SAME_AS_VALUE) return value;
        if (h == RAW) return d.readDouble();
        if (h == SAME_AS_ALTERNATIVE && hasAlternative) return alternative;
        if (h < 0 || h > ExactDecimal.MAX_SCALE) throw new IOException("bad number header " + h);
        return ExactDecimal.value(d.readLong(), h);
    }

    private static boolean same(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    private static boolean isPositiveZero(double x) {
        return Double.doubleToRawLongBits(x) == 0L;
    }
}
