package io.presenced.websocket;

import io.helidon.websocket.WsSession;
import io.presenced.auth.Caller;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WSG session: it outlives its connection for the recovery timeout, keeping its subscription, so that a
 * client reconnecting with its {@code wsc} token gets what happened meanwhile. Thread-safety: the connection
 * is swapped and written under this object's lock; the other fields are volatile.
 */
final class WsgSession {
    final String token;
    final Caller caller;
    final Instant created;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Optional<String> subscriptionId = Optional.empty();
    private WsSession connection;
    private volatile Instant disconnectedAt;
    private volatile Instant lastActivity;

    WsgSession(String token, Caller caller, Instant created) {
        this.token = token;
        this.caller = caller;
        this.created = created;
        this.lastActivity = created;
    }

    /** The client sent a frame. */
    void touched(Instant at) {
        lastActivity = at;
    }

    Instant lastActivity() {
        return lastActivity;
    }

    synchronized boolean connected() {
        return connection != null;
    }

    long sequence() {
        return sequence.get();
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    Optional<String> subscriptionId() {
        return subscriptionId;
    }

    void subscriptionId(Optional<String> id) {
        subscriptionId = id;
    }

    synchronized void attach(WsSession session, Instant at) {
        connection = session;
        disconnectedAt = null;
        lastActivity = at;
    }

    /** The connection {@code session} went away ({@code null}: whichever is open). */
    synchronized void detach(WsSession session, Instant at) {
        if (connection != null && (session == null || connection == session)) {
            connection = null;
            disconnectedAt = at;
        }
    }

    /** When the last connection went away, if none is open now. */
    Optional<Instant> disconnectedAt() {
        return Optional.ofNullable(disconnectedAt);
    }

    /** Sends a text frame on the open connection; false if there is none (or it failed). */
    synchronized boolean send(String frame) {
        if (connection == null) {
            return false;
        }
        try {
            connection.send(frame, true);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    synchronized void close(int code, String reason) {
        if (connection != null) {
            connection.close(code, reason);
        }
    }
}
