package io.presenced.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A WebSocket client for tests (the JDK's) that keeps every frame it receives, parsed, in order. */
public final class WsClient implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Every text frame received, in order. */
    public final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    /** Pongs received. */
    public final AtomicInteger pongs = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WsClient() {
    }

    /** Connects to {@code uri} (a {@code ws://} URI with its query). */
    public static WsClient connect(String uri) {
        WsClient c = new WsClient();
        c.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(uri), c).join();
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        pongs.incrementAndGet();
        ws.request(1);
        return null;
    }

    public WebSocket socket() {
        return socket;
    }

    /** Sends one text frame. */
    public void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** Sends a ping. */
    public void ping() {
        socket.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).join();
    }

    /** The {@code index}-th frame of a type, waiting for it up to ten seconds. */
    public JsonNode awaitFrame(String type, int index) {
        await().atMost(WAIT).until(() -> ofType(type).size() > index);
        return ofType(type).get(index);
    }

    /** The frames of one type ({@code ConnectionDetails}, {@code ClientRequest}, {@code ServerNotification}…). */
    public List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.get(0).path("type").asText().equals(type)).toList();
    }

    /** Closes the connection from this side and waits until the server has closed its side too. */
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        await().atMost(WAIT).until(socket::isInputClosed);
    }

    /** Whether the server closed the connection. */
    public boolean closedByServer() {
        return socket.isInputClosed();
    }
}
