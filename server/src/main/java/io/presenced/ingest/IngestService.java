package io.presenced.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.auth.Caller;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;
import io.presenced.presence.ActiveCall;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PresenceState;
import io.presenced.presence.PresenceWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Applies batches of telephony and meeting events (SPEC §8). Items are read one by one, a bad item is
 * rejected with its reason, and every good one becomes a change of each extension it involves; the
 * batch is answered once all of them are durable. A party's event older than the last one applied to it
 * is ignored, and one with the same time is a duplicate, so sources may retry freely.
 */
public final class IngestService {
    /** The most items one batch may carry. */
    public static final int MAX_BATCH = 1000;

    private final Directory directory;
    private final PresenceWriter writer;

    public IngestService(Directory directory, PresenceWriter writer) {
        this.directory = directory;
        this.writer = writer;
    }

    /** Outcome of one change, set by the writer thread when it applies it. */
    private enum Applied { Changed, Stale, Duplicate }

    private record Planned(int index, PresenceWriter.Change change, Map<Integer, Applied> outcomes) {
    }

    /** Applies a batch of telephony session events. */
    public List<ItemResult> telephony(Caller caller, JsonNode items) {
        return apply(items, (index, item, plan) -> {
            TelephonyEvent event = IngestParser.telephony(item, caller.accountId());
            List<PresenceWriter.Change> changes = new ArrayList<>();
            for (TelephonyEvent.Party party : event.parties()) {
                if (party.extensionId().isEmpty()) {
                    continue;
                }
                Extension extension = extension(caller, party.extensionId().get());
                ActiveCall call = new ActiveCall(ActiveCall.idOf(event.telephonySessionId(), party.id()),
                        party.direction(), party.from().phoneNumber(), party.from().name(), party.to().phoneNumber(),
                        party.to().name(), event.eventTime(), party.status(),
                        event.sessionId().orElse(event.telephonySessionId()), event.telephonySessionId(), party.id(),
                        party.sipData());
                long time = event.eventTime().toEpochMilli();
                changes.add(new PresenceWriter.Change(extension, clocked(plan, changes.size(), call.id(), time,
                        party.status().ended(), s -> s.withSources(s.sources().withParty(call, time)))));
            }
            return changes;
        });
    }

    /** Applies a batch of meeting events. */
    public List<ItemResult> meetings(Caller caller, JsonNode items) {
        return apply(items, (index, item, plan) -> {
            MeetingEvent event = IngestParser.meeting(item, caller.accountId());
            Extension extension = extension(caller, event.extensionId());
            long time = event.eventTime().toEpochMilli();
            return List.of(new PresenceWriter.Change(extension, s -> {
                Optional<Long> last = s.sources().lastMeetingTime(event.meetingId());
                var known = Optional.ofNullable(s.sources().meetings().get(event.meetingId()));
                // At equal times, leaving wins, so a source with coarse timestamps cannot leave a meeting stuck.
                boolean leavesAtSameTime = event.status() == MeetingStatus.Disconnected
                        && known.map(m -> m.status() == MeetingStatus.Connected).orElse(false);
                Applied applied = last.isEmpty() || last.get() < time ? Applied.Changed
                        : last.get() == time ? (leavesAtSameTime ? Applied.Changed : Applied.Duplicate)
                        : Applied.Stale;
                plan.put(0, applied);
                return applied == Applied.Changed
                        ? s.withSources(s.sources().withMeeting(event.meetingId(), event.status(), time)) : s;
            }));
        });
    }

    /** A party change that first checks the party's clock, recording what it did in {@code plan}. */
    private static UnaryOperator<PresenceState> clocked(Map<Integer, Applied> plan, int slot, String callId, long time,
                                                        boolean ends, UnaryOperator<PresenceState> change) {
        return s -> {
            Optional<Long> last = s.sources().lastEventTime(callId);
            // At equal times, an ending wins, so a source with coarse timestamps cannot leave a call stuck.
            boolean endsAtSameTime = ends && s.sources().active(callId);
            Applied applied = last.isEmpty() || last.get() < time ? Applied.Changed
                    : last.get() == time ? (endsAtSameTime ? Applied.Changed : Applied.Duplicate) : Applied.Stale;
            plan.put(slot, applied);
            return applied == Applied.Changed ? change.apply(s) : s;
        };
    }

    private Extension extension(Caller caller, long id) throws IngestParser.BadItem {
        Extension e = directory.extension(id).orElseThrow(() -> new IngestParser.BadItem(
                "extension " + id + " does not exist"));
        if (e.accountId() != caller.accountId()) {
            throw new IngestParser.BadItem("extension " + id + " is not in the caller's account");
        }
        return e;
    }

    @FunctionalInterface
    private interface Planner {
        List<PresenceWriter.Change> plan(int index, JsonNode item, Map<Integer, Applied> outcomes)
                throws IngestParser.BadItem;
    }

    private List<ItemResult> apply(JsonNode items, Planner planner) {
        ItemResult[] results = new ItemResult[items.size()];
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Map<Integer, Applied> outcomes = new ConcurrentHashMap<>();
            try {
                List<PresenceWriter.Change> changes = planner.plan(i, items.get(i), outcomes);
                if (changes.isEmpty()) {
                    results[i] = ItemResult.ignored(i, "no party is an extension of the account");
                }
                for (PresenceWriter.Change change : changes) {
                    planned.add(new Planned(i, change, outcomes));
                }
            } catch (IngestParser.BadItem e) {
                results[i] = ItemResult.rejected(i, e.getMessage());
            }
        }
        writer.applyAll(planned.stream().map(Planned::change).toList());
        for (Planned p : planned) {
            if (results[p.index()] != null) {
                continue;
            }
            var outcomes = p.outcomes().values();
            if (outcomes.contains(Applied.Changed)) {
                results[p.index()] = ItemResult.accepted(p.index());
            } else if (outcomes.contains(Applied.Stale)) {
                results[p.index()] = ItemResult.ignored(p.index(), "stale: older than the event last applied");
            } else {
                results[p.index()] = ItemResult.ignored(p.index(), "duplicate: already applied");
            }
        }
        return List.of(results);
    }
}
