package io.presenced.websocket;

import io.helidon.websocket.WsSession;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The bounded outbound buffer of one connection, written to the socket by a virtual thread of its own,
 * so that no sender ever blocks on a slow client. When it is full the client is not reading: the
 * connection is closed ({@code WSG-904}) and its session stays recoverable.
 */
final class Outbox {
    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final WsSession socket;
    private final BlockingQueue<Object> frames;

    /** Closes the socket once everything queued before it is written. */
    private record Close(int code, String reason) {
    }
    private final Runnable onOverflow;
    private final Thread writer;
    private volatile boolean open = true;

    Outbox(WsSession socket, int capacity, Runnable onOverflow) {
        this.socket = socket;
        this.frames = new ArrayBlockingQueue<>(capacity);
        this.onOverflow = onOverflow;
        this.writer = Thread.ofVirtual().name("ws-writer").start(this::drain);
    }

    /** Queues a frame; false if the connection is closed or the buffer just overflowed (and was closed). */
    boolean offer(String frame) {
        if (!open) {
            return false;
        }
        if (frames.offer(frame)) {
            return true;
        }
        open = false;
        LOG.log(System.Logger.Level.WARNING, "a WebSocket client stopped reading; closing its connection (WSG-904)");
        onOverflow.run();
        Thread.ofVirtual().start(() -> {
            try {
                socket.close(1008, "WSG-904 outbound buffer full: the client does not read");
            } catch (RuntimeException e) {
                socket.terminate();
            }
        });
        writer.interrupt();
        return false;
    }

    /** Writes what is queued, then {@code last}, then closes the connection with {@code code}. */
    void closeAfter(String last, int code, String reason) {
        if (open) {
            open = false;
            // Past capacity if need be: these two are the end of the stream.
            Thread.ofVirtual().start(() -> {
                try {
                    frames.put(last);
                    frames.put(new Close(code, reason));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Stops writing at once; frames not yet written are dropped. */
    void close() {
        open = false;
        frames.clear();
        writer.interrupt();
    }

    private void drain() {
        try {
            while (true) {
                Object next = frames.take();
                if (next instanceof Close close) {
                    socket.close(close.code(), close.reason());
                    return;
                }
                socket.send((String) next, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            open = false;
        }
    }
}
