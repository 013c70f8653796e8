package io.presenced.presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the telephony and meeting sources last said about an extension: its active call parties, the
 * last applied event time of each party it has seen (active or recently ended, so that a late, older
 * event cannot bring back a call), and its meetings.
 *
 * @param partyClock last applied eventTime (epoch ms) by call id, kept for the newest {@value #CLOCK_SIZE} parties
 * @param meetings   by meeting id
 * @param partyHorizon   the newest event time of a party no longer remembered: an unknown party's event at or
 *                       before it is taken as stale, so that a late event cannot revive a forgotten call
 * @param meetingHorizon the same for meetings
 */
public record Sources(List<ActiveCall> calls, Map<String, Long> partyClock, Map<String, Meeting> meetings,
                      long partyHorizon, long meetingHorizon) {
    /** How many parties' event times are remembered per extension. */
    public static final int CLOCK_SIZE = 16;
    /** No calls, no meetings. */
    public static final Sources NONE = new Sources(List.of(), Map.of(), Map.of(), 0, 0);

    /** A meeting's last reported status and event time (epoch ms). */
    public record Meeting(MeetingStatus status, long eventTime) {
    }

    public Sources {
        calls = calls == null ? List.of() : List.copyOf(calls);
        partyClock = partyClock == null ? Map.of() : Map.copyOf(partyClock);
        meetings = meetings == null ? Map.of() : Map.copyOf(meetings);
    }

    /** Only the active calls of these sources, without the event times and meetings they remember. */
    public Sources callsOnly() {
        return partyClock.isEmpty() && meetings.isEmpty() && partyHorizon == 0 && meetingHorizon == 0 ? this
                : new Sources(calls, Map.of(), Map.of(), 0, 0);
    }

    /** Connected if any meeting is. */
    public MeetingStatus meetingStatus() {
        return meetings.values().stream().anyMatch(m -> m.status() == MeetingStatus.Connected)
                ? MeetingStatus.Connected : MeetingStatus.Disconnected;
    }

    /** The telephonyStatus the active calls give (SPEC §1.1). */
    public TelephonyStatus telephonyStatus() {
        TelephonyStatus result = TelephonyStatus.NoCall;
        for (ActiveCall call : calls) {
            result = result.max(call.telephonyStatus());
        }
        return result;
    }

    /** The last applied event time of a party, if it was seen (or may have been, and was forgotten). */
    public Optional<Long> lastEventTime(String callId) {
        Long last = partyClock.get(callId);
        return last != null ? Optional.of(last) : partyHorizon > 0 ? Optional.of(partyHorizon) : Optional.empty();
    }

    /** The last applied event time of a meeting, if it was seen (or may have been, and was forgotten). */
    public Optional<Long> lastMeetingTime(String meetingId) {
        Meeting last = meetings.get(meetingId);
        return last != null ? Optional.of(last.eventTime())
                : meetingHorizon > 0 ? Optional.of(meetingHorizon) : Optional.empty();
    }

    /** Whether a party of this id is active. */
    public boolean active(String callId) {
        return calls.stream().anyMatch(c -> c.id().equals(callId));
    }

    /** These sources with one party's new status (an ended party leaves the calls) at {@code eventTime}. */
    public Sources withParty(ActiveCall call, long eventTime) {
        List<ActiveCall> next = new ArrayList<>(calls.size() + 1);
        ActiveCall previous = null;
        for (ActiveCall c : calls) {
            if (c.id().equals(call.id())) {
                previous = c;
            } else {
                next.add(c);
            }
        }
        if (!call.status().ended()) {
            next.add(previous == null ? call : new ActiveCall(call.id(), call.direction(), call.from(),
                    call.fromName(), call.to(), call.toName(), previous.startTime(), call.status(), call.sessionId(),
                    call.telephonySessionId(), call.partyId(), call.sipData().or(previous::sipData)));
        }
        next.sort(Comparator.comparing(ActiveCall::startTime).thenComparing(ActiveCall::id));
        Map<String, Long> clock = new HashMap<>(partyClock);
        clock.put(call.id(), eventTime);
        long horizon = partyHorizon;
        if (clock.size() > CLOCK_SIZE) {
            List<String> active = next.stream().map(ActiveCall::id).toList();
            List<Map.Entry<String, Long>> forget = clock.entrySet().stream()
                    .filter(e -> !active.contains(e.getKey()))
                    .sorted(Map.Entry.comparingByValue())
                    .limit(clock.size() - CLOCK_SIZE)
                    .toList();
            for (Map.Entry<String, Long> e : forget) {
                horizon = Math.max(horizon, e.getValue());
                clock.remove(e.getKey());
            }
        }
        return new Sources(next, clock, meetings, horizon, meetingHorizon);
    }

    /** These sources with a meeting's new status. */
    public Sources withMeeting(String meetingId, MeetingStatus status, long eventTime) {
        Map<String, Meeting> next = new HashMap<>(meetings);
        next.put(meetingId, new Meeting(status, eventTime));
        long horizon = meetingHorizon;
        if (next.size() > CLOCK_SIZE) {
            List<Map.Entry<String, Meeting>> forget = next.entrySet().stream()
                    .filter(e -> e.getValue().status() == MeetingStatus.Disconnected)
                    .sorted(Comparator.comparingLong(e -> e.getValue().eventTime()))
                    .limit(next.size() - CLOCK_SIZE).toList();
            for (Map.Entry<String, Meeting> e : forget) {
                horizon = Math.max(horizon, e.getValue().eventTime());
                next.remove(e.getKey());
            }
        }
        return new Sources(calls, partyClock, next, partyHorizon, horizon);
    }
}
