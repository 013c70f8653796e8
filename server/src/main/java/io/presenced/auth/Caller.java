package io.presenced.auth;

import io.presenced.directory.Extension;
import io.presenced.directory.Role;
import java.util.Objects;

/** Who makes a request: the session's user extension, its app, and the effective permissions. */
public record Caller(Session session, Extension extension) {
    public Caller {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(extension, "extension");
    }

    public long accountId() {
        return extension.accountId();
    }

    public long extensionId() {
        return extension.id();
    }

    public String clientId() {
        return session.clientId();
    }

    public boolean isAdmin() {
        return extension.role() == Role.Admin;
    }

    /** Whether the session holds this permission. */
    public boolean has(Permission permission) {
        return session.scope().contains(permission);
    }
}
