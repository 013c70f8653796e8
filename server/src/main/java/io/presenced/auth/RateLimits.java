package io.presenced.auth;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** How many requests each group allows per window, or none at all when switched off. */
public record RateLimits(boolean enabled, Map<RateGroup, Integer> limits, Duration window) {
    public RateLimits {
        Objects.requireNonNull(window, "window");
        limits = Map.copyOf(limits);
        for (RateGroup group : RateGroup.values()) {
            if (!limits.containsKey(group)) {
                throw new IllegalArgumentException("no rate limit for group " + group);
            }
        }
    }

    /** RingCentral's defaults: Light 50, Medium 40, Heavy 10, Auth 5 requests per 60 s. */
    public static RateLimits defaults() {
        Map<RateGroup, Integer> limits = new EnumMap<>(RateGroup.class);
        limits.put(RateGroup.Light, 50);
        limits.put(RateGroup.Medium, 40);
        limits.put(RateGroup.Heavy, 10);
        limits.put(RateGroup.Auth, 5);
        return new RateLimits(true, limits, Duration.ofSeconds(60));
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
