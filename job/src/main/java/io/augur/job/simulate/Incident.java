package io.augur.job.simulate;

import io.augur.job.simulate.Fleet.App;
import io.augur.job.simulate.Fleet.SimResource;

import java.util.ArrayList;
import java.util.List;

/** One injected incident: when, where, what caused it, and what it does to the metrics minute by minute. */
final class Incident {
    /** A change event as Augur normalizes it (its {@code Id}), with the EventBridge envelope id it came in. */
    record EventRef(String id, String envelopeId, String name, long time, String resourceArn) {}

    /** The limit a proactive incident heads for. */
    record Limit(String namespace, String metricName, String stat, double value, String unit, String description) {}

    String id;
    final IncidentKind kind;
    final App app;
    final int onset;
    int end;
    int exhaustion = -1;
    /** Minutes over which a trend grows by {@link #param} - 1 (defaults to onset → exhaustion). */
    int span = -1;
    SimResource primary;
    final List<SimResource> affected = new ArrayList<>();
    /** BAD_CONFIG_CHANGE: "lambda" or "rds". */
    String variant;
    /** TRAFFIC_SURGE: load multiplier; creeps: growth factor reached at exhaustion. */
    double param = 1;
    EventRef cause, resolve;
    Limit limit;
    String description;

    Incident(IncidentKind kind, App app, int onset, int end) {
        this.kind = kind;
        this.app = app;
        this.onset = onset;
        this.end = end;
    }

    /** Adds this incident's effects at minute {@code m} to the (freshly reset) effects of its application. */
    void apply(int m) {
        if (m < onset) return;
        double ramp5 = Math.min(1, (m - onset + 1) / 5.0);
        switch (kind) {
            case DEPLOYMENT_REGRESSION -> {
                if (m >= end) return;
                for (SimResource c : computeTargets()) {
                    c.effects.latencyMult *= 1 + 2.0 * ramp5;
                    c.effects.errorRate += 0.04 * ramp5;
                    c.effects.cpuAdd += 12 * ramp5;
                }
            }
            case BAD_CONFIG_CHANGE -> {
                if (m >= end) return;
                if (variant.equals("lambda")) {
                    Effects e = app.apiFunction().effects;
                    e.latencyMult *= 3.5;
                    e.durationCapMs = 3000;
                    e.errorRate += 0.2;
                } else {
                    Effects e = app.store.effects;
                    e.classFactor *= 2.5;
                    e.latencyMult *= 4;
                    e.errorRate += 0.03;
                }
            }
            case TRAFFIC_SURGE -> {
                if (m >= end) return;
                double up = Math.min(1, (m - onset + 1) / 8.0), down = Math.min(1, (end - m) / 10.0);
                app.effects.loadMult *= 1 + (param - 1) * Math.min(up, down);
            }
            case DEPENDENCY_FAILURE -> {
                if (m >= end) return;
                double ramp3 = Math.min(1, (m - onset + 1) / 3.0);
                Effects s = app.store.effects;
                s.latencyMult *= 1 + 24 * ramp3;
                if (app.rds) s.cpuAdd += 15 * ramp3;
                else if (m >= onset + 2) s.errorRate += 0.05; // requests start to time out
                if (m >= onset + 2) for (SimResource c : app.compute) c.effects.errorRate += 0.05;
            }
            case MEMORY_LEAK -> {
                Effects s = app.store.effects;
                if (m < exhaustion) {
                    s.memFraction = 1 - progress(m);
                } else if (m < end) {
                    // Out of memory: the instance restarts; memory is back after two minutes.
                    if (m < exhaustion + 2) s.memFraction = 0;
                    s.errorRate += 0.5;
                    s.cpuAdd += 30;
                }
            }
            case DISK_FILL -> {
                Effects s = app.store.effects;
                if (m < exhaustion) {
                    s.storageFraction = 1 - progress(m);
                } else if (m < end) {
                    s.storageFraction = 0; // storage full: writes fail until storage is added
                    s.errorRate += 0.3;
                }
            }
            case DYNAMODB_CAPACITY_CREEP -> {
                Effects s = app.store.effects;
                s.capacityGrowth = 1 + (param - 1) * progress(Math.min(m, end));
                if (m >= end) s.capacityMult = 2; // provisioned capacity raised (UpdateTable) at the end
            }
            case LAMBDA_CONCURRENCY_CREEP -> {
                if (m >= end) return; // fixed by a deployment at the end
                primary.effects.latencyMult *= 1 + (param - 1) * progress(m);
            }
        }
    }

    /** Where the incident is loud: from onset (reactive), or the last three hours before exhaustion (proactive). */
    int busyFrom() {
        return kind.proactive() ? exhaustion - 180 : onset;
    }

    /** 0 at onset, 1 after {@link #span} minutes (at exhaustion unless set otherwise), growing on linearly after it. */
    double progress(int m) {
        return (m - onset) / (double) (span > 0 ? span : exhaustion - onset);
    }

    List<SimResource> computeTargets() {
        return app.lambda ? List.of(app.apiFunction()) : app.compute;
    }
}
