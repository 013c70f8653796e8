package io.presenced.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How delivery behaves.
 *
 * @param backoff            waits after the 1st, 2nd, … failed attempt; the last one repeats
 * @param jitter             each wait is varied by up to this fraction either way
 * @param failureWindow      an endpoint failing continuously this long is blacklisted
 * @param memoryPerSubscription events a subscription keeps in memory before it reads from the log instead
 * @param lanesPerSubscription  deliveries in flight per subscription (each lane carries a fixed share of the
 *                              extensions, in order)
 * @param concurrencyPerEndpoint requests in flight to one endpoint (scheme, host and port) at most
 * @param validationTimeout  the Validation-Token handshake's limit
 * @param requestTimeout     one delivery's limit
 * @param allow              CIDR blocks WebHook addresses must be in (empty: any)
 * @param deny               CIDR blocks WebHook addresses must not be in (link-local and metadata always are)
 * @param retention          how long the event log keeps events
 */
public record DeliverySettings(List<Duration> backoff, double jitter, Duration failureWindow,
                               int memoryPerSubscription, int lanesPerSubscription, int concurrencyPerEndpoint,
                               Duration validationTimeout,
                               Duration requestTimeout, List<String> allow, List<String> deny, Duration retention) {
    public DeliverySettings {
        backoff = List.copyOf(backoff);
        if (lanesPerSubscription < 1 || concurrencyPerEndpoint < 1) {
            throw new IllegalArgumentException("lanes and endpoint concurrency must be at least 1");
        }
        if (backoff.isEmpty()) {
            throw new IllegalArgumentException("the backoff schedule needs at least one step");
        }
        Objects.requireNonNull(failureWindow, "failureWindow");
        Objects.requireNonNull(validationTimeout, "validationTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        Objects.requireNonNull(retention, "retention");
    }

    /** 1 s, 5 s, 30 s, 2 min, 10 min, then every 30 min; blacklisted after 15 min of failures; 7 days of log. */
    public static DeliverySettings defaults() {
        return new DeliverySettings(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30)), 0.2, Duration.ofMinutes(15),
                10_000, 8, 64, Duration.ofSeconds(3), Duration.ofSeconds(10), List.of(), List.of(), Duration.ofDays(7));
    }

    /** These settings with another backoff schedule and failure window (tests shorten them). */
    public DeliverySettings withRetries(List<Duration> newBackoff, Duration newWindow) {
        return new DeliverySettings(newBackoff, jitter, newWindow, memoryPerSubscription, lanesPerSubscription, concurrencyPerEndpoint,
                validationTimeout, requestTimeout, allow, deny, retention);
    }

    /** These settings with other address lists. */
    public DeliverySettings withAddresses(List<String> newAllow, List<String> newDeny) {
        return new DeliverySettings(backoff, jitter, failureWindow, memoryPerSubscription, lanesPerSubscription, concurrencyPerEndpoint,
                validationTimeout, requestTimeout, newAllow, newDeny, retention);
    }

    /** These settings with another in-memory backlog size. */
    public DeliverySettings withMemoryPerSubscription(int events) {
        return new DeliverySettings(backoff, jitter, failureWindow, events, lanesPerSubscription, concurrencyPerEndpoint,
                validationTimeout, requestTimeout, allow, deny, retention);
    }

    /** These settings with another retention period for the event log. */
    public DeliverySettings withRetention(Duration newRetention) {
        return new DeliverySettings(backoff, jitter, failureWindow, memoryPerSubscription, lanesPerSubscription, concurrencyPerEndpoint,
                validationTimeout, requestTimeout, allow, deny, newRetention);
    }

    /** The wait after the {@code attempt}-th consecutive failure (1-based), before jitter. */
    public Duration backoffAfter(int attempt) {
        return backoff.get(Math.min(attempt, backoff.size()) - 1);
    }
}
