package io.presenced.subscription;

/** Told of every change to the set of subscriptions, so that delivery can start, change or stop. */
public interface SubscriptionListener {
    /** A subscription was created; its delivery starts after log id {@code position}. */
    void created(Subscription subscription, long position);

    /** A subscription changed (filters, address, expiry, status). */
    void changed(Subscription subscription);

    /** A subscription was deleted. */
    void deleted(String id);
}
