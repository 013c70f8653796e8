package io.presenced.bench.scenario;

import io.presenced.bench.client.Api;
import io.presenced.bench.client.NotificationScan;
import io.presenced.bench.client.Receiver;
import io.presenced.bench.client.WsgClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The subscribers of a scenario: account-level WebHook subscriptions to one local receiver and WebSocket sessions,
 * each reporting every notification to one sink. Owners are spread so that none holds more than 30 subscriptions.
 */
final class Subscribers implements Audience, AutoCloseable {
    static final String ACCOUNT_FILTER = "/restapi/v1.0/account/~/presence";
    private static final int READ_BUFFER = 8192;

    private final Harness harness;
    private final NotificationScan.Sink sink;
    private final List<Receiver> receivers = new ArrayList<>();
    private final ConcurrentLinkedQueue<WsgClient> sockets = new ConcurrentLinkedQueue<>();
    private int count;

    Subscribers(Harness harness, NotificationScan.Sink sink) {
        this.harness = harness;
        this.sink = sink;
    }

    /** Adds {@code n} account-level WebHook subscriptions, each to its own path on one local receiver. */
    Subscribers webhooks(int n) throws IOException, InterruptedException {
        if (n == 0) {
            return this;
        }
        Receiver receiver = new Receiver(sink);
        receivers.add(receiver);
        for (int i = 0; i < n; i++) {
            int owner = harness.owners.next();
            harness.api.subscribeWebhook(harness.owners.accessToken(owner), ACCOUNT_FILTER,
                    receiver.url("/hook/" + i));
        }
        count += n;
        return this;
    }

    /**
     * Opens {@code n} WebSocket sessions, {@code parallel} at a time, each waiting for its ConnectionDetails and,
     * with {@code subscribe}, subscribed to the account filter over the socket.
     */
    Subscribers webSockets(int n, boolean subscribe, int parallel) throws InterruptedException {
        Semaphore slots = new Semaphore(parallel);
        int admin = harness.prepared.credentials().users().size();
        List<Future<?>> opened = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int owner = subscribe ? harness.owners.next() : admin;
                slots.acquire();
                opened.add(pool.submit(() -> {
                    try {
                        Api.WsToken token = harness.owners.wsToken(owner);
                        WsgClient ws = WsgClient.connect(token.uri(), token.token(), sink, READ_BUFFER);
                        sockets.add(ws);
                        if (subscribe) {
                            ws.subscribe(ACCOUNT_FILTER);
                        }
                        return null;
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (Future<?> f : opened) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a WebSocket session did not open: " + e.getCause().getMessage(),
                        e.getCause());
            }
        }
        if (subscribe) {
            count += n;
        }
        return this;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public long errors() {
        long errors = receivers.stream().mapToLong(Receiver::unreadable).sum();
        for (WsgClient ws : sockets) {
            errors += ws.errors() + (ws.isOpen() ? 0 : 1);
        }
        return errors;
    }

    /** Open WebSocket sessions. */
    long openSockets() {
        return sockets.stream().filter(WsgClient::isOpen).count();
    }

    @Override
    public void close() {
        sockets.forEach(WsgClient::close);
        receivers.forEach(Receiver::close);
    }
}
