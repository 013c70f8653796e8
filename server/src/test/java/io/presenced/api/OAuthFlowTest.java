package io.presenced.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.auth.JwtCredentials;
import io.presenced.auth.Permission;
import io.presenced.store.JdbcStore;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The OAuth 2.0 endpoints as RingCentral runs them (SPEC §2): grants, client auth, lifetimes, revocation, scopes. */
class OAuthFlowTest {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String TOKEN = "/restapi/oauth/token";
    private static final String REVOKE = "/restapi/oauth/revoke";
    private static final String WSTOKEN = "/restapi/oauth/wstoken";
    private static final String OWN_PRESENCE = "/restapi/v1.0/account/~/extension/~/presence";

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static Admin.CreatedApp readOnlyApp;
    private static Admin.CreatedApp otherApp;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
        http = new Http(server.url());
        withAdmin(admin -> {
            readOnlyApp = admin.createApp("Read-only presence app", EnumSet.of(Permission.ReadPresence));
            otherApp = admin.createApp("Another full app", EnumSet.allOf(Permission.class));
            return null;
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Runs {@code work} with an Admin over a second handle on the server's store, closed afterwards. */
    private static <T> T withAdmin(Function<Admin, T> work) {
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            return work.apply(new Admin(store, Clock.systemUTC()));
        }
    }

    private static Http.Reply token(Map<String, String> form) {
        return http.form(TOKEN, demo.clientId(), demo.clientSecret(), form);
    }

    private static Http.Reply jwtGrant(String clientId, String secret, String jwt, String... extra) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", JWT_BEARER, "assertion", jwt));
        for (int i = 0; i < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        return http.form(TOKEN, clientId, secret, form);
    }

    private static JsonNode login(DemoAccount.User user, String... extra) {
        Http.Reply r = jwtGrant(demo.clientId(), demo.clientSecret(), user.jwt(), extra);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode assertOAuthError(Http.Reply r, int status, String error, String detailCode) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.raw().body()).doesNotContain("Exception").doesNotContain("\tat ");
        JsonNode body = r.json();
        assertThat(body.path("error").asText()).as("error").isEqualTo(error);
        assertThat(body.path("error_description").asText()).as("error_description").isNotBlank();
        assertThat(body.path("errors").get(0).path("errorCode").asText()).as("errors[0].errorCode")
                .isEqualTo(detailCode);
        assertThat(body.path("errors").get(0).path("message").asText()).isNotBlank();
        return body;
    }

