package io.presenced.directory;

import java.util.List;
import java.util.Objects;

/**
 * One extension of an account.
 *
 * @param departments ids of the Department extensions this extension is a member of
 */
public record Extension(long id, long accountId, String extensionNumber, String name, String email,
                        ExtensionType type, ExtensionStatus status, Role role, List<Long> departments) {
    public Extension {
        Objects.requireNonNull(extensionNumber, "extensionNumber");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(role, "role");
        departments = List.copyOf(departments);
    }

    /** Whether this extension belongs to at least one department. */
    public boolean inDepartment() {
        return !departments.isEmpty();
    }
}
