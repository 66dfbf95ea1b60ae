package io.augur.ops.anomaly;

import java.io.Serializable;
import java.time.Duration;

/**
 * The one configuration of the anomaly patterns (reactive and proactive), shared by every series. {@link #defaults()}
 * is what Augur ships with; the job maps its {@code anomaly.*} configuration keys onto it.
 *
 * @param burstPoints        reactive: datapoints that must deviate within {@code burstWindow}, the first of them
 *                           scored anomalous (the "k of n"); at least 2
 * @param burstWindow        reactive: the time bound of the burst
 * @param minRelativeChange  reactive: a deviation must also be at least this fraction of the expected value (and, for
 *                           counts, more than Poisson noise): the band alone is too narrow on near-constant series
 * @param extremeScore       reactive: on metrics whose severity row says {@code single}, a datapoint with at least
 *                           this score (and a real deviation) opens an anomaly with the next datapoint of the series,
 *                           when that one still deviates from its band (a one-datapoint spike opens none)
 * @param quiet              reactive: an anomaly ends after this long without a deviating datapoint
 * @param flapWindow         reactive: after it ends, the anomaly is only reported closed when no new burst came within
 *                           this window; a burst within it merges into the anomaly (no close, no new anomaly)
 * @param contextPoints      datapoints an anomaly carries (MetricDataSummary), at most
 * @param preContextPoints   of which before the anomaly's start, at most
 * @param escalateChange     reactive: severity goes up one level once the deviation reaches this multiple of the
 *                           expected value (e.g. 5 = 500 %)
 * @param bucket             proactive: downsampling bucket of the forecaster's history
 * @param horizon            proactive: a limit reached within this horizon opens a proactive anomaly
 * @param fitWindow          proactive: window of the trend fit for non-seasonal series
 * @param minHistory         proactive: history a non-seasonal series needs before it is forecast
 * @param seasonalHistory    proactive: history a seasonal (daily-cycle) series needs before it is forecast
 * @param historyRetention   proactive: how much downsampled history is kept (bounded state)
 * @param agreeing           proactive: consecutive forecasts that must agree before an anomaly opens, and that must
 *                           disagree before it closes
 * @param revisionInterval   proactive: at most one revision for a changed forecast per interval
 * @param imminent           proactive: severity goes up one level once the limit may be reached within this time
 * @param staleAfter         proactive: an open anomaly closes when no forecast came for this long (series silent)
 * @param confidenceZ        proactive: z of the slope's confidence interval and of the level band
 * @param stateTtl           state of silent series expires after this long
 */
public record AnomalySettings(int burstPoints, Duration burstWindow, double minRelativeChange, double extremeScore,
                              Duration quiet, Duration flapWindow, int contextPoints, int preContextPoints, double escalateChange,
                              Duration bucket, Duration horizon, Duration fitWindow, Duration minHistory, Duration seasonalHistory,
                              Duration historyRetention, int agreeing, Duration revisionInterval, Duration imminent,
                              Duration staleAfter, double confidenceZ, Duration stateTtl) implements Serializable {

    public AnomalySettings {
        if (burstPoints < 2) throw new IllegalArgumentException("burst points must be at least 2, got " + burstPoints);
        if (burstWindow.isNegative() || burstWindow.isZero()) throw new IllegalArgumentException("burst window must be positive");
        if (contextPoints < 1 || preContextPoints < 0 || preContextPoints >= contextPoints) {
            throw new IllegalArgumentException("context points must be positive and more than the points before the start");
        }
        if (bucket.isNegative() || bucket.isZero() || Duration.ofDays(1).toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException("forecast bucket must divide a day, got " + bucket);
        }
        if (agreeing < 1) throw new IllegalArgumentException("agreeing forecasts must be at least 1");
        if (historyRetention.compareTo(fitWindow) < 0 || historyRetention.compareTo(seasonalHistory) < 0) {
            throw new IllegalArgumentException("history retention must cover the fit window and the seasonal history");
        }
    }

    public static AnomalySettings defaults() {
        return new AnomalySettings(4, Duration.ofMinutes(8), 0.2, 0.99,
                Duration.ofMinutes(10), Duration.ofMinutes(20), 30, 10, 5.0,
                Duration.ofMinutes(15), Duration.ofDays(7), Duration.ofHours(12), Duration.ofHours(6), Duration.ofHours(26),
                Duration.ofHours(50), 3, Duration.ofHours(1), Duration.ofDays(1),
                Duration.ofHours(6), 2.58, Duration.ofDays(2));
    }

    public AnomalySettings withBurst(int points, Duration window) {
        return new AnomalySettings(points, window, minRelativeChange, extremeScore, quiet, flapWindow, contextPoints, preContextPoints,
                escalateChange, bucket, horizon, fitWindow, minHistory, seasonalHistory, historyRetention, agreeing, revisionInterval,
                imminent, staleAfter, confidenceZ, stateTtl);
    }

    public AnomalySettings withReactive(double minRelativeChange, double extremeScore, Duration quiet, Duration flapWindow) {
        return new AnomalySettings(burstPoints, burstWindow, minRelativeChange, extremeScore, quiet, flapWindow, contextPoints, preContextPoints,
                escalateChange, bucket, horizon, fitWindow, minHistory, seasonalHistory, historyRetention, agreeing, revisionInterval,
                imminent, staleAfter, confidenceZ, stateTtl);
    }

    public AnomalySettings withContext(int points, int before) {
        return new AnomalySettings(burstPoints, burstWindow, minRelativeChange, extremeScore, quiet, flapWindow, points, before,
                escalateChange, bucket, horizon, fitWindow, minHistory, seasonalHistory, historyRetention, agreeing, revisionInterval,
                imminent, staleAfter, confidenceZ, stateTtl);
    }

    public AnomalySettings withProactive(Duration bucket, Duration horizon, Duration fitWindow, Duration minHistory, Duration seasonalHistory,
                                         int agreeing) {
        Duration retention = max(historyRetention, max(fitWindow, seasonalHistory.plus(Duration.ofDays(1))));
        return new AnomalySettings(burstPoints, burstWindow, minRelativeChange, extremeScore, quiet, flapWindow, contextPoints, preContextPoints,
                escalateChange, bucket, horizon, fitWindow, minHistory, seasonalHistory, retention, agreeing, revisionInterval,
                imminent, staleAfter, confidenceZ, stateTtl);
    }

    public AnomalySettings withStateTtl(Duration ttl) {
        return new AnomalySettings(burstPoints, burstWindow, minRelativeChange, extremeScore, quiet, flapWindow, contextPoints, preContextPoints,
                escalateChange, bucket, horizon, fitWindow, minHistory, seasonalHistory, historyRetention, agreeing, revisionInterval,
                imminent, staleAfter, confidenceZ, ttl);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
