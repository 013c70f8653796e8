package io.presenced;

import io.presenced.auth.AuthSettings;
import io.presenced.auth.RateLimits;
import io.presenced.delivery.DeliverySettings;
import io.presenced.websocket.WsSettings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a server needs to start.
 *
 * @param port         TCP port, 0 for any free one
 * @param host         address to listen on
 * @param dataDir      where the embedded store keeps its files
 * @param publicUrl    the base URL clients reach the server at, if it is not the request's Host
 * @param maxBodyBytes largest request body accepted
 * @param seedDemo     whether to create the demo account when the store is empty
 */
public record ServerConfig(int port, String host, Path dataDir, Optional<String> publicUrl, long maxBodyBytes,
                           RateLimits rateLimits, AuthSettings auth, DeliverySettings delivery, WsSettings webSocket,
                           boolean seedDemo) {
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(webSocket, "webSocket");
    }

    /** The defaults: port 8080 on all addresses, data in {@code ./data}, RingCentral's limits. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_PORT, "0.0.0.0", Path.of("data"), Optional.empty(), DEFAULT_MAX_BODY_BYTES,
                RateLimits.defaults(), AuthSettings.defaults(), DeliverySettings.defaults(), WsSettings.defaults(), true);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(newPort, host, dataDir, publicUrl, maxBodyBytes, rateLimits, auth, delivery,
                webSocket, seedDemo);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(port, host, dir, publicUrl, maxBodyBytes, rateLimits, auth, delivery,
                webSocket, seedDemo);
    }

    public ServerConfig withRateLimits(RateLimits limits) {
        return new ServerConfig(port, host, dataDir, publicUrl, maxBodyBytes, limits, auth, delivery,
                webSocket, seedDemo);
    }

    public ServerConfig withAuth(AuthSettings settings) {
        return new ServerConfig(port, host, dataDir, publicUrl, maxBodyBytes, rateLimits, settings, delivery,
                webSocket, seedDemo);
    }

    public ServerConfig withPublicUrl(Optional<String> url) {
        return new ServerConfig(port, host, dataDir, url, maxBodyBytes, rateLimits, auth, delivery,
                webSocket, seedDemo);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(port, host, dataDir, publicUrl, bytes, rateLimits, auth, delivery,
                webSocket, seedDemo);
    }

    public ServerConfig withDelivery(DeliverySettings settings) {
        return new ServerConfig(port, host, dataDir, publicUrl, maxBodyBytes, rateLimits, auth, settings,
                webSocket, seedDemo);
    }

    public ServerConfig withWebSocket(WsSettings settings) {
        return new ServerConfig(port, host, dataDir, publicUrl, maxBodyBytes, rateLimits, auth, delivery, settings,
                seedDemo);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(port, newHost, dataDir, publicUrl, maxBodyBytes, rateLimits, auth, delivery,
                webSocket, seedDemo);
    }
}
