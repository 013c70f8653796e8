package io.presenced.directory;

import java.util.List;
import java.util.Objects;

/** What is needed to create an extension; the store allocates its id. */
public record ExtensionSpec(long accountId, String extensionNumber, String name, String email,
                            ExtensionType type, ExtensionStatus status, Role role, List<Long> departments) {
    public ExtensionSpec {
        Objects.requireNonNull(extensionNumber, "extensionNumber");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(role, "role");
        departments = List.copyOf(departments);
    }

    /** The extension this spec becomes under the given id. */
    public Extension withId(long id) {
        return new Extension(id, accountId, extensionNumber, name, email, type, status, role, departments);
    }
}
