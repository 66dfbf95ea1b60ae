package io.augur.ops.anomaly;

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
 * Test only: a frozen copy of the writer of {@link ReactiveSeriesCodec} format 1 (main at 3753bc1, session 8), to check that
 * rows written before format 2 are still read exactly. Do not change.
 */
final class ReactiveSeriesCodecFormat1 {
    private static final int SENT = 1, FULL = 2, BAND_SHIFT = 2, BAND_MASK = 3 << BAND_SHIFT, SCORE_ZERO = 1 << 4;
    private static final int BAND_FLAT = 0, BAND_SPREAD = 1, BAND_RAW = 2;
    private static final int OWN = 1, DIR_SHIFT = 1, DIR_MASK = 3 << DIR_SHIFT, WARM = 1 << 3, ANOMALOUS = 1 << 4;
    /** Number headers: 0..MAX_SCALE a decimal with that scale (zig-zag unscaled value follows); else raw or "the value". */
    private static final int MAX_SCALE = 9, RAW = -2, SAME_AS_VALUE = -1;
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private static final double MAX_EXACT = 0x1p53;

    private ReactiveSeriesCodecFormat1() {
    }

    /** One series' reactive state: its lifecycle context and its held datapoints (mutable, kept in memory). */
    public record Series(LifecycleContext context, HeldDatapoints held) {
    }

    /** The state record of {@code c} and {@code h}, the series' state key {@code key} (a held datapoint's series key is mostly the same). */
    public static ReactiveSeries write(String key, LifecycleContext c, HeldDatapoints h) {
        c.compact(); // the in-memory layout since session 9 (helper-perf12): the datapoints at indexes 0 .. n-1, as the codec reads them
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
        e.writeInt(n);
        long prev = 0, prevDelta = 0;
        for (int i = 0; i < n; i++) {
            long t = c.ts[i];
            if (i == 0) e.writeLong(t);
            else {
                long delta = t - prev;
                e.writeLong(i == 1 ? delta : delta - prevDelta);
                prevDelta = delta;
            }
            prev = t;
        }
        for (int i = 0; i < n; i++) {
            if (c.bare(i)) {
                e.writeInt(c.sent(i) ? SENT : 0);
                continue;
            }
            int band = band(c.expected(i), c.lower(i), c.upper(i));
            boolean scoreZero = isPositiveZero(c.score(i));
            e.writeInt(FULL | band << BAND_SHIFT | (scoreZero ? SCORE_ZERO : 0));
            writeFields(e, c.value(i), c.expected(i), c.lower(i), c.upper(i), c.score(i), band, scoreZero);
        }
    }

    private static LifecycleContext readContext(BinaryDecoder d, List<LiveBound> bounds, boolean legacy) throws IOException {
        int n = d.readInt();
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
                readFields(d, flags, f);
                c.setFull(i, sent, f[0], f[1], f[2], f[3], f[4]);
            }
        }
        c.n = n;
        return c;
    }

    private static void writeHeld(BinaryEncoder e, HeldDatapoints h, LifecycleContext c, String key) throws IOException {
        int n = h.n;
        e.writeInt(n);
        if (n == 0) return;
        List<HeldDatapoints.Identity> ids = new ArrayList<>(1);
        int[] renumber = h.renumberIdentities(ids);
        e.writeInt(ids.size());
        for (HeldDatapoints.Identity x : ids) {
            boolean isKey = x.seriesKey().equals(key);
            e.writeBoolean(isKey);
            if (!isKey) e.writeString(x.seriesKey());
            e.writeString(x.stat());
            e.writeString(x.namespace());
            e.writeString(x.metricName());
            e.writeString(x.unit());
        }
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
                writeFields(e, h.value(j), h.expected(j), h.lower(j), h.upper(j), h.score(j), band, scoreZero);
            }
            e.writeInt(renumber[h.identity(j)]);
            double v = h.value(j);
            writeNumber(e, h.min(j), v);
            writeNumber(e, h.max(j), v);
            writeNumber(e, h.sum(j), v);
            writeNumber(e, h.count(j), v);
        }
    }

    private static HeldDatapoints readHeld(BinaryDecoder d, LifecycleContext c, String key) throws IOException {
        int n = d.readInt();
        HeldDatapoints h = new HeldDatapoints(Math.max(4, n));
        if (n == 0) return h;
        int ids = d.readInt();
        for (int i = 0; i < ids; i++) {
            String seriesKey = d.readBoolean() ? key : d.readString();
            h.identities.add(new HeldDatapoints.Identity(seriesKey, d.readString(), d.readString(), d.readString(), d.readString()));
        }
        double[] f = new double[5];
        for (int j = 0; j < n; j++) {
            int ref = d.readInt() - 1;
            long t = ref < 0 ? d.readLong() : c.ts[ref];
            int flags = d.readInt();
            int dirCode = (flags & DIR_MASK) >> DIR_SHIFT;
            int dir = dirCode == 0 ? 0 : dirCode == 1 ? 1 : dirCode == 2 ? -1 : d.readInt();
            if ((flags & OWN) != 0) {
                readFields(d, d.readInt(), f);
            } else {
                f[0] = c.value(ref);
                f[1] = c.expected(ref);
                f[2] = c.lower(ref);
                f[3] = c.upper(ref);
                f[4] = c.score(ref);
            }
            h.setBand(j, f[0], f[1], f[2], f[3], f[4]);
            h.set(j, t, dir, (flags & WARM) != 0, (flags & ANOMALOUS) != 0, d.readInt());
            double v = f[0];
            double min = readNumber(d, v);
            double max = readNumber(d, v);
            double sum = readNumber(d, v);
            h.setStats(j, min, max, sum, readNumber(d, v));
        }
        h.n = n;
        return h;
    }

    private static void writeFields(BinaryEncoder e, double value, double expected, double lower, double upper, double score, int band,
                                    boolean scoreZero) throws IOException {
        writeNumber(e, value, Double.NaN);
        e.writeDouble(expected);
        if (band == BAND_SPREAD) e.writeDouble(upper - expected);
        else if (band == BAND_RAW) {
            e.writeDouble(lower);
            e.writeDouble(upper);
        }
        if (!scoreZero) e.writeDouble(score);
    }

    /** value, expected, lower, upper, score into {@code f}. */
    private static void readFields(BinaryDecoder d, int flags, double[] f) throws IOException {
        f[0] = readNumber(d, Double.NaN);
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
        if (same(x, value)) {
            e.writeInt(SAME_AS_VALUE);
            return;
        }
        for (int s = 0; s <= MAX_SCALE; s++) {
            double scaled = x * POW10[s];
            if (!(Math.abs(scaled) < MAX_EXACT)) break; // also NaN and infinities
            double r = Math.rint(scaled);
            if (r != scaled) continue;
            long u = (long) r;
            if (same((double) u / POW10[s], x)) {
                e.writeInt(s);
                e.writeLong(u);
                return;
            }
        }
        e.writeInt(RAW);
        e.writeDouble(x);
    }

    static double readNumber(BinaryDecoder d, double value) throws IOException {
        int h = d.readInt();
        if (h == SAME_AS_VALUE) return value;
        if (h == RAW) return d.readDouble();
        if (h < 0 || h > MAX_SCALE) throw new IOException("bad number header " + h);
        return (double) d.readLong() / POW10[h];
    }

    private static boolean same(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    private static boolean isPositiveZero(double x) {
        return Double.doubleToRawLongBits(x) == 0L;
    }
}
