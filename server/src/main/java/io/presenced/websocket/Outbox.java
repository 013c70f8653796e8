package io.presenced.websocket;

import io.helidon.websocket.WsSession;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound frames of one WSG session, written to its current connection by a virtual thread of that
 * connection, so that no sender ever blocks on a slow client. Control frames (replies, heartbeats, errors) go
 * before notifications. A notification leaves the outbox only once the socket took it: when a connection goes
 * away, the notifications it had not written stay here for the connection that recovers the session.
 *
 * <p>Thread-safety: all state is guarded by one lock; the writer holds it only between writes.
 */
final class Outbox {
    /** What a {@link #offerNotification} did. */
    enum Offer { QUEUED, NOT_CONNECTED, FULL }

    /** The socket a writer serves, and what to do after its last frame. */
    private record Close(int code, String reason) {
    }

    private static final long CLOSE_GRACE_MILLIS = 5_000;
    /** How long a full outbox may take nothing before its client is taken to have stopped reading. */
    static final long STALL_MILLIS = 5_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Condition space = lock.newCondition();
    private final ArrayDeque<Object> control = new ArrayDeque<>();
    private final ArrayDeque<String> notifications = new ArrayDeque<>();
    /** The last notifications written to the current connection, at most {@link #rewrite}. */
    private final ArrayDeque<String> written = new ArrayDeque<>();
    private final int rewrite;
    private final int capacity;
    private final WsGateway.Meters meters;
    private final Consumer<WsSession> lost;
    private long sequence;
    private WsSession socket;
    private Thread writer;
    private boolean closing;

    /**
     * An outbox of at most {@code capacity} notifications that keeps the last {@code rewrite} written to a
     * connection, for one that fails; {@code lost} hears of a connection that failed.
     */
    Outbox(int capacity, int rewrite, WsGateway.Meters meters, Consumer<WsSession> lost) {
        this.capacity = capacity;
        this.rewrite = rewrite;
        this.meters = meters;
        this.lost = lost;
    }

    /** The {@code wsc} sequence of the last notification queued. */
    long sequence() {
        lock.lock();
        try {
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts writing to a new connection: {@code first} (ConnectionDetails), then whatever notifications the
     * previous connection left unwritten, then what comes.
     */
    void attach(WsSession connection, String first) {
        lock.lock();
        try {
            control.clear();
            control.add(first);
            written.clear();
            socket = connection;
            closing = false;
            writer = Thread.ofVirtual().name("ws-writer").start(() -> drain(connection));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The connection went away: stop writing to it; unwritten notifications stay, control frames are dropped. If it
     * did not end cleanly (with a close handshake), the last notifications written to it may never have reached the
     * client: they go back in front of the unwritten ones, to be sent again (with their uuids: at least once).
     */
    void detach(WsSession connection, boolean clean) {
        Thread stopped = null;
        lock.lock();
        try {
            if (socket == connection && connection != null) {
                socket = null;
                control.clear();
                if (!clean) {
                    while (!written.isEmpty()) {
                        notifications.addFirst(written.pollLast());
                    }
                }
                written.clear();
                stopped = writer;
                writer = null;
                ready.signalAll();
                space.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (stopped != null && stopped != Thread.currentThread()) {
            stopped.interrupt();
        }
    }

    /** Queues a reply, heartbeat or error frame for the open connection; false if there is none. */
    boolean offerControl(String frame) {
        lock.lock();
        try {
            if (socket == null || closing) {
                return false;
            }
            control.add(frame);
            ready.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a notification built for the next {@code wsc} sequence, waiting while the outbox is full; unless
     * there is no connection, or the client has taken nothing for {@value #STALL_MILLIS} ms (it has stopped
     * reading). Then no sequence is used.
     */
    Offer offerNotification(LongFunction<String> frame) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
            while (socket != null && !closing && notifications.size() >= capacity) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Offer.FULL;
                }
                space.awaitNanos(left);
            }
            if (socket == null || closing) {
                return Offer.NOT_CONNECTED;
            }
            notifications.add(frame.apply(++sequence));
            ready.signalAll();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the open connection: {@code last} (an Error frame) is written before any queued notification, then
     * the connection is closed with {@code code}; the notifications stay for a recovery.
     */
    boolean closeWith(String last, int code, String reason) {
        lock.lock();
        try {
            if (socket == null || closing) {
                return false;
            }
            closing = true;
            control.add(last);
            control.add(new Close(code, reason));
            ready.signalAll();
            space.signalAll();
            WsSession stuck = socket;
            // A client that does not read cannot take the close either: after a grace period the TCP connection goes.
            Thread.ofVirtual().name("ws-close").start(() -> {
                try {
                    Thread.sleep(CLOSE_GRACE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (connected(stuck)) {
                    terminate(stuck);
                    lost.accept(stuck);
                }
            });
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean connected(WsSession connection) {
        lock.lock();
        try {
            return socket == connection;
        } finally {
            lock.unlock();
        }
    }

    /** Notifications waiting to be written. */
    int pending() {
        lock.lock();
        try {
            return notifications.size();
        } finally {
            lock.unlock();
        }
    }

    /** Drops the notifications: the session has ended (a closing Error frame still goes out). */
    void clear() {
        lock.lock();
        try {
            notifications.clear();
            written.clear();
        } finally {
            lock.unlock();
        }
    }

    private void drain(WsSession connection) {
        try {
            while (true) {
                Object next;
                boolean notification;
                lock.lock();
                try {
                    while (socket == connection && control.isEmpty() && (closing || notifications.isEmpty())) {
                        ready.await(1, TimeUnit.SECONDS);
                    }
                    if (socket != connection) {
                        return;
                    }
                    notification = control.isEmpty();
                    next = notification ? notifications.peek() : control.poll();
                } finally {
                    lock.unlock();
                }
                if (next instanceof Close close) {
                    connection.close(close.code(), close.reason());
                    return;
                }
                connection.send((String) next, true);
                meters.frameOut();
                if (notification) {
                    lock.lock();
                    try {
                        // Written: only now may it leave; a detach meanwhile keeps it for the next connection.
                        if (socket == connection && notifications.peek() == next) {
                            notifications.poll();
                            if (rewrite > 0) {
                                written.addLast((String) next);
                                if (written.size() > rewrite) {
                                    written.pollFirst();
                                }
                            }
                            space.signal();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            terminate(connection);
            lost.accept(connection);
        }
    }

    private static void terminate(WsSession connection) {
        try {
            connection.terminate();
        } catch (RuntimeException alreadyGone) {
            // closed already
        }
    }
}
