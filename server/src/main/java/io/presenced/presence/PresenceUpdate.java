package io.presenced.presence;

import java.util.Optional;

/** The fields a user may set on their presence; an empty field is left as it is. */
public record PresenceUpdate(Optional<UserStatus> userStatus, Optional<DndStatus> dndStatus,
                             Optional<String> message, Optional<Boolean> allowSeeMyPresence,
                             Optional<Boolean> ringOnMonitoredCall, Optional<Boolean> pickUpCallsOnHold) {

    /** The longest message a user may set. */
    public static final int MAX_MESSAGE_LENGTH = 75;

    /** The state after this update, with presenceStatus derived again; the sequence is unchanged. */
    public PresenceState applyTo(PresenceState s) {
        return s.withPreferences(userStatus.orElse(s.userStatus()), dndStatus.orElse(s.dndStatus()),
                message.orElse(s.message()), allowSeeMyPresence.orElse(s.allowSeeMyPresence()),
                ringOnMonitoredCall.orElse(s.ringOnMonitoredCall()), pickUpCallsOnHold.orElse(s.pickUpCallsOnHold()));
    }
}
