package io.presenced.subscription;

import java.util.Objects;
import java.util.Optional;

/** Where and how a subscription's notifications go. */
public record DeliveryMode(TransportType transportType, String address, Optional<String> verificationToken) {
    /** The transports. */
    public enum TransportType { WebHook, WebSocket }

    public DeliveryMode {
        Objects.requireNonNull(transportType, "transportType");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(verificationToken, "verificationToken");
    }
}
