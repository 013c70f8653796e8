package io.presenced.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Token lifetimes: the defaults, and the limits within which a client's {@code access_token_ttl}
 * and {@code refresh_token_ttl} are honoured.
 */
public record AuthSettings(Duration accessTtl, Duration minAccessTtl, Duration maxAccessTtl,
                           Duration refreshTtl, Duration minRefreshTtl, Duration maxRefreshTtl,
                           Duration wsTokenTtl) {
    public AuthSettings {
        Objects.requireNonNull(accessTtl, "accessTtl");
        Objects.requireNonNull(minAccessTtl, "minAccessTtl");
        Objects.requireNonNull(maxAccessTtl, "maxAccessTtl");
        Objects.requireNonNull(refreshTtl, "refreshTtl");
        Objects.requireNonNull(minRefreshTtl, "minRefreshTtl");
        Objects.requireNonNull(maxRefreshTtl, "maxRefreshTtl");
        Objects.requireNonNull(wsTokenTtl, "wsTokenTtl");
    }

    /** RingCentral's: access 1 h (10 min–1 h), refresh 7 days (1 h–7 days), WebSocket token 60 s. */
    public static AuthSettings defaults() {
        return new AuthSettings(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofHours(1),
                Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(7), Duration.ofSeconds(60));
    }

    /** These settings with other lower limits for the requested lifetimes (tests shorten them). */
    public AuthSettings withMinimums(Duration minAccess, Duration minRefresh) {
        return new AuthSettings(accessTtl, minAccess, maxAccessTtl, refreshTtl, minRefresh, maxRefreshTtl,
                wsTokenTtl);
    }
}
