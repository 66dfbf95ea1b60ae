package io.augur.ops.dedup;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GridBitsTest {
    /** The bit-by-bit definition of the grid's shift: bit i becomes bit i + k where i + k <= limit. */
    private static BitSet shiftedByDefinition(BitSet bits, long k, long limit) {
        BitSet expected = new BitSet();
        if (k <= limit) for (int i = bits.nextSetBit(0); i >= 0 && i + k <= limit; i = bits.nextSetBit(i + 1)) expected.set((int) (i + k));
        return expected;
    }

    /**
     * One grid worked on in place through long random runs of every operation the window uses (set, shift, clear from,
     * clear) holds exactly the bits a {@link BitSet} worked on by the definitions holds, and answers get, length and
     * emptiness alike after every step.
     */
    @Test
    void inPlaceOperationsKeepExactlyTheBitsOfTheDefinitions() {
        Random r = new Random(11);
        for (int run = 0; run < 400; run++) {
            GridBits g = new GridBits();
            BitSet b = new BitSet();
            int span = 1 + r.nextInt(r.nextBoolean() ? 70 : 900);
            for (int step = 0; step < 200; step++) {
                int op = r.nextInt(10);
                if (op < 4) {
                    int i = r.nextInt(span);
                    g.set(i);
                    b.set(i);
                } else if (op < 8) {
                    long limit = r.nextInt(span + 1);
                    long k = r.nextInt(10) == 0 ? limit + r.nextInt(3) : r.nextInt(r.nextBoolean() ? 3 : (int) limit + 1);
                    g.shiftUp(k, limit);
                    b = shiftedByDefinition(b, k, limit);
                } else if (op < 9) {
                    int from = r.nextInt(span + 70);
                    g.clearFrom(from);
                    if (from < b.length()) b.clear(from, b.length());
                } else if (r.nextInt(5) == 0) {
                    g.clear();
                    b.clear();
                }
                assertThat(g.toBitSet()).as("run %d step %d", run, step).isEqualTo(b);
                assertThat(g.length()).isEqualTo(b.length());
                assertThat(g.isEmpty()).isEqualTo(b.isEmpty());
                int probe = r.nextInt(span + 70);
                assertThat(g.get(probe)).isEqualTo(b.get(probe));
            }
        }
    }

    /** A single shift from any grid: the same bits as the window's earlier shift (new arrays) and as the definition. */
    @Test
    void aShiftMovesTheSameBitsAsTheEarlierWordWiseShift() {
        Random r = new Random(3);
        for (int round = 0; round < 20_000; round++) {
            BitSet bits = new BitSet();
            int span = 1 + r.nextInt(r.nextBoolean() ? 70 : 800);
            for (int i = r.nextInt(span + 1); i > 0; i--) bits.set(r.nextInt(span));
            long limit = r.nextInt(900);
            long k = r.nextInt(10) == 0 ? limit + r.nextInt(3) : r.nextInt((int) limit + 1);
            GridBits g = GridBits.of(bits);
            g.shiftUp(k, limit);
            assertThat(g.toBitSet()).as("bits %s, k %d, limit %d", bits, k, limit)
                    .isEqualTo(SeenWindow.shifted(bits, k, limit)).isEqualTo(shiftedByDefinition(bits, k, limit));
        }
    }
}
