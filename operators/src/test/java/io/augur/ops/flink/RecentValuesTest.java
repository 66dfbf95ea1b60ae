package io.augur.ops.flink;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentValuesTest {
    private static final long DAY = 86_400_000L;
    /** These tests put and flush directly: nothing goes through the state writer. */
    private static final RecentValues.Writer<String> NO_STATE = (key, value) -> {
        throw new AssertionError("not written through: " + key);
    };

    @Test
    void answersWithTheValueLastWrittenUntilTheTtlLessTheMargin() {
        RecentValues<String> r = new RecentValues<>(10, DAY, NO_STATE);
        assertThat(r.get("a", 0)).isNull();
        r.put("a", "v1", 0, false);
        r.put("a", "v2", 1_000, false);
        assertThat(r.get("a", 2_000)).isEqualTo("v2");
        assertThat(r.get("a", 1_000 + DAY - RecentValues.TTL_MARGIN_MS - 1)).isEqualTo("v2");
        assertThat(r.get("a", 1_000 + DAY - RecentValues.TTL_MARGIN_MS)).isNull(); // the state may have expired it: read the state
        assertThat(r.size()).isZero();
        r.put("b", "x", 5_000, false);
        assertThat(r.get("b", 4_000)).isNull(); // the clock went back: do not trust it
    }

    @Test
    void aFullCacheAdmitsNoNewKeysUntilIdleOnesAreSweptOut() {
        RecentValues<String> r = new RecentValues<>(2, DAY, NO_STATE);
        r.put("a", "1", 0, false);
        r.put("b", "2", 0, false);
        r.put("c", "3", 1_000, false);
        assertThat(r.get("c", 1_000)).isNull();
        assertThat(r.get("a", 1_000)).isEqualTo("1");
        long later = 1_000 + RecentValues.IDLE_MS;                 // the next sweep (one per IDLE_MS)
        r.put("a", "1'", later - 1, false);                           // a stays busy, b goes idle
        r.put("d", "4", later - 1, false);                            // full, and too early to sweep again
        assertThat(r.get("d", later - 1)).isNull();
        r.put("c", "3", later, false);                                // the sweep drops b, c gets its place
        assertThat(r.get("b", later)).isNull();
        assertThat(r.get("c", later)).isEqualTo("3");
        assertThat(r.get("a", later)).isEqualTo("1'");
        assertThat(r.refusedWrites()).as("c and d found the cache full once each").isEqualTo(2);
    }

    @Test
    void writesThatFindTheCacheFullGoToTheStateAndAreCountedInItsMetrics() throws Exception {
        java.util.Map<String, String> state = new java.util.HashMap<>();
        RecentValues<String> r = new RecentValues<>(1, DAY, state::put);
        java.util.Map<String, org.apache.flink.metrics.Gauge<?>> gauges = new java.util.HashMap<>();
        r.withMetrics(new org.apache.flink.metrics.groups.UnregisteredMetricsGroup() {
            @Override
            public org.apache.flink.metrics.MetricGroup addGroup(String name) {
                return this;
            }

            @Override
            public org.apache.flink.metrics.MetricGroup addGroup(String key, String value) {
                return this;
            }

            @Override
            public <T, G extends org.apache.flink.metrics.Gauge<T>> G gauge(String name, G gauge) {
                gauges.put(name, gauge);
                return gauge;
            }
        }, "baselines");
        r.holdWrites();
        r.write("a", "1", 0);                                         // held: written back at the flush
        r.write("b", "2", 0);                                         // full: to the state at once
        r.write("b", "3", 1);
        assertThat(state).containsExactly(java.util.Map.entry("b", "3"));
        assertThat(gauges.get("series").getValue()).isEqualTo(1);
        assertThat(gauges.get("capacity").getValue()).isEqualTo(1);
        assertThat(gauges.get("refusedWrites").getValue()).isEqualTo(2L);
        r.flush((k, v) -> state.put(k, v));
        assertThat(state).containsEntry("a", "1");
    }

    /** The entry last read or written is remembered for the next access with the same key object; equal keys in other objects, expiry and sweeps see the map. */
    @Test
    void theLastEntryIsRememberedOnlyWhileItIsInTheMap() {
        RecentValues<String> r = new RecentValues<>(2, DAY, NO_STATE);
        String a = "series|Average", a2 = new String(a), b = "other|Sum";
        r.put(a, "1", 0, false);
        assertThat(r.get(a2, 1)).isEqualTo("1");                     // an equal key in another object
        r.put(a2, "2", 2, false);
        assertThat(r.get(a, 3)).isEqualTo("2");
        r.put(b, "x", 3, false);
        assertThat(r.get(a, DAY)).isNull();                           // expired: removed, and forgotten
        assertThat(r.size()).isEqualTo(1);
        r.put(a, "3", DAY, false);
        assertThat(r.get(a2, DAY + 1)).isEqualTo("3");
        long sweep = DAY + RecentValues.IDLE_MS;
        assertThat(r.get(b, sweep - 1)).isNull();                    // b is too old for a clean value: removed, forgotten
        r.put(b, "x'", sweep - 1, false);
        assertThat(r.get(b, sweep - 1)).isEqualTo("x'");             // remembered again
        r.put("c", "y", sweep, false);                                // full: the sweep drops a (idle), c gets its place
        assertThat(r.get(a2, sweep)).isNull();
        assertThat(r.get(b, sweep)).isEqualTo("x'");
        assertThat(r.get("c", sweep)).isEqualTo("y");
    }

    @Test
    void capacityZeroKeepsNothing() {
        RecentValues<String> r = new RecentValues<>(0, DAY, NO_STATE);
        r.put("a", "1", 0, false);
        assertThat(r.get("a", 0)).isNull();
    }

    @Test
    void dirtyValuesStayUntilFlushedAndExpireExactlyWithTheTtl() throws Exception {
        RecentValues<String> r = new RecentValues<>(2, DAY, NO_STATE);
        assertThat(r.put("a", "1", 0, true)).isTrue();
        assertThat(r.put("b", "2", 0, true)).isTrue();
        assertThat(r.put("c", "3", RecentValues.IDLE_MS * 2, true)).isFalse(); // full of dirty values: the caller writes it
        assertThat(r.get("a", DAY - 1)).isEqualTo("1");                         // no margin: the state holds an older value
        assertThat(r.get("b", -5)).isEqualTo("2");                              // the clock went back: still the newest value
        java.util.Map<String, String> flushed = new java.util.TreeMap<>();
        r.flush(flushed::put);
        assertThat(flushed).containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "2"));
        assertThat(r.dirty()).isZero();
        flushed.clear();
        r.flush(flushed::put);
        assertThat(flushed).isEmpty();
        r.put("a", "1'", 10, true);
        assertThat(r.dirty()).isEqualTo(1);
        assertThat(r.get("a", 10 + DAY)).isNull();                              // expired, as the state would have it
        assertThat(r.dirty()).isZero();
    }

    /**
     * Caches of one thread find their entries through one slot per key (the chained operators: one map lookup per
     * datapoint): each sees only its own entries, an entry leaving one leaves the others' alone, and a slot goes with
     * its last entry.
     */
    @Test
    void cachesOfOneThreadShareSlotsButNotEntries() throws Exception {
        KeySlots slots = KeySlots.ofCurrentThread();
        int before = slots.size();
        RecentValues<String> dedup = new RecentValues<>(10, DAY, NO_STATE), score = new RecentValues<>(10, 2 * DAY, NO_STATE),
                burst = new RecentValues<>(1, DAY, NO_STATE);
        String a = new String("unique-to-this-test|a"), a2 = new String(a), b = new String("unique-to-this-test|b");
        dedup.put(a, "dedup-a", 0, true);
        assertThat(score.get(a, 1)).as("another cache's entry is not this one's").isNull();
        assertThat(burst.get(a2, 1)).isNull();
        score.put(a2, "score-a", 0, false);
        burst.put(a, "burst-a", 0, true);
        assertThat(burst.put(b, "burst-b", 0, true)).as("full").isFalse();
        assertThat(slots.size() - before).as("one slot for a").isEqualTo(1);
        assertThat(dedup.get(a2, 5)).isEqualTo("dedup-a");
        assertThat(score.get(a, 5)).isEqualTo("score-a");
        assertThat(burst.get(a, 5)).isEqualTo("burst-a");
        dedup.put(b, "dedup-b", 0, false);
        assertThat(slots.size() - before).isEqualTo(2);

        assertThat(dedup.get(a, DAY)).as("expired in one cache").isNull();
        assertThat(score.get(a, DAY)).as("not in another").isEqualTo("score-a");
        assertThat(burst.dirty()).isEqualTo(1);
        java.util.Map<String, String> flushed = new java.util.TreeMap<>();
        burst.flush(flushed::put);
        assertThat(flushed).containsExactly(java.util.Map.entry(a, "burst-a"));
        burst.forget();
        assertThat(burst.get(a, DAY)).isNull();
        assertThat(score.get(a2, DAY + 1)).isEqualTo("score-a");
        assertThat(score.get(a2, 2 * DAY)).as("the last entry of a leaves").isNull();
        assertThat(slots.size() - before).as("a's slot is gone, b's stays").isEqualTo(1);
        assertThat(dedup.get(b, DAY - RecentValues.TTL_MARGIN_MS)).isNull();
        assertThat(slots.size() - before).as("and then b's").isZero();
        dedup.put(a, "dedup-a'", 3 * DAY, false);
        assertThat(dedup.get(a2, 3 * DAY)).isEqualTo("dedup-a'");
        assertThat(score.get(a, 3 * DAY)).isNull();
        dedup.forget();
        assertThat(slots.size() - before).isZero();
    }

    /** A closed cache drops its entries and gives its place back: a cache created later (same index) sees none of them. */
    @Test
    void aClosedCacheLeavesNothingBehindForTheNextOne() {
        KeySlots slots = KeySlots.ofCurrentThread();
        int before = slots.size();
        RecentValues<String> first = new RecentValues<>(10, DAY, NO_STATE);
        String a = new String("unique-to-this-test|closed");
        first.put(a, "old", 0, true);
        first.close();
        assertThat(first.get(a, 1)).isNull();
        assertThat(first.put(a, "after close", 1, true)).isFalse();
        assertThat(slots.size() - before).isZero();
        RecentValues<String> next = new RecentValues<>(10, DAY, NO_STATE);
        assertThat(next.get(a, 2)).isNull();
        next.put(a, "new", 2, false);
        assertThat(next.get(a, 3)).isEqualTo("new");
        assertThat(first.get(a, 3)).as("the closed one still holds nothing").isNull();
        next.close();
        assertThat(slots.size() - before).isZero();
    }
}
