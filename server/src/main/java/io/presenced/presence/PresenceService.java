package io.presenced.presence;

import io.presenced.ApiException;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionType;
import java.util.Objects;

/** Reads and changes the presence of extensions, enforcing what the model allows (SPEC §1, §4). */
public final class PresenceService {
    private final PresenceWriter writer;

    public PresenceService(PresenceWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** The latest committed presence of an extension. */
    public PresenceState get(Extension extension) {
        return writer.current(extension);
    }

    /**
     * Applies a user's update and returns the new state once it is durable; a change that no event
     * would show keeps the sequence, and a change of nothing writes nothing.
     */
    public PresenceState update(Extension extension, PresenceUpdate update) {
        if (extension.type() != ExtensionType.User) {
            throw ApiException.parameter(400, "CMN-101", "Presence can be set only for extensions of type User,"
                    + " not " + extension.type(), "extensionId", String.valueOf(extension.id()));
        }
        update.message().filter(m -> m.codePointCount(0, m.length()) > PresenceUpdate.MAX_MESSAGE_LENGTH).ifPresent(m -> {
            throw ApiException.parameter(400, "CMN-101", "Parameter [message] value is invalid: at most "
                    + PresenceUpdate.MAX_MESSAGE_LENGTH + " characters, got " + m.codePointCount(0, m.length()), "message", m);
        });
        update.dndStatus().filter(d -> d.needsDepartment() && !extension.inDepartment()).ifPresent(d -> {
            throw ApiException.parameter(400, "CMN-101", "Parameter [dndStatus] value is invalid: " + d
                    + " is only for members of a department", "dndStatus", d.name());
        });
        return writer.apply(extension, update::applyTo);
    }
}
