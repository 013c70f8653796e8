package io.presenced.delivery;

/** Marks a subscription blacklisted when delivery gives up on its endpoint. */
@FunctionalInterface
public interface Blacklister {
    void blacklist(String subscriptionId, String reason);
}
