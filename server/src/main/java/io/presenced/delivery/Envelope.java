package io.presenced.delivery;

import java.nio.charset.StandardCharsets;

/**
 * One notification for one subscription: the envelope of SPEC §6 around an event's shared, pre-serialised body,
 * given to a transport as bytes (WebHook) or appended to a text frame (WebSocket), compactly either way.
 */
public final class Envelope {
    private final String uuid;
    private final Pending pending;
    private final String subscriptionId;
    private final long ownerId;

    Envelope(String uuid, Pending pending, String subscriptionId, long ownerId) {
        this.uuid = uuid;
        this.pending = pending;
        this.subscriptionId = subscriptionId;
        this.ownerId = ownerId;
    }

    /** Unique per event and subscription, the same for every attempt. */
    public String uuid() {
        return uuid;
    }

    /** The log id of the event, 0 for a notification that is not an event (an expiry reminder). */
    public long logId() {
        return pending.logId();
    }

    /** The envelope as UTF-8 JSON. */
    public byte[] bytes() {
        return appendTo(new StringBuilder(256 + pending.bodyText().length())).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Appends the envelope's JSON to {@code out}. */
    public StringBuilder appendTo(StringBuilder out) {
        return out.append("{\"uuid\":\"").append(uuid).append("\",\"event\":\"").append(pending.eventPath())
                .append("\",\"timestamp\":\"").append(pending.timestamp()).append("\",\"subscriptionId\":\"")
                .append(subscriptionId).append("\",\"ownerId\":\"").append(ownerId)
                .append("\",\"body\":").append(pending.bodyText()).append('}');
    }
}
