package io.augur.ops.detect;

/**
 * The verdict on one datapoint of one series.
 *
 * @param anomalyScore in [0,1]; 0 during warm-up
 * @param direction    +1 above the expected value, -1 below, 0 neither
 * @param expected     what the baseline expected
 * @param lower        lower edge of the normal band
 * @param upper        upper edge of the normal band
 * @param warm         false while the series is still warming up (no score yet)
 */
public record Score(double anomalyScore, int direction, double expected, double lower, double upper, boolean warm) {}
