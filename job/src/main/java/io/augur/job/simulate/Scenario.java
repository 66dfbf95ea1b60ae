package io.augur.job.simulate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A named set of simulation sizes and noise rates. {@code --resources}, {@code --days} and {@code --start} override
 * a scenario's sizes.
 *
 * @param incidentsPerKind how many incidents of every {@link IncidentKind} are injected (0: a quiet fleet, for
 *                         false-positive measurements)
 * @param dropRate         fraction of datapoints never delivered
 * @param lateRate         fraction of datapoints delivered 2-5 minutes late, within the job's 5-minute watermark tolerance (written out of order)
 * @param duplicateRate    fraction of datapoints delivered twice (Kinesis is at-least-once)
 * @param noopDeploysPerDay  deployments that change nothing, fleet-wide per day
 * @param configChangesPerDay routine configuration changes (and read-only calls) fleet-wide per day
 * @param blipsPerDay      short harmless spikes (1-3 minutes on one metric) fleet-wide per day
 */
public record Scenario(String name, String description, int resources, int days, Instant start, int incidentsPerKind,
                       double dropRate, double lateRate, double duplicateRate,
                       double noopDeploysPerDay, double configChangesPerDay, double blipsPerDay) {

    /** Monday 2025-03-03T00:00:00Z: a fixed start, so that a seed alone decides the output. */
    public static final Instant DEFAULT_START = Instant.parse("2025-03-03T00:00:00Z");

    public static final List<Scenario> ALL = List.of(
            new Scenario("default", "small: every incident kind once, ~20 resources over 3 days (replays in well under two minutes)",
                    20, 3, DEFAULT_START, 1, 0.001, 0.002, 0.0005, 4, 8, 6),
            new Scenario("fleet", "bigger, for benchmarks: 100 resources over 3 days, every incident kind 3 times",
                    100, 3, DEFAULT_START, 3, 0.001, 0.002, 0.0005, 20, 40, 30),
            new Scenario("quiet", "no incidents, only harmless noise: 20 resources over 2 days (for false-positive rates)",
                    20, 2, DEFAULT_START, 0, 0.001, 0.002, 0.0005, 4, 8, 6));

    public static Scenario named(String name) {
        for (Scenario s : ALL) if (s.name.equals(name)) return s;
        List<String> names = new ArrayList<>();
        for (Scenario s : ALL) names.add(s.name);
        throw new IllegalArgumentException("unknown scenario '" + name + "': known scenarios are " + String.join(", ", names));
    }

    public Scenario withSizes(Integer resources, Integer days, Instant start) {
        return new Scenario(name, description, resources == null ? this.resources : resources, days == null ? this.days : days,
                start == null ? this.start : start, incidentsPerKind, dropRate, lateRate, duplicateRate,
                noopDeploysPerDay, configChangesPerDay, blipsPerDay);
    }
}
