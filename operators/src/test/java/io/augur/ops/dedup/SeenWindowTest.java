package io.augur.ops.dedup;

import io.augur.ops.dedup.SeenWindow.Verdict;
import io.augur.schema.SeriesSeen;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.augur.ops.dedup.SeenWindow.Verdict.DUPLICATE;
import static io.augur.ops.dedup.SeenWindow.Verdict.NEW;
import static io.augur.ops.dedup.SeenWindow.Verdict.UNCHECKED;
import static org.assertj.core.api.Assertions.assertThat;

class SeenWindowTest {
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long WINDOW = 6 * HOUR;
    private static final long T0 = 1_735_725_600_000L; // 2025-01-01T10:00Z, on a minute boundary

    /** Offers through a store/load round trip each time, as the Flink operator does. */
    private static final class Series {
        SeriesSeen state;
        final long window;

        Series(long window) {
            this.window = window;
        }

        Verdict offer(long ts) {
            SeenWindow w = SeenWindow.of(state, window);
            Verdict v = w.offer(ts);
            if (v == NEW || w.migrated()) state = w.toRecord();
            return v;
        }

        SeenWindow memory() {
            return SeenWindow.of(state, window);
        }
    }

    @Test
    void aRepeatIsADuplicateHowEverManyNewerDatapointsCameBetween() {
        Series s = new Series(WINDOW);
        for (int i = 0; i < 300; i++) assertThat(s.offer(T0 + i * MIN)).isEqualTo(NEW);
        // 299 newer datapoints later (the count-based memory kept 32)
        assertThat(s.offer(T0)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 150 * MIN)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 299 * MIN)).isEqualTo(DUPLICATE);
        assertThat(s.memory().slot()).isEqualTo(MIN);
        assertThat(s.memory().timestamps()).hasSize(300).first().isEqualTo(T0);
    }

    @Test
    void duplicatesAreDetectedUpToTheWindowAndOlderDatapointsAreUnchecked() {
        Series s = new Series(WINDOW);
        for (long t = T0; t <= T0 + 8 * HOUR; t += MIN) assertThat(s.offer(t)).isEqualTo(NEW);
        long newest = T0 + 8 * HOUR;
        assertThat(s.memory().from()).isEqualTo(newest - WINDOW);
        assertThat(s.offer(newest - WINDOW)).as("exactly the window behind the newest").isEqualTo(DUPLICATE);
        assertThat(s.offer(newest - WINDOW - MIN)).as("one period beyond the window").isEqualTo(UNCHECKED);
        assertThat(s.offer(T0)).isEqualTo(UNCHECKED);
        // unchecked datapoints are not remembered: the memory did not grow or move
        assertThat(s.memory().timestamps()).hasSize(361).first().isEqualTo(newest - WINDOW);
    }

    @Test
    void gapsInTheSeriesAreRememberedAsGaps() {
        Series s = new Series(WINDOW);
        assertThat(s.offer(T0)).isEqualTo(NEW);
        assertThat(s.offer(T0 + 5 * MIN)).isEqualTo(NEW);
        assertThat(s.offer(T0 + 2 * HOUR)).isEqualTo(NEW); // a silent stretch
        // the datapoints of the gap arrive late (another shard): new, then repeated
        assertThat(s.offer(T0 + 1 * MIN)).isEqualTo(NEW);
        assertThat(s.offer(T0 + 90 * MIN)).isEqualTo(NEW);
        assertThat(s.offer(T0 + 90 * MIN)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 1 * MIN)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 2 * MIN)).isEqualTo(NEW);
        // a gap longer than the window: everything older is forgotten, the newest is remembered
        assertThat(s.offer(T0 + 10 * HOUR)).isEqualTo(NEW);
        assertThat(s.memory().timestamps()).containsExactly(T0 + 10 * HOUR);
        assertThat(s.offer(T0 + 2 * HOUR)).isEqualTo(UNCHECKED);
        assertThat(s.offer(T0 + 10 * HOUR)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 10 * HOUR - 3 * MIN)).isEqualTo(NEW);
    }

    @Test
    void outOfOrderArrivalIsDeduplicatedExactly() {
        Series s = new Series(WINDOW);
        List<Long> ts = new ArrayList<>();
        for (int i = 0; i < 200; i++) ts.add(T0 + i * MIN);
        java.util.Collections.shuffle(ts, new Random(7));
        for (long t : ts) assertThat(s.offer(t)).isEqualTo(NEW);
        java.util.Collections.shuffle(ts, new Random(8));
        for (long t : ts) assertThat(s.offer(t)).as("repeat of %d", t).isEqualTo(DUPLICATE);
        assertThat(s.memory().timestamps()).hasSize(200);
        assertThat(s.memory().slot()).isEqualTo(MIN);
        assertThat(s.memory().offGridCount()).isZero();
    }

    @Test
    void theGridRefinesForOtherPeriodsAndOffsets() {
        Series s = new Series(WINDOW);
        // a 5-minute series, then a datapoint half a minute off the grid: the slot becomes 30 s, nothing is forgotten
        for (int i = 0; i < 10; i++) assertThat(s.offer(T0 + i * 5 * MIN)).isEqualTo(NEW);
        assertThat(s.memory().slot()).isEqualTo(5 * MIN);
        assertThat(s.offer(T0 + 10 * MIN + 30_000)).isEqualTo(NEW);
        assertThat(s.memory().slot()).isEqualTo(30_000);
        for (int i = 0; i < 10; i++) assertThat(s.offer(T0 + i * 5 * MIN)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 10 * MIN + 30_000)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 12 * MIN)).isEqualTo(NEW);
        assertThat(s.memory().offGridCount()).isZero();
    }

    @Test
    void unalignedTimestampsStillDeduplicateExactly() {
        Series s = new Series(WINDOW); // the grid may not get finer than 6 h / 32768 = 660 ms
        assertThat(s.offer(T0)).isEqualTo(NEW);
        assertThat(s.offer(T0 + MIN)).isEqualTo(NEW);
        // 1 ms and 17 ms off the minute grid: kept exactly, apart from each other and from the grid point next to them
        assertThat(s.offer(T0 + MIN + 1)).isEqualTo(NEW);
        assertThat(s.offer(T0 + 17)).isEqualTo(NEW);
        assertThat(s.offer(T0 + MIN + 1)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 17)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + MIN)).isEqualTo(DUPLICATE);
        assertThat(s.offer(T0 + 16)).isEqualTo(NEW);
        assertThat(s.memory().slot()).isEqualTo(MIN);
        assertThat(s.memory().offGridCount()).isEqualTo(3);
        assertThat(s.memory().timestamps()).containsExactly(T0, T0 + 16, T0 + 17, T0 + MIN, T0 + MIN + 1);
    }

    @Test
    void aJitteredSeriesKeepsAtMostTheOffGridLimitAndSaysWhatItCannotCheck() {
        Series s = new Series(WINDOW);
        List<Long> accepted = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            long t = T0 + i * MIN + r.nextInt(500); // jitter below the finest grid: every one is off the grid
            assertThat(s.offer(t)).isEqualTo(NEW);
            accepted.add(t);
        }
        SeenWindow m = s.memory();
        assertThat(m.offGridCount()).isLessThanOrEqualTo(SeenWindow.MAX_OFF_GRID);
        // everything from `from` on is checked exactly; everything older is reported unchecked, never taken for new
        for (long t : accepted) assertThat(s.offer(t)).isEqualTo(t >= m.from() ? DUPLICATE : UNCHECKED);
        assertThat(accepted.stream().filter(t -> t >= m.from()).count()).isGreaterThanOrEqualTo(SeenWindow.MAX_OFF_GRID);
    }

    @Test
    void randomArrivalsAgreeWithAnExactSetWithinTheWindow() {
        Random r = new Random(11);
        for (int round = 0; round < 20; round++) {
            long window = (1 + r.nextInt(8)) * HOUR;
            Series s = new Series(window);
            java.util.TreeSet<Long> accepted = new java.util.TreeSet<>();
            long newest = Long.MIN_VALUE;
            long period = new long[] {MIN, 5 * MIN, 30_000, 1_000}[r.nextInt(4)];
            for (int i = 0; i < 1500; i++) {
                long base = T0 + (long) r.nextInt(1200) * period;
                long t = r.nextInt(50) == 0 ? base + r.nextInt(60_000) : base; // a few unaligned ones
                Verdict v = s.offer(t);
                long from = s.memory().from();
                if (v == UNCHECKED) {
                    assertThat(t).isLessThan(from);
                } else {
                    assertThat(v).as("t=%d round %d", t, round).isEqualTo(accepted.contains(t) ? DUPLICATE : NEW);
                    accepted.add(t);
                    newest = Math.max(newest, t);
                }
                assertThat(from).isGreaterThanOrEqualTo(newest - window);
            }
        }
    }

    @Test
    void v1StateIsMigratedOnFirstAccess() {
        List<Long> recent = new ArrayList<>();
        for (int i = 0; i < 32; i++) recent.add(T0 + i * MIN);
        Series s = new Series(WINDOW);
        s.state = SeriesSeen.newBuilder().setRecent(recent).build(); // as v1 wrote it: only `recent`

        // a repeat: DUPLICATE, and the migrated state is stored even though nothing new was accepted
        assertThat(s.offer(T0 + 3 * MIN)).isEqualTo(DUPLICATE);
        assertThat(s.state.getRecent()).isEmpty();
        assertThat(s.state.getSlot()).isEqualTo(MIN);
        assertThat(s.state.getTop()).isEqualTo(T0 + 31 * MIN);
        assertThat(s.memory().timestamps()).isEqualTo(recent);
        // v1 forgot what came before its oldest timestamp: that is unchecked, not new
        assertThat(s.state.getFrom()).isEqualTo(T0);
        assertThat(s.offer(T0 - MIN)).isEqualTo(UNCHECKED);
        assertThat(s.offer(T0 + 32 * MIN)).isEqualTo(NEW);
        assertThat(s.offer(T0)).isEqualTo(DUPLICATE);
    }

    @Test
    void aShorterWindowAfterARestartForgetsTheExcess() {
        Series s = new Series(WINDOW);
        for (long t = T0; t < T0 + 6 * HOUR; t += MIN) s.offer(t);
        Series shorter = new Series(HOUR);
        shorter.state = s.state;
        assertThat(shorter.offer(T0 + 6 * HOUR - MIN)).isEqualTo(DUPLICATE);
        assertThat(shorter.offer(T0 + 5 * HOUR - MIN)).isEqualTo(DUPLICATE);
        assertThat(shorter.offer(T0 + 5 * HOUR - 2 * MIN)).isEqualTo(UNCHECKED);
        assertThat(shorter.offer(T0 + 6 * HOUR)).isEqualTo(NEW);
        assertThat(shorter.memory().timestamps()).hasSize(61);
    }

    @Test
    void stateOfASixHourOneMinuteSeriesIsSmall() throws IOException {
        Series s = new Series(WINDOW);
        for (long t = T0; t < T0 + 24 * HOUR; t += MIN) s.offer(t);
        assertThat(s.state.getSeenRun()).isEqualTo(361); // bits 0..360 all set: a count (v3), no bitmap
        assertThat(s.state.getSeen().remaining()).isZero();
        // Avro: recent 1 + top 6 + slot 3 + seen 1 + offGrid 1 + from 6 + seenRun 2 (v2: seen 1+46, 64 bytes)
        assertThat(avroBytes(s.state)).isEqualTo(20);

        Series v1 = new Series(WINDOW);
        List<Long> recent = new ArrayList<>();
        for (int i = 0; i < 32; i++) recent.add(T0 + i * MIN);
        assertThat(avroBytes(SeriesSeen.newBuilder().setRecent(recent).build())).as("v1, for comparison (with the v3 count field)").isEqualTo(200);
    }

    /**
     * Random series (gaps, repeats, out of order, off-grid timestamps): the memory read back from the stored record
     * (v3: the leading run of set bits as a count) and from the same bits in the v2 layout (the whole bitmap in seen,
     * no count) remembers exactly the same timestamps from the same point on, and gives the same verdicts.
     */
    @Test
    void theRunOfSetBitsComesBackExactlyAndV2StateReadsAsBefore() {
        java.util.Random r = new java.util.Random(5);
        int runs = 0, gaps = 0;
        for (int k = 0; k < 300; k++) {
            Series s = new Series(WINDOW);
            long t = T0;
            int n = 1 + r.nextInt(500);
            for (int i = 0; i < n; i++) {
                t += r.nextInt(6) == 0 ? r.nextInt(4) * MIN : MIN;
                long x = r.nextInt(20) == 0 ? t - r.nextInt(30) * MIN : r.nextInt(40) == 0 ? t + r.nextInt(59_000) : t;
                s.offer(x);
            }
            SeenWindow w = s.memory();
            SeriesSeen v3 = s.state;
            if (v3.getSeenRun() > 0) runs++;
            if (v3.getSeen().remaining() > 0) gaps++;
            // the same memory written as v2 did: the whole bitmap from bit 0
            java.util.BitSet all = new java.util.BitSet();
            if (v3.getSeenRun() == 0) all = java.util.BitSet.valueOf(v3.getSeen().duplicate());
            else {
                all.set(0, v3.getSeenRun());
                java.util.BitSet rest = java.util.BitSet.valueOf(v3.getSeen().duplicate());
                for (int i = rest.nextSetBit(0); i >= 0; i = rest.nextSetBit(i + 1)) all.set(v3.getSeenRun() + 1 + i);
            }
            SeriesSeen v2 = SeriesSeen.newBuilder(v3).setSeenRun(0).setSeen(java.nio.ByteBuffer.wrap(all.toByteArray())).build();
            SeenWindow w2 = SeenWindow.of(v2, WINDOW);
            assertThat(w2.timestamps()).as("case %d", k).isEqualTo(w.timestamps());
            assertThat(w2.from()).isEqualTo(w.from());
            assertThat(w2.toRecord()).as("written again: v3").isEqualTo(v3);
            for (int j = 0; j < 50; j++) {
                long probe = t - r.nextInt(8 * 60) * MIN + (r.nextInt(10) == 0 ? r.nextInt(59_000) : 0);
                assertThat(SeenWindow.of(v2, WINDOW).offer(probe)).isEqualTo(SeenWindow.of(v3, WINDOW).offer(probe));
            }
        }
        assertThat(runs).isGreaterThan(200);
        assertThat(gaps).isGreaterThan(100);
    }

    static int avroBytes(SeriesSeen s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SeriesSeen.class).write(s, enc);
        enc.flush();
        return out.size();
    }

    /** The grid's shift, word by word, moves exactly the bits the bit-by-bit definition moves. */
    @Test
    void theShiftMovesExactlyTheBitsWithinTheLimit() {
        java.util.Random r = new java.util.Random(3);
        for (int round = 0; round < 20_000; round++) {
            java.util.BitSet bits = new java.util.BitSet();
            int span = 1 + r.nextInt(r.nextBoolean() ? 70 : 800);
            for (int i = r.nextInt(span + 1); i > 0; i--) bits.set(r.nextInt(span));
            long limit = r.nextInt(900);
            long k = r.nextInt(10) == 0 ? limit + r.nextInt(3) : r.nextInt((int) limit + 1);
            java.util.BitSet expected = new java.util.BitSet();
            if (k <= limit) for (int i = bits.nextSetBit(0); i >= 0 && i + k <= limit; i = bits.nextSetBit(i + 1)) expected.set((int) (i + k));
            assertThat(SeenWindow.shifted(bits, k, limit)).as("bits %s, k %d, limit %d", bits, k, limit).isEqualTo(expected);
        }
    }
}
