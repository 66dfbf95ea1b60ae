package io.augur.ops.detect;

import io.augur.schema.SeriesBaseline;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StoredBaselineTest {
    private static final long T0 = 1_700_000_000_000L;

    /** A baseline trained for four days on a daily cycle with noise and a few bursts. */
    static SeriesBaseline trained() {
        BaselineDetector d = new BaselineDetector(DetectorSettings.defaults());
        SeriesBaseline s = d.newState();
        Random rnd = new Random(7);
        for (int i = 0; i < 4 * 1440; i++) {
            double v = 100 + 30 * Math.sin(2 * Math.PI * i / 1440) + 5 * rnd.nextGaussian() + (i % 700 < 8 ? 80 : 0);
            d.score(s, T0 + i * 60_000L, v);
        }
        return s;
    }

    static byte[] avro(SeriesBaseline b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SeriesBaseline.class).write(b, e);
        e.flush();
        return out.toByteArray();
    }

    static SeriesBaseline fromAvro(byte[] bytes) throws IOException {
        return new SpecificDatumReader<>(SeriesBaseline.class).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    @Test
    void theStoredFormLoadsToExactlyTheSameBaselineFieldByFieldAndIsSmaller() throws IOException {
        SeriesBaseline b = trained();
        byte[] original = avro(b);
        byte[][] stored = new byte[1][];
        StoredBaseline.store(b, x -> stored[0] = avro(x));
        assertThat(avro(b)).as("the caller's baseline is unchanged").isEqualTo(original);
        assertThat(stored[0].length).isLessThan(original.length - 200);

        SeriesBaseline raw = fromAvro(stored[0]);
        SeriesBaseline loaded = StoredBaseline.load(fromAvro(stored[0]));
        SeriesBaseline expected = fromAvro(original);
        // driven by the schema: every field of SeriesBaseline, including any added later, must come back equal, and the
        // stored form may differ from the baseline in the pattern memory and the packed fields only
        java.util.Set<String> packed = java.util.Set.of("patternCounts", "daily", "dailyPeak", "packed", "evidence", "evidenceLogMean",
                "evidenceLogDev", "tailRate", "tailMean", "tailSquare");
        for (Schema.Field f : SeriesBaseline.getClassSchema().getFields()) {
            assertThat(loaded.get(f.pos())).as(f.name()).isEqualTo(expected.get(f.pos()));
            if (!packed.contains(f.name())) assertThat(raw.get(f.pos())).as(f.name()).isEqualTo(expected.get(f.pos()));
        }
        assertThat(raw.getDaily()).isEmpty();
        assertThat(raw.getDailyPeak().remaining()).isZero();
        assertThat(raw.getEvidence()).isEmpty();
        assertThat(raw.getTailSquare()).isEmpty();
        assertThat(raw.getPacked().get(0)).isEqualTo(StoredBaseline.PACKED2);
        assertThat(raw.getPacked().remaining()).isPositive();
        assertThat(loaded).isEqualTo(expected);
        assertThat(avro(loaded)).isEqualTo(original);
        assertThat(raw.getPatternCounts().remaining()).isOdd().isLessThan(PatternMemory.SLOTS);
    }

    @Test
    void theDetectorContinuesIdenticallyFromTheStoredForm() throws IOException {
        BaselineDetector d = new BaselineDetector(DetectorSettings.defaults());
        SeriesBaseline a = trained();
        byte[][] stored = new byte[1][];
        StoredBaseline.store(a, x -> stored[0] = avro(x));
        SeriesBaseline b = StoredBaseline.load(fromAvro(stored[0]));
        Random rnd = new Random(8);
        for (int i = 0; i < 1440; i++) {
            long t = T0 + (4 * 1440 + i) * 60_000L;
            double v = 100 + 30 * Math.sin(2 * Math.PI * i / 1440) + 5 * rnd.nextGaussian() + (i == 900 ? 200 : 0);
            assertThat(d.score(b, t, v)).isEqualTo(d.score(a, t, v));
        }
        assertThat(avro(b)).isEqualTo(avro(a));
    }

    @Test
    void stateInTheOldFullFormLoadsAsItIs() throws IOException {
        SeriesBaseline b = trained();
        byte[] original = avro(b);
        SeriesBaseline loaded = StoredBaseline.load(fromAvro(original));
        assertThat(avro(loaded)).isEqualTo(original);
        assertThat(loaded.getPatternCounts().remaining()).isEqualTo(PatternMemory.SLOTS);
    }

    @Test
    void aTableWithManyUsedSlotsOrOfAnotherLengthIsStoredAsItIs() throws IOException {
        SeriesBaseline b = trained();
        byte[] dense = new byte[PatternMemory.SLOTS];
        for (int i = 0; i < 128; i++) dense[2 * i] = (byte) (i + 1); // 128 used slots: sparse would be 257 bytes
        b.setPatternCounts(ByteBuffer.wrap(dense));
        byte[][] stored = new byte[1][];
        StoredBaseline.store(b, x -> stored[0] = avro(x));
        assertThat(fromAvro(stored[0]).getPatternCounts()).isEqualTo(ByteBuffer.wrap(dense));
        assertThat(avro(StoredBaseline.load(fromAvro(stored[0])))).isEqualTo(avro(b));

        dense[254] = 0;
        dense[2] = 0; // 126 used: sparse, 253 bytes
        StoredBaseline.store(b, x -> stored[0] = avro(x));
        assertThat(fromAvro(stored[0]).getPatternCounts().remaining()).isEqualTo(253);
        assertThat(StoredBaseline.load(fromAvro(stored[0]))).isEqualTo(b);

        b.setPatternCounts(ByteBuffer.allocate(0)); // state from before v3
        StoredBaseline.store(b, x -> stored[0] = avro(x));
        assertThat(StoredBaseline.load(fromAvro(stored[0])).getPatternCounts().remaining()).isZero();
        assertThat(StoredBaseline.load(null)).isNull();
    }

    @Test
    void anEmptyTableIsOneByteAndEveryCountSurvives() {
        byte[] t = new byte[PatternMemory.SLOTS];
        ByteBuffer sparse = StoredBaseline.sparse(ByteBuffer.wrap(t));
        assertThat(sparse.remaining()).isEqualTo(1);
        assertThat(StoredBaseline.table(sparse)).isEqualTo(ByteBuffer.wrap(t));
        for (int i = 0; i < PatternMemory.SLOTS; i += 3) t[i] = (byte) (255 - i); // counts up to 255 (unsigned), slot 255 too
        t[255] = (byte) 200;
        ByteBuffer s2 = StoredBaseline.sparse(ByteBuffer.wrap(t));
        assertThat(s2).isNotNull();
        assertThat(StoredBaseline.table(s2)).isEqualTo(ByteBuffer.wrap(t));
    }

    /** A float as a test's random profile bin: NaN (canonical or not), ±0, subnormal, infinities, repeats, any bits. */
    private static float randomFloat(Random r, float prev) {
        return switch (r.nextInt(10)) {
            case 0 -> Float.NaN;
            case 1 -> Float.intBitsToFloat(0x7fc00000 | r.nextInt(1 << 20)); // a NaN with a payload
            case 2 -> 0.0f;
            case 3 -> -0.0f;
            case 4 -> Float.MIN_VALUE;
            case 5 -> r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            case 6, 7 -> prev;
            default -> Float.intBitsToFloat(r.nextInt());
        };
    }

    /**
     * Random baselines (profiles of any length with NaN payloads, ±0, repeats; peaks of any length, sparse or dense;
     * patterns; a few already in the stored form): stored, serialized, read and loaded, every field comes back bit for
     * bit (the record's Avro bytes are equal), and storing the loaded one again gives the same bytes.
     */
    @Test
    void randomBaselinesComeBackBitForBit() throws IOException {
        Random r = new Random(11);
        int[] modes = new int[9];
        for (int k = 0; k < 2000; k++) {
            SeriesBaseline b = trained(r.nextInt(3) == 0 ? 4 * 1440 : r.nextInt(3000));
            int n = r.nextInt(6) == 0 ? r.nextInt(200) : 48;
            java.util.List<Float> daily = new java.util.ArrayList<>();
            float prev = Float.NaN;
            int nanRun = r.nextInt(n + 1);
            boolean noise = r.nextInt(5) == 0; // every bin any bits: stored plain
            for (int i = 0; i < n; i++) daily.add(prev = noise ? Float.intBitsToFloat(r.nextInt() | 1 << 30) : i < nanRun && r.nextBoolean() ? Float.NaN : randomFloat(r, prev));
            if (r.nextInt(4) != 0) b.setDaily(r.nextBoolean() ? daily : FloatList.of(daily)); // else the detector's own
            byte[] peaks = new byte[r.nextInt(4) == 0 ? r.nextInt(300) : r.nextBoolean() ? 0 : 192];
            int density = r.nextInt(10);
            for (int i = 0; i < peaks.length; i++) if (r.nextInt(10) < density) peaks[i] = (byte) r.nextInt(256);
            ByteBuffer pb = ByteBuffer.wrap(peaks);
            if (peaks.length > 4 && r.nextBoolean()) pb = ByteBuffer.wrap(peaks, 2, peaks.length - 2).slice(); // any position/offset
            if (r.nextInt(4) != 0) b.setDailyPeak(pb); // else the detector's own
            if (r.nextInt(3) == 0) randomEvidence(r, b);
            byte[] original = avro(b);
            byte[][] stored = new byte[1][];
            StoredBaseline.store(b, x -> stored[0] = avro(x));
            assertThat(avro(b)).as("case %d: the caller's baseline is unchanged", k).isEqualTo(original);
            SeriesBaseline loaded = StoredBaseline.load(fromAvro(stored[0]));
            assertThat(avro(loaded)).as("case %d", k).isEqualTo(original);
            byte[][] again = new byte[1][];
            StoredBaseline.store(loaded, x -> again[0] = avro(x));
            assertThat(again[0]).as("case %d: stored again", k).isEqualTo(stored[0]);
            modes[StoredBaseline.unpack2(fromAvro(stored[0]).getPacked(), new SeriesBaseline())]++;
        }
        int[] daily = new int[3], peaks = new int[3];
        for (int m = 0; m < 9; m++) {
            daily[m / 3] += modes[m];
            peaks[m % 3] += modes[m];
        }
        assertThat(java.util.Arrays.stream(daily).min().getAsInt()).as("fewest profiles stored in one way (plain, coded, XORs): %s", java.util.Arrays.toString(daily)).isGreaterThan(100);
        assertThat(java.util.Arrays.stream(peaks).min().getAsInt()).as("fewest peaks stored in one way (plain, bitmap, differences): %s", java.util.Arrays.toString(peaks)).isGreaterThan(100);
    }

    /** A double as a test's random evidence value: NaN (with payloads), ±0, decimals, repeats, subnormal, infinities, any bits. */
    private static double randomDouble(Random r, double prev) {
        return switch (r.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> Double.longBitsToDouble(0x7ff8000000000000L | r.nextInt(1 << 30)); // a NaN with a payload
            case 2 -> 0.0;
            case 3 -> -0.0;
            case 4 -> Double.MIN_VALUE;
            case 5 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 6 -> prev;
            case 7 -> (r.nextInt(2_000_001) - 1_000_000) / Math.pow(10, r.nextInt(10)); // a decimal, negative too
            case 8 -> (double) (r.nextLong() >> r.nextInt(64)); // integers of any size
            case 9 -> Double.parseDouble(Float.toString(r.nextFloat() * 100));
            default -> Double.longBitsToDouble(r.nextLong());
        };
    }

    /** Random evidence arrays of random lengths (0 too) in random list types. */
    static void randomEvidence(Random r, SeriesBaseline b) {
        double prev = 0;
        for (String f : new String[] {"evidence", "evidenceLogMean", "evidenceLogDev", "tailRate", "tailMean", "tailSquare"}) {
            int n = r.nextInt(5) == 0 ? r.nextInt(12) : 4;
            java.util.List<Double> l = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) l.add(prev = randomDouble(r, prev));
            b.put(SeriesBaseline.getClassSchema().getField(f).pos(), r.nextBoolean() ? l : DoubleList.of(l));
        }
    }

    /**
     * State written in format 1 (session 8: profile and peaks packed with the hand-written bytes, the evidence arrays in
     * their fields) loads to exactly the baseline, and is stored in format 2 (smaller) from then on.
     */
    @Test
    void format1StateLoadsExactlyAndIsStoredInFormat2() throws IOException {
        Random r = new Random(5);
        long before = 0, after = 0;
        for (int k = 0; k < 500; k++) {
            SeriesBaseline b = trained(r.nextInt(4) == 0 ? 3 * 1440 : r.nextInt(2000));
            if (r.nextInt(4) == 0) randomEvidence(r, b);
            byte[] original = avro(b);
            // the format-1 stored form, as session 8 wrote it
            SeriesBaseline f1 = fromAvro(original);
            f1.setPatternCounts(StoredBaseline.sparse(f1.getPatternCounts()) == null ? f1.getPatternCounts() : StoredBaseline.sparse(f1.getPatternCounts()));
            f1.setPacked(StoredBaseline.pack(f1.getDaily(), f1.getDailyPeak()));
            f1.setDaily(java.util.List.of());
            f1.setDailyPeak(ByteBuffer.allocate(0));
            byte[] stored1 = avro(f1);
            SeriesBaseline loaded = StoredBaseline.load(fromAvro(stored1));
            assertThat(avro(loaded)).as("case %d: format 1 loads exactly", k).isEqualTo(original);
            byte[][] stored2 = new byte[1][];
            StoredBaseline.store(loaded, x -> stored2[0] = avro(x));
            assertThat(fromAvro(stored2[0]).getPacked().get(0)).isEqualTo(StoredBaseline.PACKED2);
            assertThat(avro(StoredBaseline.load(fromAvro(stored2[0])))).as("case %d: then format 2", k).isEqualTo(original);
            before += stored1.length;
            after += stored2[0].length;
        }
        System.out.printf("format 1 -> 2: %.1f -> %.1f B per stored baseline%n", before / 500.0, after / 500.0);
        assertThat(after).isLessThan(before);
    }

    /** A baseline trained for {@code minutes} on a daily cycle with noise and a few bursts. */
    static SeriesBaseline trained(int minutes) {
        BaselineDetector d = new BaselineDetector(DetectorSettings.defaults());
        SeriesBaseline s = d.newState();
        Random rnd = new Random(minutes);
        for (int i = 0; i < minutes; i++) {
            double v = 100 + 30 * Math.sin(2 * Math.PI * i / 1440) + 5 * rnd.nextGaussian() + (i % 700 < 8 ? 80 : 0);
            d.score(s, T0 + i * 60_000L, v);
        }
        return s;
    }

    /**
     * Every NAB series (when the corpus is there), scored once straight and once with its baseline stored, serialized,
     * read and loaded before every datapoint: every score, band and direction bit for bit, and the same final baseline.
     * Prints the stored sizes (the Avro bytes of the stored form against the v5 form).
     */
    @Test
    void nabScoresAreBitIdenticalThroughTheStoredFormAtEveryDatapoint() throws IOException {
        java.util.Optional<io.augur.ops.eval.nab.NabCorpus> corpus = NabDetectorEvaluation.corpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(corpus.isPresent(), "NAB folder not found");
        BaselineDetector d = new BaselineDetector(DetectorSettings.defaults());
        long points = 0, before = 0, after = 0;
        int files = 0;
        for (io.augur.ops.eval.nab.NabFile f : corpus.get().files()) {
            SeriesBaseline a = d.newState(), b = d.newState();
            double[] v = f.values();
            for (int i = 0; i < v.length; i++) {
                long t = f.timestamps()[i].toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
                byte[][] stored = new byte[1][];
                StoredBaseline.store(b, x -> stored[0] = avro(x));
                b = StoredBaseline.load(fromAvro(stored[0]));
                Score x = d.score(a, t, v[i]), y = d.score(b, t, v[i]);
                assertThat(y).as("%s datapoint %d", f.name(), i).isEqualTo(x);
                assertThat(Double.doubleToRawLongBits(y.anomalyScore())).isEqualTo(Double.doubleToRawLongBits(x.anomalyScore()));
                points++;
            }
            assertThat(avro(b)).as(f.name()).isEqualTo(avro(a));
            byte[][] stored = new byte[1][];
            StoredBaseline.store(a, x -> stored[0] = avro(x));
            SeriesBaseline v5 = fromAvro(avro(a));
            v5.setPatternCounts(StoredBaseline.sparse(v5.getPatternCounts()) == null ? v5.getPatternCounts() : StoredBaseline.sparse(v5.getPatternCounts()));
            before += avro(v5).length;
            after += stored[0].length;
            files++;
        }
        System.out.printf("NAB: %d series, %d datapoints: stored baseline %.1f B on average (%.1f B with the pattern memory sparse only)%n",
                files, points, after / (double) files, before / (double) files);
        assertThat(points).isGreaterThan(100_000);
    }
}
