package io.presenced.presence;

import io.presenced.directory.ExtensionType;
import java.util.Collection;
import java.util.Objects;

/** The pure functions that derive telephonyStatus from calls and presenceStatus from all sources. */
public final class Aggregation {
    private Aggregation() {
    }

    /** A call party as the derivation needs it: its direction and its current status. */
    public record Party(CallDirection direction, PartyStatus status) {
        public Party {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(status, "status");
        }
    }

    /** The extension's telephonyStatus: the highest status of its active parties, NoCall without any. */
    public static TelephonyStatus telephonyStatus(Collection<Party> parties) {
        TelephonyStatus result = TelephonyStatus.NoCall;
        for (Party party : parties) {
            result = party.status().telephonyStatus(party.direction()).map(result::max).orElse(result);
        }
        return result;
    }

    /** The aggregated presenceStatus; the first matching rule wins (SPEC §1.2). */
    public static PresenceStatus presenceStatus(ExtensionType type, UserStatus userStatus,
                                                TelephonyStatus telephonyStatus, MeetingStatus meetingStatus,
                                                DndStatus dndStatus) {
        if (type != ExtensionType.User || userStatus == UserStatus.Offline) {
            return PresenceStatus.Offline;
        }
        boolean busy = telephonyStatus == TelephonyStatus.CallConnected
                || telephonyStatus == TelephonyStatus.OnHold
                || meetingStatus == MeetingStatus.Connected
                || dndStatus == DndStatus.DoNotAcceptAnyCalls
                || userStatus == UserStatus.Busy;
        return busy ? PresenceStatus.Busy : PresenceStatus.Available;
    }
}
