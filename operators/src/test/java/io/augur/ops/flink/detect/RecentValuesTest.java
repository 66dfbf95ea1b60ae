package io.augur.ops.flink.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentValuesTest {
    private static final long DAY = 86_400_000L;

    @Test
    void answersWithTheValueLastWrittenUntilTheTtlLessTheMargin() {
        RecentValues<String> r = new RecentValues<>(10, DAY);
        assertThat(r.get("a", 0)).isNull();
        r.written("a", "v1", 0);
        r.written("a", "v2", 1_000);
        assertThat(r.get("a", 2_000)).isEqualTo("v2");
        assertThat(r.get("a", 1_000 + DAY - RecentValues.TTL_MARGIN_MS - 1)).isEqualTo("v2");
        assertThat(r.get("a", 1_000 + DAY - RecentValues.TTL_MARGIN_MS)).isNull(); // the state may have expired it: read the state
        assertThat(r.size()).isZero();
        r.written("b", "x", 5_000);
        assertThat(r.get("b", 4_000)).isNull(); // the clock went back: do not trust it
    }

    @Test
    void aFullCacheAdmitsNoNewKeysUntilIdleOnesAreSweptOut() {
        RecentValues<String> r = new RecentValues<>(2, DAY);
        r.written("a", "1", 0);
        r.written("b", "2", 0);
        r.written("c", "3", 1_000);
        assertThat(r.get("c", 1_000)).isNull();
        assertThat(r.get("a", 1_000)).isEqualTo("1");
        long later = 1_000 + RecentValues.IDLE_MS;                 // the next sweep (one per IDLE_MS)
        r.written("a", "1'", later - 1);                           // a stays busy, b goes idle
        r.written("d", "4", later - 1);                            // full, and too early to sweep again
        assertThat(r.get("d", later - 1)).isNull();
        r.written("c", "3", later);                                // the sweep drops b, c gets its place
        assertThat(r.get("b", later)).isNull();
        assertThat(r.get("c", later)).isEqualTo("3");
        assertThat(r.get("a", later)).isEqualTo("1'");
    }

    @Test
    void capacityZeroKeepsNothing() {
        RecentValues<String> r = new RecentValues<>(0, DAY);
        r.written("a", "1", 0);
        assertThat(r.get("a", 0)).isNull();
    }
}
