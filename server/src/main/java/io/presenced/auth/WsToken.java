package io.presenced.auth;

import java.time.Instant;
import java.util.Objects;

/** A short-lived token that opens a WebSocket for the session it was issued in. */
public record WsToken(String tokenHash, String sessionId, Instant expiresAt) {
    public WsToken {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
