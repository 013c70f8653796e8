package io.presenced.delivery;

import java.time.Instant;

/** One notification waiting for a subscription: the event's log id and its body, already serialised. */
record Pending(long logId, long extensionId, Instant time, String eventPath, byte[] body) {
}
