package io.augur.ops.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PatternMemoryTest {

    @Test
    void symbolsAreSignedLogarithmicSizeClasses() {
        assertThat(PatternMemory.symbol(0)).isZero();
        assertThat(PatternMemory.symbol(1.99)).isZero();
        assertThat(PatternMemory.symbol(-1.99)).isZero();
        assertThat(PatternMemory.symbol(Double.NaN)).isZero();
        assertThat(PatternMemory.symbol(2)).isEqualTo(1);
        assertThat(PatternMemory.symbol(3.9)).isEqualTo(1);
        assertThat(PatternMemory.symbol(4)).isEqualTo(2);
        assertThat(PatternMemory.symbol(-8)).isEqualTo(-3);
        assertThat(PatternMemory.symbol(1e9)).isEqualTo(PatternMemory.MAX_SYMBOL);
        assertThat(PatternMemory.symbol(Double.NEGATIVE_INFINITY)).isEqualTo(-PatternMemory.MAX_SYMBOL);
    }

    @Test
    void aNewSymbolIsNovelAndBecomesFamiliarWithRepetition() {
        byte[] table = new byte[PatternMemory.SLOTS];
        long n = 1;
        assertThat(PatternMemory.observe(table, 0, 0, n++, 0)).isEqualTo(1.0);
        double last = 1;
        for (int k = 0; k < 14; k++) { // saturates after about 15 occurrences
            double u = PatternMemory.observe(table, 0, 0, n++, 0);
            assertThat(u).isLessThan(last);
            last = u;
        }
        assertThat(last).isLessThan(0.1);
        assertThat(PatternMemory.observe(table, 0, 3, n++, 0)).as("a level never visited").isEqualTo(1.0);
        assertThat(PatternMemory.observe(table, 0, 3, n, 0)).isEqualTo(0.5);
    }

    @Test
    void whatIsNotSeenForLongIsForgotten() {
        byte[] table = new byte[PatternMemory.SLOTS];
        long n = 1;
        for (int k = 0; k < 5; k++) PatternMemory.observe(table, 0, 2, n++, 0);
        assertThat(PatternMemory.observe(table, 0, 2, n++, 0)).isLessThan(0.2);
        for (int k = 0; k < 8 * PatternMemory.HALVING_PERIOD; k++) PatternMemory.observe(table, 0, 0, n++, 0);
        assertThat(PatternMemory.observe(table, 0, 2, n, 0)).isEqualTo(1.0);
    }

    @Test
    void aChangedOrderOfFamiliarSymbolsIsNovelInContext() {
        byte[] table = new byte[PatternMemory.SLOTS];
        int[] cycle = {0, 1, 2}; // a steady cycle: 0, 1, 2, 0, 1, 2, ...
        int history = 0;
        long n = 1;
        double steady = 1;
        for (int k = 0; k < 300; k++) {
            int s = cycle[k % 3];
            steady = PatternMemory.observe(table, history, s, n++, 2);
            history = PatternMemory.push(history, s);
        }
        assertThat(steady).as("the steady cycle is familiar").isLessThan(0.1);
        // the same symbols in another order: 0, 2, 1
        history = PatternMemory.push(PatternMemory.push(history, 0), 2); // context (.., 0, 2) never seen before
        assertThat(PatternMemory.observe(table, history, 1, n, 2)).as("2 after 0 then 1 after 2: a new shape").isEqualTo(1.0);
        assertThat(PatternMemory.observe(new byte[PatternMemory.SLOTS], 0, 1, 1, 0)).isEqualTo(1.0);
    }

    @Test
    void historyKeepsTheLatestSymbolsNewestLowest() {
        int h = PatternMemory.push(PatternMemory.push(PatternMemory.push(0, 1), -2), 3);
        assertThat(h & 0xf).isEqualTo(3);
        assertThat((h >> 4) & 0xf).isEqualTo(-2 & 0xf);
        assertThat((h >> 8) & 0xf).isEqualTo(1);
        assertThat(PatternMemory.slot(h, 0, 2)).isBetween(0, PatternMemory.SLOTS - 1);
    }
}
