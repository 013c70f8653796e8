package io.presenced.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.presence.ActiveCall;
import io.presenced.presence.CallDirection;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PartyStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the items of an ingest batch. A bad item becomes a reason, never an exception, so that it is
 * rejected alone.
 */
final class IngestParser {
    /** An item that could not be read. */
    static final class BadItem extends Exception {
        private static final long serialVersionUID = 1L;

        BadItem(String reason) {
            super(reason, null, false, false);
        }
    }

    private IngestParser() {
    }

    static TelephonyEvent telephony(JsonNode item, long accountId) throws BadItem {
        object(item, "item");
        account(item, accountId);
        String session = text(item, "telephonySessionId").orElseThrow(() -> missing("telephonySessionId"));
        Instant eventTime = instant(item);
        JsonNode parties = item.get("parties");
        if (parties == null || !parties.isArray() || parties.isEmpty()) {
            throw new BadItem("parties must be a non-empty array");
        }
        List<TelephonyEvent.Party> list = new ArrayList<>();
        for (JsonNode party : parties) {
            list.add(party(party));
        }
        return new TelephonyEvent(session, text(item, "sessionId"), eventTime, list);
    }

    private static TelephonyEvent.Party party(JsonNode p) throws BadItem {
        object(p, "party");
        String id = text(p, "id").orElseThrow(() -> missing("parties[].id"));
        CallDirection direction = enumValue(p.get("direction"), CallDirection.class, "parties[].direction");
        JsonNode status = p.get("status");
        object(status, "parties[].status");
        PartyStatus code = enumValue(status.get("code"), PartyStatus.class, "parties[].status.code");
        Optional<ActiveCall.SipData> sip = Optional.empty();
        JsonNode s = p.get("sipData");
        if (s != null && !s.isNull()) {
            object(s, "parties[].sipData");
            sip = Optional.of(new ActiveCall.SipData(text(s, "toTag").orElse(""), text(s, "fromTag").orElse(""),
                    text(s, "remoteUri").orElse(""), text(s, "localUri").orElse("")));
        }
        return new TelephonyEvent.Party(id, id(p, "extensionId"), direction, endpoint(p.get("from"), "from"),
                endpoint(p.get("to"), "to"), code, sip);
    }

    private static TelephonyEvent.Endpoint endpoint(JsonNode e, String name) throws BadItem {
        if (e == null || e.isNull()) {
            return TelephonyEvent.Endpoint.UNKNOWN;
        }
        object(e, "parties[]." + name);
        return new TelephonyEvent.Endpoint(text(e, "phoneNumber").orElse(""), text(e, "name").orElse(""),
                id(e, "extensionId"));
    }

    static MeetingEvent meeting(JsonNode item, long accountId) throws BadItem {
        object(item, "item");
        account(item, accountId);
        long extension = id(item, "extensionId").orElseThrow(() -> missing("extensionId"));
        String meeting = text(item, "meetingId").orElseThrow(() -> missing("meetingId"));
        MeetingStatus status = enumValue(item.get("status"), MeetingStatus.class, "status");
        return new MeetingEvent(extension, meeting, status, instant(item));
    }

    private static void account(JsonNode item, long accountId) throws BadItem {
        JsonNode a = item.get("accountId");
        if (a == null || a.isNull()) {
            throw missing("accountId");
        }
        String raw = a.asText();
        if (!raw.equals("~") && !raw.equals(String.valueOf(accountId))) {
            throw new BadItem("accountId [" + raw + "] is not the caller's account");
        }
    }

    /** Event times before this are taken as a broken clock. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far ahead of this server's clock an event time may be (a source's clock running fast). */
    private static final Duration LATEST_AHEAD = Duration.ofDays(1);

    private static Instant instant(JsonNode item) throws BadItem {
        String raw = text(item, "eventTime").orElseThrow(() -> missing("eventTime"));
        Instant time;
        try {
            time = Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw new BadItem("eventTime [" + raw + "] is not an ISO-8601 instant such as 2026-01-31T09:00:00.000Z");
        }
        if (time.isBefore(EARLIEST) || time.isAfter(Instant.now().plus(LATEST_AHEAD))) {
            throw new BadItem("eventTime [" + raw + "] is out of range: expected a time after " + EARLIEST
                    + " and at most a day from now");
        }
        return time;
    }

    private static void object(JsonNode node, String name) throws BadItem {
        if (node == null || !node.isObject()) {
            throw new BadItem(name + " must be an object");
        }
    }

    private static Optional<String> text(JsonNode node, String name) throws BadItem {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new BadItem(name + " must be a non-empty string");
        }
        return Optional.of(v.textValue());
    }

    private static Optional<Long> id(JsonNode node, String name) throws BadItem {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v.asText()));
        } catch (NumberFormatException e) {
            throw new BadItem(name + " [" + v.asText() + "] is not an id");
        }
    }

    private static <E extends Enum<E>> E enumValue(JsonNode v, Class<E> type, String name) throws BadItem {
        if (v == null || !v.isTextual()) {
            throw new BadItem(name + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
        try {
            return Enum.valueOf(type, v.textValue());
        } catch (IllegalArgumentException e) {
            throw new BadItem(name + " [" + v.textValue() + "] must be one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static BadItem missing(String name) {
        return new BadItem(name + " is required");
    }
}
