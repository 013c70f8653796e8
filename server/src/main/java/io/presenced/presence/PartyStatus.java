package io.presenced.presence;

import java.util.Optional;

/** Status code of one call party, as RingCentral's telephony session events carry it. */
public enum PartyStatus {
    Setup, Proceeding, Answered, Hold, Parked, Disconnected, Gone;

    /** Whether a party in this status has left the extension's set of active calls. */
    public boolean ended() {
        return this == Disconnected || this == Gone;
    }

    /** The telephony status a party in this status gives its extension; empty once it has ended. */
    public Optional<TelephonyStatus> telephonyStatus(CallDirection direction) {
        return switch (this) {
            case Setup, Proceeding -> Optional.of(direction == CallDirection.Inbound
                    ? TelephonyStatus.Ringing : TelephonyStatus.CallConnected);
            case Answered -> Optional.of(TelephonyStatus.CallConnected);
            case Hold -> Optional.of(TelephonyStatus.OnHold);
            case Parked -> Optional.of(TelephonyStatus.ParkedCall);
            case Disconnected, Gone -> Optional.empty();
        };
    }
}
