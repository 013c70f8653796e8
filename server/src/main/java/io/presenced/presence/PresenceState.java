package io.presenced.presence;

import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionType;
import java.util.Objects;

/**
 * The whole presence of one extension at one sequence: what the user set, what telephony and
 * meetings say, and what is derived from them.
 */
public record PresenceState(long extensionId, long accountId, ExtensionType type,
                            UserStatus userStatus, DndStatus dndStatus, String message,
                            boolean allowSeeMyPresence, boolean ringOnMonitoredCall, boolean pickUpCallsOnHold,
                            MeetingStatus meetingStatus, TelephonyStatus telephonyStatus,
                            PresenceStatus presenceStatus, long sequence, Sources sources) {

    public PresenceState {
        sources = sources == null ? Sources.NONE : sources;
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(userStatus, "userStatus");
        Objects.requireNonNull(dndStatus, "dndStatus");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(meetingStatus, "meetingStatus");
        Objects.requireNonNull(telephonyStatus, "telephonyStatus");
        Objects.requireNonNull(presenceStatus, "presenceStatus");
    }

    /** A state without calls or meetings from the sources. */
    public PresenceState(long extensionId, long accountId, ExtensionType type, UserStatus userStatus,
                         DndStatus dndStatus, String message, boolean allowSeeMyPresence, boolean ringOnMonitoredCall,
                         boolean pickUpCallsOnHold, MeetingStatus meetingStatus, TelephonyStatus telephonyStatus,
                         PresenceStatus presenceStatus, long sequence) {
        this(extensionId, accountId, type, userStatus, dndStatus, message, allowSeeMyPresence, ringOnMonitoredCall,
                pickUpCallsOnHold, meetingStatus, telephonyStatus, presenceStatus, sequence, Sources.NONE);
    }

    /** The state of an extension that never had an event: available, no call, no meeting, sequence 0. */
    public static PresenceState initial(Extension extension) {
        return of(extension.id(), extension.accountId(), extension.type(), UserStatus.Available,
                DndStatus.TakeAllCalls, "", true, false, false, MeetingStatus.Disconnected,
                TelephonyStatus.NoCall, 0);
    }

    /** A state whose presenceStatus is derived from the other fields. */
    public static PresenceState of(long extensionId, long accountId, ExtensionType type, UserStatus userStatus,
                                   DndStatus dndStatus, String message, boolean allowSeeMyPresence,
                                   boolean ringOnMonitoredCall, boolean pickUpCallsOnHold,
                                   MeetingStatus meetingStatus, TelephonyStatus telephonyStatus, long sequence) {
        return derive(extensionId, accountId, type, userStatus, dndStatus, message, allowSeeMyPresence,
                ringOnMonitoredCall, pickUpCallsOnHold, meetingStatus, telephonyStatus, sequence, Sources.NONE);
    }

    private static PresenceState derive(long extensionId, long accountId, ExtensionType type, UserStatus userStatus,
                                        DndStatus dndStatus, String message, boolean allowSeeMyPresence,
                                        boolean ringOnMonitoredCall, boolean pickUpCallsOnHold,
                                        MeetingStatus meetingStatus, TelephonyStatus telephonyStatus, long sequence,
                                        Sources sources) {
        PresenceStatus aggregated = Aggregation.presenceStatus(type, userStatus, telephonyStatus, meetingStatus,
                dndStatus);
        return new PresenceState(extensionId, accountId, type, userStatus, dndStatus, message, allowSeeMyPresence,
                ringOnMonitoredCall, pickUpCallsOnHold, meetingStatus, telephonyStatus, aggregated, sequence, sources);
    }

    /** This state with what the user set replaced, presenceStatus derived again. */
    public PresenceState withPreferences(UserStatus newUserStatus, DndStatus newDnd, String newMessage,
                                         boolean newAllowSee, boolean newRing, boolean newPickUp) {
        return derive(extensionId, accountId, type, newUserStatus, newDnd, newMessage, newAllowSee, newRing, newPickUp,
                meetingStatus, telephonyStatus, sequence, sources);
    }

    /** This state as an event carries it: every field as it is, of the sources only the active calls. */
    public PresenceState forEvent() {
        Sources calls = sources.callsOnly();
        return calls == sources ? this : new PresenceState(extensionId, accountId, type, userStatus, dndStatus, message,
                allowSeeMyPresence, ringOnMonitoredCall, pickUpCallsOnHold, meetingStatus, telephonyStatus,
                presenceStatus, sequence, calls);
    }

    /** This state with new source data; telephonyStatus, meetingStatus and presenceStatus follow from it. */
    public PresenceState withSources(Sources newSources) {
        return derive(extensionId, accountId, type, userStatus, dndStatus, message, allowSeeMyPresence,
                ringOnMonitoredCall, pickUpCallsOnHold, newSources.meetingStatus(), newSources.telephonyStatus(),
                sequence, newSources);
    }

    /**
     * Whether this state differs from another in a field that an event body carries (message is not one;
     * the active calls are, in detailed events).
     */
    public boolean differsInEventFrom(PresenceState other) {
        return userStatus != other.userStatus
                || dndStatus != other.dndStatus
                || allowSeeMyPresence != other.allowSeeMyPresence
                || ringOnMonitoredCall != other.ringOnMonitoredCall
                || pickUpCallsOnHold != other.pickUpCallsOnHold
                || meetingStatus != other.meetingStatus
                || telephonyStatus != other.telephonyStatus
                || presenceStatus != other.presenceStatus
                || !sameCalls(sources.calls(), other.sources.calls());
    }

    private static boolean sameCalls(java.util.List<ActiveCall> a, java.util.List<ActiveCall> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).looksLike(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** This state with its presenceStatus derived again and the given sequence. */
    public PresenceState withSequence(long newSequence) {
        return derive(extensionId, accountId, type, userStatus, dndStatus, message, allowSeeMyPresence,
                ringOnMonitoredCall, pickUpCallsOnHold, meetingStatus, telephonyStatus, newSequence, sources);
    }
}
