package io.presenced.auth;

import java.util.Objects;
import java.util.Set;

/** A client application: its id, the hash of its secret, and the permissions it was granted. */
public record App(String clientId, String name, String secretHash, Set<Permission> permissions) {
    public App {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        permissions = Set.copyOf(permissions);
    }
}
