package io.presenced.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.admin.DemoAccount;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import io.presenced.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Detailed telephony state in events (SPEC §5, §6): the account filter with {@code detailedTelephonyState},
 * the extension filter with {@code sipData}, and the latest seven calls with the total.
 */
class DetailedEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.parse("2026-05-04T09:00:00Z");

    private static TestServer server;
    private static Http http;
    private static WebhookReceiver receiver;
    private static String admin;
    private static DemoAccount.Credentials demo;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.url());
        receiver = WebhookReceiver.start();
        demo = server.credentials();
        admin = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(), Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", demo.admin().jwt()))
                .json().get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        server.close();
    }

    private static String subscribe(String path, String filter) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("eventFilters").add(filter);
        body.putObject("deliveryMode").put("transportType", "WebHook").put("address", receiver.url(path));
        Http.Reply r = http.send("POST", "/restapi/v1.0/subscription", admin, "application/json", body.toString());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    private static ObjectNode call(String extensionId, String session, int second, String code) {
        ObjectNode item = JSON.createObjectNode();
        item.put("accountId", "~");
        item.put("telephonySessionId", session);
        item.put("sessionId", "sess-" + session);
        item.put("eventTime", BASE.plusSeconds(second).toString());
        ObjectNode party = item.putArray("parties").addObject();
        party.put("id", "p1");
        party.put("extensionId", extensionId);
        party.put("direction", "Inbound");
        party.putObject("from").put("phoneNumber", "+1650555" + String.format("%04d", second)).put("name", "Caller "
                + second);
        party.putObject("to").put("phoneNumber", "+15550100000").put("name", "Reception")
                .put("extensionId", extensionId);
        party.putObject("status").put("code", code);
        party.putObject("sipData").put("toTag", "to-" + session).put("fromTag", "from-" + session)
                .put("remoteUri", "sip:caller@pbx.example").put("localUri", "sip:" + extensionId + "@pbx.example");
        return item;
    }

    private static void ingest(ObjectNode... items) {
        ArrayNode batch = JSON.createArrayNode();
        for (ObjectNode item : items) {
            batch.add(item);
        }
        Http.Reply r = http.send("POST", "/ingest/v1/telephony", admin, "application/json", batch.toString());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).as(r.raw().body()).isEqualTo(items.length);
    }

    @Test
    void accountFilterWithDetailedStateCarriesActiveCallsWithoutSipData() {
        String ext = demo.users().get(4).extensionId();
        String id = subscribe("/account-detailed", "/restapi/v1.0/account/~/presence?detailedTelephonyState=true");
        ingest(call(ext, "a1", 1, "Setup"));

        WebhookReceiver.Notification n = receiver.awaitMatching(x -> id.equals(x.subscriptionId())
                && ext.equals(x.extensionId()), 1, WAIT).getFirst();
        assertThat(n.event()).isEqualTo("/restapi/v1.0/account/~/extension/" + ext
                + "/presence?detailedTelephonyState=true");
        JsonNode body = n.body();
        assertThat(body.get("telephonyStatus").asText()).isEqualTo("Ringing");
        assertThat(body.get("totalActiveCalls").asInt()).isEqualTo(1);
        JsonNode active = body.get("activeCalls").get(0);
        assertThat(active.get("telephonySessionId").asText()).isEqualTo("a1");
        assertThat(active.get("sessionId").asText()).isEqualTo("sess-a1");
        assertThat(active.get("from").asText()).isEqualTo("+16505550001");
        assertThat(active.get("fromName").asText()).isEqualTo("Caller 1");
        assertThat(active.get("telephonyStatus").asText()).isEqualTo("Ringing");
        assertThat(active.has("sipData")).as("sipData only when asked for").isFalse();
    }

    @Test
    void extensionFilterWithSipDataCarriesItAndListsTheLatestSevenOfEightCalls() {
        String ext = demo.users().get(5).extensionId();
        String id = subscribe("/extension-sip", "/restapi/v1.0/account/~/extension/" + ext
                + "/presence?detailedTelephonyState=true&sipData=true");
        for (int k = 1; k <= 8; k++) {
            ingest(call(ext, "e" + k, 10 + k, "Setup"));
        }
        List<WebhookReceiver.Notification> seen = receiver.awaitMatching(x -> id.equals(x.subscriptionId()), 8, WAIT);
        WebhookReceiver.Notification last = seen.get(7);
        assertThat(last.event()).isEqualTo("/restapi/v1.0/account/~/extension/" + ext
                + "/presence?detailedTelephonyState=true&sipData=true");
        JsonNode body = last.body();
        assertThat(body.get("sequence").asLong()).isEqualTo(seen.get(0).body().get("sequence").asLong() + 7);
        assertThat(body.get("totalActiveCalls").asInt()).isEqualTo(8);
        assertThat(body.get("activeCalls")).hasSize(7);
        assertThat(body.get("activeCalls").get(0).get("telephonySessionId").asText())
                .as("the oldest of eight is left out").isEqualTo("e2");
        assertThat(body.get("activeCalls").get(6).get("telephonySessionId").asText()).isEqualTo("e8");
        JsonNode sip = body.get("activeCalls").get(6).get("sipData");
        assertThat(sip.get("toTag").asText()).isEqualTo("to-e8");
        assertThat(sip.get("fromTag").asText()).isEqualTo("from-e8");
        assertThat(sip.get("remoteUri").asText()).isEqualTo("sip:caller@pbx.example");
        assertThat(sip.get("localUri").asText()).isEqualTo("sip:" + ext + "@pbx.example");

        Http.Reply get = http.get("/restapi/v1.0/account/~/extension/" + ext
                + "/presence?detailedTelephonyState=true&sipData=true", admin);
        assertThat(get.json().get("activeCalls")).as("a GET lists every call").hasSize(8);
        assertThat(get.json().get("activeCalls").get(0).get("sipData").get("toTag").asText()).isEqualTo("to-e1");
    }
}
