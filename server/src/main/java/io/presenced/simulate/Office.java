package io.presenced.simulate;

import io.presenced.directory.ExtensionType;
import io.presenced.presence.Aggregation;
import io.presenced.presence.CallDirection;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PartyStatus;
import io.presenced.presence.PresenceStatus;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the simulator believes: each extension's active call parties, meetings and the status its user
 * set, and the presence these give. Changed only by the simulator's single thread.
 */
final class Office {
    /** What the simulator expects the server to show for one extension. */
    record Expected(TelephonyStatus telephonyStatus, PresenceStatus presenceStatus, MeetingStatus meetingStatus,
                    UserStatus userStatus, DndStatus dndStatus) {
    }

    private record PartyKey(String session, String party) {
    }

    private static final class Person {
        final Map<PartyKey, Aggregation.Party> parties = new HashMap<>();
        final Set<String> meetings = new HashSet<>();
        UserStatus userStatus = UserStatus.Available;
        DndStatus dnd = DndStatus.TakeAllCalls;
    }

    private final Map<Long, Person> people = new HashMap<>();

    Office(List<Long> extensions) {
        extensions.forEach(id -> people.put(id, new Person()));
    }

    void party(long extension, String session, String party, CallDirection direction, PartyStatus status) {
        Person p = people.get(extension);
        PartyKey key = new PartyKey(session, party);
        if (status.ended()) {
            p.parties.remove(key);
        } else {
            p.parties.put(key, new Aggregation.Party(direction, status));
        }
    }

    void meeting(long extension, String meeting, MeetingStatus status) {
        Person p = people.get(extension);
        if (status == MeetingStatus.Connected) {
            p.meetings.add(meeting);
        } else {
            p.meetings.remove(meeting);
        }
    }

    void userStatus(long extension, UserStatus status) {
        people.get(extension).userStatus = status;
    }

    void dnd(long extension, DndStatus status) {
        people.get(extension).dnd = status;
    }

    int activeParties(long extension) {
        return people.get(extension).parties.size();
    }

    boolean inMeeting(long extension) {
        return !people.get(extension).meetings.isEmpty();
    }

    DndStatus dnd(long extension) {
        return people.get(extension).dnd;
    }

    int activeCalls() {
        return people.values().stream().mapToInt(p -> p.parties.size()).sum();
    }

    /** A call party still active, or a meeting still joined. */
    record Open(long extension, String session, String party, CallDirection direction) {
    }

    /** Every active call party (with {@code party} set) and joined meeting (with {@code party} null). */
    List<Open> open() {
        List<Open> result = new ArrayList<>();
        people.forEach((id, p) -> {
            p.parties.forEach((k, v) -> result.add(new Open(id, k.session(), k.party(), v.direction())));
            p.meetings.forEach(m -> result.add(new Open(id, m, null, null)));
        });
        result.sort(Comparator.comparingLong(Open::extension).thenComparing(Open::session));
        return result;
    }

    /** The presence each extension should show. */
    Map<Long, Expected> expected() {
        Map<Long, Expected> result = new HashMap<>();
        people.forEach((id, p) -> {
            TelephonyStatus telephony = Aggregation.telephonyStatus(p.parties.values());
            MeetingStatus meeting = p.meetings.isEmpty() ? MeetingStatus.Disconnected : MeetingStatus.Connected;
            result.put(id, new Expected(telephony, Aggregation.presenceStatus(ExtensionType.User, p.userStatus,
                    telephony, meeting, p.dnd), meeting, p.userStatus, p.dnd));
        });
        return result;
    }
}
