package io.presenced.auth;

import io.presenced.directory.Role;
import java.util.EnumSet;
import java.util.Set;

/** What each user role allows; a session's scope is its app's permissions intersected with its user's role. */
public final class RolePermissions {
    private RolePermissions() {
    }

    /** The permissions a role grants. */
    public static Set<Permission> of(Role role) {
        return switch (role) {
            case Admin -> EnumSet.allOf(Permission.class);
            case User -> EnumSet.of(Permission.ReadAccounts, Permission.ReadPresence, Permission.EditPresence,
                    Permission.WebSocketsSubscription);
        };
    }

    /** App permissions intersected with the role's. */
    public static Set<Permission> effective(Set<Permission> app, Role role) {
        Set<Permission> result = EnumSet.noneOf(Permission.class);
        result.addAll(app);
        result.retainAll(of(role));
        return result;
    }
}
