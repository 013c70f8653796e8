package io.presenced.delivery;

import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.Subscription;
import java.time.Clock;

/**
 * The delivery of one subscription, split into lanes by extension: each lane has its own backlog
 * and worker and sends in log order, so one extension's events stay in sequence order while
 * different extensions are delivered concurrently. The subscription's position is the lowest of
 * its lanes'.
 */
final class Lanes {
    private final Worker[] workers;

    Lanes(Pipeline pipeline, Subscription s, long position, long missedThrough, DeliverySettings settings,
          Clock clock) {
        // A WebSocket session is one ordered stream whose sends never wait on the network: one lane is enough.
        int count = s.deliveryMode().transportType() == DeliveryMode.TransportType.WebSocket
                ? 1 : settings.lanesPerSubscription();
        int capacity = Math.max(1, settings.memoryPerSubscription() / count);
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(pipeline, s, new Backlog(position, missedThrough, capacity), clock, i, count);
        }
    }

    /** The lane that carries an extension's events. */
    static int laneOf(long extensionId, int count) {
        return (int) Math.floorMod(extensionId * 0x9E3779B97F4A7C15L >>> 32, count);
    }

    void start() {
        for (Worker w : workers) {
            w.start();
        }
    }

    void offer(Pending pending) {
        workers[laneOf(pending.extensionId(), workers.length)].backlog().offer(pending);
    }

    void changed(Subscription s) {
        for (Worker w : workers) {
            w.changed(s);
        }
    }

    void stop() {
        for (Worker w : workers) {
            w.stop();
        }
    }

    Subscription subscription() {
        return workers[0].subscription();
    }

    /** Everything through this log id has been delivered in every lane. */
    long position() {
        long min = Long.MAX_VALUE;
        for (Worker w : workers) {
            min = Math.min(min, w.backlog().position());
        }
        return min;
    }

    /** Notifications offered and not delivered yet, in memory or in the log. */
    long waiting() {
        long sum = 0;
        for (Worker w : workers) {
            sum += w.backlog().depth().waiting();
        }
        return sum;
    }

    /** The commit time of the oldest notification not delivered yet (being attempted, or in memory), 0 if none. */
    long oldestMillis() {
        long oldest = 0;
        for (Worker w : workers) {
            long attempting = w.attemptingSince();
            long t = attempting != 0 ? attempting : w.backlog().depth().oldestMillis();
            if (t != 0 && (oldest == 0 || t < oldest)) {
                oldest = t;
            }
        }
        return oldest;
    }
}
