package io.augur.ops.flink;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;

/**
 * One slot per key for every {@link RecentValues} of a thread: each cache (its <i>owner</i> index) finds its entry of a
 * key in the key's slot. The chained keyed operators of a task (de-duplication, scoring, burst candidates) run in the
 * task's thread, are keyed alike and, with object reuse, see the very same key object per datapoint (the key selector
 * keeps it, {@code ScoreDatapoints.seriesStatKey}): the first cache asked about a datapoint's key looks its slot up in one
 * hash map and the others find it by the key object's identity, so a datapoint costs one map lookup for the whole chain
 * instead of one per operator.
 *
 * <p>Only an index: each {@link RecentValues} still owns its entries (capacity, expiry, dirty values, flush) and puts,
 * removes and finds them here. Not thread-safe: one per thread ({@link #ofCurrentThread}); a cache uses the one of the
 * thread that created it (a task's operators are opened and run in the task's thread).
 */
final class KeySlots {
    private static final ThreadLocal<KeySlots> CURRENT = ThreadLocal.withInitial(KeySlots::new);

    /** A key's entries, by owner index (null: the owner holds nothing for the key). */
    static final class Slot {
        final String key;
        Object[] entries;
        int used;

        Slot(String key) {
            this.key = key;
            this.entries = new Object[3]; // a task's chain: de-duplication, scoring, burst candidates
        }
    }

    private final HashMap<String, Slot> slots = new HashMap<>();
    private int owners;
    /** Owner indexes given back by closed caches (which hold no entry any more): reused, so that slots stay small. */
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    /** The key object last looked up, and its slot (null: none then). Compared by identity. */
    private String lastKey;
    private Slot lastSlot;

    static KeySlots ofCurrentThread() {
        return CURRENT.get();
    }

    /** A new owner index (one per cache). */
    int register() {
        Integer reused = free.pollLast();
        return reused != null ? reused : owners++;
    }

    /** {@code owner}'s cache holds no entry any more and never will: its index may be given out again. */
    void release(int owner) {
        free.addLast(owner);
    }

    /** The entry {@code owner} holds for {@code key}, or null. */
    Object find(String key, int owner) {
        Slot s = key == lastKey ? lastSlot : lookUp(key);
        return s == null || owner >= s.entries.length ? null : s.entries[owner];
    }

    private Slot lookUp(String key) {
        Slot s = slots.get(key);
        lastKey = key;
        lastSlot = s;
        return s;
    }

    /** {@code owner} holds {@code entry} for {@code key} from now on (it held none for it). */
    Slot add(String key, int owner, Object entry) {
        Slot s = key == lastKey ? lastSlot : lookUp(key);
        if (s == null) {
            s = new Slot(key);
            slots.put(key, s);
            lastKey = key;
            lastSlot = s;
        }
        if (owner >= s.entries.length) s.entries = Arrays.copyOf(s.entries, owners);
        if (s.entries[owner] != null) throw new IllegalStateException("owner " + owner + " already holds an entry for " + key);
        s.entries[owner] = entry;
        s.used++;
        return s;
    }

    /** {@code owner} no longer holds an entry in {@code s}; the slot goes when no owner does. */
    void remove(Slot s, int owner) {
        if (s.entries[owner] == null) return;
        s.entries[owner] = null;
        if (--s.used > 0) return;
        slots.remove(s.key);
        if (lastSlot == s) {
            lastKey = null;
            lastSlot = null;
        }
    }

    /** Keys with a slot (tests). */
    int size() {
        return slots.size();
    }
}
