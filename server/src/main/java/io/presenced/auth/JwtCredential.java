package io.presenced.auth;

import java.time.Instant;
import java.util.Objects;

/** A JWT credential issued to a user, known to the store only by the hash of its text. */
public record JwtCredential(String id, long extensionId, String tokenHash, Instant createdAt, boolean revoked) {
    public JwtCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