    private static void assertValidTokenResponse(Http.Reply r, String extensionId) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        JsonNode t = r.json();
        assertThat(t.path("access_token").asText()).isNotBlank();
        assertThat(t.path("refresh_token").asText()).isNotBlank();
        assertThat(t.path("token_type").asText()).isEqualTo("bearer");
        assertThat(t.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(t.path("refresh_token_expires_in").asLong()).isEqualTo(604800);
        assertThat(t.path("owner_id").asText()).isEqualTo(extensionId);
        assertThat(t.path("endpoint_id").asText()).isNotBlank();
        assertThat(t.path("session_id").asText()).isNotBlank();
        assertThat(t.path("scope").asText().split(" ")).contains("ReadPresence", "EditPresence");
        Http.Reply own = http.get(OWN_PRESENCE, t.path("access_token").asText());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("extension").path("id").asText()).isEqualTo(extensionId);
    }

    private static String emailOf(DemoAccount.User user) {
        String admin = login(demo.admin()).path("access_token").asText();
        Http.Reply r = http.get("/restapi/v1.0/account/~/extension/" + user.extensionId(), admin);
        assertThat(r.status()).isEqualTo(200);
        return r.json().path("contact").path("email").asText();
    }

    // ---- password grant ------------------------------------------------------------------------

    @Test
    void logsInWithPasswordByEmail() {
        DemoAccount.User user = demo.users().get(1);
        String email = emailOf(user);
        assertThat(email).contains("@");

        assertValidTokenResponse(token(Map.of("grant_type", "password", "username", email,
                "password", user.password())), user.extensionId());
    }

    @Test
    void logsInWithPasswordByMainNumberStarExtensionNumber() {
        DemoAccount.User user = demo.users().get(2);
        assertValidTokenResponse(token(Map.of("grant_type", "password",
                "username", "+15550100000*" + user.extensionNumber(), "password", user.password())),
                user.extensionId());
    }

    @Test
    void logsInWithPasswordByMainNumberAndExtensionField() {
        DemoAccount.User user = demo.users().get(2);
        assertValidTokenResponse(token(Map.of("grant_type", "password", "username", "+15550100000",
                "extension", user.extensionNumber(), "password", user.password())), user.extensionId());
    }

    @Test
    void refusesWrongPassword() {
        DemoAccount.User user = demo.users().get(1);
        assertOAuthError(token(Map.of("grant_type", "password", "username", "+15550100000*" + user.extensionNumber(),
                "password", user.password() + "x")), 400, "invalid_grant", "OAU-140");
        assertOAuthError(token(Map.of("grant_type", "password", "username", emailOf(user),
                "password", demo.users().get(2).password())), 400, "invalid_grant", "OAU-140");
    }

    @Test
    void refusesPasswordOfUnknownUserLikeAWrongPassword() {
        assertOAuthError(token(Map.of("grant_type", "password", "username", "+15550100000*999",
                "password", "whatever-it-is")), 400, "invalid_grant", "OAU-140");
        assertOAuthError(token(Map.of("grant_type", "password", "username", "nobody@demo.presenced.test",
                "password", "whatever-it-is")), 400, "invalid_grant", "OAU-140");
    }

    // ---- client authentication and grant types ---------------------------------------------------

    @Test
    void refusesTokenCallWithoutClientAuthentication() {
        Http.Reply r = http.form(TOKEN, null, null, Map.of("grant_type", JWT_BEARER,
                "assertion", demo.users().get(0).jwt()));
        assertOAuthError(r, 400, "invalid_client", "OAU-123");
    }

    @Test
    void refusesWrongClientSecret() {
        Http.Reply r = jwtGrant(demo.clientId(), demo.clientSecret() + "x", demo.users().get(0).jwt());
        assertOAuthError(r, 401, "invalid_client", "OAU-146");
        Http.Reply unknown = jwtGrant("no-such-client", demo.clientSecret(), demo.users().get(0).jwt());
        assertOAuthError(unknown, 401, "invalid_client", "OAU-146");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_credentials", "authorization_code", "implicit", "PASSWORD"})
    void refusesUnsupportedGrantType(String grant) {
        Http.Reply r = token(Map.of("grant_type", grant, "code", "x", "username", "x", "password", "y"));
        assertOAuthError(r, 400, "unsupported_grant_type", "OAU-250");
    }

    @Test
    void refusesRevokedJwtCredential() {
        DemoAccount.User user = demo.users().get(3);
        JwtCredentials.Issued issued = withAdmin(a -> a.issueJwt(Long.parseLong(user.extensionId()), "oauth-test"));
        Http.Reply before = jwtGrant(demo.clientId(), demo.clientSecret(), issued.jwt());
        assertValidTokenResponse(before, user.extensionId());

        boolean revoked = withAdmin(a -> a.revokeJwt(issued.id()));
        assertThat(revoked).isTrue();

        assertOAuthError(jwtGrant(demo.clientId(), demo.clientSecret(), issued.jwt()), 400, "invalid_grant",
                "OAU-140");
        // Other credentials of the same user keep working.
        assertThat(jwtGrant(demo.clientId(), demo.clientSecret(), user.jwt()).status()).isEqualTo(200);
    }

    @Test
    void refusesTamperedJwtCredential() {
        String jwt = demo.users().get(3).jwt();
        String tampered = jwt.substring(0, jwt.length() - 2) + (jwt.endsWith("AA") ? "BB" : "AA");
        assertOAuthError(jwtGrant(demo.clientId(), demo.clientSecret(), tampered), 400, "invalid_grant", "OAU-140");
    }

    // ---- lifetimes ------------------------------------------------------------------------------

    @ParameterizedTest(name = "access_token_ttl={0} -> expires_in {1}")
    @CsvSource({"600, 600", "1, 1", "3600, 3600", "3601, 3600", "86400, 3600", "0, 1", "-30, 1"})
    void honoursAccessTokenTtlWithinLimitsAndClampsOutside(String requested, long expected) {
        JsonNode t = login(demo.users().get(4), "access_token_ttl", requested);
        assertThat(t.path("expires_in").asLong()).isEqualTo(expected);
        assertThat(t.path("refresh_token_expires_in").asLong()).isEqualTo(604800);
    }

    @ParameterizedTest(name = "refresh_token_ttl={0} -> refresh_token_expires_in {1}")
    @CsvSource({"7200, 7200", "604800, 604800", "604801, 604800", "99999999, 604800", "0, 1", "-1, 1"})
    void honoursRefreshTokenTtlWithinLimitsAndClampsOutside(String requested, long expected) {
        JsonNode t = login(demo.users().get(4), "refresh_token_ttl", requested);
        assertThat(t.path("refresh_token_expires_in").asLong()).isEqualTo(expected);
        assertThat(t.path("expires_in").asLong()).isEqualTo(3600);
    }

    @Test
    void honoursLifetimesOnRefresh() {
        JsonNode t = login(demo.users().get(4));
        Http.Reply r = token(Map.of("grant_type", "refresh_token", "refresh_token", t.path("refresh_token").asText(),
                "access_token_ttl", "900", "refresh_token_ttl", "86400"));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.json().path("expires_in").asLong()).isEqualTo(900);
        assertThat(r.json().path("refresh_token_expires_in").asLong()).isEqualTo(86400);
    }

    @Test
    void refusesNonNumericTtl() {
        Http.Reply r = jwtGrant(demo.clientId(), demo.clientSecret(), demo.users().get(4).jwt(),
                "access_token_ttl", "an hour");
        assertOAuthError(r, 400, "invalid_request", "OAU-101");
    }

    // ---- refresh and revoke ------------------------------------------------------------------------

    @Test
    void refusesRefreshWithAnotherAppsClientCredentials() {
        JsonNode t = login(demo.users().get(5));
        String refresh = t.path("refresh_token").asText();

        Http.Reply stolen = http.form(TOKEN, otherApp.clientId(), otherApp.clientSecret(),
                Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertOAuthError(stolen, 400, "invalid_grant", "OAU-211");

        // The failed attempt neither consumed the refresh token nor killed the session.
        assertThat(http.get(OWN_PRESENCE, t.path("access_token").asText()).status()).isEqualTo(200);
        Http.Reply own = token(Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertThat(own.status()).as(own.raw().body()).isEqualTo(200);
    }

    @Test
    void revokingTheRefreshTokenKillsTheAccessToken() {
        JsonNode t = login(demo.users().get(5));
        String access = t.path("access_token").asText();
        assertThat(http.get(OWN_PRESENCE, access).status()).isEqualTo(200);

        Http.Reply revoked = http.form(REVOKE, demo.clientId(), demo.clientSecret(),
                Map.of("token", t.path("refresh_token").asText()));
        assertThat(revoked.status()).isEqualTo(200);

        Http.Reply after = http.get(OWN_PRESENCE, access);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().path("errors").get(0).path("errorCode").asText()).isEqualTo("OAU-213");
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token",
                t.path("refresh_token").asText())), 400, "invalid_grant", "OAU-211");
    }

    @Test
    void anotherAppCannotRevokeATokenItDidNotIssue() {
        JsonNode t = login(demo.users().get(5));
        String access = t.path("access_token").asText();

        Http.Reply r = http.form(REVOKE, otherApp.clientId(), otherApp.clientSecret(), Map.of("token", access));
        assertThat(r.status()).isEqualTo(200);

        assertThat(http.get(OWN_PRESENCE, access).status()).isEqualTo(200);
    }

    // ---- scopes ----------------------------------------------------------------------------------

    @Test
    void scopeIsAppPermissionsIntersectedWithRole() {
        DemoAccount.User user = demo.users().get(6);
        Http.Reply granted = jwtGrant(readOnlyApp.clientId(), readOnlyApp.clientSecret(), user.jwt());
        assertThat(granted.status()).as(granted.raw().body()).isEqualTo(200);
        assertThat(granted.json().path("scope").asText()).isEqualTo("ReadPresence");
        String token = granted.json().path("access_token").asText();
        JsonNode before = http.get(OWN_PRESENCE, token).json();

        assertThat(http.get(OWN_PRESENCE, token).status()).isEqualTo(200);
        Http.Reply put = http.putJson(OWN_PRESENCE, token, "{\"userStatus\":\"Busy\"}");
        assertThat(put.status()).as(put.raw().body()).isEqualTo(403);
        JsonNode body = put.json();
        assertThat(body.path("errorCode").asText()).isEqualTo("InsufficientPermissions");
        assertThat(body.path("permissionName").asText()).isEqualTo("EditPresence");
        assertThat(body.path("errors").get(0).path("permissionName").asText()).isEqualTo("EditPresence");
        assertThat(http.get(OWN_PRESENCE, token).json()).isEqualTo(before);
    }

    @Test
    void userRoleGetsNoIngestScopeButAdminDoes() {
        Set<String> user = Set.of(login(demo.users().get(6)).path("scope").asText().split(" "));
        Set<String> admin = Set.of(login(demo.admin()).path("scope").asText().split(" "));

        assertThat(user).doesNotContain("IngestPresenceSources")
                .contains("ReadPresence", "EditPresence", "WebSocketsSubscription", "ReadAccounts");
        assertThat(admin).contains("IngestPresenceSources", "ReadPresence", "EditPresence",
                "WebSocketsSubscription", "ReadAccounts");
    }

    // ---- wstoken, bearer scheme, headers --------------------------------------------------------

    @Test
    void issuesWebSocketToken() {
        String access = login(demo.users().get(7)).path("access_token").asText();
        Http.Reply r = http.send("POST", WSTOKEN, access, null, null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.json().path("uri").asText()).isEqualTo("ws://127.0.0.1:" + server.port() + "/ws");
        assertThat(r.json().path("expires_in").asLong()).isEqualTo(60);
        assertThat(r.json().path("ws_access_token").asText()).isNotBlank().isNotEqualTo(access);
    }

    @Test
    void refusesWebSocketTokenWithoutWebSocketsSubscription() {
        Http.Reply granted = jwtGrant(readOnlyApp.clientId(), readOnlyApp.clientSecret(), demo.users().get(7).jwt());
        String access = granted.json().path("access_token").asText();
        Http.Reply r = http.send("POST", WSTOKEN, access, null, null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(403);
        assertThat(r.json().path("errorCode").asText()).isEqualTo("InsufficientPermissions");
        assertThat(r.json().path("permissionName").asText()).isEqualTo("WebSocketsSubscription");
        assertThat(r.raw().body()).doesNotContain("ws_access_token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "bearer", "BEARER", "bEaReR"})
    void acceptsBearerSchemeInAnyCase(String scheme) {
        String access = login(demo.users().get(8)).path("access_token").asText();
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + OWN_PRESENCE))
                .header("Authorization", scheme + " " + access).GET().build();
        Http.Reply r = http.send(req);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    }

    @Test
    void tokenResponsesAreNotCached() {
        DemoAccount.User user = demo.users().get(8);
        Http.Reply jwt = jwtGrant(demo.clientId(), demo.clientSecret(), user.jwt());
        Http.Reply password = token(Map.of("grant_type", "password",
                "username", "+15550100000*" + user.extensionNumber(), "password", user.password()));
        Http.Reply refresh = token(Map.of("grant_type", "refresh_token",
                "refresh_token", jwt.json().path("refresh_token").asText()));
        for (Http.Reply r : List.of(jwt, password, refresh)) {
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            assertThat(r.header("Cache-Control")).isNotNull().contains("no-store");
        }
    }
}
