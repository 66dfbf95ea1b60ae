package io.augur.ops.dedup;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecentTimestampsTest {
    @Test
    void repeatsAreDetectedAndOutOfOrderArrivalsAccepted() {
        List<Long> recent = new ArrayList<>();
        assertThat(RecentTimestamps.add(recent, 300, 4)).isTrue();
        assertThat(RecentTimestamps.add(recent, 100, 4)).isTrue();
        assertThat(RecentTimestamps.add(recent, 200, 4)).isTrue();
        assertThat(RecentTimestamps.add(recent, 300, 4)).isFalse();
        assertThat(RecentTimestamps.add(recent, 100, 4)).isFalse();
        assertThat(recent).containsExactly(100L, 200L, 300L);
    }

    @Test
    void memoryIsBoundedAndKeepsTheNewest() {
        List<Long> recent = new ArrayList<>();
        for (long t = 1; t <= 10; t++) assertThat(RecentTimestamps.add(recent, t * 60_000, 4)).isTrue();
        assertThat(recent).containsExactly(420_000L, 480_000L, 540_000L, 600_000L);
        assertThat(RecentTimestamps.add(recent, 600_000, 4)).isFalse();
        // older than all remembered with memory full: accepted (late), not remembered
        assertThat(RecentTimestamps.add(recent, 60_000, 4)).isTrue();
        assertThat(recent).hasSize(4).doesNotContain(60_000L);
    }
}
