package io.presenced.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.presenced.PresencedException;
import io.presenced.ServerConfig;
import io.presenced.auth.AuthSettings;
import io.presenced.auth.RateGroup;
import io.presenced.auth.RateLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import io.presenced.delivery.DeliverySettings;
import io.presenced.websocket.WsSettings;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The server's configuration file (YAML): every key optional, unknown keys refused. */
record ConfigFile(Integer port, String host, String data, String publicUrl, Long maxBodyBytes,
                  RateLimitsEntry rateLimits, TokensEntry tokens, DeliveryEntry delivery, WebSocketEntry webSocket) {

    /** The {@code webSocket} section: the WSG session parameters. */
    record WebSocketEntry(Integer recoveryBufferSize, Long recoveryTimeoutSeconds, Long idleTimeoutSeconds,
                          Long absoluteTimeoutSeconds, Integer outboundBufferSize) {
    }

    /** The {@code rateLimits} section. */
    record RateLimitsEntry(Boolean enabled, Integer light, Integer medium, Integer heavy, Integer auth,
                           Integer windowSeconds) {
    }

    /** The {@code tokens} section: lifetimes in seconds. */
    record TokensEntry(Long accessTtlSeconds, Long minAccessTtlSeconds, Long maxAccessTtlSeconds,
                       Long refreshTtlSeconds, Long minRefreshTtlSeconds, Long maxRefreshTtlSeconds,
                       Long wsTokenTtlSeconds) {
    }

    /** The {@code delivery} section. */
    record DeliveryEntry(List<Long> backoffMillis, Long failureWindowSeconds, Integer memoryPerSubscription,
                         List<String> allow, List<String> deny, Long retentionHours) {
    }

    static ConfigFile read(Path path) {
        try {
            return new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(path.toFile(), ConfigFile.class);
        } catch (IOException e) {
            throw new PresencedException("cannot read the configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code base} with what this file sets. */
    ServerConfig over(ServerConfig base) {
        ServerConfig c = base;
        if (port != null) {
            c = c.withPort(port);
        }
        if (host != null) {
            c = c.withHost(host);
        }
        if (data != null) {
            c = c.withDataDir(Path.of(data));
        }
        if (publicUrl != null) {
            c = c.withPublicUrl(Optional.of(publicUrl));
        }
        if (maxBodyBytes != null) {
            c = c.withMaxBodyBytes(maxBodyBytes);
        }
        if (rateLimits != null) {
            RateLimits r = c.rateLimits();
            Map<RateGroup, Integer> limits = new EnumMap<>(r.limits());
            Optional.ofNullable(rateLimits.light()).ifPresent(v -> limits.put(RateGroup.Light, v));
            Optional.ofNullable(rateLimits.medium()).ifPresent(v -> limits.put(RateGroup.Medium, v));
            Optional.ofNullable(rateLimits.heavy()).ifPresent(v -> limits.put(RateGroup.Heavy, v));
            Optional.ofNullable(rateLimits.auth()).ifPresent(v -> limits.put(RateGroup.Auth, v));
            c = c.withRateLimits(new RateLimits(Optional.ofNullable(rateLimits.enabled()).orElse(r.enabled()), limits,
                    Optional.ofNullable(rateLimits.windowSeconds()).map(s -> Duration.ofSeconds(s)).orElse(r.window())));
        }
        if (tokens != null) {
            AuthSettings a = c.auth();
            c = c.withAuth(new AuthSettings(seconds(tokens.accessTtlSeconds(), a.accessTtl()),
                    seconds(tokens.minAccessTtlSeconds(), a.minAccessTtl()),
                    seconds(tokens.maxAccessTtlSeconds(), a.maxAccessTtl()),
                    seconds(tokens.refreshTtlSeconds(), a.refreshTtl()),
                    seconds(tokens.minRefreshTtlSeconds(), a.minRefreshTtl()),
                    seconds(tokens.maxRefreshTtlSeconds(), a.maxRefreshTtl()),
                    seconds(tokens.wsTokenTtlSeconds(), a.wsTokenTtl())));
        }
        if (delivery != null) {
            DeliverySettings d = c.delivery();
            List<Duration> backoff = delivery.backoffMillis() == null ? d.backoff()
                    : delivery.backoffMillis().stream().map(Duration::ofMillis).toList();
            d = d.withRetries(backoff, seconds(delivery.failureWindowSeconds(), d.failureWindow()))
                    .withAddresses(Optional.ofNullable(delivery.allow()).orElse(d.allow()),
                            Optional.ofNullable(delivery.deny()).orElse(d.deny()))
                    .withMemoryPerSubscription(Optional.ofNullable(delivery.memoryPerSubscription())
                            .orElse(d.memoryPerSubscription()))
                    .withRetention(Optional.ofNullable(delivery.retentionHours()).map(Duration::ofHours)
                            .orElse(d.retention()));
            c = c.withDelivery(d);
        }
        if (webSocket != null) {
            WsSettings w = c.webSocket();
            c = c.withWebSocket(new WsSettings(Optional.ofNullable(webSocket.recoveryBufferSize())
                    .orElse(w.recoveryBufferSize()), seconds(webSocket.recoveryTimeoutSeconds(), w.recoveryTimeout()),
                    seconds(webSocket.idleTimeoutSeconds(), w.idleTimeout()),
                    seconds(webSocket.absoluteTimeoutSeconds(), w.absoluteTimeout()), w.maxActiveRequests(),
                    Optional.ofNullable(webSocket.outboundBufferSize()).orElse(w.outboundBufferSize())));
        }
        return c;
    }

    private static Duration seconds(Long value, Duration fallback) {
        return value == null ? fallback : Duration.ofSeconds(value);
    }
}
