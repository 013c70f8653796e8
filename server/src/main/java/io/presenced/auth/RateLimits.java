package io.presenced.auth;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** How many requests each group allows per window, or none at all when switched off. */
public record RateLimits(boolean enabled, Map<RateGroup, Integer> limits, Duration window) {
    /** RingCentral's limits per window (Light 50, Medium 40, Heavy 10, Auth 5), and 6000 ingest batches. */
    public static final Map<RateGroup, Integer> DEFAULT_LIMITS = Map.of(RateGroup.Light, 50, RateGroup.Medium, 40,
            RateGroup.Heavy, 10, RateGroup.Auth, 5, RateGroup.Ingest, 6000);

    /** Limits for the groups given; any group not given keeps its default limit. */
    public RateLimits {
        Objects.requireNonNull(window, "window");
        Map<RateGroup, Integer> all = new EnumMap<>(DEFAULT_LIMITS);
        all.putAll(limits);
        limits = Map.copyOf(all);
    }

    /** The default limits per 60 s window. */
    public static RateLimits defaults() {
        return new RateLimits(true, DEFAULT_LIMITS, Duration.ofSeconds(60));
    }

    /** These limits switched off. */
    public RateLimits disabled() {
        return new RateLimits(false, limits, window);
    }

    /** The limit of one group. */
    public int limit(RateGroup group) {
        return limits.get(group);
    }
}
