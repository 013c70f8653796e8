package io.presenced.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ringcentral.RestClient;
import com.ringcentral.RestException;
import com.ringcentral.Utils;
import com.ringcentral.definitions.CreateSubscriptionRequest;
import com.ringcentral.definitions.NotificationDeliveryModeRequest;
import com.ringcentral.definitions.SubscriptionInfo;
import com.ringcentral.definitions.SubscriptionListResource;
import com.ringcentral.definitions.UpdateSubscriptionRequest;
import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.auth.Permission;
import io.presenced.directory.Account;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import io.presenced.store.JdbcStore;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import io.presenced.testing.WebhookReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The subscription API (SPEC §5–§7.1) against a real server and a real WebHook receiver: what the
 * official Java SDK gets back, what the receiver gets for each presence change, the lifecycle, the
 * refusals and the visibility rule. Every test deletes the subscriptions it made.
 */
class SubscriptionApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SUBSCRIPTION = "/restapi/v1.0/subscription";
    private static final String OWN_PRESENCE = "/restapi/v1.0/account/~/extension/~/presence";
    private static final String ACCOUNT_FILTER = "/restapi/v1.0/account/~/presence";
    private static final String OWN_EXTENSION_FILTER = "/restapi/v1.0/account/~/extension/~/presence";
    private static final String DETAILED = "?detailedTelephonyState=true";
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    /** The seed's body fields in the seed's order. */
    private static final List<String> SEED_FIELDS = List.of("extensionId", "telephonyStatus", "sequence",
            "presenceStatus", "userStatus", "meetingStatus", "dndStatus", "allowSeeMyPresence", "ringOnMonitoredCall",
            "pickUpCallsOnHold");
    private static final List<String> ACCOUNT_FIELDS_NO_TELEPHONY = SEED_FIELDS.stream()
            .filter(f -> !f.equals("telephonyStatus")).toList();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static WebhookReceiver receiver;
    private static Admin.CreatedApp limitedApp;
    private static Account foreignAccount;
    private static Extension foreignExtension;
    private static final Map<String, String> tokens = new HashMap<>();
    /** Subscriptions to delete after each test: id → owner's token. */
    private static final Map<String, String> made = new HashMap<>();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
        http = new Http(server.url());
        receiver = WebhookReceiver.start();
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            Admin admin = new Admin(store, Clock.systemUTC());
            limitedApp = admin.createApp("Presence without ReadAccounts",
                    EnumSet.of(Permission.ReadPresence, Permission.EditPresence));
            foreignAccount = admin.createAccount("Foreign Tenant", "+15550300000");
            foreignExtension = admin.createExtension(new ExtensionSpec(foreignAccount.id(), "101", "Fay Foreign",
                    "fay@foreign.presenced.test", ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of()));
        }
        // The server reads other processes' directory changes within about a second.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> grant(limitedApp.clientId(), limitedApp.clientSecret(), user(7)).status() == 200);
    }

    @AfterAll
    static void stop() {
        receiver.close();
        server.close();
    }

    @AfterEach
    void deleteWhatTheTestMade() {
        receiver.reset();
        made.forEach((id, token) -> http.send("DELETE", SUBSCRIPTION + "/" + id, token, null, null));
        made.clear();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static DemoAccount.User user(int i) {
        return demo.users().get(i);
    }

    private static Http.Reply grant(String clientId, String secret, DemoAccount.User u) {
        return http.form("/restapi/oauth/token", clientId, secret,
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", u.jwt()));
    }

    private static String token(DemoAccount.User u) {
        return tokens.computeIfAbsent("demo/" + u.extensionId(), k -> {
            Http.Reply r = grant(demo.clientId(), demo.clientSecret(), u);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            return r.json().get("access_token").asText();
        });
    }

    private static String limitedToken(DemoAccount.User u) {
        return tokens.computeIfAbsent("limited/" + u.extensionId(), k -> {
            Http.Reply r = grant(limitedApp.clientId(), limitedApp.clientSecret(), u);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            return r.json().get("access_token").asText();
        });
    }

    private static RestClient sdk(DemoAccount.User u) throws Exception {
        RestClient rc = new RestClient(demo.clientId(), demo.clientSecret(), server.url());
        rc.authorize(u.jwt());
        return rc;
    }

    private static ObjectNode body(String address, String... filters) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode f = body.putArray("eventFilters");
        Arrays.stream(filters).forEach(f::add);
        body.putObject("deliveryMode").put("transportType", "WebHook").put("address", address);
        return body;
    }

    private static Http.Reply post(String token, JsonNode body) {
        Http.Reply r = http.send("POST", SUBSCRIPTION, token, "application/json", body.toString());
        if (r.status() == 200) {
            made.put(r.json().get("id").asText(), token);
        }
        return r;
    }

    /** Creates a subscription that must succeed; returns its SubscriptionInfo (with the signing secret). */
    private static JsonNode subscribe(String token, String address, String... filters) {
        Http.Reply r = post(token, body(address, filters));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> ids(String token) {
        Http.Reply r = http.get(SUBSCRIPTION, token);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return StreamSupport.stream(r.json().get("records").spliterator(), false)
                .map(n -> n.get("id").asText()).toList();
    }

    private static String extensionFilter(String extensionId) {
        return "/restapi/v1.0/account/~/extension/" + extensionId + "/presence";
    }

    private static String eventPath(String extensionId) {
        return "/restapi/v1.0/account/~/extension/" + extensionId + "/presence";
    }

    private static JsonNode ownPresence(DemoAccount.User u) {
        Http.Reply r = http.get(OWN_PRESENCE, token(u));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode putOwnPresence(DemoAccount.User u, String json) {
        Http.Reply r = http.putJson(OWN_PRESENCE, token(u), json);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    /** Moves the user's userStatus to another value (so the write makes exactly one event); returns it. */
    private static String changeUserStatus(DemoAccount.User u) {
        String next = switch (ownPresence(u).get("userStatus").asText()) {
            case "Available" -> "Busy";
            case "Busy" -> "Offline";
            default -> "Available";
        };
        putOwnPresence(u, "{\"userStatus\":\"" + next + "\"}");
        return next;
    }

    /** Flips the user's dndStatus between TakeAllCalls and DoNotAcceptAnyCalls; returns the new value. */
    private static String changeDnd(DemoAccount.User u) {
        String next = ownPresence(u).get("dndStatus").asText().equals("TakeAllCalls") ? "DoNotAcceptAnyCalls"
                : "TakeAllCalls";
        putOwnPresence(u, "{\"dndStatus\":\"" + next + "\"}");
        return next;
    }

    private static void setVisible(DemoAccount.User u, boolean visible) {
        putOwnPresence(u, "{\"allowSeeMyPresence\":" + visible + "}");
    }

    /** SPEC §1.2 for a User extension with no call and no meeting. */
    private static String aggregated(JsonNode body) {
        if (body.get("userStatus").asText().equals("Offline")) {
            return "Offline";
        }
        if (body.get("userStatus").asText().equals("Busy")
                || body.get("dndStatus").asText().equals("DoNotAcceptAnyCalls")) {
            return "Busy";
        }
        return "Available";
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Predicate<WebhookReceiver.Notification> of(String subscriptionId, String extensionId) {
        return n -> subscriptionId.equals(n.subscriptionId()) && extensionId.equals(n.extensionId());
    }

    private static List<WebhookReceiver.Notification> awaitEvents(String subscriptionId, String extensionId, int n) {
        return receiver.awaitMatching(of(subscriptionId, extensionId), n, WAIT);
    }

    private static List<WebhookReceiver.Notification> events(String subscriptionId, String extensionId) {
        return receiver.notifications().stream().filter(of(subscriptionId, extensionId)).toList();
    }

    /**
     * Changes {@code marker}'s presence and waits until every listed subscription got that event: delivery
     * to one subscription is in log order, so whatever they would have got before it has arrived by then.
     */
    private static void barrier(DemoAccount.User marker, String... subscriptionIds) {
        String status = changeUserStatus(marker);
        for (String id : subscriptionIds) {
            receiver.awaitMatching(n -> id.equals(n.subscriptionId())
                    && marker.extensionId().equals(n.extensionId())
                    && status.equals(n.body().path("userStatus").asText()), 1, WAIT);
        }
    }

    private static void assertError(Http.Reply r, int status, String errorCode) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        JsonNode body = r.json();
        assertThat(body.path("errorCode").asText()).as(r.raw().body()).isEqualTo(errorCode);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("errors").isArray()).as(r.raw().body()).isTrue();
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo(errorCode);
        // Never a stack trace in a response (SPEC §3).
        assertThat(r.raw().body()).doesNotContain("\tat ")
                .doesNotContainPattern("at [\\w$.]+\\([\\w$]+\\.java:\\d+\\)");
    }

    // ---- the SDK creates an account subscription; what the receiver gets ----------------------------

    @Test
    void sdkCreatesAccountWebhookSubscriptionWithRealAccountIdAndSigningSecret() throws Exception {
        RestClient rc = sdk(user(0));
        CreateSubscriptionRequest request = new CreateSubscriptionRequest()
                .eventFilters(new String[] {ACCOUNT_FILTER})
                .deliveryMode(new NotificationDeliveryModeRequest().transportType("WebHook")
                        .address(receiver.url("/sdk-create")).verificationToken("vt-sdk-create"));
        int validationsBefore = receiver.validations().size();

        // The SDK's generic post keeps the raw answer, where the extra field signingSecret is.
        String raw = rc.post(rc.restapi().subscription().path(), request).string();
        JsonNode json = JSON.readTree(raw);
        made.put(json.get("id").asText(), token(user(0)));
        SubscriptionInfo info = Utils.gson.fromJson(raw, SubscriptionInfo.class);

        assertThat(info.id).isNotBlank();
        assertThat(info.uri).isEqualTo(server.url() + SUBSCRIPTION + "/" + info.id);
        assertThat(info.status).isEqualTo("Active");
        assertThat(info.eventFilters).containsExactly("/restapi/v1.0/account/" + demo.accountId() + "/presence");
        assertThat(info.disabledFilters).isNull();
        assertThat(info.expiresIn).isBetween(604_799L, 604_800L);
        assertThat(info.creationTime).matches(TIMESTAMP);
        assertThat(info.expirationTime).matches(TIMESTAMP);
        assertThat(Duration.between(Instant.parse(info.creationTime), Instant.parse(info.expirationTime)))
                .isEqualTo(Duration.ofSeconds(604_800));
        assertThat(Instant.parse(info.creationTime)).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(info.deliveryMode.transportType).isEqualTo("WebHook");
        assertThat(info.deliveryMode.address).isEqualTo(receiver.url("/sdk-create"));
        assertThat(info.deliveryMode.encryption).isFalse();
        assertThat(json.path("signingSecret").asText()).matches("whsec_[A-Za-z0-9+/=]{40,}");

        // The address was validated with a Validation-Token before the answer.
        assertThat(receiver.validations().subList(validationsBefore, receiver.validations().size()))
                .anySatisfy(v -> {
                    assertThat(v.path()).isEqualTo("/sdk-create");
                    assertThat(v.token()).isNotBlank();
                    assertThat(v.header("User-Agent")).startsWith("Presenced-Webhook/");
                });

        // The signing secret is returned once only: GET and the list do not carry it.
        assertThat(http.get(SUBSCRIPTION + "/" + info.id, token(user(0))).json().has("signingSecret")).isFalse();
        SubscriptionInfo got = rc.restapi().subscription(info.id).get();
        assertThat(got.eventFilters).containsExactly(info.eventFilters);
    }

    @Test
    void accountSubscriptionGetsOneSeedShapedSignedNotificationPerChangeInSequenceOrder() throws Exception {
        DemoAccount.User subscriber = user(0);
        DemoAccount.User a = user(1);
        DemoAccount.User b = user(2);
        RestClient rc = sdk(subscriber);
        CreateSubscriptionRequest request = new CreateSubscriptionRequest()
                .eventFilters(new String[] {ACCOUNT_FILTER})
                .deliveryMode(new NotificationDeliveryModeRequest().transportType("WebHook")
                        .address(receiver.url("/account")).verificationToken("vt-account-42"));
        JsonNode created = JSON.readTree(rc.post(rc.restapi().subscription().path(), request).string());
        String id = created.get("id").asText();
        made.put(id, token(subscriber));
        String secret = created.get("signingSecret").asText();

        // Several users, several changes each, interleaved.
        List<String> aStatuses = new ArrayList<>();
        List<String> bStatuses = new ArrayList<>();
        List<String> bDnd = new ArrayList<>();
        aStatuses.add(changeUserStatus(a));
        bStatuses.add(changeUserStatus(b));
        aStatuses.add(changeUserStatus(a));
        bDnd.add(changeDnd(b));
        aStatuses.add(changeUserStatus(a));
        bStatuses.add(changeUserStatus(b));
        JsonNode aNow = ownPresence(a);
        JsonNode bNow = ownPresence(b);

        List<WebhookReceiver.Notification> forA = awaitEvents(id, a.extensionId(), 3);
        List<WebhookReceiver.Notification> forB = awaitEvents(id, b.extensionId(), 3);
        barrier(user(3), id);
        // Exactly one notification per change, no more.
        assertThat(events(id, a.extensionId())).hasSize(3);
        assertThat(events(id, b.extensionId())).hasSize(3);

        assertThat(forA.stream().map(n -> n.body().get("userStatus").asText())).containsExactlyElementsOf(aStatuses);
        assertThat(forB.get(0).body().get("userStatus").asText()).isEqualTo(bStatuses.get(0));
        assertThat(forB.get(1).body().get("dndStatus").asText()).isEqualTo(bDnd.get(0));
        assertThat(forB.get(2).body().get("userStatus").asText()).isEqualTo(bStatuses.get(1));
        for (WebhookReceiver.Notification n : concat(forA, forB)) {
            assertThat(n.body().get("presenceStatus").asText()).as(n.text()).isEqualTo(aggregated(n.body()));
        }
        for (List<WebhookReceiver.Notification> perExtension : List.of(forA, forB)) {
            long first = perExtension.getFirst().body().get("sequence").asLong();
            assertThat(first).isPositive();
            assertThat(perExtension.stream().map(n -> n.body().get("sequence").asLong()))
                    .containsExactly(first, first + 1, first + 2);
        }
        // The last body equals what the REST API says now.
        for (var pair : List.of(Map.entry(forA.getLast(), aNow), Map.entry(forB.getLast(), bNow))) {
            JsonNode body = pair.getKey().body();
            JsonNode rest = pair.getValue();
            for (String f : List.of("presenceStatus", "userStatus", "meetingStatus", "dndStatus", "allowSeeMyPresence",
                    "ringOnMonitoredCall", "pickUpCallsOnHold")) {
                assertThat(body.get(f)).as(f).isEqualTo(rest.get(f));
            }
        }

        Set<String> uuids = new HashSet<>();
        for (WebhookReceiver.Notification n : concat(forA, forB)) {
            JsonNode envelope = n.json();
            assertThat(fieldNames(envelope)).as(n.text())
                    .containsExactly("uuid", "event", "timestamp", "subscriptionId", "ownerId", "body");
            assertThat(envelope.get("uuid").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            uuids.add(envelope.get("uuid").asText());
            assertThat(envelope.get("event").asText()).isEqualTo(eventPath(n.extensionId()));
            assertThat(envelope.get("timestamp").asText()).matches(TIMESTAMP);
            assertThat(Instant.parse(envelope.get("timestamp").asText()))
                    .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
            assertThat(envelope.get("subscriptionId").asText()).isEqualTo(id);
            assertThat(envelope.get("ownerId").isTextual()).isTrue();
            assertThat(envelope.get("ownerId").asText()).isEqualTo(subscriber.extensionId());

            JsonNode body = n.body();
            // A userStatus or dnd change leaves telephonyStatus as it was: the account event omits it.
            assertThat(fieldNames(body)).as(n.text()).containsExactlyElementsOf(ACCOUNT_FIELDS_NO_TELEPHONY);
            assertThat(body.get("extensionId").isTextual()).isTrue();
            assertThat(body.get("sequence").isIntegralNumber()).isTrue();
            assertThat(body.get("allowSeeMyPresence").isBoolean()).isTrue();
            assertThat(body.get("ringOnMonitoredCall").isBoolean()).isTrue();
            assertThat(body.get("pickUpCallsOnHold").isBoolean()).isTrue();
            assertThat(body.get("meetingStatus").asText()).isIn("Connected", "Disconnected");

            assertThat(n.header("Content-Type")).isEqualToIgnoringCase("application/json; charset=UTF-8");
            assertThat(n.header("User-Agent")).startsWith("Presenced-Webhook/");
            assertThat(n.header("Verification-Token")).isEqualTo("vt-account-42");
            assertThat(n.header("webhook-id")).isEqualTo(envelope.get("uuid").asText());
            assertThat(Long.parseLong(n.header("webhook-timestamp")))
                    .isBetween(Instant.now().minusSeconds(60).getEpochSecond(), Instant.now().getEpochSecond() + 1);
            assertThat(n.header("webhook-signature")).startsWith("v1,");
            assertThat(n.signatureVerifies(secret)).as("signature of " + n).isTrue();
            assertThat(n.signatureVerifies("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
                    .isFalse();
            assertThat(n.path()).isEqualTo("/account");
        }
        assertThat(uuids).hasSize(6);
    }

    @Test
    void noVerificationTokenHeaderWhenNoneWasGiven() {
        DemoAccount.User u = user(4);
        String id = subscribe(token(u), receiver.url("/no-vt"), OWN_EXTENSION_FILTER).get("id").asText();
        changeUserStatus(u);
        WebhookReceiver.Notification n = awaitEvents(id, u.extensionId(), 1).getFirst();
        assertThat(n.header("Verification-Token")).isNull();
        assertThat(n.header("User-Agent")).startsWith("Presenced-Webhook/");
    }

    // ---- filter variants ----------------------------------------------------------------------------

    @Test
    void extensionFilterAlwaysCarriesTelephonyStatus() {
        DemoAccount.User u = user(4);
        JsonNode info = subscribe(token(u), receiver.url("/extension"), OWN_EXTENSION_FILTER);
        String id = info.get("id").asText();
        assertThat(info.get("eventFilters")).containsExactly(JSON.getNodeFactory().textNode(
                "/restapi/v1.0/account/" + demo.accountId() + "/extension/" + u.extensionId() + "/presence"));

        changeUserStatus(u);
        changeDnd(u);
        List<WebhookReceiver.Notification> got = awaitEvents(id, u.extensionId(), 2);
        for (WebhookReceiver.Notification n : got) {
            assertThat(n.event()).isEqualTo(eventPath(u.extensionId()));
            assertThat(fieldNames(n.body())).as(n.text()).containsExactlyElementsOf(SEED_FIELDS);
            assertThat(n.body().get("telephonyStatus").asText()).isEqualTo("NoCall");
            assertThat(n.json().get("ownerId").asText()).isEqualTo(u.extensionId());
        }
        assertThat(got.get(1).body().get("sequence").asLong()).isEqualTo(got.get(0).body().get("sequence").asLong() + 1);
    }

    @Test
    void detailedFilterSendsDetailedEventPathWithActiveCalls() {
        DemoAccount.User u = user(4);
        JsonNode info = subscribe(token(u), receiver.url("/detailed"), OWN_EXTENSION_FILTER + DETAILED);
        String id = info.get("id").asText();
        assertThat(info.get("eventFilters").get(0).asText()).isEqualTo("/restapi/v1.0/account/" + demo.accountId()
                + "/extension/" + u.extensionId() + "/presence" + DETAILED);

        changeUserStatus(u);
        WebhookReceiver.Notification n = awaitEvents(id, u.extensionId(), 1).getFirst();
        assertThat(n.event()).isEqualTo(eventPath(u.extensionId()) + DETAILED).endsWith("?detailedTelephonyState=true");
        JsonNode body = n.body();
        assertThat(body.get("activeCalls").isArray()).as(n.text()).isTrue();
        assertThat(body.get("totalActiveCalls").isIntegralNumber()).as(n.text()).isTrue();
        assertThat(body.get("totalActiveCalls").asInt()).isEqualTo(body.get("activeCalls").size());
        assertThat(body.get("telephonyStatus").asText()).isEqualTo("NoCall");
        // The seed fields keep the seed's order; the detailed fields come on top.
        assertThat(fieldNames(body).stream().filter(SEED_FIELDS::contains).toList()).containsExactlyElementsOf(SEED_FIELDS);
        assertThat(fieldNames(body)).containsExactlyInAnyOrderElementsOf(concat(SEED_FIELDS,
                List.of("activeCalls", "totalActiveCalls")));
    }

    @Test
    void plainAndDetailedFilterOfOneExtensionMakeOneDetailedNotificationPerChange() {
        DemoAccount.User u = user(4);
        JsonNode info = subscribe(token(u), receiver.url("/both"), OWN_EXTENSION_FILTER,
                OWN_EXTENSION_FILTER + DETAILED);
        String id = info.get("id").asText();

        changeUserStatus(u);
        changeUserStatus(u);
        List<WebhookReceiver.Notification> got = awaitEvents(id, u.extensionId(), 2);
        // One more change, and its notification, proves nothing else is on the way for the first two.
        changeUserStatus(u);
        awaitEvents(id, u.extensionId(), 3);
        got = events(id, u.extensionId());
        assertThat(got).hasSize(3);
        assertThat(got).allSatisfy(n -> {
            assertThat(n.event()).isEqualTo(eventPath(u.extensionId()) + DETAILED);
            assertThat(n.body().has("activeCalls")).isTrue();
        });
        long first = got.getFirst().body().get("sequence").asLong();
        assertThat(got.stream().map(n -> n.body().get("sequence").asLong())).containsExactly(first, first + 1, first + 2);
    }

    @Test
    void overlappingAccountAndExtensionFiltersMakeOneNotificationPerChange() {
        DemoAccount.User owner = user(4);
        DemoAccount.User watched = user(5);
        String id = subscribe(token(owner), receiver.url("/overlap"), ACCOUNT_FILTER,
                extensionFilter(watched.extensionId())).get("id").asText();

        changeUserStatus(watched);
        changeUserStatus(watched);
        changeUserStatus(owner);
        awaitEvents(id, watched.extensionId(), 2);
        barrier(user(3), id);

        List<WebhookReceiver.Notification> got = events(id, watched.extensionId());
        assertThat(got).hasSize(2);
        assertThat(got).allSatisfy(n -> assertThat(n.event()).isEqualTo(eventPath(watched.extensionId())));
        assertThat(got.get(1).body().get("sequence").asLong()).isEqualTo(got.get(0).body().get("sequence").asLong() + 1);
        // The account filter alone still covers the other extensions.
        assertThat(events(id, owner.extensionId())).hasSize(1);
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Test
    void listShowsOnlyTheCallersOwnSubscriptionsPerExtensionAndApp() {
        DemoAccount.User owner = user(6);
        DemoAccount.User other = user(7);
        String mine = subscribe(token(owner), receiver.url("/list"), ACCOUNT_FILTER).get("id").asText();
        String mineOtherApp = subscribe(limitedToken(owner), receiver.url("/list"), OWN_EXTENSION_FILTER)
                .get("id").asText();
        String theirs = subscribe(token(other), receiver.url("/list"), ACCOUNT_FILTER).get("id").asText();

        assertThat(ids(token(owner))).contains(mine).doesNotContain(mineOtherApp, theirs);
        assertThat(ids(limitedToken(owner))).contains(mineOtherApp).doesNotContain(mine, theirs);
        assertThat(ids(token(other))).contains(theirs).doesNotContain(mine, mineOtherApp);

        Http.Reply list = http.get(SUBSCRIPTION, token(owner));
        assertThat(list.json().get("uri").asText()).isEqualTo(server.url() + SUBSCRIPTION);
        // The same owner in another app cannot read it either.
        assertError(http.get(SUBSCRIPTION + "/" + mine, limitedToken(owner)), 404, "CMN-102");
    }

    @Test
    void sdkGetsUpdatesRenewsAndDeletesItsSubscription() throws Exception {
        DemoAccount.User owner = user(6);
        RestClient rc = sdk(owner);
        SubscriptionInfo created = rc.restapi().subscription().post(new CreateSubscriptionRequest()
                .eventFilters(new String[] {ACCOUNT_FILTER}).expiresIn(3600L)
                .deliveryMode(new NotificationDeliveryModeRequest().transportType("WebHook")
                        .address(receiver.url("/lifecycle"))));
        made.put(created.id, token(owner));
        assertThat(created.expiresIn).isBetween(3599L, 3600L);

        SubscriptionListResource list = rc.restapi().subscription().list();
        assertThat(Arrays.stream(list.records).map(r -> r.id)).contains(created.id);

        SubscriptionInfo got = rc.restapi().subscription(created.id).get();
        assertThat(got.id).isEqualTo(created.id);
        assertThat(got.eventFilters).containsExactly(created.eventFilters);
        assertThat(got.creationTime).isEqualTo(created.creationTime);
        assertThat(got.status).isEqualTo("Active");

        // PUT new filters: the subscription now follows only its owner's extension, at extension level.
        SubscriptionInfo updated = rc.restapi().subscription(created.id).put(new UpdateSubscriptionRequest()
                .eventFilters(new String[] {OWN_EXTENSION_FILTER}));
        assertThat(updated.eventFilters).containsExactly(
                "/restapi/v1.0/account/" + demo.accountId() + "/extension/" + owner.extensionId() + "/presence");
        assertThat(rc.restapi().subscription(created.id).get().eventFilters).containsExactly(updated.eventFilters);
        changeUserStatus(user(5));
        changeUserStatus(owner);
        WebhookReceiver.Notification n = awaitEvents(created.id, owner.extensionId(), 1).getFirst();
        assertThat(n.body().has("telephonyStatus")).isTrue();
        assertThat(events(created.id, user(5).extensionId())).isEmpty();

        // Renew: the expiration moves forward.
        SubscriptionInfo renewed = rc.restapi().subscription(created.id).renew().post();
        assertThat(Instant.parse(renewed.expirationTime)).isAfter(Instant.parse(created.expirationTime));
        assertThat(renewed.expiresIn).isBetween(3599L, 3600L);
        assertThat(renewed.status).isEqualTo("Active");

        // DELETE: 204, then 404 for every verb.
        Http.Reply delete = http.send("DELETE", SUBSCRIPTION + "/" + created.id, token(owner), null, null);
        assertThat(delete.status()).isEqualTo(204);
        assertThat(delete.raw().body()).isEmpty();
        assertError(http.get(SUBSCRIPTION + "/" + created.id, token(owner)), 404, "CMN-102");
        assertError(http.send("DELETE", SUBSCRIPTION + "/" + created.id, token(owner), null, null), 404, "CMN-102");
        assertError(http.send("POST", SUBSCRIPTION + "/" + created.id + "/renew", token(owner), null, null),
                404, "CMN-102");
        assertThat(ids(token(owner))).doesNotContain(created.id);
        assertThatThrownBy(() -> rc.restapi().subscription(created.id).get())
                .isInstanceOfSatisfying(RestException.class, e -> assertThat(e.response.code()).isEqualTo(404));
        // And nothing is delivered for it any more.
        changeUserStatus(owner);
        receiver.assertNoneDuring(x -> created.id.equals(x.subscriptionId()), Duration.ofMillis(1500));
        assertThat(events(created.id, owner.extensionId())).hasSize(1);
    }

    @Test
    void putWithNewAddressValidatesItAndDeliversThere() {
        DemoAccount.User owner = user(6);
        String id = subscribe(token(owner), receiver.url("/old"), OWN_EXTENSION_FILTER).get("id").asText();

        // A new address that does not echo the token is refused, and the subscription stays as it was.
        receiver.echoValidationToken(false);
        Http.Reply refused = http.putJson(SUBSCRIPTION + "/" + id, token(owner),
                body(receiver.url("/refused"), OWN_EXTENSION_FILTER).toString());
        assertError(refused, 400, "SUB-520");
        receiver.echoValidationToken(true);
        assertThat(http.get(SUBSCRIPTION + "/" + id, token(owner)).json().at("/deliveryMode/address").asText())
                .isEqualTo(receiver.url("/old"));

        int validationsBefore = receiver.validations().size();
        Http.Reply moved = http.putJson(SUBSCRIPTION + "/" + id, token(owner),
                body(receiver.url("/new"), OWN_EXTENSION_FILTER).toString());
        assertThat(moved.status()).as(moved.raw().body()).isEqualTo(200);
        assertThat(moved.json().at("/deliveryMode/address").asText()).isEqualTo(receiver.url("/new"));
        assertThat(moved.json().has("signingSecret")).isFalse();
        assertThat(receiver.validations().subList(validationsBefore, receiver.validations().size()))
                .extracting(WebhookReceiver.Validation::path).containsExactly("/new");

        changeUserStatus(owner);
        WebhookReceiver.Notification n = awaitEvents(id, owner.extensionId(), 1).getFirst();
        assertThat(n.path()).isEqualTo("/new");
        assertThat(receiver.onPath("/old")).isEmpty();
    }

    @Test
    void anotherUsersSubscriptionIsNotFound() {
        DemoAccount.User owner = user(6);
        DemoAccount.User stranger = user(7);
        String id = subscribe(token(owner), receiver.url("/private"), ACCOUNT_FILTER).get("id").asText();

        assertError(http.get(SUBSCRIPTION + "/" + id, token(stranger)), 404, "CMN-102");
        assertError(http.putJson(SUBSCRIPTION + "/" + id, token(stranger), "{\"eventFilters\":[\""
                + OWN_EXTENSION_FILTER + "\"]}"), 404, "CMN-102");
        assertError(http.send("POST", SUBSCRIPTION + "/" + id + "/renew", token(stranger), null, null), 404, "CMN-102");
        assertError(http.send("DELETE", SUBSCRIPTION + "/" + id, token(stranger), null, null), 404, "CMN-102");
        assertError(http.get(SUBSCRIPTION + "/" + id, token(demo.admin())), 404, "CMN-102");
        assertError(http.get(SUBSCRIPTION + "/no-such-subscription", token(owner)), 404, "CMN-102");

        JsonNode still = http.get(SUBSCRIPTION + "/" + id, token(owner)).json();
        assertThat(still.get("eventFilters").get(0).asText()).endsWith("/presence").doesNotContain("extension");
        assertThat(still.get("status").asText()).isEqualTo("Active");
    }

    @Test
    void expiredSubscriptionAnswersSub507AndDeliversNothing() {
        DemoAccount.User owner = user(6);
        ObjectNode request = body(receiver.url("/expiring"), OWN_EXTENSION_FILTER);
        request.put("expiresIn", 2);
        Http.Reply r = post(token(owner), request);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        String id = r.json().get("id").asText();
        assertThat(r.json().get("expiresIn").asLong()).isBetween(1L, 2L);

        // Alive, it delivers.
        changeUserStatus(owner);
        awaitEvents(id, owner.extensionId(), 1);

        Http.Reply expired = await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get(SUBSCRIPTION + "/" + id, token(owner)), g -> g.status() != 200);
        assertError(expired, 404, "SUB-507");
        assertError(http.send("POST", SUBSCRIPTION + "/" + id + "/renew", token(owner), null, null), 404, "SUB-507");

        changeUserStatus(owner);
        changeUserStatus(owner);
        receiver.assertNoneDuring(x -> id.equals(x.subscriptionId()), Duration.ofMillis(2000));
        assertThat(events(id, owner.extensionId())).hasSize(1);
    }

    @Test
    void thirtyFirstSubscriptionOfOneExtensionAndAppIsRefusedWithSub505() {
        DemoAccount.User owner = user(8);
        for (int i = 0; i < 30; i++) {
            subscribe(token(owner), receiver.url("/limit"), OWN_EXTENSION_FILTER);
        }
        assertThat(ids(token(owner))).hasSize(30);

        assertError(post(token(owner), body(receiver.url("/limit"), OWN_EXTENSION_FILTER)), 403, "SUB-505");
        assertThat(ids(token(owner))).hasSize(30);
        // The limit is per extension and app: the same user in another app still may subscribe.
        subscribe(limitedToken(owner), receiver.url("/limit"), OWN_EXTENSION_FILTER);
        // And deleting one makes room again.
        String one = ids(token(owner)).getFirst();
        assertThat(http.send("DELETE", SUBSCRIPTION + "/" + one, token(owner), null, null).status()).isEqualTo(204);
        subscribe(token(owner), receiver.url("/limit"), OWN_EXTENSION_FILTER);
    }

    // ---- refusals -----------------------------------------------------------------------------------

    @Test
    void malformedOrUnknownFiltersAreRefusedWithSub508ListingThem() {
        String token = token(user(7));
        List<String> before = ids(token);
        List<String> bad = List.of("not-a-filter", "/restapi/v1.0/account/~/presencex",
                "/restapi/v1.0/account/~/extension/~/presence?detailedTelephonyState=maybe",
                "/restapi/v1.0/account/~/presence?foo=bar", "/restapi/v1.0/account/~/extension/~/message-store",
                "/restapi/v1.0/account/abc/presence");
        for (String filter : bad) {
            Http.Reply r = post(token, body(receiver.url("/bad"), filter));
            assertError(r, 400, "SUB-508");
            assertThat(r.json().get("message").asText()).as(filter).contains("Invalid event filters").contains(filter);
        }
        // Mixed with a valid one: the answer lists the bad ones, not the good one.
        Http.Reply mixed = post(token, body(receiver.url("/bad"), ACCOUNT_FILTER, bad.get(0), bad.get(1)));
        assertError(mixed, 400, "SUB-508");
        assertThat(mixed.json().get("message").asText()).contains(bad.get(0)).contains(bad.get(1))
                .doesNotContain(ACCOUNT_FILTER + ",").doesNotContain(ACCOUNT_FILTER + "]");
        // No filters at all.
        assertError(post(token, body(receiver.url("/bad"))), 400, "SUB-508");
        assertThat(ids(token)).isEqualTo(before);
    }

    @Test
    void accountFilterWithoutReadAccountsIsRefusedWithCmn408() {
        String token = limitedToken(user(7));
        List<String> before = ids(token);
        Http.Reply r = post(token, body(receiver.url("/no-read-accounts"), ACCOUNT_FILTER));
        assertError(r, 403, "CMN-408");
        assertThat(r.json().get("message").asText()).contains("ReadAccounts");
        assertThat(r.json().path("permissionName").asText()).isEqualTo("ReadAccounts");
        assertThat(ids(token)).isEqualTo(before);
    }

    @Test
    void accountFilterWithoutReadAccountsIsDisabledWhenAnotherFilterIsUsable() {
        DemoAccount.User owner = user(7);
        String token = limitedToken(owner);
        JsonNode info = subscribe(token, receiver.url("/partly"), ACCOUNT_FILTER, OWN_EXTENSION_FILTER);
        String id = info.get("id").asText();
        String extensionFilter = "/restapi/v1.0/account/" + demo.accountId() + "/extension/" + owner.extensionId()
                + "/presence";
        assertThat(info.get("eventFilters")).hasSize(1);
        assertThat(info.get("eventFilters").get(0).asText()).isEqualTo(extensionFilter);
        assertThat(info.get("disabledFilters")).hasSize(1);
        JsonNode disabled = info.get("disabledFilters").get(0);
        assertThat(disabled.get("filter").asText()).isIn(ACCOUNT_FILTER,
                "/restapi/v1.0/account/" + demo.accountId() + "/presence");
        assertThat(disabled.get("reason").asText()).contains("ReadAccounts");
        assertThat(http.get(SUBSCRIPTION + "/" + id, token).json().get("disabledFilters")).hasSize(1);

        // Only the extension filter is active: another user's change is not delivered, the owner's is.
        changeUserStatus(user(3));
        changeUserStatus(owner);
        awaitEvents(id, owner.extensionId(), 1);
        assertThat(receiver.forSubscription(id)).extracting(WebhookReceiver.Notification::extensionId)
                .containsOnly(owner.extensionId());
    }

    @Test
    void foreignAccountInAFilterIsRefusedWithSub406() {
        String token = token(user(7));
        List<String> before = ids(token);
        assertError(post(token, body(receiver.url("/foreign"), "/restapi/v1.0/account/" + foreignAccount.id()
                + "/presence")), 403, "SUB-406");
        assertError(post(token, body(receiver.url("/foreign"), "/restapi/v1.0/account/" + foreignAccount.id()
                + "/extension/" + foreignExtension.id() + "/presence")), 403, "SUB-406");
        // A foreign extension under one's own account id is just as foreign (once the server knows it).
        Http.Reply viaOwnAccount = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> post(token, body(receiver.url("/foreign"), extensionFilter(
                        String.valueOf(foreignExtension.id())))), x -> x.status() != 400);
        assertError(viaOwnAccount, 403, "SUB-406");
        assertThat(ids(token)).isEqualTo(before);
    }

    @Test
    void nonAdminCannotSubscribeToAHiddenExtensionButItselfAndAdminsCan() {
        DemoAccount.User hidden = user(9);
        DemoAccount.User nonAdmin = user(7);
        setVisible(hidden, false);
        try {
            List<String> before = ids(token(nonAdmin));
            assertError(post(token(nonAdmin), body(receiver.url("/hidden"), extensionFilter(hidden.extensionId()))),
                    403, "SUB-403");
            assertThat(ids(token(nonAdmin))).isEqualTo(before);

            subscribe(token(demo.admin()), receiver.url("/hidden"), extensionFilter(hidden.extensionId()));
            subscribe(token(hidden), receiver.url("/hidden"), extensionFilter(hidden.extensionId()));
            subscribe(token(hidden), receiver.url("/hidden"), OWN_EXTENSION_FILTER);
        } finally {
            setVisible(hidden, true);
        }
        subscribe(token(nonAdmin), receiver.url("/hidden"), extensionFilter(hidden.extensionId()));
    }

    @Test
    void receiverNotEchoingValidationTokenIsRefusedWithSub520() {
        String token = token(user(7));
        List<String> before = ids(token);
        receiver.echoValidationToken(false);
        int validationsBefore = receiver.validations().size();
        Http.Reply r = post(token, body(receiver.url("/no-echo"), ACCOUNT_FILTER));
        assertError(r, 400, "SUB-520");
        assertThat(receiver.validations().size()).isGreaterThan(validationsBefore);
        assertThat(ids(token)).isEqualTo(before);
    }

    @Test
    void receiverAnswering500IsRefusedWithSub525() {
        String token = token(user(7));
        List<String> before = ids(token);
        receiver.respondToValidationsWith(500);
        assertError(post(token, body(receiver.url("/fails"), ACCOUNT_FILTER)), 400, "SUB-525");
        assertThat(ids(token)).isEqualTo(before);
    }

    @Test
    void unreachableReceiverIsRefusedWithSub525() throws IOException {
        String token = token(user(7));
        List<String> before = ids(token);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertError(post(token, body("http://127.0.0.1:" + closedPort + "/gone", ACCOUNT_FILTER)), 400, "SUB-525");
        assertThat(ids(token)).isEqualTo(before);
    }

    @Test
    void linkLocalAndMetadataAddressesAreRefused() {
        String token = token(user(7));
        List<String> before = ids(token);
        for (String address : List.of("http://169.254.169.254/x", "http://[fe80::1]/x")) {
            Http.Reply r = post(token, body(address, ACCOUNT_FILTER));
            assertThat(r.status()).as(address + " " + r.raw().body()).isEqualTo(400);
            assertThat(r.json().path("errorCode").asText()).isNotBlank();
            assertThat(r.json().at("/errors/0/parameterName").asText()).isEqualTo("deliveryMode.address");
        }
        assertThat(ids(token)).isEqualTo(before);
    }

    @Test
    void pubNubTransportIsRefused() {
        String token = token(user(7));
        List<String> before = ids(token);
        ObjectNode request = body(receiver.url("/pubnub"), ACCOUNT_FILTER);
        ((ObjectNode) request.get("deliveryMode")).put("transportType", "PubNub");
        Http.Reply r = post(token, request);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
        assertThat(r.json().path("errorCode").asText()).isNotBlank();
        assertThat(r.json().at("/errors/0/parameterName").asText()).isEqualTo("deliveryMode.transportType");
        assertThat(ids(token)).isEqualTo(before);
    }

    // ---- visibility ---------------------------------------------------------------------------------

    @Test
    void hidingExtensionIsSeenByOthersOnlyInTheHidingEventButByItselfAndAdminsThroughout() {
        DemoAccount.User x = user(9);
        DemoAccount.User nonAdmin = user(7);
        DemoAccount.User marker = user(3);
        String others = subscribe(token(nonAdmin), receiver.url("/vis-user"), ACCOUNT_FILTER).get("id").asText();
        String othersExtension = subscribe(token(nonAdmin), receiver.url("/vis-user-ext"),
                extensionFilter(x.extensionId()), extensionFilter(marker.extensionId())).get("id").asText();
        String own = subscribe(token(x), receiver.url("/vis-own"), ACCOUNT_FILTER).get("id").asText();
        String admin = subscribe(token(demo.admin()), receiver.url("/vis-admin"), ACCOUNT_FILTER).get("id").asText();
        try {
            setVisible(x, false);
            changeUserStatus(x);
            changeDnd(x);
            for (String id : List.of(own, admin)) {
                List<WebhookReceiver.Notification> got = awaitEvents(id, x.extensionId(), 3);
                assertThat(got).hasSize(3);
                assertThat(got.getFirst().body().get("allowSeeMyPresence").asBoolean()).isFalse();
                assertThat(got).allSatisfy(n -> assertThat(n.body().get("allowSeeMyPresence").asBoolean()).isFalse());
            }
            barrier(marker, others, othersExtension);
            for (String id : List.of(others, othersExtension)) {
                List<WebhookReceiver.Notification> got = events(id, x.extensionId());
                assertThat(got).as("what %s got about the hidden extension", id).hasSize(1);
                assertThat(got.getFirst().body().get("allowSeeMyPresence").asBoolean()).isFalse();
                assertThat(got.getFirst().body().get("sequence").asLong())
                        .isEqualTo(events(own, x.extensionId()).getFirst().body().get("sequence").asLong());
            }
        } finally {
            setVisible(x, true);
        }
        // Visible again: everybody gets the event that shows it.
        for (String id : List.of(others, othersExtension, own, admin)) {
            awaitEvents(id, x.extensionId(), id.equals(others) || id.equals(othersExtension) ? 2 : 4);
        }
        assertThat(events(others, x.extensionId()).getLast().body().get("allowSeeMyPresence").asBoolean()).isTrue();
    }

    @SafeVarargs
    private static <T> List<T> concat(List<? extends T>... lists) {
        List<T> out = new ArrayList<>();
        for (List<? extends T> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
