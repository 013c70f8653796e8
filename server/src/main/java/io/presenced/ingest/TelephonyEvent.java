package io.presenced.ingest;

import io.presenced.presence.ActiveCall;
import io.presenced.presence.CallDirection;
import io.presenced.presence.PartyStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One telephony session event, in the shape of RingCentral's telephony session notifications. */
public record TelephonyEvent(String telephonySessionId, Optional<String> sessionId, Instant eventTime,
                             List<Party> parties) {

    /** One party of the session; only parties with an extension of the account move presence. */
    public record Party(String id, Optional<Long> extensionId, CallDirection direction, Endpoint from, Endpoint to,
                        PartyStatus status, Optional<ActiveCall.SipData> sipData) {
    }

    /** One end of a call. */
    public record Endpoint(String phoneNumber, String name, Optional<Long> extensionId) {
        static final Endpoint UNKNOWN = new Endpoint("", "", Optional.empty());
    }

    public TelephonyEvent {
        parties = List.copyOf(parties);
    }
}
