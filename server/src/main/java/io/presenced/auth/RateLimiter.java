package io.presenced.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window request counting per key (user + app) and group. Each window is a value replaced
 * atomically in a concurrent map, so concurrent requests never over-admit.
 */
public final class RateLimiter {
    /** The outcome of one request: whether it may proceed, and the figures for the rate-limit headers. */
    public record Decision(boolean allowed, RateGroup group, int limit, int remaining, long windowSeconds,
                           long retryAfterSeconds) {
    }

    private record Window(long startMillis, int count) {
    }

    private record Key(String subject, RateGroup group) {
    }

    private final RateLimits limits;
    private final Clock clock;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    public RateLimiter(RateLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Whether rate limiting is on at all. */
    public boolean enabled() {
        return limits.enabled();
    }

    /** Counts one request of {@code subject} in {@code group}. */
    public Decision acquire(String subject, RateGroup group) {
        int limit = limits.limit(group);
        long windowMillis = limits.window().toMillis();
        long now = clock.millis();
        Window window = windows.compute(new Key(subject, group), (k, w) ->
                w == null || now - w.startMillis() >= windowMillis ? new Window(now, 1)
                        : new Window(w.startMillis(), w.count() + 1));
        boolean allowed = window.count() <= limit;
        long retryAfter = Math.max(1, (window.startMillis() + windowMillis - now + 999) / 1000);
        return new Decision(allowed, group, limit, Math.max(0, limit - window.count()),
                limits.window().toSeconds(), retryAfter);
    }

    /** Forgets windows that have ended, so idle users cost no memory. */
    public void sweep() {
        long now = clock.millis();
        long windowMillis = limits.window().toMillis();
        windows.values().removeIf(w -> now - w.startMillis() >= windowMillis);
    }
}
