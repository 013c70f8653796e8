package io.presenced.websocket;

import io.helidon.websocket.WsSession;
import io.presenced.auth.Caller;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WSG session: it outlives its connection for the recovery timeout, keeping its subscription, so that a
 * client reconnecting with its {@code wsc} token gets what happened meanwhile. Thread-safety: the connection
 * and its outbox are swapped under this object's lock; frames are written by the outbox; the other fields
 * are volatile.
 */
final class WsgSession {
    final String token;
    final Caller caller;
    final Instant created;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Optional<String> subscriptionId = Optional.empty();
    private WsSession connection;
    private Outbox outbox;
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

    /** The new connection of this session, with an outbound buffer of {@code capacity} frames. */
    synchronized void attach(WsSession session, Instant at, int capacity) {
        if (outbox != null) {
            outbox.close();
        }
        connection = session;
        outbox = new Outbox(session, capacity, () -> detach(session, Instant.now()));
        disconnectedAt = null;
        lastActivity = at;
    }

    /** The connection {@code session} went away ({@code null}: whichever is open). */
    synchronized void detach(WsSession session, Instant at) {
        if (connection != null && (session == null || connection == session)) {
            if (outbox != null) {
                outbox.close();
            }
            outbox = null;
            connection = null;
            disconnectedAt = at;
        }
    }

    /** When the last connection went away, if none is open now. */
    Optional<Instant> disconnectedAt() {
        return Optional.ofNullable(disconnectedAt);
    }

    /** Queues a text frame for the open connection; false if there is none (or its buffer overflowed). */
    boolean send(String frame) {
        Outbox current;
        synchronized (this) {
            current = outbox;
        }
        return current != null && current.offer(frame);
    }

    /** Sends {@code last} after what is queued, then closes the connection; the session stays. */
    synchronized void closeWith(String last, int code, String reason, Instant at) {
        if (outbox != null) {
            outbox.closeAfter(last, code, reason);
            outbox = null;
            connection = null;
            disconnectedAt = at;
        }
    }
}
