package io.augur.ops.anomaly;

import io.augur.schema.MetricDatapoint;
import io.augur.schema.ReactivePoint;
import io.augur.schema.Resource;
import io.augur.schema.ScoredDatapoint;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LifecycleContextTest {
    private static final long MIN = 60_000;
    private static final long WINDOW = 8 * MIN, TAIL = 30 * MIN;

    private static ScoredDatapoint point(int minute, double value, double expected) {
        MetricDatapoint dp = MetricDatapoint.newBuilder().setSeriesId("s").setAccountId("a").setRegion("r").setNamespace("AWS/Lambda")
                .setMetricName("Duration").setDimensions(Map.of()).setTimestamp(minute * MIN).setMin(value).setMax(value).setSum(value)
                .setCount(1).setUnit("Milliseconds").setResource(new Resource("", "", "")).build();
        return ScoredDatapoint.newBuilder().setSeriesKey("s|Average").setStat("Average").setValue(value).setScore(0.1)
                .setDirection(value > expected ? 1 : value < expected ? -1 : 0).setExpected(expected).setLower(expected * 0.9)
                .setUpper(expected * 1.1).setWarm(true).setAnomalous(false).setDatapoint(dp).build();
    }

    @Test
    void keepsEverythingAheadOfTheWatermarkAndTheNewestBehindItSortedAndShipsWhatWasNotSentOnce() {
        LifecycleContext c = new LifecycleContext();
        for (int m = 0; m < 40; m++) c.add(point(m, 100, 100), m % 10 == 0);
        c.add(point(45, 100, 100), false);
        c.add(point(41, 100, 100), false);
        c.prune(38 * MIN, 30);
        assertThat(c.size()).as("30 at or behind minute 38, and 39, 41, 45").isEqualTo(33);
        assertThat(c.takeUnsent("k")).extracting(ReactivePoint::getTimestamp).as("minutes 9..45 without 10, 20, 30 (sent)")
                .containsExactlyElementsOf(java.util.stream.IntStream.of(9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28,
                        29, 31, 32, 33, 34, 35, 36, 37, 38, 39, 41, 45).mapToObj(m -> m * MIN).toList());
        assertThat(c.takeUnsent("k")).isEmpty();
        LifecycleContext back = LifecycleContext.from(c.toRecord());
        assertThat(back.toRecord()).isEqualTo(c.toRecord());
        assertThat(back.takeUnsent("k")).isEmpty();
    }

    @Test
    void aBoundLivesUntilQuietAndFlapWindowAfterItsReachWhichDeviatingDatapointsAndLaterOnsetsExtend() {
        LifecycleContext c = new LifecycleContext();
        c.addOnset(point(10, 300, 100), WINDOW);                 // reach 18
        c.extend(point(12, 300, 300), 0.2);                       // within the reach: nothing to extend
        c.extend(point(25, 150, 150), 0.2);                       // deviates from the band but keeps less than half of the onset's change
        assertThat(c.bounds().get(0).getReach()).isEqualTo(18 * MIN);
        c.extend(point(26, 280, 280), 0.2);                       // persists against the onset's band
        assertThat(c.bounds().get(0).getReach()).isEqualTo(26 * MIN);
        c.addOnset(point(50, 500, 300), WINDOW);                  // a later onset: the live bound reaches its window too (a merge)
        assertThat(c.bounds()).extracting(b -> b.getReach()).containsExactly(58 * MIN, 58 * MIN);
        c.pruneBounds(88 * MIN - 1, TAIL);
        assertThat(c.live()).isTrue();
        c.pruneBounds(88 * MIN, TAIL);
        assertThat(c.live()).isFalse();
    }

    @Test
    void onlyTheNewestFullBehindTheFloorWatermarkKeepTheirValuesAndTheFloorIsTheNewestDatapointThere() {
        LifecycleContext c = new LifecycleContext();
        for (int m = 0; m < 40; m++) c.add(point(m, 100 + m, 100), m == 20);
        c.prune(38 * MIN, 36 * MIN, 30, 10);
        assertThat(c.floor()).as("minutes 9..26 stripped: the floor is the newest datapoint behind the floor watermark").isEqualTo(36 * MIN);
        java.util.List<ReactivePoint> shipped = c.takeUnsent("k");
        assertThat(shipped).extracting(ReactivePoint::getFloor).containsOnly(36 * MIN);
        // minutes 9..26 without 20 (sent): timestamps only; 27..36 the newest 10 behind the floor watermark, 37.. ahead of it: values
        assertThat(shipped).filteredOn(p -> p.getTimestamp() <= 26 * MIN).extracting(ReactivePoint::getValue).containsOnly(0.0);
        assertThat(shipped).filteredOn(p -> p.getTimestamp() > 26 * MIN).allMatch(p -> p.getValue() == 100 + p.getTimestamp() / MIN);
        // the floor only moves up, and only when a datapoint loses its values
        c.prune(39 * MIN, 38 * MIN, 30, 10);
        assertThat(c.floor()).as("all sent: nothing more stripped").isEqualTo(36 * MIN);
        LifecycleContext fresh = new LifecycleContext();
        for (int m = 0; m < 12; m++) fresh.add(point(m, 100, 100), false);
        fresh.prune(11 * MIN, 11 * MIN, 30, 10);
        assertThat(fresh.floor()).as("minutes 0, 1 stripped").isEqualTo(11 * MIN);
        LifecycleContext all = new LifecycleContext();
        for (int m = 0; m < 40; m++) all.add(point(m, 100, 100), false);
        all.prune(38 * MIN, 38 * MIN, 30, 30);
        assertThat(all.floor()).as("every value kept: no floor").isEqualTo(Long.MIN_VALUE);
    }
}
