package io.presenced.presence;

/** The telephony status of an extension; declared from the lowest to the highest priority. */
public enum TelephonyStatus {
    NoCall, ParkedCall, OnHold, Ringing, CallConnected;

    /** The higher-priority of two statuses. */
    public TelephonyStatus max(TelephonyStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
