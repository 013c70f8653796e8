package io.presenced.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/** The server's external base URL: the configured public URL, or else the one the request was sent to. */
public final class BaseUrl {
    private final Optional<String> configured;

    public BaseUrl(Optional<String> configured) {
        this.configured = configured.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    /** The base URL for links in the answer to {@code req}, without a trailing slash. */
    public String of(ServerRequest req) {
        return configured.orElseGet(() -> {
            String host = req.headers().first(HeaderNames.HOST)
                    .orElseGet(() -> req.localPeer().host() + ":" + req.localPeer().port());
            return (req.isSecure() ? "https://" : "http://") + host;
        });
    }

    /** The WebSocket form of the base URL ({@code ws://} or {@code wss://}). */
    public String webSocket(ServerRequest req) {
        String base = of(req);
        return base.startsWith("https://") ? "wss://" + base.substring(8) : "ws://" + base.substring(7);
    }
}
