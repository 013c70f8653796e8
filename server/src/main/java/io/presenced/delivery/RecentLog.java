package io.presenced.delivery;

import io.presenced.presence.PresenceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
        private final Pending[] forms = new Pending[8];

        Entry(PresenceEvent event) {
            this.event = Objects.requireNonNull(event, "event");
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

    private final Entry[] ring;
    private volatile long count;
    /** Every event with a greater id is in the ring (or was never logged). */
    private volatile long coveredAfter;

    /** A ring of {@code capacity} entries covering the events logged after {@code logEnd}. */
    RecentLog(int capacity, long logEnd) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the recent log holds at least one event, got " + capacity);
        }
        this.ring = new Entry[capacity];
        this.coveredAfter = logEnd;
    }

    /** Appends a committed event (ids only grow); called by the one writer. */
    Entry append(PresenceEvent event) {
        Entry entry = new Entry(event);
        long c = count;
        int slot = (int) (c % ring.length);
        Entry evicted = ring[slot];
        if (evicted != null) {
            coveredAfter = evicted.id();
        }
        ring[slot] = entry;
        count = c + 1;
        return entry;
    }

    /**
     * Up to {@code limit} entries with ids greater than {@code after}, in log order, if the ring covers them
     * all; empty if part of what follows {@code after} has left the ring (read the store then). An empty list
     * means nothing follows.
     */
    java.util.Optional<List<Entry>> after(long after, int limit) {
        if (after < coveredAfter) {
            return java.util.Optional.empty();
        }
        long c = count;
        long lo = Math.max(0, c - ring.length);
        // Binary search for the first entry with an id greater than after.
        long a = lo;
        long b = c;
        while (a < b) {
            long mid = (a + b) >>> 1;
            Entry e = ring[(int) (mid % ring.length)];
            if (e == null || e.id() <= after) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        List<Entry> out = new ArrayList<>(Math.min(limit, (int) Math.min(Integer.MAX_VALUE, c - a)));
        for (long i = a; i < c && out.size() < limit; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        // Overwritten while reading (a reader far behind a fast writer): the store has it.
        if (after < coveredAfter || (!out.isEmpty() && out.getFirst().id() <= after)) {
            return java.util.Optional.empty();
        }
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).id() <= out.get(i - 1).id()) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(out);
    }
}
