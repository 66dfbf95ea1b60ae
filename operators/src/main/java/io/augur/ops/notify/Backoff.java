package io.augur.ops.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for re-queued entries: after the SDK has used its own retries, a sink waits this long
 * before the entries are sent again. The n-th consecutive failure waits between half and all of
 * {@code min(max, base * 2^(n-1))}; a success resets the count.
 */
public final class Backoff {
    private final long baseMs;
    private final long maxMs;
    private int failures;

    public Backoff(Duration base, Duration max) {
        this.baseMs = Math.max(1, base.toMillis());
        this.maxMs = Math.max(baseMs, max.toMillis());
    }

    /** Records a failure and returns how long to wait before retrying. */
    public synchronized long nextDelayMs() {
        failures = Math.min(failures + 1, 62);
        long ceiling = ceilingMs(failures);
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** The upper bound of the n-th consecutive failure's delay. */
    public long ceilingMs(int failure) {
        int shift = Math.min(Math.max(failure - 1, 0), 40);
        long d = baseMs << shift;
        return d <= 0 || d > maxMs ? maxMs : d;
    }

    public synchronized void success() {
        failures = 0;
    }

    public synchronized int failures() {
        return failures;
    }
}
