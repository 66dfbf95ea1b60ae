package io.augur.ops.flink;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keyed inputs held until the watermark passes them, so that an operator applies its inputs in event-time order
 * whatever order its input channels deliver them in. An item is held at a time {@code t} (a map state entry
 * {@code t → items}, and an event-time timer at {@code t}); the operator's timer at {@code t} takes the items held at
 * {@code t} (the entry is removed) and applies them. The state and its name are the operator's (savepoints map state by
 * name): this only handles it.
 * <ul>
 *   <li>{@link #list}: every item held at a time is kept; {@link #take} gives them in {@code sameTimeOrder}, or in
 *       arrival order without one;</li>
 *   <li>{@link #latest}: one item per time, a later one held at the same time replaces it.</li>
 * </ul>
 *
 * @param <T> the held items' type (an Avro record: state is never Kryo)
 */
public final class EventTimeHold<T> {
    private final MapState<Long, List<T>> lists;
    private final MapState<Long, T> latest;
    private final Comparator<? super T> sameTimeOrder;

    private EventTimeHold(MapState<Long, List<T>> lists, MapState<Long, T> latest, Comparator<? super T> sameTimeOrder) {
        this.lists = lists;
        this.latest = latest;
        this.sameTimeOrder = sameTimeOrder;
    }

    /** Every item held at a time is kept; taken in {@code sameTimeOrder} (null: arrival order). */
    public static <T> EventTimeHold<T> list(MapState<Long, List<T>> state, Comparator<? super T> sameTimeOrder) {
        return new EventTimeHold<>(state, null, sameTimeOrder);
    }

    /** One item per time: a later one held at the same time replaces the earlier. */
    public static <T> EventTimeHold<T> latest(MapState<Long, T> state) {
        return new EventTimeHold<>(null, state, null);
    }

    /** Holds {@code item} until the watermark passes {@code t}: the operator's timer at {@code t} will {@link #take} it. */
    public void hold(long t, T item, TimerService timers) throws Exception {
        if (lists != null) {
            List<T> at = lists.get(t);
            at = at == null ? new ArrayList<>() : new ArrayList<>(at);
            at.add(item);
            lists.put(t, at);
        } else {
            latest.put(t, item);
        }
        timers.registerEventTimeTimer(t);
    }

    /** The items held at {@code t}, no longer held (empty when there are none). */
    public List<T> take(long t) throws Exception {
        if (lists == null) {
            T item = latest.get(t);
            if (item == null) return List.of();
            latest.remove(t);
            return List.of(item);
        }
        List<T> due = lists.get(t);
        if (due == null) return List.of();
        lists.remove(t);
        List<T> ordered = new ArrayList<>(due);
        if (sameTimeOrder != null) ordered.sort(sameTimeOrder);
        return ordered;
    }

    /** Whether items are held at {@code t} (its timer is theirs too). */
    public boolean holdsAt(long t) throws Exception {
        return lists != null ? lists.contains(t) : latest.contains(t);
    }

    /** Whether nothing is held for the current key. */
    public boolean isEmpty() throws Exception {
        return lists != null ? lists.isEmpty() : latest.isEmpty();
    }
}
