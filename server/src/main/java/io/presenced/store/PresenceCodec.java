package io.presenced.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.presenced.directory.ExtensionType;
import io.presenced.presence.ActiveCall;
import io.presenced.presence.CallDirection;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PartyStatus;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.PresenceStatus;
import io.presenced.presence.Sources;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored form of presence states and events: JSON documents written and read field by field with
 * Jackson's streaming API, as these are written with every change and read whenever delivery catches up.
 * Instants are decimal epoch seconds with nine digits of nanoseconds; unknown fields are skipped, so that a
 * newer build's documents stay readable.
 */
final class PresenceCodec {
    private static final JsonFactory JSON = JsonFactory.builder()
            // Map keys are call ids, all different: interning them would only grow the symbol table.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private PresenceCodec() {
    }

    static String write(PresenceState s) {
        return text(g -> state(g, s));
    }

    static String write(PresenceEvent e) {
        return text(g -> {
            g.writeStartObject();
            g.writeNumberField("id", e.id());
            g.writeFieldName("state");
            state(g, e.state());
            g.writeBooleanField("telephonyChanged", e.telephonyChanged());
            g.writeBooleanField("wasVisible", e.wasVisible());
            g.writeFieldName("time");
            instant(g, e.time());
            g.writeEndObject();
        });
    }

    static PresenceState readState(String json) {
        return parse(json, PresenceCodec::state);
    }

    static PresenceEvent readEvent(String json) {
        return parse(json, p -> {
            long id = 0;
            PresenceState state = null;
            boolean telephonyChanged = false;
            boolean wasVisible = true;
            Instant time = Instant.EPOCH;
            expect(p, JsonToken.START_OBJECT);
            String name;
            while ((name = p.nextFieldName()) != null) {
                p.nextToken();
                switch (name) {
                    case "id" -> id = p.getLongValue();
                    case "state" -> state = state(p);
                    case "telephonyChanged" -> telephonyChanged = p.getBooleanValue();
                    case "wasVisible" -> wasVisible = p.getBooleanValue();
                    case "time" -> time = instant(p);
                    default -> p.skipChildren();
                }
            }
            if (state == null) {
                throw new StoreException("a stored event has no state");
            }
            return new PresenceEvent(id, state, telephonyChanged, wasVisible, time);
        });
    }

    // ---- writing --------------------------------------------------------------------------------------------

    private interface Writing {
        void to(JsonGenerator g) throws IOException;
    }

    private static String text(Writing w) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.to(g);
        } catch (IOException e) {
            throw new StoreException("cannot serialise presence: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void state(JsonGenerator g, PresenceState s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("extensionId", s.extensionId());
        g.writeNumberField("accountId", s.accountId());
        g.writeStringField("type", s.type().name());
        g.writeStringField("userStatus", s.userStatus().name());
        g.writeStringField("dndStatus", s.dndStatus().name());
        g.writeStringField("message", s.message());
        g.writeBooleanField("allowSeeMyPresence", s.allowSeeMyPresence());
        g.writeBooleanField("ringOnMonitoredCall", s.ringOnMonitoredCall());
        g.writeBooleanField("pickUpCallsOnHold", s.pickUpCallsOnHold());
        g.writeStringField("meetingStatus", s.meetingStatus().name());
        g.writeStringField("telephonyStatus", s.telephonyStatus().name());
        g.writeStringField("presenceStatus", s.presenceStatus().name());
        g.writeNumberField("sequence", s.sequence());
        Sources src = s.sources();
        g.writeObjectFieldStart("sources");
        g.writeArrayFieldStart("calls");
        for (ActiveCall c : src.calls()) {
            call(g, c);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("partyClock");
        for (Map.Entry<String, Long> e : src.partyClock().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("meetings");
        for (Map.Entry<String, Sources.Meeting> e : src.meetings().entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeStringField("status", e.getValue().status().name());
            g.writeNumberField("eventTime", e.getValue().eventTime());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeNumberField("partyHorizon", src.partyHorizon());
        g.writeNumberField("meetingHorizon", src.meetingHorizon());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void call(JsonGenerator g, ActiveCall c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("direction", c.direction().name());
        g.writeStringField("from", c.from());
        g.writeStringField("fromName", c.fromName());
        g.writeStringField("to", c.to());
        g.writeStringField("toName", c.toName());
        g.writeFieldName("startTime");
        instant(g, c.startTime());
        g.writeStringField("status", c.status().name());
        g.writeStringField("sessionId", c.sessionId());
        g.writeStringField("telephonySessionId", c.telephonySessionId());
        g.writeStringField("partyId", c.partyId());
        if (c.sipData().isPresent()) {
            ActiveCall.SipData sip = c.sipData().get();
            g.writeObjectFieldStart("sipData");
            g.writeStringField("toTag", sip.toTag());
            g.writeStringField("fromTag", sip.fromTag());
            g.writeStringField("remoteUri", sip.remoteUri());
            g.writeStringField("localUri", sip.localUri());
            g.writeEndObject();
        } else {
            g.writeNullField("sipData");
        }
        g.writeEndObject();
    }

    private static void instant(JsonGenerator g, Instant t) throws IOException {
        if (t.getEpochSecond() < 0) {
            // Before 1970 the decimal is not "seconds.nanos" (seconds count down, nanos up): let BigDecimal say it.
            g.writeNumber(BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9))
                    .toPlainString());
            return;
        }
        String nanos = Integer.toString(t.getNano());
        g.writeNumber(t.getEpochSecond() + "." + "0".repeat(9 - nanos.length()) + nanos);
    }

    // ---- reading --------------------------------------------------------------------------------------------

    private interface Reading<T> {
        T from(JsonParser p) throws IOException;
    }

    private static <T> T parse(String json, Reading<T> r) {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            return r.from(p);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("stored presence is unreadable: " + e.getMessage(), e);
        }
    }

    private static void expect(JsonParser p, JsonToken token) throws IOException {
        if (p.currentToken() != token) {
            throw new StoreException("expected " + token + " in stored presence, found " + p.currentToken());
        }
    }

    private static PresenceState state(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        long extensionId = 0;
        long accountId = 0;
        ExtensionType type = ExtensionType.User;
        UserStatus userStatus = UserStatus.Available;
        DndStatus dnd = DndStatus.TakeAllCalls;
        String message = "";
        boolean allowSee = true;
        boolean ring = false;
        boolean pickUp = false;
        MeetingStatus meeting = MeetingStatus.Disconnected;
        TelephonyStatus telephony = TelephonyStatus.NoCall;
        PresenceStatus presence = PresenceStatus.Available;
        long sequence = 0;
        Sources sources = Sources.NONE;
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "extensionId" -> extensionId = p.getLongValue();
                case "accountId" -> accountId = p.getLongValue();
                case "type" -> type = ExtensionType.valueOf(p.getText());
                case "userStatus" -> userStatus = UserStatus.valueOf(p.getText());
                case "dndStatus" -> dnd = DndStatus.valueOf(p.getText());
                case "message" -> message = p.getText();
                case "allowSeeMyPresence" -> allowSee = p.getBooleanValue();
                case "ringOnMonitoredCall" -> ring = p.getBooleanValue();
                case "pickUpCallsOnHold" -> pickUp = p.getBooleanValue();
                case "meetingStatus" -> meeting = MeetingStatus.valueOf(p.getText());
                case "telephonyStatus" -> telephony = TelephonyStatus.valueOf(p.getText());
                case "presenceStatus" -> presence = PresenceStatus.valueOf(p.getText());
                case "sequence" -> sequence = p.getLongValue();
                case "sources" -> sources = p.currentToken() == JsonToken.VALUE_NULL ? Sources.NONE : sources(p);
                default -> p.skipChildren();
            }
        }
        return new PresenceState(extensionId, accountId, type, userStatus, dnd, message, allowSee, ring, pickUp, meeting,
                telephony, presence, sequence, sources);
    }

    private static Sources sources(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        List<ActiveCall> calls = List.of();
        Map<String, Long> clock = Map.of();
        Map<String, Sources.Meeting> meetings = Map.of();
        long partyHorizon = 0;
        long meetingHorizon = 0;
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "calls" -> {
                    calls = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        calls.add(call(p));
                    }
                }
                case "partyClock" -> {
                    clock = new HashMap<>();
                    String id;
                    while ((id = p.nextFieldName()) != null) {
                        p.nextToken();
                        clock.put(id, p.getLongValue());
                    }
                }
                case "meetings" -> {
                    meetings = new HashMap<>();
                    String id;
                    while ((id = p.nextFieldName()) != null) {
                        p.nextToken();
                        meetings.put(id, meeting(p));
                    }
                }
                case "partyHorizon" -> partyHorizon = p.getLongValue();
                case "meetingHorizon" -> meetingHorizon = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        return new Sources(calls, clock, meetings, partyHorizon, meetingHorizon);
    }

    private static Sources.Meeting meeting(JsonParser p) throws IOException {
        MeetingStatus status = MeetingStatus.Disconnected;
        long time = 0;
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "status" -> status = MeetingStatus.valueOf(p.getText());
                case "eventTime" -> time = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        return new Sources.Meeting(status, time);
    }

    private static ActiveCall call(JsonParser p) throws IOException {
        String id = "";
        CallDirection direction = CallDirection.Inbound;
        String from = "";
        String fromName = "";
        String to = "";
        String toName = "";
        Instant start = Instant.EPOCH;
        PartyStatus status = PartyStatus.Setup;
        String sessionId = "";
        String telephonySessionId = "";
        String partyId = "";
        Optional<ActiveCall.SipData> sip = Optional.empty();
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "id" -> id = p.getText();
                case "direction" -> direction = CallDirection.valueOf(p.getText());
                case "from" -> from = p.getText();
                case "fromName" -> fromName = p.getText();
                case "to" -> to = p.getText();
                case "toName" -> toName = p.getText();
                case "startTime" -> start = instant(p);
                case "status" -> status = PartyStatus.valueOf(p.getText());
                case "sessionId" -> sessionId = p.getText();
                case "telephonySessionId" -> telephonySessionId = p.getText();
                case "partyId" -> partyId = p.getText();
                case "sipData" -> sip = p.currentToken() == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(sip(p));
                default -> p.skipChildren();
            }
        }
        return new ActiveCall(id, direction, from, fromName, to, toName, start, status, sessionId, telephonySessionId,
                partyId, sip);
    }

    private static ActiveCall.SipData sip(JsonParser p) throws IOException {
        String toTag = "";
        String fromTag = "";
        String remoteUri = "";
        String localUri = "";
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "toTag" -> toTag = p.getText();
                case "fromTag" -> fromTag = p.getText();
                case "remoteUri" -> remoteUri = p.getText();
                case "localUri" -> localUri = p.getText();
                default -> p.skipChildren();
            }
        }
        return new ActiveCall.SipData(toTag, fromTag, remoteUri, localUri);
    }

    /** Decimal epoch seconds, e.g. {@code 1796343120.017153510}, read without going through BigDecimal. */
    private static Instant instant(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochSecond(p.getLongValue());
        }
        String text = p.getText();
        int dot = text.indexOf('.');
        if (dot < 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0 || text.startsWith("-")) {
            BigDecimal value = p.getDecimalValue();
            long seconds = value.setScale(0, RoundingMode.FLOOR).longValueExact();
            int nanos = value.subtract(BigDecimal.valueOf(seconds)).movePointRight(9)
                    .setScale(0, RoundingMode.FLOOR).intValueExact();
            return Instant.ofEpochSecond(seconds, nanos);
        }
        String fraction = (text.substring(dot + 1) + "000000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(text.substring(0, dot)), Integer.parseInt(fraction));
    }
}
