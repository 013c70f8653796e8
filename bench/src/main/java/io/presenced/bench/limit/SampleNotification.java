package io.presenced.bench.limit;

import io.presenced.delivery.Notifications;
import io.presenced.delivery.Variant;
import io.presenced.directory.ExtensionType;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A presence notification as the server sends it to an account-level subscriber, built with the server's own
 * serialisation, so that the limit's frames and request bodies have the size of the real ones.
 */
public final class SampleNotification {
    private static final long ACCOUNT = 400_123_456_001L;
    private static final long EXTENSION = 400_123_456_789L;

    private SampleNotification() {
    }

    /** An event of one extension whose call was just answered (telephonyStatus changed). */
    public static PresenceEvent event(long sequence) {
        PresenceState before = PresenceState.of(EXTENSION, ACCOUNT, ExtensionType.User, UserStatus.Available,
                DndStatus.TakeAllCalls, "", true, false, false, MeetingStatus.Disconnected, TelephonyStatus.Ringing,
                sequence - 1);
        PresenceState after = PresenceState.of(EXTENSION, ACCOUNT, ExtensionType.User, UserStatus.Available,
                DndStatus.TakeAllCalls, "", true, false, false, MeetingStatus.Disconnected,
                TelephonyStatus.CallConnected, sequence);
        return PresenceEvent.of(before, after, Instant.now()).withId(sequence);
    }

    /** The WebHook body (the envelope) of {@link #event} for an account-level subscription. */
    public static byte[] envelope(long sequence) {
        PresenceEvent event = event(sequence);
        Variant account = new Variant(false, false, false);
        String subscription = UUID.randomUUID().toString();
        return Notifications.envelope(subscription, EXTENSION, event, account).bytes();
    }

    /** The WSG {@code ServerNotification} frame of {@link #envelope}, as the gateway frames it. */
    public static String frame(long sequence) {
        return "[{\"type\":\"ServerNotification\",\"messageId\":\"" + UUID.randomUUID() + "\",\"status\":200,"
                + "\"wsc\":{\"token\":\"" + "x".repeat(32) + "\",\"sequence\":" + sequence + "}},"
                + new String(envelope(sequence), StandardCharsets.UTF_8) + "]";
    }
}
