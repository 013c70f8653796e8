package io.presenced.websocket;

import java.time.Duration;

/** The WSG session parameters announced in ConnectionDetails. */
public record WsSettings(int recoveryBufferSize, Duration recoveryTimeout, Duration idleTimeout,
                         Duration absoluteTimeout, int maxActiveRequests) {
    /** RingCentral's: buffer 100, recovery 180 s, idle 1800 s, absolute 86400 s, 10 active requests. */
    public static WsSettings defaults() {
        return new WsSettings(100, Duration.ofSeconds(180), Duration.ofSeconds(1800), Duration.ofSeconds(86400), 10);
    }
}
