package io.presenced.subscription;

/** The checks a WebHook address must pass before a subscription may use it. */
public interface WebhookGate {
    /** Refuses (with the RingCentral error) an address that is malformed or not allowed. */
    void checkAddress(String address);

    /** Performs the Validation-Token handshake; refuses with SUB-520 or SUB-525 when it fails. */
    void validate(String address);
}
