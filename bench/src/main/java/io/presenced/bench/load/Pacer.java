package io.presenced.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces the requests of all workers of a load at an offered rate: each request takes the next slot of one shared
 * schedule and waits for it. A schedule that falls more than a second behind (the server is slower than the
 * offered rate) is moved up to now, so that the load never bursts to catch up.
 */
final class Pacer {
    private static final long MAX_DEBT = 1_000_000_000L;

    private final long interval;
    private final AtomicLong next = new AtomicLong(System.nanoTime());

    private Pacer(long interval) {
        this.interval = interval;
    }

    /** A pacer for {@code perSecond} requests a second; 0 or less for no pacing at all. */
    static Pacer of(double perSecond) {
        return new Pacer(perSecond <= 0 ? 0 : (long) (1e9 / perSecond));
    }

    /** Waits for this request's slot. */
    void await() {
        if (interval == 0) {
            return;
        }
        long now = System.nanoTime();
        long slot = next.getAndAdd(interval);
        if (slot < now - MAX_DEBT) {
            next.accumulateAndGet(now, Math::max);
            return;
        }
        long wait = slot - now;
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
