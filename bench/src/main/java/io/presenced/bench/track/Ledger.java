package io.presenced.bench.track;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Matches each subscriber's receipt of a notification with the acknowledgement of the source event it reports,
 * by (extensionId, sequence), and files both under the phase the event was acknowledged in.
 *
 * <p>Thread-safety: load threads call {@link #acked}, subscriber threads {@link #received}; phases are begun by the
 * one thread that runs the scenario.
 */
public final class Ledger {
    private static final int EARLY_KEPT = 100_000;

    private final AckLog acks;
    private final int subscribers;
    private final List<Phase> phases = new CopyOnWriteArrayList<>();
    private final Queue<long[]> earlyKeys = new ConcurrentLinkedQueue<>();
    private final AtomicInteger earlyKept = new AtomicInteger();
    private volatile Phase current;

    /** A ledger for events of {@code extensionIds}, each expected at {@code subscribers} subscribers. */
    public Ledger(Collection<Long> extensionIds, int subscribers) {
        this.acks = new AckLog(extensionIds);
        this.subscribers = subscribers;
        this.current = new Phase("setup", System.nanoTime());
        phases.add(current);
    }

    /** Starts a new phase: events acknowledged from now on belong to it. */
    public Phase begin(String name) {
        Phase p = new Phase(name, System.nanoTime());
        phases.add(p);
        current = p;
        return p;
    }

    /** A source event was acknowledged now; only the thread that owns the extension's events calls this. */
    public void acked(long extensionId, long sequence) {
        acks.acked(extensionId, sequence, System.nanoTime());
        current.event();
    }

    /** A subscriber received the notification of event {@code sequence} of {@code extensionId} now. */
    public void received(long extensionId, long sequence) {
        long now = System.nanoTime();
        long ack = acks.ackedAt(extensionId, sequence);
        if (ack == 0 || ack > now) {
            phaseAt(now).earlyReceipt(now);
            if (earlyKept.incrementAndGet() <= EARLY_KEPT) {
                earlyKeys.add(new long[] {extensionId, sequence});
            }
        } else {
            phaseAt(ack).receipt(now, (now - ack) / 1000);
        }
    }

    private Phase phaseAt(long nanos) {
        for (int i = phases.size() - 1; i >= 0; i--) {
            Phase p = phases.get(i);
            if (p.start() <= nanos) {
                return p;
            }
        }
        return phases.getFirst();
    }

    /** Receipts that {@code phase} expects: each of its events at each subscriber. */
    public long expected(Phase phase) {
        return phase.events() * subscribers;
    }

    /**
     * Waits, at most {@code max} after the end of the phase's load, for every receipt the phase expects; whether
     * they all came in time.
     */
    public boolean drain(Phase phase, Duration max) {
        phase.endLoad(max.toNanos());
        long deadline = System.nanoTime() + max.toNanos();
        while (phase.receiptsInTime() < expected(phase) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return phase.receiptsInTime() >= expected(phase);
    }

    /**
     * Receipts that came before any acknowledgement and still have none: notifications of events the load does not
     * know of (a sequence that is not the one expected), as far as the first {@value #EARLY_KEPT} early receipts tell.
     */
    public long unmatched() {
        return earlyKeys.stream().filter(k -> acks.ackedAt(k[0], k[1]) == 0).count();
    }
}
