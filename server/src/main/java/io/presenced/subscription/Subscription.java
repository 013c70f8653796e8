package io.presenced.subscription;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscription: its owner (extension and app), filters, delivery and lifecycle.
 *
 * @param signingSecret the Standard Webhooks secret ({@code whsec_…}) the server signs deliveries with
 * @param expiresIn     the lifetime asked for, in seconds, which each renewal grants again
 */
public record Subscription(String id, long accountId, long ownerExtensionId, String clientId,
                           List<EventFilter> filters, List<DisabledFilter> disabledFilters,
                           DeliveryMode deliveryMode, String signingSecret, Status status,
                           Optional<Blacklisting> blacklisted, Instant creationTime, Instant expirationTime,
                           long expiresIn) {

    /** Whether notifications flow. */
    public enum Status { Active, Blacklisted }

    /** A filter the owner may not use, and why. */
    public record DisabledFilter(String filter, String reason) {
    }

    /** When and why a subscription was blacklisted. */
    public record Blacklisting(Instant blacklistedAt, String reason) {
    }

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "clientId");
        filters = List.copyOf(filters);
        disabledFilters = List.copyOf(disabledFilters);
        Objects.requireNonNull(deliveryMode, "deliveryMode");
        Objects.requireNonNull(signingSecret, "signingSecret");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(blacklisted, "blacklisted");
        Objects.requireNonNull(creationTime, "creationTime");
        Objects.requireNonNull(expirationTime, "expirationTime");
    }

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return !expirationTime.isAfter(now);
    }

    /** This subscription blacklisted now for {@code reason}. */
    public Subscription blacklist(Instant at, String reason) {
        return new Subscription(id, accountId, ownerExtensionId, clientId, filters, disabledFilters, deliveryMode,
                signingSecret, Status.Blacklisted, Optional.of(new Blacklisting(at, reason)), creationTime,
                expirationTime, expiresIn);
    }

    /** This subscription with new filters, delivery and expiry, active again. */
    public Subscription renewed(List<EventFilter> newFilters, List<DisabledFilter> newDisabled, DeliveryMode mode,
                                Instant newExpiration, long newExpiresIn) {
        return new Subscription(id, accountId, ownerExtensionId, clientId, newFilters, newDisabled, mode,
                signingSecret, Status.Active, Optional.empty(), creationTime, newExpiration, newExpiresIn);
    }
}
