package io.presenced.presence;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of an extension's presence, as recorded in the durable event log.
 *
 * @param id               position in the event log, assigned when it is committed (0 before)
 * @param state            the state after the change, carrying the event's sequence; of its sources only the active
 *                         calls, which an event shows (the event times the sources remember are the state's business)
 * @param telephonyChanged whether telephonyStatus changed in this event
 * @param wasVisible       allowSeeMyPresence before the change (the event that hides an extension is seen by all)
 */
public record PresenceEvent(long id, PresenceState state, boolean telephonyChanged, boolean wasVisible,
                            Instant time) {
    public PresenceEvent {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(time, "time");
    }

    /** The event of a state change, not yet in the log. */
    public static PresenceEvent of(PresenceState before, PresenceState after, Instant time) {
        return new PresenceEvent(0, after.forEvent(),
                before.telephonyStatus() != after.telephonyStatus(), before.allowSeeMyPresence(), time);
    }

    /** This event with its log position. */
    public PresenceEvent withId(long logId) {
        return new PresenceEvent(logId, state, telephonyChanged, wasVisible, time);
    }
}
