package io.presenced.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
import io.presenced.testing.Cli;
import io.presenced.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret is kept in plain text (SPEC §2: tokens stored only as hashes): after every kind of login,
 * a refresh, a WebSocket token, a new app, a new JWT and a new password, none of those secrets appears
 * anywhere in the bytes of the SQLite files ({@code presenced.db}, its {@code -wal} and {@code -shm}) or
 * in what the server process printed, while it runs and after it stops.
 */
class SecretsAtRestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    /** Every secret the test learns, by what it is. */
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private ServerProcess server;

    private void remember(String what, String secret) {
        assertThat(secret).as(what).isNotBlank();
        secrets.put(what, secret);
    }

    private void rememberJwt(String what, String jwt) {
        remember(what, jwt);
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("%s is a JWS", what).hasSize(3);
        remember(what + " (signature)", parts[2]);
    }

    @Test
    void noSecretIsInTheDatabaseFilesOrTheServerOutput() throws Exception {
        Path data = work.resolve("data");
        server = ServerProcess.start("secrets", data, work);
        try {
            exerciseEverySecret(data);
            assertNothingLeaks(data, "while the server runs");
            server.process().destroy();
            assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("the server stopped on SIGTERM").isTrue();
            assertNothingLeaks(data, "after the server stopped");
        } finally {
            server.close();
        }
    }

    private void exerciseEverySecret(Path data) throws Exception {
        DemoAccount.Credentials demo = server.credentials();
        remember("demo client secret", demo.clientSecret());
        rememberJwt("admin JWT", demo.admin().jwt());
        remember("admin password", demo.admin().password());
        for (DemoAccount.User u : demo.users()) {
            rememberJwt("JWT of " + u.extensionId(), u.jwt());
            remember("password of " + u.extensionId(), u.password());
        }
        String clientId = demo.clientId();
        String secret = demo.clientSecret();

        JsonNode jwtLogin = token(clientId, secret, Map.of("grant_type", JWT_BEARER, "assertion", demo.admin().jwt()));
        rememberTokens("jwt grant", jwtLogin);

        String mainNumber = JSON.readTree(server.send(jwtLogin.path("access_token").asText(), "GET",
                "/restapi/v1.0/account/~", null).body()).path("mainNumber").asText();
        DemoAccount.User user = demo.users().getFirst();
        JsonNode passwordLogin = token(clientId, secret, Map.of("grant_type", "password",
                "username", mainNumber + "*" + user.extensionNumber(), "password", user.password()));
        rememberTokens("password grant", passwordLogin);

        JsonNode refreshed = token(clientId, secret, Map.of("grant_type", "refresh_token",
                "refresh_token", jwtLogin.path("refresh_token").asText()));
        rememberTokens("refresh grant", refreshed);
        String access = refreshed.path("access_token").asText();

        HttpResponse<String> ws = server.send(access, "POST", "/restapi/oauth/wstoken", null);
        assertThat(ws.statusCode()).as(ws.body()).isEqualTo(200);
        remember("ws token", JSON.readTree(ws.body()).path("ws_access_token").asText());

        // Refusals carry secrets too: a wrong password and a made-up bearer token must not be printed.
        String wrongPassword = "Wr0ng-" + UUID.randomUUID();
        remember("a wrong password that was tried", wrongPassword);
        assertThat(post("/restapi/oauth/token", clientId, secret, Map.of("grant_type", "password",
                "username", mainNumber + "*" + user.extensionNumber(), "password", wrongPassword)).statusCode())
                .isEqualTo(400);
        String madeUp = "madeUpBearer" + UUID.randomUUID().toString().replace("-", "");
        remember("a made-up bearer token", madeUp);
        assertThat(server.send(madeUp, "GET", "/restapi/v1.0/account/~", null).statusCode()).isEqualTo(401);

        // The admin commands: a new app, a new JWT and a new password, each used once.
        JsonNode app = Cli.run(data, "app", "create", "--name", "Secret Keeper").json();
        remember("new app secret", app.path("clientSecret").asText());
        DemoAccount.User other = demo.users().get(1);
        JsonNode jwt = Cli.run(data, "jwt", "issue", "--extension", other.extensionId()).json();
        rememberJwt("new JWT", jwt.path("jwt").asText());
        String newPassword = "New-Passw0rd-" + UUID.randomUUID();
        remember("new password", newPassword);
        Cli.run(data, "password", "set", "--extension", other.extensionId(), "--password", newPassword).json();

        String newClientId = app.path("clientId").asText();
        String newSecret = app.path("clientSecret").asText();
        JsonNode[] viaNewJwt = new JsonNode[1];
        await("the server accepts the new app and JWT").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> (viaNewJwt[0] = tryToken(newClientId, newSecret, Map.of("grant_type", JWT_BEARER,
                        "assertion", jwt.path("jwt").asText()))) != null);
        rememberTokens("new app, new JWT", viaNewJwt[0]);
        JsonNode[] viaNewPassword = new JsonNode[1];
        await("the server accepts the new password").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> (viaNewPassword[0] = tryToken(newClientId, newSecret, Map.of("grant_type", "password",
                        "username", mainNumber + "*" + other.extensionNumber(), "password", newPassword))) != null);
        rememberTokens("new app, new password", viaNewPassword[0]);

        // A revoke sends a token in its body.
        HttpResponse<String> revoke = post("/restapi/oauth/revoke", clientId, secret,
                Map.of("token", passwordLogin.path("access_token").asText()));
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);

        // A presence write, so that the event log holds something too.
        HttpResponse<String> put = server.send(access, "PUT", "/restapi/v1.0/account/~/extension/~/presence",
                "{\"userStatus\":\"Busy\",\"message\":\"not a secret\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    private void rememberTokens(String grant, JsonNode response) {
        remember("access token of the " + grant, response.path("access_token").asText());
        remember("refresh token of the " + grant, response.path("refresh_token").asText());
    }

    private void assertNothingLeaks(Path data, String when) throws IOException {
        List<Path> dbFiles;
        try (Stream<Path> listing = Files.list(data)) {
            dbFiles = listing.filter(p -> p.getFileName().toString().startsWith("presenced.db")).sorted().toList();
        }
        assertThat(dbFiles).as("database files %s", when).contains(data.resolve("presenced.db"));
        Map<Path, String> contents = new LinkedHashMap<>();
        for (Path f : dbFiles) {
            // ISO-8859-1 maps every byte to one char, so a byte search is a String search.
            contents.put(f, new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        contents.put(server.log(), new String(Files.readAllBytes(server.log()), StandardCharsets.ISO_8859_1));

        // The search can find things: what is not secret is there in plain text.
        String database = dbFiles.stream().map(contents::get).collect(Collectors.joining("\n"));
        assertThat(database).as("the database holds the demo emails (%s)", when).contains("alice@demo.presenced.test");
        assertThat(database).as("the database holds the presence message (%s)", when).contains("not a secret");
        assertThat(contents.get(server.log())).as("the server output was captured").contains("Presenced is listening");

        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<Path, String> file : contents.entrySet()) {
            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                soft.assertThat(file.getValue().contains(secret.getValue()))
                        .as("%s appears in %s %s", secret.getKey(), file.getKey().getFileName(), when).isFalse();
            }
        }
        soft.assertAll();
        assertThat(secrets).as("secrets searched for").hasSizeGreaterThan(40);
    }

    private JsonNode token(String clientId, String secret, Map<String, String> form)
            throws IOException, InterruptedException {
        HttpResponse<String> r = post("/restapi/oauth/token", clientId, secret, form);
        assertThat(r.statusCode()).as("token %s: %s", form.get("grant_type"), r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode tryToken(String clientId, String secret, Map<String, String> form)
            throws IOException, InterruptedException {
        HttpResponse<String> r = post("/restapi/oauth/token", clientId, secret, form);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private HttpResponse<String> post(String path, String clientId, String secret, Map<String, String> form)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
