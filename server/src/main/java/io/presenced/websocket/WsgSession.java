package io.presenced.websocket;

import io.helidon.websocket.WsSession;
import io.presenced.auth.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WSG session: it outlives its connection for the recovery timeout, keeping its subscription and the
 * notifications its last connection had not written, so that a client reconnecting with its {@code wsc} token
 * gets everything it missed, in order. Thread-safety: the connection is swapped under this object's lock;
 * frames go through the {@link Outbox}, which has its own; the other fields are volatile or atomic.
 */
final class WsgSession {
    final String token;
    final Caller caller;
    final Instant created;
    private final Outbox outbox;
    private final AtomicLong missedWhileAway = new AtomicLong();
    private volatile Optional<String> subscriptionId = Optional.empty();
    private WsSession connection;
    private volatile Instant disconnectedAt;
    private volatile Instant lastActivity;
    private volatile boolean closedByServer;
    private boolean ended;

    WsgSession(String token, Caller caller, Instant created, WsSettings settings, WsGateway.Meters meters) {
        this.token = token;
        this.caller = caller;
        this.created = created;
        this.lastActivity = created;
        // After a failed connection the last recoveryBufferSize notifications written to it are sent again.
        this.outbox = new Outbox(settings.outboundBufferSize(), settings.recoveryBufferSize(), meters, lostConnection -> {
            if (detach(lostConnection, Instant.now(), false) && !closedByServer) {
                meters.closed("error");
            }
        });
    }

    /** The client sent a frame (or a ping). */
    void touched(Instant at) {
        lastActivity = at;
    }

    Instant lastActivity() {
        return lastActivity;
    }

    synchronized boolean connected() {
        return connection != null;
    }

    /** The {@code wsc} sequence of the last notification queued. */
    long sequence() {
        return outbox.sequence();
    }

    Optional<String> subscriptionId() {
        return subscriptionId;
    }

    void subscriptionId(Optional<String> id) {
        subscriptionId = id;
    }

    /**
     * The new connection of this session: {@code first} (ConnectionDetails) is written before anything else,
     * then the notifications a previous connection left, then new ones.
     */
    synchronized boolean attach(WsSession session, Instant at, String first) {
        if (ended) {
            return false;
        }
        if (connection != null) {
            // At most one connection per session: the one that recovers it replaces the one it lost, which the
            // client no longer reads.
            outbox.detach(connection, false);
            WsSession replaced = connection;
            Thread.ofVirtual().name("ws-replace").start(() -> {
                try {
                    replaced.terminate();
                } catch (RuntimeException alreadyGone) {
                    // closed already
                }
            });
        }
        connection = session;
        outbox.attach(session, first);
        disconnectedAt = null;
        closedByServer = false;
        missedWhileAway.set(0);
        lastActivity = at;
        return true;
    }

    /**
     * The connection {@code session} went away, {@code clean}ly (a close handshake) or not; the session waits for a
     * recovery. False if it was not the open one.
     */
    synchronized boolean detach(WsSession session, Instant at, boolean clean) {
        if (connection != null && connection == session) {
            outbox.detach(session, clean);
            connection = null;
            disconnectedAt = at;
            return true;
        }
        return false;
    }

    /** When the last connection went away, if none is open now. */
    Optional<Instant> disconnectedAt() {
        return Optional.ofNullable(disconnectedAt);
    }

    /** A notification was produced for this session; counted if it has no connection. */
    void produced() {
        if (disconnectedAt != null) {
            missedWhileAway.incrementAndGet();
        }
    }

    /**
     * Whether a reconnect at {@code now} recovers this session: it is connected, or has been away for less than
     * {@code timeout}, and missed no more than {@code bufferSize} notifications meanwhile.
     */
    synchronized boolean recoverable(Instant now, Duration timeout, int bufferSize) {
        if (ended) {
            return false;
        }
        Instant away = disconnectedAt;
        // Still connected: the client knows better that its connection is gone; the new one takes its place.
        return (away == null ? connected() : now.isBefore(away.plus(timeout))) && missedWhileAway.get() <= bufferSize;
    }

    /** Queues a reply, heartbeat or error frame; false if no connection is open. */
    boolean sendControl(String frame) {
        return outbox.offerControl(frame);
    }

    /** Queues a notification frame built for the next {@code wsc} sequence. */
    Outbox.Offer sendNotification(java.util.function.LongFunction<String> frame) throws InterruptedException {
        return outbox.offerNotification(frame);
    }

    /** Sends {@code last} before anything queued, then closes the connection; the session stays recoverable. */
    boolean closeWith(String last, int code, String reason) {
        boolean closing = outbox.closeWith(last, code, reason);
        if (closing) {
            closedByServer = true;
        }
        return closing;
    }

    /** Whether the server is closing (or closed) the current connection. */
    boolean closedByServer() {
        return closedByServer;
    }

    /** The session is over: nothing it held will be sent, and no connection can attach to it any more. */
    synchronized void end() {
        ended = true;
        outbox.clear();
    }

    /** Whether the session is over. */
    synchronized boolean ended() {
        return ended;
    }
}
