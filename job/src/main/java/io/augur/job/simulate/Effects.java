package io.augur.job.simulate;

/** What incidents and blips do to one resource (or, for load, to one application) in one minute. Neutral by default. */
final class Effects {
    /** Application load multiplier (traffic surge). */
    double loadMult;
    /** Latency/duration multiplier of the resource itself. */
    double latencyMult;
    /** Fraction of requests that fail at this resource. */
    double errorRate;
    /** CPU percentage points added. */
    double cpuAdd;
    /** Lambda: cap on duration (a function timeout), ms. */
    double durationCapMs;
    /** DynamoDB: growth of write consumption; multiplier of the provisioned write capacity (UpdateTable). */
    double capacityGrowth, capacityMult;
    /** RDS: how much bigger the load is relative to the instance (a smaller instance class), memory-based. */
    double classFactor;
    /** RDS: FreeableMemory / FreeStorageSpace overrides as a fraction of normal; NaN = normal. */
    double memFraction, storageFraction;
    /** Multiplier on one metric for a blip (null = none). */
    String blipMetric;
    double blipMult;

    Effects() {
        reset();
    }

    void reset() {
        loadMult = 1;
        latencyMult = 1;
        errorRate = 0;
        cpuAdd = 0;
        durationCapMs = Double.POSITIVE_INFINITY;
        capacityGrowth = 1;
        capacityMult = 1;
        classFactor = 1;
        memFraction = Double.NaN;
        storageFraction = Double.NaN;
        blipMetric = null;
        blipMult = 1;
    }

    double blip(String metric) {
        return metric.equals(blipMetric) ? blipMult : 1;
    }
}
