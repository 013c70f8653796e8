package io.presenced.delivery;

import io.presenced.presence.PresenceEvent;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers one lane of a subscription's backlog, one notification at a time in log order (so each
 * extension's events arrive in sequence order), on a virtual thread of its own. Failures wait out the backoff;
 * an endpoint failing for the whole failure window, or answering 410, is blacklisted.
 */
final class Worker implements Runnable {
    private static final System.Logger LOG = System.getLogger(Worker.class.getName());
    private static final int LOG_BATCH = 256;

    private final Pipeline pipeline;
    private final Backlog backlog;
    private final Clock clock;
    private volatile Subscription subscription;
    private volatile boolean running = true;
    private volatile boolean resetRequested;
    private Instant retryAt = Instant.MIN;
    private Instant failingSince;
    private int failures;
    private volatile long attemptingSince;
    private final Thread thread;

    private final int lane;
    private final int lanes;

    Worker(Pipeline pipeline, Subscription subscription, Backlog backlog, Clock clock, int lane, int lanes) {
        this.pipeline = pipeline;
        this.subscription = subscription;
        this.backlog = backlog;
        this.clock = clock;
        this.lane = lane;
        this.lanes = lanes;
        this.thread = Thread.ofVirtual().name("delivery-" + subscription.id() + "-" + lane).unstarted(this);
    }

    void start() {
        thread.start();
    }

    Backlog backlog() {
        return backlog;
    }

    Subscription subscription() {
        return subscription;
    }

    /** The subscription changed (renewed, updated, blacklisted): use it from now on, and retry at once. */
    void changed(Subscription s) {
        Subscription old = subscription;
        subscription = s;
        boolean reactivated = old.status() == Subscription.Status.Blacklisted
                && s.status() == Subscription.Status.Active;
        if (reactivated || !s.deliveryMode().equals(old.deliveryMode())) {
            resetRequested = true;
        }
        backlog.wake();
    }

    void stop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public void run() {
        while (running) {
            try {
                step();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "delivery of subscription " + subscription.id() + " failed", e);
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void step() throws InterruptedException {
        if (resetRequested) {
            resetRequested = false;
            retryAt = Instant.MIN;
            failingSince = null;
            failures = 0;
        }
        Subscription s = subscription;
        Instant now = clock.instant();
        if (s.expiredAt(now) || s.status() == Subscription.Status.Blacklisted) {
            backlog.pause(1000);
            return;
        }
        if (now.isBefore(retryAt)) {
            backlog.pause(Math.max(1, Duration.between(now, retryAt).toMillis()));
            return;
        }
        switch (backlog.next(pipeline.dispatchedThrough())) {
            case Backlog.Next.Idle idle -> backlog.await(1000);
            case Backlog.Next.Memory m -> attempt(s, m.pending());
            case Backlog.Next.Log l -> fromLog(s, l.from(), l.until());
        }
    }

    private void fromLog(Subscription s, long from, long until) throws InterruptedException {
        List<RecentLog.Entry> entries = pipeline.readLog(from, LOG_BATCH);
        if (entries.isEmpty() || entries.getFirst().id() > until) {
            backlog.doneThrough(until);
            return;
        }
        for (RecentLog.Entry entry : entries) {
            PresenceEvent event = entry.event();
            if (event.id() > until) {
                return;
            }
            Optional<Pending> pending = Lanes.laneOf(event.state().extensionId(), lanes) == lane
                    ? pipeline.pendingFor(s, entry) : Optional.empty();
            if (pending.isEmpty()) {
                backlog.doneThrough(event.id());
            } else if (!attempt(s, pending.get())) {
                return;
            }
        }
    }

    /** The commit time (epoch ms) of the notification this worker is trying to deliver, 0 if none. */
    long attemptingSince() {
        return attemptingSince;
    }

    /** Tries one delivery; true if it was delivered. */
    private boolean attempt(Subscription s, Pending p) throws InterruptedException {
        attemptingSince = p.time().toEpochMilli();
        Outcome outcome = pipeline.transport(s).send(s, Notifications.envelope(s, p));
        pipeline.record(s, p, outcome);
        switch (outcome) {
            case Outcome.Delivered d -> {
                backlog.doneThrough(p.logId());
                backlog.delivered(p.logId());
                attemptingSince = 0;
                failingSince = null;
                failures = 0;
                return true;
            }
            case Outcome.Gone g -> pipeline.blacklist(s, g.reason());
            case Outcome.Retry r -> {
                Instant now = clock.instant();
                if (failingSince == null) {
                    failingSince = now;
                }
                failures++;
                boolean webhook = s.deliveryMode().transportType() == DeliveryMode.TransportType.WebHook;
                // A WebSocket subscription is not blacklisted while its client is away: its session ends it in time.
                if (webhook && !Duration.between(failingSince, now).minus(pipeline.settings().failureWindow())
                        .isNegative()) {
                    pipeline.blacklist(s, r.reason());
                } else {
                    // A receiver's Retry-After is honoured, but never sooner than the first step of the backoff.
                    Duration floor = webhook ? pipeline.settings().backoffAfter(1) : Duration.ZERO;
                    retryAt = now.plus(r.retryAfter().map(d -> d.compareTo(floor) < 0 ? floor : d)
                            .orElseGet(() -> jittered(failures)));
                }
            }
        }
        return false;
    }

    private Duration jittered(int attempt) {
        Duration base = pipeline.settings().backoffAfter(attempt);
        double factor = 1 + pipeline.settings().jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, (long) (base.toMillis() * factor)));
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
