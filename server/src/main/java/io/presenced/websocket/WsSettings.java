package io.presenced.websocket;

import java.time.Duration;

/** The WSG session parameters announced in ConnectionDetails, and the outbound buffer of each connection. */
public record WsSettings(int recoveryBufferSize, Duration recoveryTimeout, Duration idleTimeout,
                         Duration absoluteTimeout, int maxActiveRequests, int outboundBufferSize) {
    public WsSettings {
        if (recoveryBufferSize < 0 || outboundBufferSize < 1 || maxActiveRequests < 1) {
            throw new IllegalArgumentException("recoveryBufferSize must be 0 or more, outboundBufferSize and"
                    + " maxActiveRequests 1 or more; got " + recoveryBufferSize + ", " + outboundBufferSize + ", "
                    + maxActiveRequests);
        }
        for (Duration d : new Duration[] {recoveryTimeout, idleTimeout, absoluteTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("WebSocket timeouts must be positive, got " + d);
            }
        }
    }

    /** RingCentral's: buffer 100, recovery 180 s, idle 1800 s, absolute 86400 s, 10 active requests; 4096 frames out. */
    public static WsSettings defaults() {
        return new WsSettings(100, Duration.ofSeconds(180), Duration.ofSeconds(1800), Duration.ofSeconds(86400), 10,
                4096);
    }

    /** These settings with another outbound buffer size, in frames per connection. */
    public WsSettings withOutboundBufferSize(int frames) {
        return new WsSettings(recoveryBufferSize, recoveryTimeout, idleTimeout, absoluteTimeout, maxActiveRequests,
                frames);
    }
}
