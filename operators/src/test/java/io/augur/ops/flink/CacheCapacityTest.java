package io.augur.ops.flink;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.util.TestingTaskManagerRuntimeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheCapacityTest {
    private static final long GB = 1L << 30;

    @Test
    void anAutomaticCapacityIsTheHeapShareOfASlotOverTheHeapPerSeries() {
        // 12 GB over 2 slots, 30 %: 1.8 GB per task for the caches = 227,380 series at 8,500 B
        assertThat(CacheCapacity.seriesPerTask(12 * GB, 2, 0.3, 8_500)).isEqualTo(227_380);
        // more slots on the same heap: proportionally fewer series per task
        assertThat(CacheCapacity.seriesPerTask(12 * GB, 4, 0.3, 8_500)).isEqualTo(113_690);
        // a 4 GB Managed Flink KPU whose task manager has ~1.5 GB of heap and one slot
        assertThat(CacheCapacity.seriesPerTask(1536L << 20, 1, 0.3, 8_500)).isEqualTo(56_845);
        // ... at the figure the caches are sized with now (HeapPerSeriesTest checks it against the in-memory forms)
        assertThat(CacheCapacity.HEAP_BYTES_PER_SERIES).isEqualTo(6_500);
        assertThat(CacheCapacity.seriesPerTask(1536L << 20, 1, 0.3, CacheCapacity.HEAP_BYTES_PER_SERIES)).isEqualTo(74_335);
        // bounds: a tiny heap still caches some, an absurd one not absurdly many; unknown slots count as one
        assertThat(CacheCapacity.seriesPerTask(64L << 20, 8, 0.3, 8_500)).isEqualTo(CacheCapacity.AUTO_MIN);
        assertThat(CacheCapacity.seriesPerTask(4096 * GB, 1, 0.9, 8_500)).isEqualTo(CacheCapacity.AUTO_MAX);
        assertThat(CacheCapacity.seriesPerTask(12 * GB, 0, 0.3, 8_500)).isEqualTo(CacheCapacity.seriesPerTask(12 * GB, 1, 0.3, 8_500));
    }

    @Test
    void aFixedCapacityIsTheNumberAndBadSettingsAreRefused() throws Exception {
        assertThat(resolvedIn(CacheCapacity.of(20_000), new Configuration())).isEqualTo(20_000);
        assertThat(resolvedIn(CacheCapacity.of(0), new Configuration())).isZero();
        assertThat(CacheCapacity.of(7).isAuto()).isFalse();
        assertThatThrownBy(() -> CacheCapacity.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheCapacity.auto(0)).hasMessageContaining("fraction in (0,1)");
        assertThatThrownBy(() -> CacheCapacity.auto(1)).hasMessageContaining("fraction in (0,1)");
    }

    @Test
    void anAutomaticCapacityIsResolvedOnTheTaskManagerFromItsHeapAndItsSlots() throws Exception {
        long heap = Runtime.getRuntime().maxMemory();
        Configuration fourSlots = new Configuration();
        fourSlots.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
        assertThat(resolvedIn(CacheCapacity.auto(0.3), fourSlots))
                .isEqualTo(CacheCapacity.seriesPerTask(heap, 4, 0.3, CacheCapacity.HEAP_BYTES_PER_SERIES));
        // no slot count in the task manager's configuration: Flink's default, one slot
        assertThat(resolvedIn(CacheCapacity.auto(0.3), new Configuration()))
                .isEqualTo(CacheCapacity.seriesPerTask(heap, 1, 0.3, CacheCapacity.HEAP_BYTES_PER_SERIES));
    }

    @Test
    void anAutomaticCapacityOfAnotherCacheIsSizedWithItsOwnHeapPerSeries() throws Exception {
        long heap = Runtime.getRuntime().maxMemory();
        Configuration twoSlots = new Configuration();
        twoSlots.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        CacheCapacity histories = CacheCapacity.auto(0.045, 16_500);
        assertThat(histories.bytesPerSeries()).isEqualTo(16_500);
        assertThat(CacheCapacity.auto(0.3).bytesPerSeries()).isEqualTo(CacheCapacity.HEAP_BYTES_PER_SERIES);
        assertThat(resolvedIn(histories, twoSlots)).isEqualTo(CacheCapacity.seriesPerTask(heap, 2, 0.045, 16_500));
        assertThat(CacheCapacity.seriesPerTask(6L << 30, 2, 0.045, 16_500)).isEqualTo(8_785);
        assertThat(histories.toString()).isEqualTo("auto (0.045 of the slot's heap at 16500 B per series)");
        assertThatThrownBy(() -> CacheCapacity.auto(0.3, 0)).hasMessageContaining("takes some heap");
    }

    /** The capacity as a keyed function resolves it when it opens in a task whose task manager has this configuration. */
    private static int resolvedIn(CacheCapacity capacity, Configuration taskManager) throws Exception {
        Resolving f = new Resolving(capacity);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(f), s -> s, Types.STRING,
                new MockEnvironmentBuilder().setTaskManagerRuntimeInfo(new TestingTaskManagerRuntimeInfo(taskManager)).build())) {
            h.open();
            return f.resolved;
        }
    }

    private static final class Resolving extends KeyedProcessFunction<String, String, String> {
        private final CacheCapacity capacity;
        int resolved = -1;

        Resolving(CacheCapacity capacity) {
            this.capacity = capacity;
        }

        @Override
        public void open(Configuration parameters) {
            resolved = capacity.resolve(getRuntimeContext(), "test cache");
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) {
            out.collect(value);
        }
    }
}
