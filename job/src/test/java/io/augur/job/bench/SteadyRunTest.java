package io.augur.job.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The steady-state run's plan: where it starts, how long it warms up, what it measures, where its incident is. */
class SteadyRunTest {
    private static final long IDLE = 60_000, OOO = 300_000;

    @Test
    void startsAfterTheNewestDatapointInTheCheckpoint() {
        // series 10,000; the checkpoint holds datapoints up to minute 72, series 3 (the other subtask was behind: irrelevant)
        SteadyRun r = SteadyRun.plan(72 * 10_000L + 3, 10_000, 50_000, 5, IDLE, OOO);
        assertThat(r.startMinute()).isEqualTo(73);
        assertThat(r.first()).isEqualTo(730_000);
        // a checkpoint whose newest datapoint ends a minute: the next minute
        assertThat(SteadyRun.plan(72 * 10_000L + 9_999, 10_000, 50_000, 5, IDLE, OOO).startMinute()).isEqualTo(73);
    }

    @Test
    void warmUpCoversOnePassAndTheIdlenessTimeout() {
        // 10k series at 50k/s: a pass is 0.2 s; 70 s of warm-up are 350 minutes
        SteadyRun small = SteadyRun.plan(719_999, 10_000, 50_000, 5, IDLE, OOO);
        assertThat(small.measuredFromMinute() - small.startMinute()).isEqualTo(350);
        // 1M series at 55k/s: a pass is 18.2 s; 70 s are 3.85 passes, so 4 minutes
        SteadyRun large = SteadyRun.plan(5_999_999, 1_000_000, 55_000, 10, IDLE, OOO);
        assertThat(large.measuredFromMinute() - large.startMinute()).isEqualTo(4);
        // without idleness, at least one whole pass (the 10 s margin is half a pass at 50k/s)
        SteadyRun noIdle = SteadyRun.plan(5_999_999, 1_000_000, 50_000, 10, 0, OOO);
        assertThat(noIdle.measuredFromMinute() - noIdle.startMinute()).isEqualTo(1);
        // the warm-up's wall time is at least the idleness timeout
        for (SteadyRun r : new SteadyRun[] {small, large}) {
            assertThat((r.measuredFromMinute() - r.startMinute()) * r.series() / r.rate()).isGreaterThanOrEqualTo(70);
        }
    }

    @Test
    void measuresLatencySecondsAndTheInsightLifecycleWhenBaselinesAreWarm() {
        SteadyRun warm = SteadyRun.plan(719_999, 10_000, 50_000, 5, IDLE, OOO);
        assertThat(warm.endMinute() - warm.measuredFromMinute()).isEqualTo(25); // 5 s at 50k/s = 25 minutes > 20
        assertThat(warm.incident()).isTrue();
        long incident = warm.inputMinutes() * 6L / 10;
        assertThat(incident).isBetween(warm.measuredFromMinute() + 1, warm.measuredFromMinute() + 2);
        assertThat(warm.count()).isEqualTo((warm.endMinute() - warm.startMinute()) * 10_000);

        SteadyRun slow = SteadyRun.plan(72 * 100_000L, 100_000, 100_000, 1, IDLE, OOO);
        assertThat(slow.endMinute() - slow.measuredFromMinute()).isEqualTo(SteadyRun.INSIGHT_MINUTES);

        // 1M x 10: 6 minutes of history, baselines not warm: no incident, at least two measured minutes
        SteadyRun cold = SteadyRun.plan(5_999_999, 1_000_000, 55_000, 10, IDLE, OOO);
        assertThat(cold.incident()).isFalse();
        assertThat(cold.endMinute() - cold.measuredFromMinute()).isEqualTo(2);
        // and BenchData then puts no incident in any of its minutes
        BenchData data = new BenchData(10_000);
        assertThat(new String(data.line(data.index(0, 9), cold.inputMinutes()))).isEqualTo(new String(data.line(data.index(0, 9), 1_000_000)));
    }

    @Test
    void incidentMinutesPlaceTheIncidentAtTheGivenMinute() {
        for (long from = 1; from < 500; from++) {
            int m = SteadyRun.incidentMinutes(from);
            assertThat((long) m * 6 / 10).as("from %d", from).isBetween(from, from + 1);
        }
    }

    @Test
    void pacingCoversTheRun() {
        SteadyRun r = SteadyRun.plan(719_999, 10_000, 50_000, 5, IDLE, OOO);
        Pacing p = r.pacing(42);
        assertThat(p.first()).isEqualTo(r.first());
        assertThat(p.inRun(r.first() + r.count() - 1)).isTrue();
        assertThat(p.inRun(r.first() + r.count())).isFalse();
        assertThat(p.dueNanos(r.first())).isEqualTo(42);
    }
}
