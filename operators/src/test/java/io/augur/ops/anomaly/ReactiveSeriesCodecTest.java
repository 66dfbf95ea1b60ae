package io.augur.ops.anomaly;

import io.augur.schema.LiveBound;
import io.augur.schema.MetricDatapoint;
import io.augur.schema.ReactivePoint;
import io.augur.schema.ReactiveSeries;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReactiveSeriesCodecTest {
    private static final long MIN = 60_000, T0 = 1_700_000_000_000L;
    private static final String KEY = "123456789012|eu-west-1|AWS/Lambda|Duration|FunctionName=checkout-api|Average";

    private static double number(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Double.NaN;
            case 3 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 4 -> r.nextInt(1000);
            case 5 -> Double.parseDouble(Float.toString((float) (r.nextDouble() * 500)));   // a short decimal, as metric streams send
            case 6 -> Math.round(r.nextDouble() * 1e6) / 1000.0;
            case 7 -> r.nextDouble() * 1e300;
            case 8 -> -r.nextDouble() * 1e-300;
            case 9 -> Double.MIN_VALUE;
            case 10 -> 0x1p60 + r.nextInt(100);
            default -> r.nextGaussian() * 100;
        };
    }

    private static ScoredDatapoint point(Random r, long ts, String seriesKey, String unit) {
        double value = number(r), expected = r.nextInt(4) == 0 ? value : number(r);
        double lower, upper;
        switch (r.nextInt(4)) {
            case 0 -> lower = upper = expected;                         // cold detector: e, e, e
            case 1 -> {                                                 // the detector's expected ∓ spread
                double spread = Math.abs(number(r));
                lower = expected - spread;
                upper = expected + spread;
            }
            default -> {
                lower = number(r);
                upper = number(r);
            }
        }
        double score = switch (r.nextInt(4)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            default -> r.nextDouble();
        };
        int direction = switch (r.nextInt(5)) {
            case 0 -> 1;
            case 1 -> -1;
            case 2 -> 0;
            default -> r.nextInt(7) - 3;
        };
        double count = r.nextBoolean() ? 60 : number(r);
        MetricDatapoint dp = MetricDatapoint.newBuilder().setSeriesId("s").setAccountId("a").setRegion("r").setNamespace("AWS/Lambda")
                .setMetricName(r.nextInt(5) == 0 ? "Errors" : "Duration").setDimensions(Map.of()).setTimestamp(ts)
                .setMin(r.nextBoolean() ? value : number(r)).setMax(r.nextBoolean() ? value : number(r))
                .setSum(r.nextBoolean() ? value : value * count).setCount(count).setUnit(unit).setResource(new Resource("", "", "")).build();
        return ScoredDatapoint.newBuilder().setSeriesKey(seriesKey).setStat("Average").setValue(value).setScore(score).setDirection(direction)
                .setExpected(expected).setLower(lower).setUpper(upper).setWarm(r.nextBoolean()).setAnomalous(r.nextBoolean()).setDatapoint(dp)
                .build();
    }

    private record Case(LifecycleContext context, HeldDatapoints held) {
    }

    /** A series as the filter builds it: context datapoints (some sent), held ones (some of them also in the context). */
    private static Case series(Random r) {
        LifecycleContext c = r.nextInt(10) == 0 ? LifecycleContext.legacy() : new LifecycleContext();
        HeldDatapoints h = new HeldDatapoints();
        int n = r.nextInt(50);
        long ts = T0 + r.nextInt(1000) * MIN;
        for (int i = 0; i < n; i++) {
            ts += r.nextInt(8) == 0 ? r.nextInt(5) * MIN + r.nextInt(2000) - 1000 : MIN; // mostly regular
            long t = r.nextInt(10) == 0 ? ts - r.nextInt(5) * MIN : ts;                 // out of order, the same timestamp again
            ScoredDatapoint p = point(r, t, r.nextInt(8) == 0 ? "other|Sum" : KEY, switch (r.nextInt(6)) {
                case 0 -> "Widgets/Hour"; // not a CloudWatch unit: stored as a string
                case 1 -> "None";
                case 2 -> "Count";
                default -> "Milliseconds";
            });
            if (!c.isLegacy()) c.add(p, r.nextInt(4) == 0);
            if (r.nextInt(3) == 0) h.add(r.nextInt(6) == 0 ? point(r, t, KEY, "Count") : p); // held: the same datapoint, or another of that time
            if (!c.isLegacy() && r.nextInt(15) == 0) c.addOnset(p, 8 * MIN);
        }
        // some: timestamps only for the older ones (behind the watermark, or behind an earlier one: the values floor)
        if (!c.isLegacy()) c.prune(ts - 5 * MIN, ts - 5 * MIN - r.nextInt(4) * MIN, 30, r.nextBoolean() ? 30 : r.nextInt(12));
        return new Case(c, h);
    }

    @Test
    void everyFieldThatCanStillBeReadComesBackBitForBit() {
        Random r = new Random(7);
        int[] counts = new int[4];
        for (int k = 0; k < 400; k++) {
            Case x = series(r);
            ReactiveSeries record = ReactiveSeriesCodec.write(KEY, x.context(), x.held());
            ReactiveSeriesCodec.Series back = ReactiveSeriesCodec.read(KEY, record);
            // written again: the same bytes
            assertThat(ReactiveSeriesCodec.write(KEY, back.context(), back.held())).as("written again: the same bytes").isEqualTo(record);
            assertReadsBack(x, back, "case " + k, counts);
        }
        assertThat(counts[0]).isGreaterThan(3000);
        assertThat(counts[1]).isGreaterThan(2000);
        assertThat(counts[2]).isGreaterThan(100);
        assertThat(counts[3]).as("series with a values floor").isGreaterThan(50);
    }

    /** Rows written in format 1 (before session 9) read back exactly, and are written in format 2 from then on, exactly too. */
    @Test
    void rowsOfFormat1AreReadExactlyAndWrittenInFormat2() {
        Random r = new Random(11);
        int[] counts = new int[4];
        long before = 0, after = 0;
        for (int k = 0; k < 400; k++) {
            Case x = series(r);
            String key = r.nextInt(5) == 0 ? "other|Sum" : KEY;
            ReactiveSeries old = ReactiveSeriesCodecFormat1.write(key, x.context(), x.held());
            ReactiveSeriesCodec.Series back = ReactiveSeriesCodec.read(key, old);
            assertReadsBack(x, back, "format 1, case " + k, new int[4]);
            ReactiveSeries now = ReactiveSeriesCodec.write(key, back.context(), back.held());
            ReactiveSeriesCodec.Series again = ReactiveSeriesCodec.read(key, now);
            assertThat(ReactiveSeriesCodec.write(key, again.context(), again.held())).isEqualTo(now);
            assertReadsBack(x, again, "format 1 then 2, case " + k, counts);
            before += old.getPoints().remaining() + old.getHeld().remaining();
            after += now.getPoints().remaining() + now.getHeld().remaining();
        }
        assertThat(counts[0]).isGreaterThan(3000);
        assertThat(after).as("format 2 is smaller").isLessThan(before);
    }

    /** Every field of {@code x} that can still be read, bit for bit, in {@code back}; counts unsent, held, bounds, floors. */
    private static void assertReadsBack(Case x, ReactiveSeriesCodec.Series back, String what, int[] counts) {
        LifecycleContext c = x.context(), b = back.context();
        assertThat(b.isLegacy()).as(what).isEqualTo(c.isLegacy());
        assertThat(b.size()).as(what).isEqualTo(c.size());
        assertThat(b.toRecord().getTimestamps()).as("timestamps, " + what).isEqualTo(c.toRecord().getTimestamps());
        assertThat(b.toRecord().getSent()).as("sent, " + what).isEqualTo(c.toRecord().getSent());
        for (int i = 0; i < c.size(); i++) assertThat(b.bare(i)).as("bare %d, %s", i, what).isEqualTo(c.bare(i));
        assertThat(b.bounds()).as("bounds, " + what).isEqualTo(c.bounds());
        assertThat(b.floor()).as("values floor, " + what).isEqualTo(c.floor());
        if (c.floor() != Long.MIN_VALUE) counts[3]++;
        counts[2] += c.bounds().size();
        // the held datapoints: every field of the thin datapoint, bit for bit, in arrival order
        assertThat(back.held().size()).as(what).isEqualTo(x.held().size());
        for (int i = 0; i < x.held().size(); i++) {
            assertThat(back.held().timestamp(i)).isEqualTo(x.held().timestamp(i));
            assertThat(bits(back.held().point(i))).as("held %d, %s", i, what).isEqualTo(bits(x.held().point(i)));
            counts[1]++;
        }
        // what the context can still ship: the datapoints not yet sent, with value, band and score (on copies: taking marks them sent)
        LifecycleContext cc = copy(c), bc = copy(b);
        List<ReactivePoint> shipped = cc.takeUnsent(KEY), shippedBack = bc.takeUnsent(KEY);
        assertThat(shippedBack.stream().map(ReactiveSeriesCodecTest::bits).toList()).as(what)
                .isEqualTo(shipped.stream().map(ReactiveSeriesCodecTest::bits).toList());
        counts[0] += shipped.size();
    }

    private static LifecycleContext copy(LifecycleContext c) {
        return ReactiveSeriesCodecFormat1.read(KEY, ReactiveSeriesCodecFormat1.write(KEY, c, new HeldDatapoints())).context();
    }

    /** Every double as its bits (Avro's equals compares doubles with Double.compare: -0.0 and 0.0 differ, NaNs do not). */
    private static String bits(org.apache.avro.specific.SpecificRecordBase x) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            var enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
            new org.apache.avro.specific.SpecificDatumWriter<org.apache.avro.specific.SpecificRecordBase>(x.getSchema()).write(x, enc);
            enc.flush();
            return java.util.HexFormat.of().formatHex(out.toByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aQuietSeriesReportingEveryMinuteTakesAFewBytesPerTimestampAndNothingTwice() {
        Random r = new Random(3);
        LifecycleContext c = new LifecycleContext();
        HeldDatapoints h = new HeldDatapoints();
        List<ScoredDatapoint> ps = new ArrayList<>();
        for (int m = 0; m < 36; m++) {
            double v = Double.parseDouble(Float.toString((float) (100 + r.nextDouble() * 10)));
            double e = 100 + r.nextDouble(), spread = 2 + r.nextDouble();
            MetricDatapoint dp = MetricDatapoint.newBuilder().setSeriesId("s").setAccountId("a").setRegion("r").setNamespace("AWS/Lambda")
                    .setMetricName("Duration").setDimensions(Map.of()).setTimestamp(T0 + m * MIN).setMin(v).setMax(v).setSum(v).setCount(1)
                    .setUnit("Milliseconds").setResource(new Resource("", "", "")).build();
            ScoredDatapoint p = ScoredDatapoint.newBuilder().setSeriesKey(KEY).setStat("Average").setValue(v).setScore(0.0).setDirection(0)
                    .setExpected(e).setLower(e - spread).setUpper(e + spread).setWarm(true).setAnomalous(false).setDatapoint(dp).build();
            ps.add(p);
            c.add(p, false);
            if (m >= 30) h.add(p);
        }
        ReactiveSeries record = ReactiveSeriesCodec.write(KEY, c, h);
        // the timestamps: the first (6 bytes), the interval (3) and one run of 34 regular ones (1); no leading bare datapoint (1);
        // per context datapoint: 1 flag byte, value as a decimal (1 + 4), expected and spread (16), score 0 (nothing)
        assertThat(record.getPoints().remaining()).isLessThanOrEqualTo(1 + 6 + 3 + 1 + 1 + 36 * (1 + 5 + 16));
        // per held datapoint: reference, flags, min/max/sum ("the value": 1 each) and count (a decimal: 2): 7 bytes; the strings
        // are the key's (namespace, metric name, statistic: flags) and a CloudWatch unit (its index): 1 + 1 + 1 + 1 bytes in all
        assertThat(record.getHeld().remaining()).isLessThanOrEqualTo(1 + 1 + 1 + 1 + 6 * 7);
        ReactiveSeriesCodec.Series back = ReactiveSeriesCodec.read(KEY, record);
        for (int i = 0; i < 6; i++) assertThat(bits(back.held().point(i))).isEqualTo(bits(HeldDatapoints.thin(ps.get(30 + i))));
        // sent: only the timestamps stay
        for (int m = 0; m < 36; m++) c.add(ps.get(m), true);
        // sent: only the timestamps stay (11 bytes, above) and their sent flags as bits (1 + 5)
        assertThat(ReactiveSeriesCodec.write(KEY, c, new HeldDatapoints()).getPoints().remaining()).isLessThanOrEqualTo(1 + 6 + 3 + 1 + 1 + 5);
    }

    @Test
    void aHeldDatapointsStringsAreTheKeysPartsOrStoredAsTheyAre() {
        assertThat(ReactiveSeriesCodec.keyParts(KEY)).containsExactly("AWS/Lambda", "Duration", "Average");
        assertThat(ReactiveSeriesCodec.keyParts("a|r|NS|M||p99")).containsExactly("NS", "M", "p99");          // no dimensions
        assertThat(ReactiveSeriesCodec.keyParts("a|r|NS|M|k=x|y|Sum")).containsExactly("NS", "M", "Sum");     // a '|' in a dimension
        assertThat(ReactiveSeriesCodec.keyParts("a|r|NS|M|k=x")).containsExactly("NS", "M", null);            // a series id without a stat
        assertThat(ReactiveSeriesCodec.keyParts("other|Sum")).containsExactly(null, null, null);
        assertThat(ReactiveSeriesCodec.keyParts("")).containsExactly(null, null, null);
        // whatever the key: a held datapoint's strings come back as they were
        Random r = new Random(5);
        for (String key : new String[] {KEY, "a|r|NS|M||p99", "a|r|NS|M|k=x|y|Sum", "a|r|NS|M|k=x", "other|Sum", "", "|||||"}) {
            HeldDatapoints h = new HeldDatapoints();
            List<ScoredDatapoint> ps = new ArrayList<>();
            for (String unit : new String[] {"Count", "Widgets/Hour", "", "None"}) {
                ScoredDatapoint p = point(r, T0 + ps.size() * MIN, r.nextBoolean() ? key : KEY, unit);
                ps.add(p);
                h.add(p);
            }
            ReactiveSeriesCodec.Series back = ReactiveSeriesCodec.read(key, ReactiveSeriesCodec.write(key, new LifecycleContext(), h));
            for (int i = 0; i < ps.size(); i++) assertThat(bits(back.held().point(i))).as(key).isEqualTo(bits(HeldDatapoints.thin(ps.get(i))));
        }
    }

    @Test
    void boundsAndTheLegacyFlagAreKept() {
        LifecycleContext c = LifecycleContext.legacy();
        ReactiveSeriesCodec.Series back = ReactiveSeriesCodec.read(KEY, ReactiveSeriesCodec.write(KEY, c, new HeldDatapoints()));
        assertThat(back.context().isLegacy()).isTrue();
        assertThat(back.held().isEmpty()).isTrue();
        LiveBound b = LiveBound.newBuilder().setOnset(T0).setExpected(1).setLower(0).setUpper(2).setDirection(1).setUnit("Count").setChange(0.5)
                .setReach(T0 + 8 * MIN).build();
        LifecycleContext live = new LifecycleContext();
        live.bounds().add(b);
        assertThat(ReactiveSeriesCodec.read(KEY, ReactiveSeriesCodec.write(KEY, live, new HeldDatapoints())).context().bounds()).containsExactly(b);
    }
}
