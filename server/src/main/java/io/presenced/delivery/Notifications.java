package io.presenced.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.PresencedException;
import io.presenced.presence.ActiveCall;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/** Builds notification envelopes and bodies exactly as the seed document shows them, serialised compactly. */
public final class Notifications {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** The most active calls a detailed event lists. */
    public static final int MAX_ACTIVE_CALLS = 7;

    private Notifications() {
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2016-02-18T09:37:24.597Z}. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** The per-extension event path, with {@code ~} for the account. */
    public static String eventPath(long extensionId, Variant v) {
        return "/restapi/v1.0/account/~/extension/" + extensionId + "/presence"
                + (v.detailed() ? "?detailedTelephonyState=true" + (v.sipData() ? "&sipData=true" : "") : "");
    }

    /** The body of one event in one form. */
    public static byte[] body(PresenceEvent event, Variant v) {
        PresenceState s = event.state();
        ObjectNode body = JSON.createObjectNode();
        body.put("extensionId", String.valueOf(s.extensionId()));
        if (v.extensionLevel() || event.telephonyChanged()) {
            body.put("telephonyStatus", s.telephonyStatus().name());
        }
        body.put("sequence", s.sequence());
        body.put("presenceStatus", s.presenceStatus().name());
        body.put("userStatus", s.userStatus().name());
        body.put("meetingStatus", s.meetingStatus().name());
        body.put("dndStatus", s.dndStatus().name());
        body.put("allowSeeMyPresence", s.allowSeeMyPresence());
        body.put("ringOnMonitoredCall", s.ringOnMonitoredCall());
        body.put("pickUpCallsOnHold", s.pickUpCallsOnHold());
        if (v.detailed()) {
            List<ActiveCall> calls = s.sources().calls();
            ArrayNode list = body.putArray("activeCalls");
            calls.subList(Math.max(0, calls.size() - MAX_ACTIVE_CALLS), calls.size())
                    .forEach(c -> activeCall(list.addObject(), c, v.sipData()));
            body.put("totalActiveCalls", calls.size());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new PresencedException("cannot serialise a notification body", e);
        }
    }

    /** Writes one active call as RingCentral's ActiveCallInfo, with its SIP data when asked for. */
    public static void activeCall(ObjectNode node, ActiveCall c, boolean sipData) {
        node.put("id", c.id());
        node.put("direction", c.direction().name());
        node.put("from", c.from());
        node.put("fromName", c.fromName());
        node.put("to", c.to());
        node.put("toName", c.toName());
        node.put("startTime", timestamp(c.startTime()));
        node.put("telephonyStatus", c.telephonyStatus().name());
        node.put("sessionId", c.sessionId());
        node.put("telephonySessionId", c.telephonySessionId());
        node.put("partyId", c.partyId());
        if (sipData) {
            c.sipData().ifPresent(sip -> node.putObject("sipData").put("toTag", sip.toTag())
                    .put("fromTag", sip.fromTag()).put("remoteUri", sip.remoteUri()).put("localUri", sip.localUri()));
        }
    }

    /**
     * The uuid of a notification: the same for every attempt to deliver the same event to the same
     * subscription (also after a restart), so that a receiver can drop a duplicate. Built from the bits of the
     * subscription's id (a random UUID) and the log id, without hashing: distinct log ids give distinct uuids
     * within a subscription, and subscriptions differ in 122 random bits.
     */
    public static String uuid(String subscriptionId, long logId) {
        UUID base;
        try {
            base = UUID.fromString(subscriptionId);
        } catch (IllegalArgumentException notAUuid) {
            base = UUID.nameUUIDFromBytes(subscriptionId.getBytes(StandardCharsets.UTF_8));
        }
        long high = base.getMostSignificantBits() ^ (logId * 0x9E3779B97F4A7C15L);
        long low = base.getLeastSignificantBits() ^ logId;
        // Version 8 (custom), variant 2.
        high = (high & ~0xF000L) | 0x8000L;
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** The envelope of one event's notification for one subscription. */
    static Envelope envelope(Subscription s, Pending p) {
        return new Envelope(uuid(s.id(), p.logId()), p, s.id(), s.ownerExtensionId());
    }

    /** The envelope of a notification that is not an event of the log (an expiry reminder), with its own uuid. */
    static Envelope envelope(Subscription s, String eventPath, Instant time, byte[] body) {
        return new Envelope(UUID.randomUUID().toString(), new Pending(0, 0, time, eventPath, body), s.id(),
                s.ownerExtensionId());
    }

    /** The envelope of {@code event} in form {@code v} for a subscription of this id and owner (for benchmarks). */
    public static Envelope envelope(String subscriptionId, long ownerId, PresenceEvent event, Variant v) {
        Pending p = new Pending(event.id(), event.state().extensionId(), event.time(),
                eventPath(event.state().extensionId(), v), body(event, v));
        return new Envelope(uuid(subscriptionId, event.id()), p, subscriptionId, ownerId);
    }
}
