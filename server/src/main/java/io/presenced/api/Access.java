package io.presenced.api;

import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.Permission;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;

/** Resolves the account and extension ids of a path for a caller, refusing what the caller may not reach. */
public final class Access {
    private final Directory directory;

    public Access(Directory directory) {
        this.directory = directory;
    }

    /** Refuses the call unless the session holds {@code permission}. */
    public static void require(Caller caller, Permission permission) {
        if (!caller.has(permission)) {
            throw ApiException.permission("InsufficientPermissions", "CMN-401",
                    "In order to call this API endpoint, application needs to have [" + permission + "] permission",
                    permission.name());
        }
    }

    /** 403 for a resource of another account or extension the caller may not touch. */
    public static ApiException forbidden(Permission permission) {
        return ApiException.permission("CMN-408", "CMN-408", "In order to call this API endpoint, user needs to have ["
                + permission + "] permission for requested resource.", permission.name());
    }

    /** The caller's own account id for {@code ~} or its own id; 403 for any other account. */
    public long account(Caller caller, String raw, Permission permission) {
        if (raw.equals("~") || raw.equals(String.valueOf(caller.accountId()))) {
            return caller.accountId();
        }
        throw forbidden(permission);
    }

    /** The extension of the caller's account named by {@code raw} ({@code ~} is the caller's own). */
    public Extension extension(Caller caller, String raw, Permission permission) {
        if (raw.equals("~")) {
            return caller.extension();
        }
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw notFound("extensionId", raw);
        }
        Extension extension = directory.extension(id).orElseThrow(() -> notFound("extensionId", raw));
        if (extension.accountId() != caller.accountId()) {
            throw forbidden(permission);
        }
        return extension;
    }

    /** {@code 404 CMN-102 Resource for parameter [name] is not found}. */
    public static ApiException notFound(String name, String value) {
        return ApiException.parameter(404, "CMN-102", "Resource for parameter [" + name + "] is not found", name,
                value);
    }
}
