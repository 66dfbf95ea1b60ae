package io.augur.job.simulate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The incident plan alone (no metrics are generated): where the slow trends meet their limits. */
class SimPlanTest {
    /**
     * Proactive incidents are planned to meet their limits in the last quarter of the run (from 74 % of it), so that a
     * trend is visible more than a day before. A load-driven creep meets its limit at a busy hour: sized at a quiet
     * planned minute, it met it at an earlier daily peak instead (the fleet's billing table, seed 1: hour 32.7 of 72,
     * 45 % of the run, with the creep only 27 hours old).
     */
    @Test
    void everySlowTrendMeetsItsLimitInTheLastQuarterOfTheRun() {
        for (String name : new String[] {"default", "fleet"}) {
            for (long seed = 1; seed <= 10; seed++) {
                Simulator sim = new Simulator(Scenario.named(name), seed);
                int minutes = Scenario.named(name).days() * 1440;
                for (Incident i : sim.incidents()) {
                    if (!i.kind.proactive()) continue;
                    assertThat(i.exhaustion).as("%s seed %d %s: exhaustion minute of %d", name, seed, i.id, minutes)
                            .isGreaterThanOrEqualTo((int) (0.74 * minutes)).isLessThan(i.end).isLessThanOrEqualTo(minutes - 5);
                    assertThat(i.exhaustion - i.onset).as("%s seed %d %s: the trend runs for more than a day and a half", name, seed, i.id)
                            .isGreaterThan(36 * 60);
                }
            }
        }
    }
}
