package io.presenced.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import io.presenced.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WSG protocol with a plain WebSocket client: details, subscription requests, notifications, recovery. */
class WsgProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;
    private static Http http;
    private static DemoAccount.Credentials demo;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.url());
        demo = server.credentials();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(DemoAccount.User user) {
        return http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(), Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", user.jwt()))
                .json().get("access_token").asText();
    }

    private static String wsUri(String bearer) {
        JsonNode ws = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/restapi/oauth/wstoken"))
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody()).build()).json();
        return ws.get("uri").asText() + "?access_token=" + ws.get("ws_access_token").asText();
    }

    private static String subscribeFrame(String messageId) {
        return "[{\"type\":\"ClientRequest\",\"messageId\":\"" + messageId + "\",\"method\":\"POST\","
                + "\"path\":\"/restapi/v1.0/subscription\",\"headers\":{}},{\"eventFilters\":"
                + "[\"/restapi/v1.0/account/~/presence\"],\"deliveryMode\":{\"transportType\":\"WebSocket\"}}]";
    }

    private static void setStatus(String bearer, DemoAccount.User user, String status) {
        assertThat(http.putJson("/restapi/v1.0/account/~/extension/" + user.extensionId() + "/presence", bearer,
                "{\"userStatus\":\"" + status + "\"}").status()).isEqualTo(200);
    }

    @Test
    void deliversAccountPresenceAndRecoversTheSessionWithWhatWasMissed() {
        String admin = token(demo.admin());
        WsClient client = WsClient.connect(wsUri(admin));
        JsonNode details = client.awaitFrame("ConnectionDetails", 0);
        assertThat(details.get(0).get("status").asInt()).isEqualTo(200);
        String wsc = details.get(0).get("wsc").get("token").asText();
        assertThat(details.get(1).get("recoveryTimeout").asInt()).isEqualTo(180);
        assertThat(details.get(1).has("recoveryState")).isFalse();

        client.send(subscribeFrame("m-1"));
        JsonNode reply = client.awaitFrame("ClientRequest", 0);
        assertThat(reply.get(0).get("messageId").asText()).isEqualTo("m-1");
        assertThat(reply.get(0).get("status").asInt()).isEqualTo(200);
        String subscriptionId = reply.get(0).get("headers").get("WSG-SubscriptionId").asText();
        assertThat(reply.get(1).get("id").asText()).isEqualTo(subscriptionId);
        assertThat(reply.get(1).get("deliveryMode").get("transportType").asText()).isEqualTo("WebSocket");

        DemoAccount.User user = demo.users().get(6);
        setStatus(admin, user, "Busy");
        JsonNode note = client.awaitFrame("ServerNotification", 0);
        assertThat(note.get(1).get("subscriptionId").asText()).isEqualTo(subscriptionId);
        assertThat(note.get(1).get("event").asText()).isEqualTo("/restapi/v1.0/account/~/extension/"
                + user.extensionId() + "/presence");
        assertThat(note.get(1).get("body").get("userStatus").asText()).isEqualTo("Busy");
        long sequence = note.get(1).get("body").get("sequence").asLong();

        client.close();
        setStatus(admin, user, "Available");
        setStatus(admin, user, "Busy");
        setStatus(admin, user, "Available");

        WsClient again = WsClient.connect(wsUri(admin) + "&wsc=" + wsc);
        assertThat(again.awaitFrame("ConnectionDetails", 0).get(1).get("recoveryState").asText()).isEqualTo("Successful");
        await().atMost(WAIT).until(() -> again.ofType("ServerNotification").size() >= 3);
        assertThat(again.ofType("ServerNotification")).extracting(f -> f.get(1).get("body").get("sequence").asLong())
                .containsExactly(sequence + 1, sequence + 2, sequence + 3);
        again.close();
    }

    @Test
    void anUnknownSessionTokenFailsRecoveryAndStartsAFreshSession() {
        WsClient client = WsClient.connect(wsUri(token(demo.users().get(7))) + "&wsc=no-such-session");
        JsonNode details = client.awaitFrame("ConnectionDetails", 0);
        assertThat(details.get(1).get("recoveryState").asText()).isEqualTo("Failed");
        assertThat(details.get(0).get("wsc").get("token").asText()).isNotEqualTo("no-such-session");
        client.close();
    }

    @Test
    void echoesHeartbeatsAndReplacesTheFirstSubscriptionWithTheSecond() {
        String bearer = token(demo.users().get(8));
        WsClient client = WsClient.connect(wsUri(bearer));
        client.awaitFrame("ConnectionDetails", 0);
        client.send("[{\"type\":\"Heartbeat\",\"messageId\":\"hb-1\"}]");
        assertThat(client.awaitFrame("Heartbeat", 0).get(0).get("messageId").asText()).isEqualTo("hb-1");

        client.send(subscribeFrame("m-1"));
        String first = client.awaitFrame("ClientRequest", 0).get(0).get("headers").get("WSG-SubscriptionId").asText();
        client.send(subscribeFrame("m-2"));
        String second = client.awaitFrame("ClientRequest", 1).get(0).get("headers").get("WSG-SubscriptionId").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(http.get("/restapi/v1.0/subscription/" + first, bearer).status()).isEqualTo(404);
        assertThat(http.get("/restapi/v1.0/subscription/" + second, bearer).status()).isEqualTo(200);
        client.close();
    }

    @Test
    void refusesAConnectionWithoutAValidToken() {
        String uri = wsUri(token(demo.users().get(9)));
        String bad = uri.substring(0, uri.indexOf("access_token=") + "access_token=".length()) + "forged";
        assertThat(HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(bad),
                        new WebSocket.Listener() { })
                .handle((ws, error) -> error != null).join()).isTrue();
    }

    @Test
    void closesAnIdleConnectionWithWsg902AndKeepsTheSessionRecoverable() {
        try (TestServer quick = TestServer.start(c -> c.withWebSocket(new WsSettings(100, Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(3600), 10, 4096)))) {
            Http local = new Http(quick.url());
            DemoAccount.Credentials creds = quick.credentials();
            String bearer = local.form("/restapi/oauth/token", creds.clientId(), creds.clientSecret(), Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", creds.admin().jwt()))
                    .json().get("access_token").asText();
            JsonNode ws = local.send(HttpRequest.newBuilder(URI.create(quick.url() + "/restapi/oauth/wstoken"))
                    .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody()).build())
                    .json();
            String uri = ws.get("uri").asText() + "?access_token=" + ws.get("ws_access_token").asText();
            WsClient client = WsClient.connect(uri);
            String wsc = client.awaitFrame("ConnectionDetails", 0).get(0).get("wsc").get("token").asText();
            JsonNode error = client.awaitFrame("Error", 0);
            assertThat(error.get(1).get("errorCode").asText()).isEqualTo("WSG-902");
            await().atMost(WAIT).until(client::closedByServer);

            WsClient again = WsClient.connect(uri + "&wsc=" + wsc);
            assertThat(again.awaitFrame("ConnectionDetails", 0).get(1).get("recoveryState").asText())
                    .isEqualTo("Successful");
            assertThat(local.get("/metrics", null).raw().body()).contains("presenced_ws_recoveries_total")
                    .contains("presenced_ws_closed_total");
        }
    }

    @Test
    void answersOtherRestCallsOverTheSocketAsTheSessionsUser() {
        DemoAccount.User user = demo.users().get(3);
        String bearer = token(user);
        WsClient client = WsClient.connect(wsUri(bearer));
        client.awaitFrame("ConnectionDetails", 0);
        client.send("[{\"type\":\"ClientRequest\",\"messageId\":\"r-1\",\"method\":\"PUT\",\"path\":"
                + "\"/restapi/v1.0/account/~/extension/~/presence\",\"headers\":{}},{\"message\":\"over the socket\"}]");
        JsonNode put = client.awaitFrame("ClientRequest", 0);
        assertThat(put.get(0).get("messageId").asText()).isEqualTo("r-1");
        assertThat(put.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(put.get(1).get("message").asText()).isEqualTo("over the socket");

        client.send("[{\"type\":\"ClientRequest\",\"messageId\":\"r-2\",\"method\":\"GET\",\"path\":"
                + "\"/restapi/v1.0/account/~/presence\",\"headers\":{},\"query\":{\"perPage\":\"2\"}}]");
        JsonNode list = client.awaitFrame("ClientRequest", 1);
        assertThat(list.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(list.get(1).get("records")).hasSize(2);

        client.send("[{\"type\":\"ClientRequest\",\"messageId\":\"r-3\",\"method\":\"PUT\",\"path\":"
                + "\"/restapi/v1.0/account/~/extension/" + demo.users().get(4).extensionId() + "/presence\"},"
                + "{\"userStatus\":\"Busy\"}]");
        JsonNode refused = client.awaitFrame("ClientRequest", 2);
        assertThat(refused.get(0).get("status").asInt()).isEqualTo(403);
        assertThat(refused.get(1).get("errorCode").asText()).isEqualTo("CMN-408");
        client.close();

        // The loopback credential cannot be forged from outside.
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/restapi/v1.0/account/~/presence"))
                .header("X-Presenced-Ws-Session", "guess." + "session").GET().build()).status()).isEqualTo(401);
    }
}
