package io.presenced.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One notification waiting for a subscription: the event's log id and its body, already serialised, with what
 * the envelope around it takes from the event (its path and timestamp); shared by every subscription that gets
 * the event in the same form.
 */
record Pending(long logId, long extensionId, Instant time, String eventPath, String timestamp, String bodyText) {
    Pending(long logId, long extensionId, Instant time, String eventPath, byte[] body) {
        this(logId, extensionId, time, eventPath, Notifications.timestamp(time),
                new String(body, StandardCharsets.UTF_8));
    }
}
