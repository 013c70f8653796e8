package io.presenced.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input of every kind answers a 4xx with a RingCentral error body and changes no state
 * (SPEC §2–§4): each case compares the affected extension's full presence before and after.
 */
class BadInputMatrixTest {
    private static final String OTHER_MAIN_NUMBER = "+15550200000";
    private static final String OTHER_PASSWORD = "other-account-pw-1";

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static String adminToken;
    private static Account otherAccount;
    private static Extension otherUser;
    private static String otherUserToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
        http = new Http(server.url());
        adminToken = login(demo.admin());
        createOtherAccount();
        // The server reads directory changes of other processes within about a second.
        otherUserToken = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> passwordLogin(OTHER_MAIN_NUMBER + "*101", OTHER_PASSWORD), t -> t != null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void createOtherAccount() {
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            Admin admin = new Admin(store, Clock.systemUTC());
            otherAccount = admin.createAccount("Other Tenant", OTHER_MAIN_NUMBER);
            List<Extension> created = admin.createExtensions(List.of(
                    new ExtensionSpec(otherAccount.id(), "101", "Olga Other", "olga@other.presenced.test",
                            ExtensionType.User, ExtensionStatus.Enabled, Role.Admin, List.of()),
                    new ExtensionSpec(otherAccount.id(), "102", "Oscar Other", "oscar@other.presenced.test",
                            ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of())));
            otherUser = created.getFirst();
            admin.setPassword(otherUser.id(), OTHER_PASSWORD);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static String login(DemoAccount.User user) {
        Http.Reply r = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", user.jwt()));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    private static String passwordLogin(String username, String password) {
        Http.Reply r = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "password", "username", username, "password", password));
        return r.status() == 200 ? r.json().get("access_token").asText() : null;
    }

    private static String presencePath(Object accountId, Object extensionId) {
        return "/restapi/v1.0/account/" + accountId + "/extension/" + extensionId + "/presence";
    }

    private static String presencePath(DemoAccount.User user) {
        return presencePath("~", user.extensionId());
    }

    /** The full presence JSON of an extension as a reader that may see it gets it. */
    private static JsonNode presence(String path, String token) {
        Http.Reply r = http.get(path, token);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    /** Asserts a RingCentral-shaped error of this status and code, and returns its body. */
    private static JsonNode assertError(Http.Reply r, int status, String errorCode) {
        assertThat(r.status()).as("status of %s", r.raw().body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as("Content-Type of a %d answer with headers %s and body [%s]", r.status(),
                r.raw().headers().map(), r.raw().body()).startsWith("application/json");
        assertThat(r.raw().body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.");
        JsonNode body = r.json();
        assertThat(body.path("errorCode").asText()).as("errorCode").isEqualTo(errorCode);
        assertThat(body.path("message").asText()).as("message").isNotBlank();
        assertThat(body.path("errors").isArray()).as("errors is an array").isTrue();
        assertThat(body.path("errors")).as("errors").isNotEmpty();
        JsonNode first = body.path("errors").get(0);
        assertThat(first.path("errorCode").asText()).as("errors[0].errorCode").isNotBlank();
        assertThat(first.path("message").asText()).as("errors[0].message").isNotBlank();
        return body;
    }

    private static void assertParameter(JsonNode body, String name, String value) {
        JsonNode first = body.path("errors").get(0);
        assertThat(first.path("parameterName").asText()).as("parameterName").isEqualTo(name);
        if (value != null) {
            assertThat(first.path("parameterValue").asText()).as("parameterValue").isEqualTo(value);
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path));
    }

    // ---- bad bodies ------------------------------------------------------------------------------

    /** A bad PUT body and the error it must get. Each body also holds a valid change, to catch partial writes. */
    record BadBody(String name, String contentType, String body, int status, String code, String parameterName,
                   String parameterValue) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadBody> badBodies() {
        String json = "application/json";
        return Stream.of(
                new BadBody("malformed JSON (truncated)", json, "{\"userStatus\":", 400, "CMN-103", null, null),
                new BadBody("malformed JSON (single quotes)", json, "{'userStatus':'Busy'}", 400, "CMN-103", null,
                        null),
                new BadBody("malformed JSON (not JSON at all)", json, "userStatus=Busy", 400, "CMN-103", null, null),
                new BadBody("malformed JSON (trailing garbage)", json, "{\"userStatus\":\"Busy\"} }garbage", 400,
                        "CMN-103", null, null),
                new BadBody("deeply nested JSON", json,
                        "{\"userStatus\":\"Busy\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", 400,
                        "CMN-103", null, null),
                new BadBody("JSON array", json, "[{\"userStatus\":\"Busy\"}]", 400, "CMN-103", null, null),
                new BadBody("JSON string", json, "\"Busy\"", 400, "CMN-103", null, null),
                new BadBody("JSON number", json, "42", 400, "CMN-103", null, null),
                new BadBody("JSON null", json, "null", 400, "CMN-103", null, null),
                new BadBody("userStatus a number", json, "{\"message\":\"partial\",\"userStatus\":5}", 400, "CMN-101",
                        "userStatus", "5"),
                new BadBody("allowSeeMyPresence a string", json,
                        "{\"userStatus\":\"Busy\",\"allowSeeMyPresence\":\"yes\"}", 400, "CMN-101",
                        "allowSeeMyPresence", "yes"),
                new BadBody("message a number", json, "{\"userStatus\":\"Busy\",\"message\":3}", 400, "CMN-101",
                        "message", "3"),
                new BadBody("ringOnMonitoredCall a number", json,
                        "{\"userStatus\":\"Busy\",\"ringOnMonitoredCall\":1}", 400, "CMN-101", "ringOnMonitoredCall",
                        "1"),
                new BadBody("dndStatus an object", json, "{\"userStatus\":\"Busy\",\"dndStatus\":{}}", 400, "CMN-101",
                        "dndStatus", null),
                new BadBody("unknown userStatus", json, "{\"message\":\"partial\",\"userStatus\":\"Sleepy\"}", 400,
                        "CMN-101", "userStatus", "Sleepy"),
                new BadBody("unknown dndStatus", json, "{\"userStatus\":\"Busy\",\"dndStatus\":\"Maybe\"}", 400,
                        "CMN-101", "dndStatus", "Maybe"),
                new BadBody("message of 76 characters", json,
                        "{\"userStatus\":\"Busy\",\"message\":\"" + "m".repeat(76) + "\"}", 400, "CMN-101", "message",
                        null),
                new BadBody("text/plain Content-Type", "text/plain", "{\"userStatus\":\"Busy\"}", 415, "CMN-415", null,
                        null),
                new BadBody("form Content-Type", "application/x-www-form-urlencoded", "userStatus=Busy", 415,
                        "CMN-415", null, null),
                new BadBody("body over 1 MiB", json,
                        "{\"userStatus\":\"Busy\",\"message\":\"" + "x".repeat(1024 * 1024) + "\"}", 413, "CMN-413",
                        null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void rejectsBadPresenceBodyAndKeepsState(BadBody bad) {
        DemoAccount.User user = demo.users().get(5);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);

        Http.Reply r = http.send("PUT", presencePath(user), token, bad.contentType(), bad.body());
        JsonNode after = presence(presencePath(user), token);

        JsonNode body = assertError(r, bad.status(), bad.code());
        assertThat(after).as("presence after the refused PUT").isEqualTo(before);
        if (bad.parameterName() != null) {
            assertParameter(body, bad.parameterName(), bad.parameterValue());
        }
    }

    @Test
    void acceptsMessageOfExactly75Characters() {
        DemoAccount.User user = demo.users().get(9);
        String token = login(user);
        String message = "m".repeat(75);
        Http.Reply r = http.putJson(presencePath(user), token, "{\"message\":\"" + message + "\"}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(presence(presencePath(user), token).path("message").asText()).isEqualTo(message);
    }

    @Test
    void rejectsChunkedBodyOverOneMebibyte() {
        DemoAccount.User user = demo.users().get(5);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);
        byte[] big = ("{\"userStatus\":\"Busy\",\"message\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes();
        // An input-stream publisher has no known length, so the client sends the body chunked.
        HttpRequest req = request(presencePath(user)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();

        assertError(http.send(req), 413, "CMN-413");
        assertThat(presence(presencePath(user), token)).isEqualTo(before);
    }

    @Test
    void rejectsBodyFarOverTheLimitWithRingCentralError() {
        DemoAccount.User user = demo.users().get(5);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);
        String body = "{\"userStatus\":\"Busy\",\"message\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";

        // With Expect: 100-continue the client waits for the server's verdict instead of racing it with the body.
        HttpRequest req = request(presencePath(user)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();

        assertError(http.send(req), 413, "CMN-413");
        assertThat(presence(presencePath(user), token)).isEqualTo(before);
    }

    @Test
    void rejectsBatchUpdate() {
        DemoAccount.User user = demo.users().get(5);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);

        assertError(http.putJson(presencePath("~", user.extensionId() + "," + user.extensionId()), token,
                "{\"userStatus\":\"Busy\"}"), 400, "CMN-106");
        assertThat(presence(presencePath(user), token)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"detailedTelephonyState=maybe", "sipData=1", "detailedTelephonyState=yes"})
    void rejectsBadQueryFlag(String query) {
        String[] kv = query.split("=");
        for (String path : List.of(presencePath(demo.admin()), "/restapi/v1.0/account/~/presence")) {
            JsonNode body = assertError(http.get(path + "?" + query, adminToken), 400, "CMN-101");
            assertParameter(body, kv[0], kv[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"abc", "99999999999999999999999", "1", "-5", "0x10"})
    void answersUnknownExtensionWith404(String id) {
        String ownPath = presencePath(demo.admin());
        JsonNode before = presence(ownPath, adminToken);

        JsonNode get = assertError(http.get(presencePath("~", id), adminToken), 404, "CMN-102");
        assertParameter(get, "extensionId", id);
        assertError(http.putJson(presencePath("~", id), adminToken, "{\"userStatus\":\"Busy\"}"), 404, "CMN-102");
        assertThat(presence(ownPath, adminToken)).isEqualTo(before);
    }

    // ---- routing ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/restapi/v1.0/nothing-here", "/restapi/v1.0/account/~/extension/~/presence/extra",
        "/restapi/v2.0/account/~/presence", "/"})
    void answersUnknownPathWith404(String path) {
        DemoAccount.User user = demo.users().get(5);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);

        assertError(http.get(path, token), 404, "CMN-120");
        assertError(http.putJson(path, token, "{\"userStatus\":\"Busy\"}"), 404, "CMN-120");
        assertThat(presence(presencePath(user), token)).isEqualTo(before);
    }

    record WrongMethod(String method, String path, List<String> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<WrongMethod> wrongMethods() {
        return Stream.of(
                new WrongMethod("DELETE", "/restapi/v1.0/account/~/extension/~/presence", List.of("GET", "PUT")),
                new WrongMethod("POST", "/restapi/v1.0/account/~/extension/~/presence", List.of("GET", "PUT")),
                new WrongMethod("PUT", "/restapi/v1.0/account/~/presence", List.of("GET")),
                new WrongMethod("GET", "/restapi/oauth/token", List.of("POST")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongMethods")
    void answersWrongMethodWith405AndAllowHeader(WrongMethod wrong) {
        DemoAccount.User user = demo.users().get(5);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);

        Http.Reply r = http.send(wrong.method(), wrong.path(), token, "application/json",
                wrong.method().equals("GET") ? null : "{\"userStatus\":\"Busy\"}");

        assertError(r, 405, "CMN-405");
        assertThat(r.header("Allow")).isNotNull();
        assertThat(List.of(r.header("Allow").split(",\\s*"))).containsExactlyInAnyOrderElementsOf(wrong.allowed());
        assertThat(presence(presencePath(user), token)).isEqualTo(before);
    }

    // ---- authentication --------------------------------------------------------------------------

    record BadAuth(String name, String authorization, String topCode, String detailCode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadAuth> badAuthorizations() {
        return Stream.of(
                new BadAuth("missing token", null, "OAU-123", "OAU-123"),
                new BadAuth("garbage bearer token", "Bearer not-a-real-token", "TokenInvalid", "OAU-213"),
                new BadAuth("bearer token with a space inside", "Bearer not a token", "TokenInvalid", "OAU-213"),
                new BadAuth("Basic instead of Bearer", "Basic dXNlcjpwYXNz", "OAU-151", "OAU-151"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAuthorizations")
    void refusesCallWithoutValidTokenAndKeepsState(BadAuth bad) {
        DemoAccount.User user = demo.users().get(6);
        String token = login(user);
        String path = presencePath(demo.accountId(), user.extensionId());
        JsonNode before = presence(path, token);

        for (String method : List.of("GET", "PUT")) {
            HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"userStatus\":\"Busy\"}"));
            if (bad.authorization() != null) {
                b.header("Authorization", bad.authorization());
            }
            JsonNode body = assertError(http.send(b.build()), 401, bad.topCode());
            assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo(bad.detailCode());
        }
        assertThat(presence(path, token)).isEqualTo(before);
    }

    @Test
    void refusesExpiredToken() {
        DemoAccount.User user = demo.users().get(6);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);
        Http.Reply granted = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", user.jwt(),
                        "access_token_ttl", "1"));
        assertThat(granted.json().path("expires_in").asLong()).isEqualTo(1);
        String shortLived = granted.json().path("access_token").asText();

        Http.Reply refused = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get(presencePath(user), shortLived), r -> r.status() != 200);

        JsonNode body = assertError(refused, 401, "TokenExpired");
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo("OAU-128");
        assertError(http.putJson(presencePath(user), shortLived, "{\"userStatus\":\"Busy\"}"), 401, "TokenExpired");
        assertThat(presence(presencePath(user), token)).isEqualTo(before);
    }

    @Test
    void refusesRevokedToken() {
        DemoAccount.User user = demo.users().get(6);
        String token = login(user);
        JsonNode before = presence(presencePath(user), token);
        String revoked = login(user);
        assertThat(http.get(presencePath(user), revoked).status()).isEqualTo(200);

        Http.Reply r = http.form("/restapi/oauth/revoke", demo.clientId(), demo.clientSecret(),
                Map.of("token", revoked));
        assertThat(r.status()).isEqualTo(200);

        JsonNode body = assertError(http.get(presencePath(user), revoked), 401, "TokenInvalid");
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo("OAU-213");
        assertError(http.putJson(presencePath(user), revoked, "{\"userStatus\":\"Busy\"}"), 401, "TokenInvalid");
        assertThat(presence(presencePath(user), token)).isEqualTo(before);
    }

    // ---- tenancy and rights ------------------------------------------------------------------------

    @Test
    void rejectsForeignAccount() {
        String foreignPath = presencePath(otherAccount.id(), otherUser.id());
        JsonNode before = presence(foreignPath, otherUserToken);

        for (String path : List.of(foreignPath, "/restapi/v1.0/account/" + otherAccount.id() + "/presence",
                "/restapi/v1.0/account/" + otherAccount.id(),
                "/restapi/v1.0/account/" + otherAccount.id() + "/extension")) {
            Http.Reply r = http.get(path, adminToken);
            JsonNode body = assertError(r, 403, "CMN-408");
            assertThat(r.raw().body()).as("no foreign data").doesNotContain("Olga").doesNotContain("olga@");
            assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo("CMN-408");
        }
        assertError(http.putJson(foreignPath, adminToken, "{\"userStatus\":\"Busy\",\"message\":\"hijacked\"}"),
                403, "CMN-408");
        assertThat(presence(foreignPath, otherUserToken)).isEqualTo(before);
    }

    @Test
    void rejectsForeignAccountTheOtherWayRound() {
        DemoAccount.User user = demo.users().get(7);
        String token = login(user);
        String path = presencePath(demo.accountId(), user.extensionId());
        JsonNode before = presence(path, token);

        assertError(http.get(path, otherUserToken), 403, "CMN-408");
        assertError(http.putJson(path, otherUserToken, "{\"userStatus\":\"Busy\"}"), 403, "CMN-408");
        assertThat(presence(path, token)).isEqualTo(before);
    }

    @Test
    void rejectsForeignExtensionAddressedUnderOwnAccount() {
        String foreignUnderTilde = presencePath("~", otherUser.id());
        String foreignPath = presencePath(otherAccount.id(), otherUser.id());
        JsonNode before = presence(foreignPath, otherUserToken);

        // The id is read from the store when the server does not know it yet, but allow for a directory refresh.
        Http.Reply get = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get(foreignUnderTilde, adminToken), r -> r.status() != 404);
        assertError(get, 403, "CMN-408");
        assertThat(get.raw().body()).doesNotContain("presenceStatus");
        assertError(http.get("/restapi/v1.0/account/~/extension/" + otherUser.id(), adminToken), 403, "CMN-408");
        assertError(http.putJson(foreignUnderTilde, adminToken, "{\"userStatus\":\"Busy\"}"), 403, "CMN-408");
        assertThat(presence(foreignPath, otherUserToken)).isEqualTo(before);
    }

    @Test
    void rejectsUserEditingAnotherUsersPresence() {
        DemoAccount.User editor = demo.users().get(7);
        DemoAccount.User target = demo.users().get(8);
        String editorToken = login(editor);
        JsonNode before = presence(presencePath(target), adminToken);

        JsonNode body = assertError(http.putJson(presencePath(target), editorToken,
                "{\"userStatus\":\"Offline\",\"message\":\"not mine\"}"), 403, "CMN-408");
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo("CMN-408");
        assertThat(presence(presencePath(target), adminToken)).isEqualTo(before);
    }

    @Test
    void rejectsPresenceUpdateOfDepartment() {
        String departmentId = extensionIdOfType("Department");
        String path = presencePath("~", departmentId);
        JsonNode before = presence(path, adminToken);

        JsonNode body = assertError(http.putJson(path, adminToken, "{\"userStatus\":\"Busy\"}"), 400, "CMN-101");
        assertParameter(body, "extensionId", departmentId);
        assertThat(presence(path, adminToken)).isEqualTo(before);
    }

    private static String extensionIdOfType(String type) {
        Http.Reply r = http.get("/restapi/v1.0/account/~/extension?type=" + type, adminToken);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.json().path("records")).isNotEmpty();
        return r.json().path("records").get(0).path("id").asText();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DoNotAcceptDepartmentCalls", "TakeDepartmentCallsOnly"})
    void rejectsDepartmentDndForUserInNoDepartment(String dnd) {
        DemoAccount.User outsider = demo.users().get(3);
        assertThat(outsider.extensionNumber()).isEqualTo("105");
        String token = login(outsider);
        JsonNode before = presence(presencePath(outsider), token);

        JsonNode body = assertError(http.putJson(presencePath(outsider), token,
                "{\"userStatus\":\"Busy\",\"dndStatus\":\"" + dnd + "\"}"), 400, "CMN-101");
        assertParameter(body, "dndStatus", dnd);
        assertThat(presence(presencePath(outsider), token)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DoNotAcceptDepartmentCalls", "TakeDepartmentCallsOnly"})
    void acceptsDepartmentDndForDepartmentMember(String dnd) {
        DemoAccount.User member = demo.users().get(0);
        assertThat(member.extensionNumber()).isEqualTo("102");
        String token = login(member);

        Http.Reply r = http.putJson(presencePath(member), token, "{\"dndStatus\":\"" + dnd + "\"}");

        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.json().path("dndStatus").asText()).isEqualTo(dnd);
        assertThat(presence(presencePath(member), token).path("dndStatus").asText()).isEqualTo(dnd);
    }

    // ---- batch and paging ------------------------------------------------------------------------

    private static List<String> accountExtensionIds() {
        Http.Reply r = http.get("/restapi/v1.0/account/~/extension?perPage=1000", adminToken);
        assertThat(r.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().path("records").forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static String idsOfLength(int n) {
        List<String> known = accountExtensionIds();
        List<String> ids = new ArrayList<>();
        while (ids.size() < n) {
            ids.add(known.get(ids.size() % known.size()));
        }
        return String.join(",", ids);
    }

    @Test
    void rejectsBatchOf31Extensions() {
        String ownPath = presencePath(demo.admin());
        JsonNode before = presence(ownPath, adminToken);

        JsonNode body = assertError(http.get(presencePath("~", idsOfLength(31)), adminToken), 400,
                "InvalidMultipartRequest");
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo("CMN-106");
        assertThat(body.path("message").asText()).contains("30");
        assertThat(presence(ownPath, adminToken)).isEqualTo(before);
    }

    @Test
    void acceptsBatchOf30Extensions() {
        Http.Reply r = http.get(presencePath("~", idsOfLength(30)), adminToken);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(207);
        assertThat(r.header("Content-Type")).startsWith("multipart/mixed");
    }

    record BadPaging(String endpoint, String parameter, String value) {
        @Override
        public String toString() {
            return endpoint + "?" + parameter + "=" + value;
        }
    }

    static Stream<BadPaging> badPaging() {
        List<BadPaging> cases = new ArrayList<>();
        for (String endpoint : List.of("/restapi/v1.0/account/~/presence", "/restapi/v1.0/account/~/extension")) {
            for (String parameter : List.of("page", "perPage")) {
                for (String value : List.of("abc", "0", "-1", "1.5", "99999999999", "1e2")) {
                    cases.add(new BadPaging(endpoint, parameter, value));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPaging")
    void rejectsNonPositivePagingParameters(BadPaging bad) {
        String ownPath = presencePath(demo.admin());
        JsonNode before = presence(ownPath, adminToken);

        JsonNode body = assertError(http.get(bad.endpoint() + "?" + bad.parameter() + "=" + bad.value(), adminToken),
                400, "CMN-101");
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo("CMN-101");
        assertParameter(body, bad.parameter(), bad.value());
        assertThat(presence(ownPath, adminToken)).isEqualTo(before);
    }
}
