package io.presenced.delivery;

import io.presenced.subscription.Subscription;

/** Carries one notification to a subscriber; what happened is an {@link Outcome}, not an exception. */
@FunctionalInterface
public interface Transport {
    /** Sends one notification. */
    Outcome send(Subscription subscription, Envelope envelope) throws InterruptedException;

    /** A notification for {@code subscription} entered its backlog (called on the dispatcher's thread; must be quick). */
    default void produced(Subscription subscription) {
    }
}
