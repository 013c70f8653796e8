package io.presenced.presence;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One active call party of an extension, as the telephony source last reported it.
 *
 * @param id a call id unique per party: {@code telephonySessionId/partyId}
 */
public record ActiveCall(String id, CallDirection direction, String from, String fromName, String to,
                         String toName, Instant startTime, PartyStatus status, String sessionId,
                         String telephonySessionId, String partyId, Optional<SipData> sipData) {

    /** SIP dialog data of a call party. */
    public record SipData(String toTag, String fromTag, String remoteUri, String localUri) {
    }

    public ActiveCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(fromName, "fromName");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(toName, "toName");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(telephonySessionId, "telephonySessionId");
        Objects.requireNonNull(partyId, "partyId");
        Objects.requireNonNull(sipData, "sipData");
    }

    /** The telephony status this party gives its extension. */
    public TelephonyStatus telephonyStatus() {
        return status.telephonyStatus(direction).orElse(TelephonyStatus.NoCall);
    }

    /** Whether two calls look the same in an event or a GET (which show telephonyStatus, not the party status). */
    public boolean looksLike(ActiveCall o) {
        return id.equals(o.id) && direction == o.direction && from.equals(o.from) && fromName.equals(o.fromName)
                && to.equals(o.to) && toName.equals(o.toName) && startTime.equals(o.startTime)
                && telephonyStatus() == o.telephonyStatus() && sessionId.equals(o.sessionId)
                && telephonySessionId.equals(o.telephonySessionId) && partyId.equals(o.partyId)
                && sipData.equals(o.sipData);
    }

    /** The call id of a party. */
    public static String idOf(String telephonySessionId, String partyId) {
        return telephonySessionId + "/" + partyId;
    }
}
