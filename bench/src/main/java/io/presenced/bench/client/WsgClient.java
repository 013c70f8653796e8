package io.presenced.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.PresencedException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One WSG session over a {@link WsClient}: waits for {@code ConnectionDetails}, subscribes over the socket, and
 * reports each {@code ServerNotification}'s (extensionId, sequence) to a sink. Notifications are recognised by
 * their first bytes and scanned, never parsed; every other frame is parsed as JSON.
 *
 * <p>Thread-safety: frames arrive on the connection's reading thread; requests may be made from any thread.
 */
public final class WsgClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NOTIFICATION = "[{\"type\":\"ServerNotification\"".getBytes(StandardCharsets.US_ASCII);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CompletableFuture<JsonNode> details = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final NotificationScan.Sink sink;
    private final LongAdder notifications = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile int closedWith;
    private WsClient ws;

    private WsgClient(NotificationScan.Sink sink) {
        this.sink = sink;
    }

    /**
     * Connects to {@code uri} with {@code accessToken} and waits for {@code ConnectionDetails}.
     *
     * @param bufferSize the connection's read buffer, in bytes
     */
    public static WsgClient connect(String uri, String accessToken, NotificationScan.Sink sink, int bufferSize)
            throws IOException, InterruptedException {
        WsgClient client = new WsgClient(sink);
        client.ws = WsClient.connect(URI.create(uri + "?access_token=" + URLEncoder.encode(accessToken,
                StandardCharsets.UTF_8)), client.listener(), bufferSize);
        client.await(client.details, "ConnectionDetails");
        return client;
    }

    /**
     * Connects to a stream of notification frames that needs no handshake beyond the upgrade (the limit
     * scenario's trivial endpoint, which starts on a {@code start} frame).
     */
    public static WsgClient stream(String uri, NotificationScan.Sink sink, int bufferSize) throws IOException {
        WsgClient client = new WsgClient(sink);
        client.ws = WsClient.connect(URI.create(uri), client.listener(), bufferSize);
        return client;
    }

    private WsClient.Listener listener() {
        return new WsClient.Listener() {
            @Override
            public void onMessage(byte[] data, int length) {
                frame(data, length);
            }

            @Override
            public void onClosed(int code) {
                closedWith = code;
                details.completeExceptionally(new PresencedException("closed with " + code
                        + " before ConnectionDetails"));
                pending.values().forEach(f -> f.completeExceptionally(new PresencedException("closed with " + code)));
            }
        };
    }

    private void frame(byte[] data, int length) {
        if (startsWith(data, length, NOTIFICATION)) {
            notifications.increment();
            if (!NotificationScan.scan(data, length, sink)) {
                errors.increment();
            }
            return;
        }
        try {
            JsonNode frame = JSON.readTree(data, 0, length);
            JsonNode meta = frame.path(0);
            switch (meta.path("type").asText()) {
                case "ConnectionDetails" -> details.complete(frame);
                case "ClientRequest" -> {
                    CompletableFuture<JsonNode> f = pending.remove(meta.path("messageId").asText());
                    if (f != null) {
                        f.complete(frame);
                    }
                }
                default -> errors.increment();
            }
        } catch (IOException e) {
            errors.increment();
        }
    }

    /** Subscribes this session to {@code filter}; the subscription id. */
    public String subscribe(String filter) throws IOException, InterruptedException {
        String id = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ws.sendText("[{\"type\":\"ClientRequest\",\"messageId\":\"" + id + "\",\"method\":\"POST\",\"path\":"
                + "\"/restapi/v1.0/subscription\",\"headers\":{}},{\"eventFilters\":[\"" + filter + "\"],"
                + "\"deliveryMode\":{\"transportType\":\"WebSocket\"}}]");
        JsonNode frame = await(reply, "the subscription reply");
        if (frame.path(0).path("status").asInt() != 200) {
            throw new PresencedException("the WebSocket subscription to " + filter + " was refused: " + frame);
        }
        return frame.path(0).path("headers").path("WSG-SubscriptionId").asText();
    }

    private JsonNode await(CompletableFuture<JsonNode> f, String what) throws InterruptedException {
        try {
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new PresencedException("no " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PresencedException("no " + what + " within " + WAIT.toSeconds() + " s", e);
        }
    }

    private static boolean startsWith(byte[] data, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Sends one text frame as it is. */
    public void send(String text) throws IOException {
        ws.sendText(text);
    }

    /** Notification frames received. */
    public long notifications() {
        return notifications.sum();
    }

    /** Frames that were neither expected nor readable. */
    public long errors() {
        return errors.sum();
    }

    public boolean isOpen() {
        return ws.isOpen();
    }

    /** The close code the connection ended with; 0 while it is open. */
    public int closedWith() {
        return closedWith;
    }

    @Override
    public void close() {
        ws.close();
    }
}
