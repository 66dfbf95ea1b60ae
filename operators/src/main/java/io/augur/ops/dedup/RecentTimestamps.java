package io.augur.ops.dedup;

import java.util.List;

/**
 * At-least-once delivery (Kinesis, CloudTrail) repeats datapoints. Per series, Augur remembers the timestamps of the
 * last {@code capacity} datapoints it accepted (ascending): a repeat of one of them is a duplicate. A datapoint older
 * than everything remembered, with the memory full, cannot be told apart and is accepted (it is late, not repeated,
 * far more often than not).
 */
public final class RecentTimestamps {
    private RecentTimestamps() {}

    /** Records {@code ts} in the ascending list; returns false (and changes nothing) if it was already there. */
    public static boolean add(List<Long> recent, long ts, int capacity) {
        int lo = 0, hi = recent.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = recent.get(mid);
            if (v < ts) lo = mid + 1;
            else if (v > ts) hi = mid - 1;
            else return false;
        }
        if (recent.size() >= capacity && lo == 0) {
            return true; // older than all we remember: accept without remembering
        }
        recent.add(lo, ts);
        while (recent.size() > capacity) recent.remove(0);
        return true;
    }
}
