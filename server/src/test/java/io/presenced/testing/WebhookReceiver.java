package io.presenced.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver for WebHook tests: the JDK's {@link HttpServer} on {@code 127.0.0.1} and an
 * ephemeral port, one virtual thread per request.
 *
 * <p>Two kinds of request arrive at it:
 * <ul>
 *   <li><b>validations</b> — a POST carrying a {@code Validation-Token} header (the handshake on
 *       subscription create / address change). By default the receiver answers 200 echoing the token;
 *       {@link #echoValidationToken(boolean)} and {@link #respondToValidationsWith(int)} change that.
 *       They are recorded in {@link #validations()}.</li>
 *   <li><b>notifications</b> — every other request. Each is recorded, in arrival order, in
 *       {@link #notifications()} with its headers, raw bytes, parsed JSON and the status the receiver
 *       answered. By default the receiver answers 200; {@link #respondToNotificationsWith(int)},
 *       {@link #respondToNotificationsWith(int, String)} (with a {@code Retry-After} value) and
 *       {@link #failNextNotifications(int, int, String)} change that. {@link #accepted()} holds only
 *       those answered 2xx, i.e. the ones the server counts as delivered.</li>
 * </ul>
 *
 * <p>Other knobs: {@link #delay(Duration)} makes every answer slow (a slow receiver);
 * {@link #respondWith(int)} sets the status for both kinds; {@link #stop()} closes the port (the
 * endpoint becomes unreachable) and {@link #restart()} opens the same port again; {@link #reset()}
 * restores the defaults; {@link #clear()} forgets what was recorded.
 *
 * <p>Several subscriptions can share one receiver: tell their notifications apart with
 * {@link #forSubscription(String)}, or give each its own path with {@link #url(String)} and use
 * {@link Notification#path()}.
 *
 * <p>All methods are thread-safe. Close it (try-with-resources or {@code @AfterAll}).
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATION_TOKEN = "Validation-Token";

    /** One notification as received. {@code json} is null when the body was not JSON. */
    public record Notification(int index, String method, String path, Map<String, List<String>> headers,
            byte[] raw, JsonNode json, int answeredStatus, Instant receivedAt) {

        /** The first value of a header, case-insensitively; null if absent. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The raw body as UTF-8 text. */
        public String text() {
            return new String(raw, StandardCharsets.UTF_8);
        }

        /** The notification's {@code body} object (the presence event), or null. */
        public JsonNode body() {
            return json == null ? null : json.get("body");
        }

        public String subscriptionId() {
            return field("subscriptionId");
        }

        public String event() {
            return field("event");
        }

        public String uuid() {
            return field("uuid");
        }

        /** The {@code body.extensionId}, or null. */
        public String extensionId() {
            JsonNode body = body();
            return body == null || !body.hasNonNull("extensionId") ? null : body.get("extensionId").asText();
        }

        /** Whether the receiver answered it with 2xx (so the server counts it delivered). */
        public boolean accepted() {
            return answeredStatus >= 200 && answeredStatus <= 299;
        }

        /**
         * Whether the Standard Webhooks signature verifies: some {@code v1,<sig>} entry of
         * {@code webhook-signature} equals base64 HMAC-SHA256 of {@code webhook-id.webhook-timestamp.body}
         * keyed with the base64-decoded part of {@code signingSecret} after {@code whsec_}.
         */
        public boolean signatureVerifies(String signingSecret) {
            String id = header("webhook-id");
            String timestamp = header("webhook-timestamp");
            String signature = header("webhook-signature");
            if (id == null || timestamp == null || signature == null || signingSecret == null) {
                return false;
            }
            String expected = sign(signingSecret, id, timestamp, raw);
            for (String part : signature.trim().split(" ")) {
                if (part.equals("v1," + expected)) {
                    return true;
                }
            }
            return false;
        }

        private String field(String name) {
            return json == null || !json.hasNonNull(name) ? null : json.get(name).asText();
        }

        @Override
        public String toString() {
            return "#" + index + " " + method + " " + path + " -> " + answeredStatus + " " + text();
        }
    }

    /** One validation request as received, with what the receiver answered. */
    public record Validation(String path, Map<String, List<String>> headers, String token, int answeredStatus,
            boolean echoed, Instant receivedAt) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private record Answer(int status, String retryAfter) {
    }

    private final List<Notification> notifications = new CopyOnWriteArrayList<>();
    private final List<Validation> validations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Answer notificationAnswer = new Answer(200, null);
    private volatile Answer scriptedFailure = new Answer(503, null);
    private volatile int validationStatus = 200;
    private volatile boolean echoToken = true;
    private volatile Duration delay = Duration.ZERO;
    private volatile HttpServer server;
    private final int port;

    private WebhookReceiver(int port) {
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    /** A running receiver on an ephemeral port of 127.0.0.1. */
    public static WebhookReceiver start() {
        return new WebhookReceiver(0);
    }

    private HttpServer bind(int wanted) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 64);
            s.setExecutor(executor);
            s.createContext("/", this::handle);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the webhook receiver to port " + wanted, e);
        }
    }

    /** The address to subscribe with: {@code http://127.0.0.1:<port>/hook}. */
    public String url() {
        return url("/hook");
    }

    /** An address with the given path on this receiver (the path is recorded per notification). */
    public String url(String path) {
        return "http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path);
    }

    public int port() {
        return port;
    }

    // ---- behaviour switches ------------------------------------------------------------------

    /** Answer both validations and notifications with {@code status} (the token is still echoed). */
    public WebhookReceiver respondWith(int status) {
        respondToValidationsWith(status);
        return respondToNotificationsWith(status);
    }

    /** Answer validation requests with {@code status}. */
    public WebhookReceiver respondToValidationsWith(int status) {
        this.validationStatus = status;
        return this;
    }

    /** Answer notifications with {@code status} from now on. */
    public WebhookReceiver respondToNotificationsWith(int status) {
        return respondToNotificationsWith(status, null);
    }

    /** Answer notifications with {@code status} and, if not null, a {@code Retry-After} header (seconds or HTTP date). */
    public WebhookReceiver respondToNotificationsWith(int status, String retryAfter) {
        this.notificationAnswer = new Answer(status, retryAfter);
        return this;
    }

    /**
     * Answer the next {@code count} notifications with {@code status} (and {@code Retry-After} if not
     * null), then go back to the current notification answer.
     */
    public WebhookReceiver failNextNotifications(int count, int status, String retryAfter) {
        this.scriptedFailure = new Answer(status, retryAfter);
        this.failuresLeft.set(count);
        return this;
    }

    /** Whether validation answers echo the {@code Validation-Token} header (default true). */
    public WebhookReceiver echoValidationToken(boolean echo) {
        this.echoToken = echo;
        return this;
    }

    /** Wait this long before answering any request (a slow receiver); {@link Duration#ZERO} for none. */
    public WebhookReceiver delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Back to the defaults: 200 for everything, token echoed, no delay, no scripted failures. */
    public WebhookReceiver reset() {
        notificationAnswer = new Answer(200, null);
        validationStatus = 200;
        echoToken = true;
        delay = Duration.ZERO;
        failuresLeft.set(0);
        return this;
    }

    /** Close the port: the endpoint is unreachable until {@link #restart()}. Recorded data is kept. */
    public synchronized WebhookReceiver stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        return this;
    }

    /** Listen again on the same port after {@link #stop()}. */
    public synchronized WebhookReceiver restart() {
        if (server == null) {
            server = bind(port);
        }
        return this;
    }

    public boolean running() {
        return server != null;
    }

    /** Forget every recorded notification and validation. */
    public WebhookReceiver clear() {
        notifications.clear();
        validations.clear();
        return this;
    }

    // ---- what was received --------------------------------------------------------------------

    /** Every notification request received, in arrival order, whatever the receiver answered. */
    public List<Notification> notifications() {
        return List.copyOf(notifications);
    }

    /** The notifications answered 2xx, in arrival order. */
    public List<Notification> accepted() {
        return notifications.stream().filter(Notification::accepted).toList();
    }

    /** Every validation request received, in arrival order. */
    public List<Validation> validations() {
        return List.copyOf(validations);
    }

    /** The notifications of one subscription, in arrival order. */
    public List<Notification> forSubscription(String subscriptionId) {
        return notifications.stream().filter(n -> subscriptionId.equals(n.subscriptionId())).toList();
    }

    /** The notifications received on one path (see {@link #url(String)}), in arrival order. */
    public List<Notification> onPath(String path) {
        return notifications.stream().filter(n -> path.equals(n.path())).toList();
    }

    /** The event bodies about one extension (any subscription), in arrival order. */
    public List<JsonNode> bodiesFor(String extensionId) {
        return notifications.stream().filter(n -> extensionId.equals(n.extensionId()))
                .map(Notification::body).toList();
    }

    /** The event bodies about one extension delivered for one subscription, in arrival order. */
    public List<JsonNode> bodiesFor(String subscriptionId, String extensionId) {
        return forSubscription(subscriptionId).stream().filter(n -> extensionId.equals(n.extensionId()))
                .map(Notification::body).toList();
    }

    /** Waits until at least {@code n} notifications have arrived; returns all received so far. */
    public List<Notification> awaitCount(int n, Duration timeout) {
        return awaitMatching(x -> true, n, timeout);
    }

    /** Waits until at least {@code n} notifications matching {@code which} have arrived; returns those. */
    public List<Notification> awaitMatching(Predicate<Notification> which, int n, Duration timeout) {
        await("at least " + n + " matching notifications at " + url())
                .atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> notifications.stream().filter(which).count() >= n);
        return notifications.stream().filter(which).toList();
    }

    /** Waits until at least {@code n} notifications of one subscription have arrived; returns those. */
    public List<Notification> awaitForSubscription(String subscriptionId, int n, Duration timeout) {
        return awaitMatching(x -> subscriptionId.equals(x.subscriptionId()), n, timeout);
    }

    /**
     * Asserts that no notification matching {@code which} arrives during {@code period} (fails with an
     * Awaitility timeout/condition error otherwise).
     */
    public void assertNoneDuring(Predicate<Notification> which, Duration period) {
        long before = notifications.stream().filter(which).count();
        await("no further matching notifications at " + url() + " for " + period)
                .during(period).atMost(period.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> notifications.stream().filter(which).count() == before);
    }

    // ---- handling ------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            Duration wait = delay;
            if (!wait.isZero() && !wait.isNegative()) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Map<String, List<String>> headers = lowerCased(exchange.getRequestHeaders());
            String path = exchange.getRequestURI().getPath();
            String token = exchange.getRequestHeaders().getFirst(VALIDATION_TOKEN);
            if (token != null) {
                int status = validationStatus;
                boolean echo = echoToken;
                if (echo) {
                    exchange.getResponseHeaders().add(VALIDATION_TOKEN, token);
                }
                validations.add(new Validation(path, headers, token, status, echo, Instant.now()));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            Answer answer = notificationAnswer;
            if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                answer = scriptedFailure;
            }
            JsonNode json = null;
            try {
                json = raw.length == 0 ? null : JSON.readTree(raw);
            } catch (IOException notJson) {
                // recorded with json == null
            }
            synchronized (notifications) {
                notifications.add(new Notification(notifications.size(), exchange.getRequestMethod(), path,
                        headers, raw, json, answer.status(), Instant.now()));
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
        }
    }

    private static Map<String, List<String>> lowerCased(Headers headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        return out;
    }

    /** The Standard Webhooks v1 signature, computed independently of the server's code. */
    public static String sign(String signingSecret, String id, String timestamp, byte[] body) {
        try {
            String key = signingSecret.startsWith("whsec_") ? signingSecret.substring(6) : signingSecret;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first notification matching {@code which}, if any. */
    public Optional<Notification> first(Predicate<Notification> which) {
        return notifications.stream().filter(which).findFirst();
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }
}
