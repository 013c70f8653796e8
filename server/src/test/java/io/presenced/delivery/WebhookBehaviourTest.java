package io.presenced.delivery;

import static io.presenced.testing.NotificationAssertions.assertInOrderWithoutGaps;
import static io.presenced.testing.MetricsText.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.presenced.testing.DemoApi;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import io.presenced.testing.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * WebHook delivery behaviour (SPEC §5, §7.1, §9 metrics) against a real in-process server and real HTTP
 * receivers: PUT reactivates a blacklisted subscription without losing what was made meanwhile; the bound on
 * requests in flight per endpoint; the limits of {@code expiresIn}; the expiry reminder; the delivery metrics;
 * and a {@code Retry-After: 0} that does not make the server hammer an endpoint.
 */
class WebhookBehaviourTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long MAX_EXPIRES_IN = 315_360_000L;
    private static final String ACCOUNT_FILTER = DemoApi.ACCOUNT_FILTER;
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    /** Quick retries and a failure window no test reaches, unless a test says otherwise. */
    private static final DeliverySettings FAST = DeliverySettings.defaults()
            .withRetries(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)),
                    Duration.ofSeconds(120));

    private TestServer server;
    private DemoApi api;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            // A subscription left retrying would keep the server busy while it closes.
            api.deleteAllSubscriptions();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ---- blacklisted, then PUT ---------------------------------------------------------------------------

    @Test
    void putOnABlacklistedSubscriptionRevalidatesItReactivatesItAndDeliversWhatWasMadeMeanwhileInOrder() {
        start(FAST);
        WebhookReceiver receiver = receiver();
        String id = api.subscribe(receiver.url(), ACCOUNT_FILTER).path("id").asText();
        String ann = api.user(0);
        String bob = api.user(1);
        receiver.respondToNotificationsWith(410);
        api.flip(ann, 1);
        JsonNode blacklisted = awaitStatus(id, "Blacklisted");
        assertThat(blacklisted.at("/blacklistedData/reason").asText()).as("blacklistedData.reason").contains("410");

        // Up again, but blacklisted: nothing goes out while more events are made.
        receiver.respondToNotificationsWith(200);
        api.flip(ann, 3);
        api.flip(bob, 2);
        receiver.assertNoneDuring(n -> true, Duration.ofSeconds(1));
        assertThat(receiver.notifications()).as("attempts while blacklisted: only the one answered 410").hasSize(1);
        String goneUuid = receiver.notifications().getFirst().uuid();

        int validations = receiver.validations().size();
        Http.Reply put = api.call("PUT", DemoApi.SUBSCRIPTION + "/" + id,
                DemoApi.request(receiver.url(), ACCOUNT_FILTER).toString());
        assertThat(put.status()).as("PUT on the blacklisted subscription: %s", put.raw().body()).isEqualTo(200);
        assertThat(put.json().path("status").asText()).isEqualTo("Active");
        assertThat(put.json().has("blacklistedData")).as("blacklistedData after the PUT").isFalse();
        assertThat(receiver.validations()).as("the PUT re-validates the address").hasSize(validations + 1);
        assertThat(api.subscription(id).path("status").asText()).isEqualTo("Active");

        awaitDistinct(receiver, id, Map.of(ann, 4, bob, 2));
        assertInOrderWithoutGaps(accepted(receiver, id, ann), 4, "extension " + ann);
        assertInOrderWithoutGaps(accepted(receiver, id, bob), 2, "extension " + bob);
        assertThat(accepted(receiver, id, ann).getFirst().uuid())
                .as("the first event delivered after the PUT is the one answered 410 (nothing queued is dropped)")
                .isEqualTo(goneUuid);
    }

    // ---- concurrency per endpoint --------------------------------------------------------------------------

    @Test
    void requestsInFlightToOneEndpointNeverExceedItsBoundButDoUseIt() throws Exception {
        int bound = 3;
        DeliverySettings d = FAST;
        int lanes = 8;
        start(new DeliverySettings(d.backoff(), d.jitter(), d.failureWindow(), d.memoryPerSubscription(), lanes,
                bound, d.validationTimeout(), d.requestTimeout(), d.allow(), d.deny(), d.retention()));
        CountingReceiver receiver = CountingReceiver.start(Duration.ofMillis(300));
        closing.add(receiver);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            users.add(api.user(i));
        }
        assertThat(users.stream().map(u -> Lanes.laneOf(Long.parseLong(u), lanes)).distinct().count())
                .as("delivery lanes the users' events fall in (of %d)", lanes).isGreaterThan(bound);
        // Two subscriptions on one endpoint (same scheme, host and port): 2 x 8 lanes could send 16 at once.
        List<String> ids = List.of(api.subscribe(receiver.url("/a"), ACCOUNT_FILTER).path("id").asText(),
                api.subscribe(receiver.url("/b"), ACCOUNT_FILTER).path("id").asText());

        int perUser = 2;
        for (String u : users) {
            api.flip(u, perUser);
        }
        int expected = ids.size() * users.size() * perUser;
        await(expected + " notifications at the endpoint").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(50)).until(() -> receiver.distinct() >= expected);

        System.out.printf("WebhookBehaviourTest: %d notifications held 300 ms each, at most %d in flight at once"
                + " (bound %d)%n", receiver.distinct(), receiver.maxInFlight(), bound);
        assertThat(receiver.maxInFlight()).as("requests in flight at once to one endpoint (concurrencyPerEndpoint %d)",
                bound).isLessThanOrEqualTo(bound).isGreaterThan(1);
        assertThat(receiver.distinct()).as("distinct notifications").isEqualTo(expected);
    }

    // ---- expiresIn ------------------------------------------------------------------------------------------

    @Test
    void expiresInAboveTheWebhookMaximumIsCappedToIt() {
        start(FAST);
        WebhookReceiver receiver = receiver();
        String last = null;
        for (long asked : List.of(MAX_EXPIRES_IN + 1, 10 * MAX_EXPIRES_IN, Long.MAX_VALUE)) {
            ObjectNode body = DemoApi.request(receiver.url(), ACCOUNT_FILTER);
            body.put("expiresIn", asked);
            Instant before = Instant.now();
            Http.Reply r = api.create(body);
            assertThat(r.status()).as("create with expiresIn %d: %s", asked, r.raw().body()).isEqualTo(200);
            assertCapped(r.json(), before, "create with expiresIn " + asked);
            last = r.json().path("id").asText();
            assertThat(api.subscription(last).path("expirationTime").asText()).as("GET after create")
                    .isEqualTo(r.json().path("expirationTime").asText());
        }
        ObjectNode update = JSON.createObjectNode().put("expiresIn", 400_000_000L);
        Instant before = Instant.now();
        Http.Reply put = api.call("PUT", DemoApi.SUBSCRIPTION + "/" + last, update.toString());
        assertThat(put.status()).as("PUT with expiresIn 400000000: %s", put.raw().body()).isEqualTo(200);
        assertCapped(put.json(), before, "PUT with expiresIn 400000000");
    }

    @Test
    void expiresInZeroOrNegativeIsRefusedWithCmn101() {
        start(FAST);
        WebhookReceiver receiver = receiver();
        for (long asked : List.of(0L, -1L, -604_800L)) {
            ObjectNode body = DemoApi.request(receiver.url(), ACCOUNT_FILTER);
            body.put("expiresIn", asked);
            assertCmn101(api.create(body), "create with expiresIn " + asked);
        }
        assertThat(api.subscriptionIds()).as("subscriptions after the refused creates").isEmpty();

        ObjectNode body = DemoApi.request(receiver.url(), ACCOUNT_FILTER);
        body.put("expiresIn", 3600);
        Http.Reply created = api.create(body);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        String id = created.json().path("id").asText();
        for (long asked : List.of(0L, -5L)) {
            assertCmn101(api.call("PUT", DemoApi.SUBSCRIPTION + "/" + id,
                    JSON.createObjectNode().put("expiresIn", asked).toString()), "PUT with expiresIn " + asked);
            assertThat(api.subscription(id).path("expirationTime").asText()).as("expirationTime after the refused PUT")
                    .isEqualTo(created.json().path("expirationTime").asText());
        }
    }

    // ---- expiry reminder ------------------------------------------------------------------------------------

    @Test
    void expiryReminderFilterSendsIdExpirationTimeAndExpiresInAsExpiryNearsAndNothingAfterIt() {
        start(FAST);
        WebhookReceiver receiver = receiver();
        String filter = "/restapi/v1.0/subscription/~?threshold=4&interval=2";
        ObjectNode request = DemoApi.request(receiver.url(), filter);
        request.put("expiresIn", 8);
        Http.Reply r = api.create(request);
        assertThat(r.status()).as("create with the reminder filter: %s", r.raw().body()).isEqualTo(200);
        JsonNode created = r.json();
        String id = created.path("id").asText();
        assertThat(created.path("eventFilters").get(0).asText()).isEqualTo(filter);
        Instant expiration = Instant.parse(created.path("expirationTime").asText());

        List<WebhookReceiver.Notification> reminders = receiver.awaitForSubscription(id, 2, Duration.ofSeconds(12));
        WebhookReceiver.Notification first = reminders.getFirst();
        System.out.printf("WebhookBehaviourTest: reminders %s%n", reminders.stream()
                .map(n -> Duration.between(n.receivedAt(), expiration).toMillis() + " ms before expiry").toList());
        assertThat(first.event()).as("event of the reminder").isEqualTo(filter);
        assertThat(first.uuid()).isNotBlank();
        assertThat(first.json().path("timestamp").asText()).matches(TIMESTAMP);
        assertThat(first.json().path("ownerId").asText()).isEqualTo(api.adminId());
        assertThat(first.header("Content-Type")).startsWith("application/json");
        assertThat(first.signatureVerifies(created.path("signingSecret").asText())).as("signature").isTrue();
        JsonNode body = first.body();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("reminder body fields").containsExactlyInAnyOrder("id", "expirationTime", "expiresIn");
        assertThat(body.path("id").asText()).isEqualTo(id);
        assertThat(body.path("expirationTime").asText()).isEqualTo(created.path("expirationTime").asText());
        assertThat(body.path("expiresIn").asLong()).as("body.expiresIn of the first reminder").isBetween(0L, 4L);
        assertThat(first.receivedAt()).as("the first reminder comes once less than threshold (4 s) + 1 s remains")
                .isAfterOrEqualTo(expiration.minusSeconds(5));
        assertThat(Duration.between(first.receivedAt(), reminders.get(1).receivedAt()))
                .as("time between reminders (interval 2 s)").isGreaterThanOrEqualTo(Duration.ofMillis(1700));
        assertThat(reminders.get(1).receivedAt()).as("the second reminder, before expiry")
                .isBeforeOrEqualTo(expiration.plusMillis(500));

        // A reminder sent just before expiry may arrive just after it; none may be sent later.
        Instant settled = expiration.plusMillis(500);
        await("the subscription expired").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(settled));
        receiver.assertNoneDuring(n -> id.equals(n.subscriptionId()), Duration.ofMillis(1500));
        assertThat(receiver.forSubscription(id)).as("reminders after expiry")
                .noneMatch(n -> n.receivedAt().isAfter(settled));
    }

    // ---- metrics --------------------------------------------------------------------------------------------

    @Test
    void metricsCountEveryChangeDispatchAndDeliveryAndTheQueueWhileTheReceiverIsDown() {
        start(FAST);
        WebhookReceiver receiver = receiver();
        String id = api.subscribe(receiver.url(), ACCOUNT_FILTER).path("id").asText();
        List<String> users = List.of(api.user(2), api.user(3));
        String before = api.metrics();

        int changes = 6;
        for (String u : users) {
            api.flip(u, changes / users.size());
        }
        awaitDistinct(receiver, id, Map.of(users.get(0), 3, users.get(1), 3));
        awaitMetric("presenced_delivery_attempts_total", "outcome=\"delivered\"", before, changes);
        String after = api.metrics();
        assertThat(delta(before, after, "presenced_presence_events_total", ""))
                .as("presenced_presence_events_total after %d changes", changes).isEqualTo(changes);
        assertThat(delta(before, after, "presenced_events_dispatched_total", ""))
                .as("presenced_events_dispatched_total after %d changes", changes).isEqualTo(changes);
        assertThat(delta(before, after, "presenced_delivery_attempts_total", "outcome=\"delivered\""))
                .as("presenced_delivery_attempts_total{outcome=delivered} after %d deliveries", changes)
                .isEqualTo(changes);

        // The receiver goes down: everything made now waits.
        receiver.respondToNotificationsWith(503);
        int waiting = 4;
        for (String u : users) {
            api.flip(u, waiting / users.size());
        }
        receiver.awaitMatching(n -> n.answeredStatus() == 503, 2, WAIT);
        String depth = "subscription=\"" + id + "\"";
        awaitGauge("presenced_delivery_queue_depth", depth, waiting);
        String down = api.metrics();
        assertThat(sample(down, "presenced_delivery_queue_depth", depth)).as("queue depth of %s", id)
                .contains((double) waiting);
        assertThat(sample(down, "presenced_delivery_queue_age_seconds", depth)).as("queue age of %s", id)
                .hasValueSatisfying(age -> assertThat(age).isGreaterThan(0));

        receiver.respondToNotificationsWith(200);
        awaitDistinct(receiver, id, Map.of(users.get(0), 5, users.get(1), 5));
        awaitGauge("presenced_delivery_queue_depth", depth, 0);
        awaitMetric("presenced_delivery_attempts_total", "outcome=\"delivered\"", before, changes + waiting);
        String end = api.metrics();
        assertThat(delta(before, end, "presenced_delivery_attempts_total", "outcome=\"delivered\""))
                .as("deliveries in all").isEqualTo(changes + waiting);
        assertThat(delta(before, end, "presenced_delivery_attempts_total", "outcome=\"retry\""))
                .as("attempts answered 503").isGreaterThanOrEqualTo(2);
        assertThat(delta(before, end, "presenced_presence_events_total", "")).isEqualTo(changes + waiting);
    }

    @Test
    void queueDepthCountsNotificationsWaitingInTheLogNotOnlyInMemory() {
        // One notification per lane in memory: the rest of what waits is read back from the event log.
        start(FAST.withMemoryPerSubscription(FAST.lanesPerSubscription()));
        WebhookReceiver receiver = receiver();
        String id = api.subscribe(receiver.url(), ACCOUNT_FILTER).path("id").asText();
        String ann = api.user(4);
        receiver.respondToNotificationsWith(503);
        int waiting = 6;
        api.flip(ann, waiting);
        receiver.awaitMatching(n -> n.answeredStatus() == 503, 2, WAIT);

        String depth = "subscription=\"" + id + "\"";
        String down = api.metrics();
        System.out.printf("WebhookBehaviourTest: %d notifications undelivered; queue depth %s, age %s%n", waiting,
                sample(down, "presenced_delivery_queue_depth", depth),
                sample(down, "presenced_delivery_queue_age_seconds", depth));
        awaitGauge("presenced_delivery_queue_depth", depth, waiting);
        assertThat(sample(api.metrics(), "presenced_delivery_queue_age_seconds", depth))
                .as("age of the oldest undelivered notification of %s", id)
                .hasValueSatisfying(age -> assertThat(age).isGreaterThan(0));

        receiver.respondToNotificationsWith(200);
        awaitDistinct(receiver, id, Map.of(ann, waiting));
        assertInOrderWithoutGaps(accepted(receiver, id, ann), waiting, "extension " + ann);
        awaitGauge("presenced_delivery_queue_depth", depth, 0);
    }

    // ---- Retry-After: 0 -------------------------------------------------------------------------------------

    @Test
    void retryAfterZeroDoesNotMakeTheServerRetryInATightLoop() {
        start(DeliverySettings.defaults());   // first backoff step: 1 s
        WebhookReceiver receiver = receiver();
        String id = api.subscribe(receiver.url(), ACCOUNT_FILTER).path("id").asText();
        receiver.respondToNotificationsWith(503, "0");
        api.flip(api.user(5), 1);

        Instant first = receiver.awaitForSubscription(id, 1, WAIT).getFirst().receivedAt();
        Duration window = Duration.ofSeconds(3);
        await("a " + window + " window after the first attempt").pollDelay(window).atMost(window.plusSeconds(5))
                .until(() -> Instant.now().isAfter(first.plus(window)));
        long attempts = receiver.forSubscription(id).stream()
                .filter(n -> n.receivedAt().isBefore(first.plus(window))).count();
        System.out.printf("WebhookBehaviourTest: %d attempts in the %d s after the first 503 with Retry-After: 0%n",
                attempts, window.toSeconds());
        assertThat(attempts).as("attempts within %s of the first, each answered 503 with Retry-After: 0 (the backoff's"
                + " first step is 1 s)", window).isBetween(2L, 5L);

        receiver.respondToNotificationsWith(200);
        receiver.awaitMatching(n -> id.equals(n.subscriptionId()) && n.accepted(), 1, WAIT);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void start(DeliverySettings delivery) {
        server = TestServer.start(c -> c.withDelivery(delivery));
        api = DemoApi.asAdmin(server);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver r = WebhookReceiver.start();
        closing.add(r);
        return r;
    }

    private JsonNode awaitStatus(String id, String status) {
        return await("subscription " + id + " has status " + status).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> api.subscription(id), s -> s.path("status").asText().equals(status));
    }

    private static void assertCapped(JsonNode info, Instant before, String what) {
        assertThat(info.path("expiresIn").asLong()).as("expiresIn answered to %s", what)
                .isBetween(MAX_EXPIRES_IN - 1, MAX_EXPIRES_IN);
        assertThat(Instant.parse(info.path("expirationTime").asText())).as("expirationTime answered to %s", what)
                .isBetween(before.plusSeconds(MAX_EXPIRES_IN).minusSeconds(1),
                        Instant.now().plusSeconds(MAX_EXPIRES_IN).plusSeconds(1));
    }

    private static void assertCmn101(Http.Reply r, String what) {
        assertThat(r.status()).as("status of %s: %s", what, r.raw().body()).isEqualTo(400);
        assertThat(r.json().path("errorCode").asText()).as("errorCode of %s: %s", what, r.raw().body())
                .isEqualTo("CMN-101");
        assertThat(r.json().at("/errors/0/parameterName").asText()).as("parameterName of %s", what)
                .isEqualTo("expiresIn");
    }

    private static List<WebhookReceiver.Notification> accepted(WebhookReceiver r, String subscriptionId,
                                                               String extensionId) {
        return r.forSubscription(subscriptionId).stream()
                .filter(n -> n.accepted() && extensionId.equals(n.extensionId())).toList();
    }

    private static long distinctSequences(List<WebhookReceiver.Notification> notifications) {
        return notifications.stream().map(n -> n.body().path("sequence").asLong()).distinct().count();
    }

    private static void awaitDistinct(WebhookReceiver r, String subscriptionId, Map<String, Integer> events) {
        await("distinct events accepted at " + r.url() + ": " + events).atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> events.entrySet().stream().allMatch(e ->
                        distinctSequences(accepted(r, subscriptionId, e.getKey())) >= e.getValue()));
    }


    private void awaitMetric(String name, String label, String before, int increase) {
        await(name + "{" + label + "} up by " + increase).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> delta(before, api.metrics(), name, label) >= increase);
    }

    private void awaitGauge(String name, String label, double value) {
        try {
            await(name + "{" + label + "} == " + value).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> sample(api.metrics(), name, label).orElse(-1.0) == value);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + "{" + label + "} stayed other than " + value + " for 10 s; last: "
                    + sample(api.metrics(), name, label).map(String::valueOf).orElse("absent"), e);
        }
    }

    /** How much a sample grew between two scrapes; a sample not yet there counts as 0. */
    private static double delta(String before, String after, String name, String label) {
        return sample(after, name, label).orElse(0.0) - sample(before, name, label).orElse(0.0);
    }


    /**
     * A WebHook receiver that holds every notification for a while and records how many it held at once:
     * the JDK's HTTP server on 127.0.0.1, one virtual thread per request. Handshakes are answered at once and
     * not counted.
     */
    private static final class CountingReceiver implements AutoCloseable {
        private final HttpServer http;
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        private final Duration hold;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private final Set<String> received = ConcurrentHashMap.newKeySet();

        private CountingReceiver(Duration hold) throws IOException {
            this.hold = hold;
            this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            http.setExecutor(executor);
            http.createContext("/", this::handle);
            http.start();
        }

        static CountingReceiver start(Duration hold) throws IOException {
            return new CountingReceiver(hold);
        }

        String url(String path) {
            return "http://127.0.0.1:" + http.getAddress().getPort() + path;
        }

        int maxInFlight() {
            return maxInFlight.get();
        }

        /** Distinct notifications received: subscription, extension and sequence. */
        int distinct() {
            return received.size();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] raw;
                try (InputStream in = exchange.getRequestBody()) {
                    raw = in.readAllBytes();
                }
                String token = exchange.getRequestHeaders().getFirst("Validation-Token");
                if (token != null) {
                    exchange.getResponseHeaders().add("Validation-Token", token);
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(hold);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    // Before the answer: the server frees its slot only once it has the answer.
                    inFlight.decrementAndGet();
                }
                JsonNode json = JSON.readTree(raw);
                received.add(json.path("subscriptionId").asText() + "/" + json.at("/body/extensionId").asText() + "/"
                        + json.at("/body/sequence").asLong());
                exchange.sendResponseHeaders(200, -1);
            }
        }

        @Override
        public void close() {
            http.stop(0);
            executor.shutdownNow();
        }
    }
}
