package io.presenced.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.testing.DemoApi;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import io.presenced.testing.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Validation-Token handshake (SPEC §7.1) against a real server: the receiver has 3000 ms in all,
 * connection and whole response, to answer 2xx echoing the token; otherwise create fails with 400
 * {@code SUB-525} (too slow, unreachable, not 2xx) or {@code SUB-520} (token not echoed), at once after the
 * limit, and no subscription is made.
 */
class WebhookHandshakeTest {
    private static final Duration LIMIT = Duration.ofSeconds(3);
    /** The limit plus what the test's own request, and a loaded machine, may add. */
    private static final Duration ANSWER_BOUND = Duration.ofMillis(3500);

    private static TestServer server;
    private static DemoApi api;
    /** A receiver per test: a slow one may still record a handshake after its test has ended. */
    private WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = DemoApi.asAdmin(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void receiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void cleanUp() {
        receiver.close();
        api.deleteAllSubscriptions();
    }

    @Test
    void handshakeAnsweredWithinTheLimitIsAccepted() {
        receiver.delay(Duration.ofSeconds(2));

        Timed create = create(receiver.url());

        assertThat(create.reply().status()).as("create with a receiver answering after 2 s: %s", create.body())
                .isEqualTo(200);
        assertThat(receiver.validations()).hasSize(1);
        assertThat(receiver.validations().getFirst().echoed()).isTrue();
    }

    @Test
    void handshakeAnsweredAfterTheLimitFailsWithSub525AsSoonAsTheLimitIsReached() {
        receiver.delay(Duration.ofSeconds(4));

        Timed create = create(receiver.url());
        System.out.printf("WebhookHandshakeTest: receiver answering after 4 s: answered after %d ms%n",
                create.took().toMillis());

        assertFailed(create, "SUB-525");
        assertThat(create.took()).as("time to refuse a receiver that answers the handshake after 4 s (limit %s)",
                LIMIT).isLessThan(ANSWER_BOUND);
        assertThat(api.subscriptionIds()).as("subscriptions after the failed create").isEmpty();
    }

    @Test
    void receiverAnswering200WithoutTheTokenFailsWithSub520() {
        receiver.echoValidationToken(false);

        Timed create = create(receiver.url());

        assertFailed(create, "SUB-520");
        assertThat(receiver.validations()).as("handshakes the receiver got").hasSize(1);
        assertThat(receiver.validations().getFirst().token()).as("the Validation-Token sent").isNotBlank();
        assertThat(api.subscriptionIds()).as("subscriptions after the failed create").isEmpty();
    }

    @Test
    void receiverEchoingAnotherTokenFailsWithSub520() throws IOException {
        try (RawEndpoint endpoint = RawEndpoint.start((token, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nValidation-Token: not-" + token + "\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            Timed create = create(endpoint.url());

            assertFailed(create, "SUB-520");
            assertThat(endpoint.tokens()).as("handshakes the endpoint got").hasSize(1);
        }
        assertThat(api.subscriptionIds()).as("subscriptions after the failed create").isEmpty();
    }

    @Test
    void receiverDrippingItsResponseHeadersFailsWithSub525WithinTheLimit() throws IOException {
        // A correct answer, echoing the token, one byte every 500 ms: each read gets data well within any
        // per-read timeout, but the whole answer would take about 45 s. Only a deadline for the whole exchange
        // stops it.
        AtomicInteger bytesSent = new AtomicInteger();
        try (RawEndpoint endpoint = RawEndpoint.start((token, out) -> {
            byte[] answer = ("HTTP/1.1 200 OK\r\nValidation-Token: " + token + "\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (byte b : answer) {
                out.write(b);
                out.flush();
                bytesSent.incrementAndGet();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        })) {
            Timed create = create(endpoint.url());
            System.out.printf("WebhookHandshakeTest: dripping receiver: answered %d after %d ms, %d bytes dripped%n",
                    create.reply() == null ? -1 : create.reply().status(), create.took().toMillis(), bytesSent.get());

            assertFailed(create, "SUB-525");
            assertThat(create.took()).as("time to refuse a receiver that drips its answer (limit %s in all)", LIMIT)
                    .isLessThan(ANSWER_BOUND);
            assertThat(endpoint.tokens()).as("handshakes the endpoint got").hasSize(1);
        }
        assertThat(api.subscriptionIds()).as("subscriptions after the failed create").isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A create's answer (null if none came within the client's 15 s) and how long it took. */
    private record Timed(Http.Reply reply, Duration took) {
        String body() {
            return reply == null ? "(no answer)" : reply.raw().body();
        }
    }

    private static Timed create(String address) {
        long start = System.nanoTime();
        Http.Reply reply;
        try {
            reply = api.create(DemoApi.request(address, DemoApi.ACCOUNT_FILTER));
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof HttpTimeoutException)) {
                throw e;
            }
            reply = null;
        }
        return new Timed(reply, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void assertFailed(Timed create, String errorCode) {
        assertThat(create.reply()).as("an answer to create within 15 s (took %d ms)", create.took().toMillis())
                .isNotNull();
        assertThat(create.reply().status()).as("status of create: %s", create.body()).isEqualTo(400);
        JsonNode json = create.reply().json();
        assertThat(json.path("errorCode").asText()).as("errorCode: %s", create.body()).isEqualTo(errorCode);
        assertThat(json.at("/errors/0/parameterName").asText()).isEqualTo("deliveryMode.address");
    }

    /** How a {@link RawEndpoint} answers a handshake carrying {@code token}. */
    private interface Answer {
        void write(String token, OutputStream out) throws IOException;
    }

    /**
     * A bare HTTP/1.1 endpoint on a {@link ServerSocket} of 127.0.0.1, for answers no HTTP server library
     * would send: it reads each request's head, records its {@code Validation-Token} and lets {@link Answer}
     * write the bytes of the answer. One virtual thread per connection; closing it closes every connection.
     */
    private static final class RawEndpoint implements AutoCloseable {
        private final ServerSocket socket;
        private final Answer answer;
        private final List<String> tokens = new CopyOnWriteArrayList<>();
        private final List<Socket> connections = new CopyOnWriteArrayList<>();

        private RawEndpoint(ServerSocket socket, Answer answer) {
            this.socket = socket;
            this.answer = answer;
        }

        static RawEndpoint start(Answer answer) throws IOException {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            RawEndpoint endpoint = new RawEndpoint(s, answer);
            Thread.ofVirtual().name("raw-endpoint-accept").start(endpoint::accept);
            return endpoint;
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
        }

        List<String> tokens() {
            return List.copyOf(tokens);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    connections.add(c);
                    Thread.ofVirtual().name("raw-endpoint-connection").start(() -> serve(c));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket c) {
            try (c) {
                Map<String, String> headers = head(c.getInputStream());
                String token = headers.getOrDefault("validation-token", "");
                tokens.add(token);
                answer.write(token, c.getOutputStream());
            } catch (IOException gone) {
                // the server gave up on the connection
            }
        }

        /** Reads a request's head and body; returns its headers with lower-case names. */
        private static Map<String, String> head(InputStream in) throws IOException {
            StringBuilder text = new StringBuilder();
            while (text.length() < 4 || !text.substring(text.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the request ended in its head");
                }
                text.append((char) b);
            }
            Map<String, String> headers = new TreeMap<>();
            String[] lines = text.toString().split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            in.readNBytes((int) length);
            return headers;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket c : connections) {
                c.close();
            }
        }
    }
}
