package io.presenced.delivery;

import io.presenced.presence.PresenceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest events of the durable log, kept in memory together with their notifications, so that a
 * subscription catching up (after a burst, an outage of its endpoint, or an overflow of its backlog) reads
 * them without touching the store, and every notification body is serialised once per event and form, whoever
 * delivers it. Older events are read from the store.
 *
 * <p>Thread-safety: one writer (the dispatcher, on the presence writer's thread) appends; any number of
 * readers read. Entries are immutable apart from their lazily built forms, which any reader may build (the same
 * bytes each time); the count is published through a volatile field, and a reader checks after reading that
 * what it read was not overwritten meanwhile.
 */
final class RecentLog {
    /** One logged event and its notifications by form, built when first needed. */
    static final class Entry {
        private final PresenceEvent event;
        private final long position;
        private final Pending[] forms = new Pending[8];

        /** An entry of a ring, the {@code position}-th appended to it. */
        Entry(PresenceEvent event, long position) {
            this.event = Objects.requireNonNull(event, "event");
            this.position = position;
        }

        /** An entry read from the store, in no ring. */
        Entry(PresenceEvent event) {
            this(event, -1);
        }

        PresenceEvent event() {
            return event;
        }

        long id() {
            return event.id();
        }

        /** The notification of this event in form {@code v}; built once (racing builders build the same). */
        Pending form(Variant v) {
            int slot = (v.extensionLevel() ? 4 : 0) | (v.detailed() ? 2 : 0) | (v.sipData() ? 1 : 0);
            Pending p = forms[slot];
            if (p == null) {
                p = new Pending(event.id(), event.state().extensionId(), event.time(),
                        Notifications.eventPath(event.state().extensionId(), v), Notifications.body(event, v));
                forms[slot] = p;
            }
            return p;
        }
    }

    private final AtomicReferenceArray<Entry> ring;
    private final int capacity;
    private volatile long count;
    /** Every event with a greater id is in the ring (or was never logged). */
    private volatile long coveredAfter;

    /** A ring of {@code capacity} entries covering the events logged after {@code logEnd}. */
    RecentLog(int capacity, long logEnd) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the recent log holds at least one event, got " + capacity);
        }
        this.capacity = capacity;
        this.ring = new AtomicReferenceArray<>(capacity);
        this.coveredAfter = logEnd;
    }

    /** Appends a committed event (ids only grow); called by the one writer. */
    Entry append(PresenceEvent event) {
        long c = count;
        Entry entry = new Entry(event, c);
        int slot = (int) (c % capacity);
        Entry evicted = ring.get(slot);
        if (evicted != null) {
            coveredAfter = evicted.id();
        }
        ring.set(slot, entry);
        count = c + 1;
        return entry;
    }

    /** The entry at append position {@code position}, if the ring still holds it. */
    private Entry at(long position) {
        Entry e = ring.get((int) (position % capacity));
        return e != null && e.position == position ? e : null;
    }

    /**
     * Up to {@code limit} entries with ids greater than {@code after}, in log order, if the ring covers them
     * all; empty if part of what follows {@code after} has left the ring (read the store then). An empty list
     * means nothing follows.
     */
    Optional<List<Entry>> after(long after, int limit) {
        if (after < coveredAfter) {
            return Optional.empty();
        }
        long c = count;
        long lo = Math.max(0, c - capacity);
        // Binary search for the first position whose id is greater than after; an overwritten slot means the
        // writer lapped this reader, who then reads the store.
        long a = lo;
        long b = c;
        while (a < b) {
            long mid = (a + b) >>> 1;
            Entry e = at(mid);
            if (e == null) {
                return Optional.empty();
            }
            if (e.id() <= after) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        List<Entry> out = new ArrayList<>(Math.min(limit, (int) Math.min(Integer.MAX_VALUE, c - a)));
        for (long i = a; i < c && out.size() < limit; i++) {
            Entry e = at(i);
            if (e == null) {
                return Optional.empty();
            }
            out.add(e);
        }
        // The entry before the first one returned must still be there and not after {@code after}: otherwise
        // events between them may have left the ring while this reader looked.
        if (a > lo) {
            Entry before = at(a - 1);
            if (before == null || before.id() > after) {
                return Optional.empty();
            }
        } else if (after < coveredAfter) {
            return Optional.empty();
        }
        if (after < coveredAfter) {
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
