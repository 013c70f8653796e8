package io.presenced.bench.jmh;

import io.presenced.directory.ExtensionType;
import io.presenced.presence.ActiveCall;
import io.presenced.presence.CallDirection;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PartyStatus;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.Sources;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Values the microbenchmarks work on, shaped as the server sees them. */
final class Samples {
    static final long ACCOUNT = 400_123_456_001L;
    static final long FIRST_EXTENSION = 400_123_500_000L;
    static final Instant NOW = Instant.parse("2026-01-31T09:00:00Z");

    private Samples() {
    }

    /** An event of {@code extensionId}, its call just answered, with {@code calls} active calls in its sources. */
    static PresenceEvent event(long extensionId, int calls) {
        Sources sources = Sources.NONE;
        for (int i = 0; i < calls; i++) {
            ActiveCall call = new ActiveCall("s" + i + "/p1", CallDirection.Inbound, "+15550001111", "Customer",
                    "ext:" + extensionId, "User", NOW.plusSeconds(i), PartyStatus.Answered, "s" + i, "s" + i, "p1",
                    Optional.of(new ActiveCall.SipData("to-tag", "from-tag", "sip:+15550001111@pbx",
                            "sip:ext@pbx")));
            sources = sources.withParty(call, NOW.plusSeconds(i).toEpochMilli());
        }
        PresenceState before = PresenceState.of(extensionId, ACCOUNT, ExtensionType.User, UserStatus.Available,
                DndStatus.TakeAllCalls, "", true, false, false, MeetingStatus.Disconnected, TelephonyStatus.Ringing,
                41);
        PresenceState after = PresenceState.of(extensionId, ACCOUNT, ExtensionType.User, UserStatus.Available,
                DndStatus.TakeAllCalls, "", true, false, false, MeetingStatus.Disconnected,
                TelephonyStatus.CallConnected, 42).withSources(sources);
        return PresenceEvent.of(before, after, NOW).withId(1_000_042);
    }

    /** A live WebHook subscription of the account with {@code filters}. */
    static Subscription subscription(String id, long owner, List<EventFilter> filters) {
        return subscription(id, ACCOUNT, owner, filters);
    }

    /** A subscription of another account. */
    static Subscription subscription(String id, long account, long owner, List<EventFilter> filters) {
        return new Subscription(id, account, owner, "client", filters, List.of(),
                new DeliveryMode(DeliveryMode.TransportType.WebHook, "http://127.0.0.1:9/hook", Optional.empty()),
                "whsec_x", Subscription.Status.Active, Optional.empty(), NOW, NOW.plusSeconds(86_400), 86_400);
    }
}
