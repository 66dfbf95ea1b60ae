package io.augur.ops.flink.detect;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The deserialized values of recently written keys of one keyed state, kept next to it so that the next datapoint of a
 * series does not deserialize the value it just wrote (on RocksDB every read is an Avro deserialization: for a
 * baseline, the largest single cost per datapoint). Write-through: the keyed state is written on every update as
 * before and stays the truth for checkpoints, restores and rescaling; this only answers reads. Not part of any
 * snapshot: empty after a (re)start.
 *
 * <p>Expiry follows the state's TTL (time since the last write, processing time), with a margin so that a value the
 * state would no longer return is never returned from here: such a read goes to the state. At most {@code capacity}
 * keys: when full, new keys are not admitted (no eviction churn when a task has more series than that: those keys are
 * read from the state as before), and keys not written for {@link #IDLE_MS} are swept out at most once per that time.
 * Not thread-safe: one per task.
 */
final class RecentValues<V> {
    /** Keys not written for this long leave a full cache (a series reporting every 1 or 5 minutes is written far more often). */
    static final long IDLE_MS = 15 * 60_000;
    /** Clock difference allowed between this and the state backend's TTL clock. */
    static final long TTL_MARGIN_MS = 60_000;

    private final int capacity;
    private final long ttlMs;
    private final Map<String, Entry<V>> entries = new HashMap<>();
    private long nextSweep = Long.MIN_VALUE;

    private static final class Entry<V> {
        V value;
        long writtenAt;

        Entry(V value, long writtenAt) {
            this.value = value;
            this.writtenAt = writtenAt;
        }
    }

    RecentValues(int capacity, long ttlMs) {
        this.capacity = capacity;
        this.ttlMs = ttlMs;
    }

    /** The value last written for {@code key}, or null: not known here (read the state). */
    V get(String key, long now) {
        Entry<V> e = entries.get(key);
        if (e == null) return null;
        if (now - e.writtenAt >= ttlMs - TTL_MARGIN_MS || now < e.writtenAt) {
            entries.remove(key);
            return null;
        }
        return e.value;
    }

    /** {@code value} was just written to the state for {@code key}. */
    void written(String key, V value, long now) {
        if (capacity <= 0) return;
        Entry<V> e = entries.get(key);
        if (e != null) {
            e.value = value;
            e.writtenAt = now;
            return;
        }
        if (entries.size() >= capacity) {
            if (now < nextSweep) return;
            nextSweep = now + IDLE_MS;
            for (Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext(); ) {
                if (now - it.next().writtenAt >= IDLE_MS) it.remove();
            }
            if (entries.size() >= capacity) return;
        }
        entries.put(key, new Entry<>(value, now));
    }

    int size() {
        return entries.size();
    }
}
