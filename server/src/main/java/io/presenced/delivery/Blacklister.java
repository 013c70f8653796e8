package io.presenced.delivery;

import io.presenced.subscription.Subscription;

/** Marks a subscription blacklisted when delivery gives up on its endpoint. */
@FunctionalInterface
public interface Blacklister {
    /** Blacklists {@code seen} for {@code reason}, unless the subscription has changed since that version. */
    void blacklist(Subscription seen, String reason);
}
