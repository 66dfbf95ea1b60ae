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
        // stored form may differ from the baseline in the pattern memory only
        for (Schema.Field f : SeriesBaseline.getClassSchema().getFields()) {
            assertThat(loaded.get(f.pos())).as(f.name()).isEqualTo(expected.get(f.pos()));
            if (!f.name().equals("patternCounts")) assertThat(raw.get(f.pos())).as(f.name()).isEqualTo(expected.get(f.pos()));
        }
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
        assertThat(stored[0]).isEqualTo(avro(b));

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
}
