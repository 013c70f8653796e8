package io.presenced.delivery;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one subscription has yet to receive: a bounded in-memory queue in front of the durable event
 * log. While "live", the dispatcher appends matching events to memory; when memory overflows (or after a
 * restart) the backlog stops taking events and its worker reads them from the log instead, until it has
 * caught up and goes live again. {@code position} is the log id through which everything for this
 * subscription has been delivered; it only grows and is what is persisted.
 *
 * <p>Thread-safety: the dispatcher (one thread) and the subscription's worker share it under one lock.
 */
final class Backlog {
    /** What the worker should do next. */
    sealed interface Next {
        /** Deliver this event, held in memory. */
        record Memory(Pending pending) implements Next {
        }

        /** Read the log after {@code from} up to and including {@code until}. */
        record Log(long from, long until) implements Next {
        }

        /** Nothing to do. */
        record Idle() implements Next {
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition offered = lock.newCondition();
    private final Condition woken = lock.newCondition();
    private final ArrayDeque<Pending> memory = new ArrayDeque<>();
    private final int capacity;
    private long position;
    private long storeUntil;
    private long missedThrough;
    private boolean live;
    private long overflows;
    private long offeredCount;
    private long deliveredCount;
    /** The log's end when this backlog began: what came before was never offered. */
    private final long startedAt;

    /**
     * A backlog whose delivery has reached {@code position}, and which must also look in the log for
     * anything up to {@code missedThrough} (the log's end when the server started).
     */
    Backlog(long position, long missedThrough, int capacity) {
        this.position = position;
        this.missedThrough = missedThrough;
        this.storeUntil = position;
        this.capacity = capacity;
        this.startedAt = missedThrough;
    }

    /** Called by the dispatcher, in log order, for each event this subscription receives. */
    void offer(Pending pending) {
        lock.lock();
        try {
            offeredCount++;
            if (live && memory.size() < capacity) {
                memory.add(pending);
            } else {
                if (live) {
                    live = false;
                    memory.clear();
                    overflows++;
                }
                missedThrough = Math.max(missedThrough, pending.logId());
            }
            offered.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What to deliver next. {@code dispatchedThrough} is the last log id the dispatcher has finished
     * offering to every backlog; with nothing pending, everything up to it is done for this subscription.
     */
    Next next(long dispatchedThrough) {
        lock.lock();
        try {
            if (position < storeUntil) {
                return new Next.Log(position, storeUntil);
            }
            if (!live) {
                storeUntil = Math.max(storeUntil, missedThrough);
                live = true;
                if (position < storeUntil) {
                    return new Next.Log(position, storeUntil);
                }
            }
            Pending head = memory.peek();
            if (head != null) {
                return new Next.Memory(head);
            }
            position = Math.max(position, dispatchedThrough);
            // Caught up: whatever was offered and not delivered turned out not to be for this subscription.
            deliveredCount = offeredCount;
            return new Next.Idle();
        } finally {
            lock.unlock();
        }
    }

    /** Everything through {@code logId} is done (delivered, or not for this subscription). */
    void doneThrough(long logId) {
        lock.lock();
        try {
            while (!memory.isEmpty() && memory.peek().logId() <= logId) {
                memory.poll();
            }
            position = Math.max(position, logId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A notification was delivered; counted against the offered ones if it was offered (not one the log held
     * from before this process started).
     */
    void delivered(long logId) {
        lock.lock();
        try {
            if (logId > startedAt) {
                deliveredCount++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until something is offered or {@link #wake()} is called, at most {@code millis}. */
    void await(long millis) throws InterruptedException {
        lock.lock();
        try {
            if (memory.isEmpty() && position >= storeUntil && live) {
                offered.await(millis, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@link #wake()} is called, at most {@code millis}, whatever is queued: for a worker that
     * must not deliver now (backing off, blacklisted, expired).
     */
    void pause(long millis) throws InterruptedException {
        lock.lock();
        try {
            woken.await(millis, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes a waiting worker (the subscription changed). */
    void wake() {
        lock.lock();
        try {
            offered.signalAll();
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long position() {
        lock.lock();
        try {
            return position;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What waits: notifications offered since this process started and not delivered yet, in memory or in the
     * log (what a restart left in the log is not counted, as it was not offered), how many of them are in memory,
     * and the time of the oldest in memory.
     */
    record Depth(long waiting, int inMemory, long oldestMillis, boolean readingLog) {
    }

    Depth depth() {
        lock.lock();
        try {
            Pending head = memory.peek();
            return new Depth(Math.max(0, offeredCount - deliveredCount), memory.size(),
                    head == null ? 0 : head.time().toEpochMilli(), !live || position < storeUntil);
        } finally {
            lock.unlock();
        }
    }

    long overflows() {
        lock.lock();
        try {
            return overflows;
        } finally {
            lock.unlock();
        }
    }
}
