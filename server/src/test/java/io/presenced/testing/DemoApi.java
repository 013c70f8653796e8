package io.presenced.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.admin.DemoAccount;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The REST calls WebHook tests repeat, made as the demo admin of a {@link TestServer}: subscribe, read
 * subscriptions, change a user's presence. Every call is bounded, so a server that stops answering fails
 * the test instead of hanging it.
 */
public final class DemoApi {
    public static final String SUBSCRIPTION = "/restapi/v1.0/subscription";
    public static final String ACCOUNT_FILTER = "/restapi/v1.0/account/~/presence";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final String base;
    private final Http http;
    private final DemoAccount.Credentials demo;
    private final String token;

    private DemoApi(TestServer server) {
        this.base = server.url();
        this.http = new Http(base);
        this.demo = server.credentials();
        Http.Reply r = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", demo.admin().jwt()));
        assertThat(r.status()).as("the demo admin's jwt-bearer login: %s", r.raw().body()).isEqualTo(200);
        this.token = r.json().path("access_token").asText();
    }

    /** Logs the demo admin in to {@code server}. */
    public static DemoApi asAdmin(TestServer server) {
        return new DemoApi(server);
    }

    /** The extension id of the demo account's {@code index}-th user (not the admin). */
    public String user(int index) {
        return demo.users().get(index).extensionId();
    }

    /** The demo admin's extension id (the owner of the subscriptions this client makes). */
    public String adminId() {
        return demo.admin().extensionId();
    }

    /** One call as the admin, with a JSON body if not null, answered within 15 s. */
    public Http.Reply call(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build());
    }

    /** A create request: WebHook delivery to {@code address} with these filters. */
    public static ObjectNode request(String address, String... filters) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode f = body.putArray("eventFilters");
        for (String filter : filters) {
            f.add(filter);
        }
        body.putObject("deliveryMode").put("transportType", "WebHook").put("address", address);
        return body;
    }

    /** POST /restapi/v1.0/subscription with {@code body}, whatever it answers. */
    public Http.Reply create(JsonNode body) {
        return call("POST", SUBSCRIPTION, body.toString());
    }

    /** Creates a subscription that must succeed; returns its SubscriptionInfo (with the signing secret). */
    public JsonNode subscribe(String address, String... filters) {
        Http.Reply r = create(request(address, filters));
        assertThat(r.status()).as("create a subscription to %s: %s", address, r.raw().body()).isEqualTo(200);
        return r.json();
    }

    /** GET /restapi/v1.0/subscription/{id}, which must answer 200. */
    public JsonNode subscription(String id) {
        Http.Reply r = call("GET", SUBSCRIPTION + "/" + id, null);
        assertThat(r.status()).as("GET subscription %s: %s", id, r.raw().body()).isEqualTo(200);
        return r.json();
    }

    /** The ids of the admin's subscriptions, as GET /restapi/v1.0/subscription lists them. */
    public List<String> subscriptionIds() {
        Http.Reply r = call("GET", SUBSCRIPTION, null);
        assertThat(r.status()).as("list subscriptions: %s", r.raw().body()).isEqualTo(200);
        return StreamSupport.stream(r.json().path("records").spliterator(), false)
                .map(n -> n.path("id").asText()).toList();
    }

    /** Deletes every subscription of the admin (so that none keeps delivering after a test). */
    public void deleteAllSubscriptions() {
        for (String id : new ArrayList<>(subscriptionIds())) {
            call("DELETE", SUBSCRIPTION + "/" + id, null);
        }
    }

    /**
     * Makes {@code count} presence events of a user, each PUT flipping its userStatus between Busy and
     * Available, so that each PUT is exactly one event.
     */
    public void flip(String extensionId, int count) {
        String path = "/restapi/v1.0/account/~/extension/" + extensionId + "/presence";
        Http.Reply current = call("GET", path, null);
        assertThat(current.status()).as("GET presence of %s: %s", extensionId, current.raw().body()).isEqualTo(200);
        boolean busy = current.json().path("userStatus").asText().equals("Busy");
        for (int i = 0; i < count; i++) {
            busy = !busy;
            Http.Reply r = call("PUT", path, "{\"userStatus\":\"" + (busy ? "Busy" : "Available") + "\"}");
            assertThat(r.status()).as("PUT presence of %s: %s", extensionId, r.raw().body()).isEqualTo(200);
        }
    }

    /** GET /metrics, the Prometheus text. */
    public String metrics() {
        Http.Reply r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(REQUEST_TIMEOUT)
                .GET().build());
        assertThat(r.status()).as("GET /metrics").isEqualTo(200);
        return r.raw().body();
    }
}
