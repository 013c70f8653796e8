package io.presenced.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.directory.Account;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import io.presenced.store.JdbcStore;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batch form {@code GET …/extension/{id1},{id2},…/presence} (SPEC §4) answers as RingCentral's batch
 * requests do: {@code 207 Multi-Status}, {@code multipart/mixed}, a manifest part
 * {@code {"response":[{href,status,responseDescription}…]}} and then one part per id in the order asked,
 * each the presence body of that id or its own error; more than 30 ids is a 400.
 */
class BatchPresenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final String MISSING_ID = "999999999999";

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static String adminToken;
    private static Map<String, String> idsByType;
    private static Extension foreign;
    private static Account foreignAccount;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
        http = new Http(server.url());
        adminToken = login(demo.admin());
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            Admin admin = new Admin(store, Clock.systemUTC());
            foreignAccount = admin.createAccount("Foreign Batch Co", "+15550300000");
            foreign = admin.createExtension(new ExtensionSpec(foreignAccount.id(), "101", "Fay Foreign",
                    "fay@foreign-batch.presenced.test", ExtensionType.User, ExtensionStatus.Enabled, Role.Admin,
                    List.of()));
        }
        // The running server reads directory changes made by another store within about a second.
        await("the server knows the foreign extension").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> http.get(path(String.valueOf(foreign.id())), adminToken).status() == 403);
        JsonNode list = http.get("/restapi/v1.0/account/~/extension?perPage=1000", adminToken).json();
        idsByType = new java.util.HashMap<>();
        list.path("records").forEach(r -> idsByType.putIfAbsent(r.path("type").asText(), r.path("id").asText()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String login(DemoAccount.User user) {
        Http.Reply r = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", user.jwt()));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().path("access_token").asText();
    }

    private static String path(String ids) {
        return "/restapi/v1.0/account/~/extension/" + ids + "/presence";
    }

    /** One part of a multipart body: its headers (lower-cased names) and its body parsed as JSON. */
    record Part(Map<String, String> headers, JsonNode json) {
    }

    /** Parses a {@code multipart/mixed} answer strictly: every part delimited, the close delimiter last. */
    private static List<Part> parts(Http.Reply reply) {
        String contentType = reply.header("Content-Type");
        assertThat(contentType).as("Content-Type").startsWith("multipart/mixed");
        Matcher m = BOUNDARY.matcher(contentType);
        assertThat(m.find()).as("boundary in %s", contentType).isTrue();
        String boundary = m.group(1);
        String body = reply.raw().body();
        String delimiter = "--" + boundary;
        assertThat(body).as("the body starts with the first delimiter").startsWith(delimiter + "\r\n");
        assertThat(body.stripTrailing()).as("the body ends with the close delimiter").endsWith(delimiter + "--");
        String inner = body.substring(0, body.lastIndexOf(delimiter + "--"));
        List<Part> parts = new ArrayList<>();
        for (String chunk : inner.split(Pattern.quote(delimiter + "\r\n"), -1)) {
            if (chunk.isEmpty()) {
                continue;
            }
            int blank = chunk.indexOf("\r\n\r\n");
            assertThat(blank).as("a blank line after the part headers in [%s]", chunk).isPositive();
            Map<String, String> headers = new java.util.HashMap<>();
            for (String line : chunk.substring(0, blank).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            try {
                parts.add(new Part(headers, JSON.readTree(chunk.substring(blank + 4))));
            } catch (IOException e) {
                throw new UncheckedIOException("a part that is not JSON: " + chunk, e);
            }
        }
        return parts;
    }

    private static JsonNode single(String id) {
        Http.Reply r = http.get(path(id), adminToken);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void answers207WithAManifestAndEachIdsPresenceInTheOrderAsked() {
        DemoAccount.User busy = demo.users().get(2);
        Http.Reply put = http.putJson(path(busy.extensionId()), adminToken,
                "{\"userStatus\":\"Busy\",\"message\":\"Batch me\"}");
        assertThat(put.status()).as(put.raw().body()).isEqualTo(200);

        List<String> ids = List.of(demo.users().get(5).extensionId(), busy.extensionId(), demo.admin().extensionId(),
                idsByType.get("Department"), demo.users().get(0).extensionId());
        Http.Reply reply = http.get(path(String.join(",", ids)), adminToken);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(207);

        List<Part> parts = parts(reply);
        assertThat(parts).hasSize(1 + ids.size());
        parts.forEach(p -> assertThat(p.headers().get("content-type")).startsWith("application/json"));
        JsonNode manifest = parts.getFirst().json();
        assertThat(fieldNames(manifest)).containsExactly("response");
        assertThat(manifest.path("response").size()).isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            JsonNode status = manifest.path("response").get(i);
            assertThat(fieldNames(status)).containsExactlyInAnyOrder("href", "status", "responseDescription");
            assertThat(status.path("status").asInt()).as("status of %s", id).isEqualTo(200);
            assertThat(status.path("responseDescription").asText()).isEqualTo("OK");
            assertThat(status.path("href").asText()).isEqualTo(server.url() + "/restapi/v1.0/account/"
                    + demo.accountId() + "/extension/" + id + "/presence");
            JsonNode part = parts.get(i + 1).json();
            assertThat(part.path("extension").path("id").asText()).as("part %d", i + 1).isEqualTo(id);
            assertThat(part.path("uri").asText()).isEqualTo(status.path("href").asText());
            assertThat(part).as("part for %s equals the single GET", id).isEqualTo(single(id));
        }
        JsonNode busyPart = parts.get(2).json();
        assertThat(busyPart.path("userStatus").asText()).isEqualTo("Busy");
        assertThat(busyPart.path("presenceStatus").asText()).isEqualTo("Busy");
        assertThat(busyPart.path("message").asText()).isEqualTo("Batch me");
        assertThat(parts.get(1).json().path("userStatus").asText()).isEqualTo("Available");
        JsonNode department = parts.get(4).json();
        assertThat(department.path("presenceStatus").asText()).isEqualTo("Offline");
        assertThat(department.has("userStatus")).as("a Department part has no userStatus").isFalse();
    }

    @Test
    void foreignAndUnknownIdsGetTheirOwnErrorPartsWhileTheOthersAnswer() {
        String mine = demo.users().get(1).extensionId();
        String foreignId = String.valueOf(foreign.id());
        List<String> ids = List.of(mine, foreignId, MISSING_ID, demo.admin().extensionId());
        Http.Reply reply = http.get(path(String.join(",", ids)), adminToken);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(207);
        List<Part> parts = parts(reply);
        assertThat(parts).hasSize(5);
        JsonNode response = parts.getFirst().json().path("response");

        assertThat(response.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(parts.get(1).json().path("extension").path("id").asText()).isEqualTo(mine);
        assertThat(response.get(3).path("status").asInt()).isEqualTo(200);
        assertThat(parts.get(4).json().path("extension").path("id").asText()).isEqualTo(demo.admin().extensionId());

        JsonNode foreignStatus = response.get(1);
        assertThat(foreignStatus.path("status").asInt()).isEqualTo(403);
        assertThat(foreignStatus.path("responseDescription").asText()).isEqualTo("Forbidden");
        JsonNode foreignPart = parts.get(2).json();
        assertThat(foreignPart.path("errorCode").asText()).isEqualTo("CMN-408");
        assertThat(foreignPart.path("message").asText()).isNotBlank();
        assertThat(foreignPart.path("errors").get(0).path("errorCode").asText()).isEqualTo("CMN-408");
        assertThat(foreignPart.has("presenceStatus")).as("no presence of the foreign extension").isFalse();
        assertThat(foreignPart.toString()).doesNotContain("Fay Foreign").doesNotContain("fay@");

        JsonNode missingStatus = response.get(2);
        assertThat(missingStatus.path("status").asInt()).isEqualTo(404);
        assertThat(missingStatus.path("responseDescription").asText()).isEqualTo("Not Found");
        JsonNode missingPart = parts.get(3).json();
        assertThat(missingPart.path("errorCode").asText()).isEqualTo("CMN-102");
        assertThat(missingPart.path("errors").get(0).path("parameterName").asText()).isEqualTo("extensionId");
        assertThat(missingPart.path("errors").get(0).path("parameterValue").asText()).isEqualTo(MISSING_ID);
    }

    /**
     * RingCentral's manifest names each requested resource in {@code href}, the failed ones too (e.g. a 404
     * entry with {@code href …/extension/999376016/presence}), so a client can tell which id failed.
     */
    @Test
    void manifestHrefOfAFailedPartNamesThatExtensionsPresence() {
        String foreignId = String.valueOf(foreign.id());
        List<String> ids = List.of(demo.admin().extensionId(), foreignId, MISSING_ID);
        Http.Reply reply = http.get(path(String.join(",", ids)), adminToken);
        assertThat(reply.status()).isEqualTo(207);
        JsonNode response = parts(reply).getFirst().json().path("response");
        for (int i = 0; i < ids.size(); i++) {
            assertThat(response.get(i).path("href").asText()).as("href of the manifest entry for %s", ids.get(i))
                    .isEqualTo(server.url() + "/restapi/v1.0/account/" + demo.accountId() + "/extension/" + ids.get(i)
                            + "/presence");
        }
    }

    @Test
    void detailedTelephonyStateAddsActiveCallsToEveryPart() {
        List<String> ids = List.of(demo.users().get(3).extensionId(), demo.users().get(4).extensionId());
        Http.Reply reply = http.get(path(String.join(",", ids)) + "?detailedTelephonyState=true", adminToken);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(207);
        List<Part> parts = parts(reply);
        assertThat(parts).hasSize(3);
        for (int i = 1; i < parts.size(); i++) {
            assertThat(parts.get(i).json().path("activeCalls").isArray()).as("activeCalls in part %d", i).isTrue();
            assertThat(parts.get(i).json().path("extension").path("id").asText()).isEqualTo(ids.get(i - 1));
        }
    }

    @Test
    void thirtyIdsAreAnsweredAndThirtyOneAreRefusedWithARingCentralError() {
        List<String> thirty = new ArrayList<>();
        thirty.add(demo.admin().extensionId());
        demo.users().forEach(u -> thirty.add(u.extensionId()));
        for (long n = 1; thirty.size() < 30; n++) {
            thirty.add(String.valueOf(999_999_000_000L + n));
        }
        Http.Reply ok = http.get(path(String.join(",", thirty)), adminToken);
        assertThat(ok.status()).as(ok.raw().body()).isEqualTo(207);
        List<Part> parts = parts(ok);
        assertThat(parts).hasSize(31);
        assertThat(parts.getFirst().json().path("response").size()).isEqualTo(30);

        List<String> thirtyOne = new ArrayList<>(thirty);
        thirtyOne.add(String.valueOf(999_999_100_000L));
        Http.Reply refused = http.get(path(String.join(",", thirtyOne)), adminToken);
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/json");
        JsonNode body = refused.json();
        assertThat(body.path("errorCode").asText()).isNotBlank();
        assertThat(body.path("message").asText()).contains("30");
        assertThat(body.path("errors").isArray()).isTrue();
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isNotBlank();
        assertThat(body.path("errors").get(0).path("message").asText()).isNotBlank();
    }

    @Test
    void batchUnderAForeignAccountIsA403NotAMultiStatus() {
        Http.Reply reply = http.get("/restapi/v1.0/account/" + foreignAccount.id() + "/extension/" + foreign.id() + ","
                + demo.admin().extensionId() + "/presence", adminToken);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(403);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("errorCode").asText()).isEqualTo("CMN-408");
        assertThat(reply.raw().body()).doesNotContain("Fay Foreign");
    }

    @Test
    void userRoleCallerReadsABatchOfItsOwnAccount() {
        DemoAccount.User user = demo.users().get(6);
        String token = login(user);
        List<String> ids = List.of(demo.admin().extensionId(), user.extensionId());
        Http.Reply reply = http.get(path(String.join(",", ids)), token);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(207);
        List<Part> parts = parts(reply);
        assertThat(parts.getFirst().json().path("response").findValuesAsText("status")).containsExactly("200", "200");
        assertThat(parts.get(1).json().path("extension").path("id").asText()).isEqualTo(demo.admin().extensionId());
        assertThat(parts.get(2).json().path("extension").path("id").asText()).isEqualTo(user.extensionId());
    }
}
