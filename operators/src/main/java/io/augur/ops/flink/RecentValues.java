package io.augur.ops.flink;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;

import java.util.ArrayList;

/**
 * The deserialized values of recently written keys of one keyed state, kept next to it so that the next datapoint of a
 * series neither deserializes the value it just wrote nor (written back) serializes it again at once: on RocksDB every
 * read is an Avro deserialization and every write a serialization (for a baseline, the largest single costs per
 * datapoint). Not part of any snapshot: empty after a (re)start, when the keyed state is read again.
 *
 * <p>A value is either <b>clean</b> (the keyed state holds it too) or <b>dirty</b> (written back: only here until
 * {@link #flush}, which the operator calls before every checkpoint and savepoint, so a snapshot always holds every
 * value; a failure restores the last checkpoint, which the keyed state had anyway).
 *
 * <p>Expiry follows the state's TTL (time since the last write, processing time): a dirty value expires exactly when
 * the state would have expired it had it been written; a clean one is given back to the state a margin earlier, so
 * that nothing the state would no longer return is returned from here. At most {@code capacity} keys: when full, new
 * keys are not admitted (no eviction churn when a task has more series than that: their values go to the state as
 * before), and clean keys not written for {@link #IDLE_MS} are swept out at most once per that time.
 * Entries are found through the thread's {@link KeySlots} (one map lookup per datapoint for all the chained operators'
 * caches, not one per cache). Not thread-safe: one per task, used by the thread that created it.
 */
public final class RecentValues<V> {
    /** Keys not written for this long leave a full cache (a series reporting every 1 or 5 minutes is written far more often). */
    static final long IDLE_MS = 15 * 60_000;
    /** Clock difference allowed between this and the state backend's TTL clock, for clean values. */
    static final long TTL_MARGIN_MS = 60_000;

    private final int capacity;
    private final long ttlMs;
    /** Writes one value to the keyed state (the operator's current key set to the value's key). */
    private final Writer<V> state;
    /** Where this cache's entries are found by key, and this cache's index there. */
    private final KeySlots slots;
    private final int owner;
    /** Every entry (for flush, sweep and forget); an entry knows its place here. */
    private final ArrayList<Entry<V>> entries = new ArrayList<>();
    private int dirty;
    /** Writes of a key that found the cache full (its value went to the keyed state): the datapoints beyond the cache. */
    private long refused;
    private long nextSweep = Long.MIN_VALUE;
    /**
     * The entry {@link #get} last found or {@link #put} last wrote, and its key: an operator writes the value of the key
     * it just read, with the same key object (the operator's current key), so the write needs no second lookup.
     * Compared by identity (an equal key in another object looks the entry up); cleared whenever an entry leaves.
     */
    private String lastKey;
    private Entry<V> lastEntry;
    /** Whether written values may stay here until {@link #flush} (the operator flushes before every snapshot). */
    private boolean holdWrites;
    /** After {@link #close}: holds nothing, admits nothing (its owner index may be another cache's now). */
    private boolean closed;

    private static final class Entry<V> {
        final String key;
        KeySlots.Slot slot;
        int index;
        V value;
        long writtenAt;
        boolean dirty;

        Entry(String key, int index, V value, long writtenAt, boolean dirty) {
            this.key = key;
            this.index = index;
            this.value = value;
            this.writtenAt = writtenAt;
            this.dirty = dirty;
        }
    }

    /** {@code state}: writes one value to the keyed state, with the operator's current key set to the value's key. */
    public RecentValues(int capacity, long ttlMs, Writer<V> state) {
        this.capacity = capacity;
        this.ttlMs = ttlMs;
        this.state = state;
        this.slots = KeySlots.ofCurrentThread();
        this.owner = slots.register();
    }

    @SuppressWarnings("unchecked")
    private Entry<V> entry(String key) {
        return key == lastKey ? lastEntry : (Entry<V>) slots.find(key, owner);
    }

    /**
     * The cache {@code name} of the function whose runtime context is {@code context}: its capacity resolved for the task
     * ({@link CacheCapacity#resolve}), its gauges registered ({@link #withMetrics}), both under that one name.
     */
    public static <V> RecentValues<V> open(RuntimeContext context, String name, CacheCapacity capacity, long ttlMs, Writer<V> state) {
        return new RecentValues<>(capacity.resolve(context, name), ttlMs, state).withMetrics(context.getMetricGroup(), name);
    }

    /**
     * Gauges under {@code group.addGroup("cache", name)}: {@code series} (keys held), {@code capacity}, and
     * {@code refusedWrites} (writes that found the cache full since the task started, so went to the keyed state: when
     * it grows, series are beyond the cache and each of their datapoints reads and writes RocksDB; raise the capacity or
     * {@code cache.heap-share}).
     */
    public RecentValues<V> withMetrics(MetricGroup group, String name) {
        MetricGroup g = group.addGroup("cache", name);
        g.gauge("series", (Gauge<Integer>) entries::size);
        g.gauge("capacity", (Gauge<Integer>) () -> capacity);
        g.gauge("refusedWrites", (Gauge<Long>) () -> refused);
        return this;
    }

