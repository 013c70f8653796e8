package io.presenced.bench.limit;

import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * One WebSocket connection of the limit server: once the client sends {@code start}, a virtual thread of its own
 * writes the same notification-sized frame over and over, as fast as the socket takes it, until the client sends
 * {@code stop} or the connection ends. Waiting for {@code start} lets the client open all its connections before
 * any of them takes the machine; the writer yields now and then so that other requests (the heap samples on
 * {@code /metrics}) are still served.
 */
final class FramePusher implements WsListener {
    private static final int YIELD_EVERY = 64;

    private final String frame;
    private volatile boolean open = true;
    private Thread writer;

    FramePusher(String frame) {
        this.frame = frame;
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (text.equals("start") && writer == null) {
            writer = Thread.ofVirtual().name("limit-ws-writer").start(() -> push(session));
        } else if (text.equals("stop")) {
            open = false;
        }
    }

    private void push(WsSession session) {
        try {
            for (long n = 1; open; n++) {
                session.send(frame, true);
                if (n % YIELD_EVERY == 0) {
                    Thread.yield();
                }
            }
        } catch (RuntimeException e) {
            open = false;
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        open = false;
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        open = false;
    }
}
