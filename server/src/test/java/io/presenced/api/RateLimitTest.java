package io.presenced.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.auth.Permission;
import io.presenced.auth.RateGroup;
import io.presenced.auth.RateLimits;
import io.presenced.store.JdbcStore;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per user+app and group (SPEC §2), on a server with small limits and a 60 s window.
 * Each test uses users of its own, so the tests do not share a counter.
 */
class RateLimitTest {
    private static final int LIGHT = 3;
    private static final int MEDIUM = 2;
    private static final String OWN_PRESENCE = "/restapi/v1.0/account/~/extension/~/presence";

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static Admin.CreatedApp secondApp;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withRateLimits(new RateLimits(true,
                Map.of(RateGroup.Light, LIGHT, RateGroup.Medium, MEDIUM, RateGroup.Heavy, 2, RateGroup.Auth, 100),
                Duration.ofSeconds(60))));
        demo = server.credentials();
        http = new Http(server.url());
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            secondApp = new Admin(store, Clock.systemUTC()).createApp("Second app", EnumSet.allOf(Permission.class));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String login(DemoAccount.User user, String clientId, String secret) {
        Http.Reply r = http.form("/restapi/oauth/token", clientId, secret,
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", user.jwt()));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    private static String login(DemoAccount.User user) {
        return login(user, demo.clientId(), demo.clientSecret());
    }

    private static void assertRateHeaders(Http.Reply r, String group, int limit, int remaining) {
        assertThat(r.header("X-Rate-Limit-Group")).isEqualTo(group);
        assertThat(r.header("X-Rate-Limit-Limit")).isEqualTo(String.valueOf(limit));
        assertThat(r.header("X-Rate-Limit-Remaining")).isEqualTo(String.valueOf(remaining));
        assertThat(r.header("X-Rate-Limit-Window")).isEqualTo("60");
    }

    private static void assertOverLimit(Http.Reply r) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(429);
        JsonNode body = r.json();
        assertThat(body.path("errorCode").asText()).isEqualTo("CMN-301");
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("errors").get(0).path("errorCode").asText()).isEqualTo("CMN-301");
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 60);
    }

    @Test
    void countsLightCallsDownAndRefusesTheOneOverTheLimit() {
        String token = login(demo.users().get(0));
        for (int i = 1; i <= LIGHT; i++) {
            Http.Reply r = http.get(OWN_PRESENCE, token);
            assertThat(r.status()).as("call %d: %s", i, r.raw().body()).isEqualTo(200);
            assertRateHeaders(r, "Light", LIGHT, LIGHT - i);
        }

        Http.Reply over = http.get(OWN_PRESENCE, token);
        assertOverLimit(over);
        assertRateHeaders(over, "Light", LIGHT, 0);
        assertOverLimit(http.get(OWN_PRESENCE, token));
    }

    @Test
    void limitsEachUserSeparately() {
        String first = login(demo.users().get(1));
        String second = login(demo.users().get(2));
        for (int i = 0; i < LIGHT; i++) {
            assertThat(http.get(OWN_PRESENCE, first).status()).isEqualTo(200);
        }
        assertOverLimit(http.get(OWN_PRESENCE, first));

        Http.Reply other = http.get(OWN_PRESENCE, second);
        assertThat(other.status()).as(other.raw().body()).isEqualTo(200);
        assertRateHeaders(other, "Light", LIGHT, LIGHT - 1);
    }

    @Test
    void limitsEachAppOfOneUserSeparately() {
        DemoAccount.User user = demo.users().get(3);
        String viaDemoApp = login(user);
        for (int i = 0; i < LIGHT; i++) {
            assertThat(http.get(OWN_PRESENCE, viaDemoApp).status()).isEqualTo(200);
        }
        assertOverLimit(http.get(OWN_PRESENCE, viaDemoApp));

        String viaSecondApp = login(user, secondApp.clientId(), secondApp.clientSecret());
        Http.Reply r = http.get(OWN_PRESENCE, viaSecondApp);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertRateHeaders(r, "Light", LIGHT, LIGHT - 1);
    }

    @Test
    void sharesTheCounterBetweenSessionsOfOneUserAndApp() {
        DemoAccount.User user = demo.users().get(4);
        String one = login(user);
        String two = login(user);
        for (int i = 0; i < LIGHT; i++) {
            assertThat(http.get(OWN_PRESENCE, i % 2 == 0 ? one : two).status()).isEqualTo(200);
        }
        assertOverLimit(http.get(OWN_PRESENCE, two));
    }

    @Test
    void countsEachGroupSeparately() {
        String token = login(demo.users().get(5));
        for (int i = 0; i < LIGHT; i++) {
            assertThat(http.get(OWN_PRESENCE, token).status()).isEqualTo(200);
        }
        assertOverLimit(http.get(OWN_PRESENCE, token));

        Http.Reply put = http.putJson(OWN_PRESENCE, token, "{\"message\":\"still allowed\"}");
        assertThat(put.status()).as(put.raw().body()).isEqualTo(200);
        assertRateHeaders(put, "Medium", MEDIUM, MEDIUM - 1);
    }

    @Test
    void refusedCallOverTheLimitChangesNothing() {
        DemoAccount.User user = demo.users().get(6);
        String token = login(user);
        for (int i = 1; i <= MEDIUM; i++) {
            Http.Reply r = http.putJson(OWN_PRESENCE, token, "{\"message\":\"call " + i + "\"}");
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            assertRateHeaders(r, "Medium", MEDIUM, MEDIUM - i);
        }
        assertOverLimit(http.putJson(OWN_PRESENCE, token, "{\"message\":\"over the limit\"}"));

        String admin = login(demo.admin());
        Http.Reply seen = http.get("/restapi/v1.0/account/~/extension/" + user.extensionId() + "/presence", admin);
        assertThat(seen.json().path("message").asText()).isEqualTo("call " + MEDIUM);
    }

    @Test
    void limitsTokenCallsPerUserSoThatOneUsersGuessesDoNotLockOutAnother() {
        try (TestServer small = TestServer.start(c -> c.withRateLimits(new RateLimits(true,
                Map.of(RateGroup.Light, 50, RateGroup.Medium, 40, RateGroup.Heavy, 10, RateGroup.Auth, 3),
                Duration.ofSeconds(60))))) {
            Http client = new Http(small.url());
            DemoAccount.Credentials c = small.credentials();
            String victim = "+15550100000*" + c.users().get(0).extensionNumber();
            for (int i = 1; i <= 3; i++) {
                Http.Reply wrong = client.form("/restapi/oauth/token", c.clientId(), c.clientSecret(),
                        Map.of("grant_type", "password", "username", victim, "password", "wrong-guess-" + i));
                assertThat(wrong.status()).as(wrong.raw().body()).isEqualTo(400);
                assertRateHeaders(wrong, "Auth", 3, 3 - i);
            }
            Http.Reply locked = client.form("/restapi/oauth/token", c.clientId(), c.clientSecret(),
                    Map.of("grant_type", "password", "username", victim, "password", c.users().get(0).password()));
            assertOverLimit(locked);

            for (DemoAccount.User other : c.users().subList(1, c.users().size())) {
                Http.Reply ok = client.form("/restapi/oauth/token", c.clientId(), c.clientSecret(),
                        Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", other.jwt()));
                assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
            }
        }
    }
}