    /** Writes that found the cache full (see {@link #withMetrics}). */
    public long refusedWrites() {
        return refused;
    }

    /** The value last written for {@code key}, or null: not known here (read the state). */
    public V get(String key, long now) {
        if (closed) return null;
        Entry<V> e = entry(key);
        if (e == null) return null;
        long age = now - e.writtenAt;
        if (e.dirty) {
            if (age < ttlMs) return found(key, e); // also when the clock went back: this is the newest value
            dirty--;                                // expired: the state's older value has expired too
        } else if (age >= 0 && age < ttlMs - TTL_MARGIN_MS) {
            return found(key, e);
        }
        remove(e);
        lastKey = null;
        lastEntry = null;
        return null;
    }

    private V found(String key, Entry<V> e) {
        lastKey = key;
        lastEntry = e;
        return e.value;
    }

    /** Takes {@code e} out (its dirty count already settled): from the slots and from the list (the last one takes its place). */
    private void remove(Entry<V> e) {
        slots.remove(e.slot, owner);
        Entry<V> last = entries.remove(entries.size() - 1);
        if (last != e) {
            entries.set(e.index, last);
            last.index = e.index;
        }
    }

    /** From now on, {@link #write} may keep values here until {@link #flush} instead of writing them to the state. */
    public void holdWrites() {
        holdWrites = true;
    }

    /**
     * {@code value} is the new value of {@code key}: kept here until {@link #flush} when writes are held and there is
     * room, else written to the state now (and kept here clean, when there is room).
     */
    public void write(String key, V value, long now) throws Exception {
        if (holdWrites && put(key, value, now, true)) return;
        state.write(key, value);
        if (!holdWrites) put(key, value, now, false);
    }

    /**
     * {@code value} is the new value of {@code key}; {@code writeBack}: it is not written to the state (yet).
     * @return whether it is held here: false for a write-back value means the caller must write it to the state now
     */
    public boolean put(String key, V value, long now, boolean writeBack) {
        if (capacity <= 0 || closed) return false;
        Entry<V> e = entry(key);
        if (e != null) {
            if (writeBack && !e.dirty) dirty++;
            else if (!writeBack && e.dirty) dirty--;
            e.value = value;
            e.writtenAt = now;
            e.dirty = writeBack;
            return true;
        }
        if (entries.size() >= capacity) {
            if (now < nextSweep) {
                refused++;
                return false;
            }
            nextSweep = now + IDLE_MS;
            lastKey = null;
            lastEntry = null;
            for (int i = entries.size() - 1; i >= 0; i--) { // from the end: a removal moves the last entry to i, already seen
                Entry<V> x = entries.get(i);
                if (!x.dirty && now - x.writtenAt >= IDLE_MS) remove(x);
            }
            if (entries.size() >= capacity) {
                refused++;
                return false;
            }
        }
        e = new Entry<>(key, entries.size(), value, now, writeBack);
        e.slot = slots.add(key, owner, e);
        entries.add(e);
        if (writeBack) dirty++;
        lastKey = key;
        lastEntry = e;
        return true;
    }

    /** Writes every dirty value with {@code writer} (key, value); they are clean afterwards. */
    public void flush(Writer<V> writer) throws Exception {
        if (dirty == 0) return;
        for (Entry<V> x : entries) {
            if (x.dirty) {
                writer.write(x.key, x.value);
                x.dirty = false;
            }
        }
        dirty = 0;
    }

    /**
     * Writes every dirty value to the keyed state of {@code operator}: the state writer is called with the operator's
     * current key set to the value's key; the current key is restored afterwards.
     */
    public void flush(AbstractStreamOperator<?> operator) throws Exception {
        if (dirty == 0) return;
        Object current = operator.getCurrentKey();
        flush((key, value) -> {
            operator.setCurrentKey(key);
            state.write(key, value);
        });
        if (current != null) operator.setCurrentKey(current);
    }

    /**
     * Forgets every value (after {@link #flush}: none is dirty). For state backends that keep the value objects
     * themselves (heap): a snapshot's asynchronous part serializes those objects, and the state copies one before
     * handing it out again only through its own {@code value()}, which a value kept here would bypass.
     */
    public void forget() {
        if (dirty != 0) throw new IllegalStateException(dirty + " values not written to the state yet: flush first");
        for (Entry<V> x : entries) slots.remove(x.slot, owner);
        entries.clear();
        lastKey = null;
        lastEntry = null;
    }

    /**
     * Drops every value, written or not (the operator is closing: what a snapshot needs was flushed before it), and
     * gives this cache's place in the thread's {@link KeySlots} back. Holds and admits nothing afterwards.
     */
    public void close() {
        if (closed) return;
        for (Entry<V> x : entries) slots.remove(x.slot, owner);
        entries.clear();
        dirty = 0;
        lastKey = null;
        lastEntry = null;
        closed = true;
        slots.release(owner);
    }

    /** Writes one value to the keyed state. */
    @FunctionalInterface
    public interface Writer<V> {
        void write(String key, V value) throws Exception;
    }

    public int size() {
        return entries.size();
    }

    public int dirty() {
        return dirty;
    }
}
