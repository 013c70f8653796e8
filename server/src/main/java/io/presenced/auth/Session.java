package io.presenced.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One OAuth session: the current access/refresh token pair of one user in one app, by their hashes.
 * A refresh rotates both hashes; a revoke deletes the session.
 */
public record Session(String sessionId, String accessHash, String refreshHash, String clientId,
                      long accountId, long extensionId, Set<Permission> scope,
                      Instant accessExpiresAt, Instant refreshExpiresAt, String endpointId) {
    public Session {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(accessHash, "accessHash");
        Objects.requireNonNull(refreshHash, "refreshHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
        Objects.requireNonNull(refreshExpiresAt, "refreshExpiresAt");
        Objects.requireNonNull(endpointId, "endpointId");
        scope = Set.copyOf(scope);
    }
}
