package io.presenced.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.store.JdbcStore;
import io.presenced.testing.Cli;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin commands ({@code --json}) run in-process against the data directory of a running server,
 * and what they write is what that server then serves (SPEC §9).
 */
class AdminCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Duration DIRECTORY_PICKUP = Duration.ofSeconds(10);
    private static final AtomicInteger MAIN_NUMBERS = new AtomicInteger(1000);

    private static TestServer server;
    private static Http http;

    @TempDir
    Path files;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Runs {@code presenced <args> --data <server's data> --json}, capturing what it prints. */
    private static Cli.Run cli(String... args) {
        return Cli.run(server.dataDir(), args);
    }

    private static String newMainNumber() {
        return "+1555777" + MAIN_NUMBERS.incrementAndGet();
    }

    private static JsonNode createAccount(String mainNumber) {
        JsonNode account = cli("account", "create", "--name", "Acme " + mainNumber, "--main-number", mainNumber)
                .json();
        assertThat(account.path("id").asText()).matches("\\d+");
        assertThat(account.path("mainNumber").asText()).isEqualTo(mainNumber);
        return account;
    }

    private static JsonNode createAdmin(String accountId, String number) {
        JsonNode ext = cli("extension", "create", "--account", accountId, "--number", number, "--name", "Ada Admin",
                "--role", "Admin").json();
        assertThat(ext.path("id").asText()).matches("\\d+");
        assertThat(ext.path("accountId").asText()).isEqualTo(accountId);
        assertThat(ext.path("extensionNumber").asText()).isEqualTo(number);
        assertThat(ext.path("role").asText()).isEqualTo("Admin");
        return ext;
    }

    private static JsonNode createApp(String permissions) {
        JsonNode app = cli("app", "create", "--name", "Reader", "--permissions", permissions).json();
        assertThat(app.path("clientId").asText()).isNotBlank();
        assertThat(app.path("clientSecret").asText()).isNotBlank();
        return app;
    }

    private static Http.Reply jwtLogin(JsonNode app, String jwt) {
        return http.form("/restapi/oauth/token", app.path("clientId").asText(), app.path("clientSecret").asText(),
                Map.of("grant_type", JWT_BEARER, "assertion", jwt));
    }

    private static Http.Reply passwordLogin(JsonNode app, String username, String password) {
        return http.form("/restapi/oauth/token", app.path("clientId").asText(), app.path("clientSecret").asText(),
                Map.of("grant_type", "password", "username", username, "password", password));
    }

    @Test
    void issuedJwtLogsTheNewExtensionIntoTheRunningServerWithTheNewApp() {
        JsonNode account = createAccount(newMainNumber());
        String accountId = account.path("id").asText();
        JsonNode ext = createAdmin(accountId, "301");
        String extensionId = ext.path("id").asText();
        JsonNode app = createApp("ReadPresence ReadAccounts");
        assertThat(texts(app.path("permissions"))).containsExactlyInAnyOrder("ReadPresence", "ReadAccounts");

        JsonNode jwt = cli("jwt", "issue", "--extension", extensionId).json();
        assertThat(jwt.path("extensionId").asText()).isEqualTo(extensionId);
        assertThat(jwt.path("id").asText()).isNotBlank();

        Http.Reply[] login = new Http.Reply[1];
        await("the running server logs the new extension in").atMost(DIRECTORY_PICKUP)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> (login[0] = jwtLogin(app, jwt.path("jwt").asText())).status() == 200);
        JsonNode token = login[0].json();
        assertThat(token.path("owner_id").asText()).isEqualTo(extensionId);
        assertThat(token.path("scope").asText().split(" ")).containsExactlyInAnyOrder("ReadAccounts", "ReadPresence");

        Http.Reply presence = http.get("/restapi/v1.0/account/~/extension/~/presence",
                token.path("access_token").asText());
        assertThat(presence.status()).as(presence.raw().body()).isEqualTo(200);
        assertThat(presence.json().path("extension").path("id").asText()).isEqualTo(extensionId);
        assertThat(presence.json().path("extension").path("extensionNumber").asText()).isEqualTo("301");
        assertThat(presence.json().path("presenceStatus").asText()).isEqualTo("Available");

        Http.Reply accountInfo = http.get("/restapi/v1.0/account/~", token.path("access_token").asText());
        assertThat(accountInfo.status()).isEqualTo(200);
        assertThat(accountInfo.json().path("id").asText()).isEqualTo(accountId);
    }

    @Test
    void revokedJwtIsRefusedWithInvalidGrant() {
        JsonNode account = createAccount(newMainNumber());
        String extensionId = createAdmin(account.path("id").asText(), "301").path("id").asText();
        JsonNode app = createApp("ReadPresence ReadAccounts");
        JsonNode jwt = cli("jwt", "issue", "--extension", extensionId).json();
        await("the running server logs the new extension in").atMost(DIRECTORY_PICKUP)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jwtLogin(app, jwt.path("jwt").asText()).status() == 200);

        JsonNode revoked = cli("jwt", "revoke", "--id", jwt.path("id").asText()).json();
        assertThat(revoked.path("revoked").asBoolean()).isTrue();

        Http.Reply refused = jwtLogin(app, jwt.path("jwt").asText());
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void revokingAnUnknownJwtIdFailsWithAMessage() {
        Cli.Run run = cli("jwt", "revoke", "--id", "no-such-credential");
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("no-such-credential");
    }

    @Test
    void setPasswordEnablesThePasswordGrantWithMainNumberStarExtensionNumber() {
        String mainNumber = newMainNumber();
        JsonNode account = createAccount(mainNumber);
        String extensionId = createAdmin(account.path("id").asText(), "301").path("id").asText();
        JsonNode app = createApp("ReadPresence ReadAccounts");
        String username = mainNumber + "*301";
        Http.Reply before = passwordLogin(app, username, "s3cret-Passw0rd");
        assertThat(before.status()).as("login before any password was set: %s", before.raw().body()).isEqualTo(400);
        assertThat(before.json().path("error").asText()).isEqualTo("invalid_grant");

        JsonNode set = cli("password", "set", "--extension", extensionId, "--password", "s3cret-Passw0rd").json();
        assertThat(set.path("passwordSet").asBoolean()).isTrue();
        assertThat(set.path("extensionId").asText()).isEqualTo(extensionId);

        Http.Reply[] ok = new Http.Reply[1];
        await("the running server accepts the new password").atMost(DIRECTORY_PICKUP)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> (ok[0] = passwordLogin(app, username, "s3cret-Passw0rd")).status() == 200);
        assertThat(ok[0].json().path("owner_id").asText()).isEqualTo(extensionId);
        Http.Reply wrong = passwordLogin(app, username, "not-the-Passw0rd");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void importedDirectoryIsListedByTheRunningServer() throws IOException {
        String mainNumber = newMainNumber();
        Path file = files.resolve("directory.yaml");
        Files.writeString(file, """
                accounts:
                  - name: Imported Inc
                    mainNumber: "%s"
                    extensions:
                      - extensionNumber: "101"
                        name: Iris Import
                        role: Admin
                        password: imported-Passw0rd
                      - extensionNumber: "200"
                        name: Sales
                        type: Department
                      - extensionNumber: "201"
                        name: Sam Sales
                        departments: ["200"]
                    generate:
                      count: 50
                      startNumber: 1000
                """.formatted(mainNumber));

        JsonNode result = cli("import", file.toString()).json();
        assertThat(result.path("extensionsCreated").asInt()).isEqualTo(53);
        assertThat(result.path("extensionsSkipped").asInt()).isZero();
        assertThat(result.path("passwordsSet").asInt()).isEqualTo(1);
        assertThat(result.path("accountIds").size()).isEqualTo(1);
        String accountId = result.path("accountIds").get(0).asText();

        JsonNode app = createApp("ReadPresence ReadAccounts EditPresence");
        Http.Reply[] login = new Http.Reply[1];
        await("the imported admin logs in").atMost(DIRECTORY_PICKUP).pollInterval(Duration.ofMillis(100))
                .until(() -> (login[0] = passwordLogin(app, mainNumber + "*101", "imported-Passw0rd")).status() == 200);
        String token = login[0].json().path("access_token").asText();

        JsonNode[] list = new JsonNode[1];
        await("the running server lists all 53 imported extensions").atMost(DIRECTORY_PICKUP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> (list[0] = http.get("/restapi/v1.0/account/" + accountId + "/extension?perPage=100",
                        token).json()).path("paging").path("totalElements").asInt() == 53);
        assertThat(list[0].path("records").size()).isEqualTo(53);
        assertThat(list[0].path("records").findValuesAsText("extensionNumber"))
                .contains("101", "200", "201", "1000", "1049")
                .doesNotContain("1050");

        // Department membership came through: only a member may take department calls only.
        String member = extensionIdOf(list[0], "201");
        String generated = extensionIdOf(list[0], "1000");
        String body = "{\"dndStatus\":\"TakeDepartmentCallsOnly\"}";
        Http.Reply memberPut = http.putJson("/restapi/v1.0/account/~/extension/" + member + "/presence", token, body);
        assertThat(memberPut.status()).as(memberPut.raw().body()).isEqualTo(200);
        Http.Reply otherPut = http.putJson("/restapi/v1.0/account/~/extension/" + generated + "/presence", token,
                body);
        assertThat(otherPut.status()).as(otherPut.raw().body()).isEqualTo(400);
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> result = new java.util.ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    private static String extensionIdOf(JsonNode list, String number) {
        for (JsonNode r : list.path("records")) {
            if (r.path("extensionNumber").asText().equals(number)) {
                return r.path("id").asText();
            }
        }
        throw new AssertionError("no extension " + number + " in " + list);
    }

    @Test
    void unknownPermissionFailsWithAMessageAndCreatesNoApp() throws SQLException {
        long appsBefore = count("apps");
        Cli.Run run = cli("app", "create", "--name", "Bad", "--permissions", "ReadPresence ReadMinds");
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("ReadMinds").contains("ReadPresence");
        assertThat(run.out()).doesNotContain("clientSecret");
        assertThat(count("apps")).isEqualTo(appsBefore);
    }

    @Test
    void unknownAccountFailsWithAMessageAndCreatesNoExtension() throws SQLException {
        long revisionBefore = directoryRevision();
        long extensionsBefore = count("extensions");
        Cli.Run run = cli("extension", "create", "--account", "987654321", "--number", "301", "--name", "Nobody",
                "--role", "Admin");
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("987654321").contains("accountId");
        assertThat(count("extensions")).isEqualTo(extensionsBefore);
        assertThat(directoryRevision()).isEqualTo(revisionBefore);
    }

    @Test
    void importNamingAMissingDepartmentFailsWithAMessageAndChangesNothing() throws IOException, SQLException {
        Path file = files.resolve("broken.yaml");
        Files.writeString(file, """
                accounts:
                  - name: Broken Ltd
                    mainNumber: "%s"
                    extensions:
                      - extensionNumber: "101"
                        name: Bea Broken
                        departments: ["999"]
                """.formatted(newMainNumber()));
        long accountsBefore = count("accounts");
        long extensionsBefore = count("extensions");
        long revisionBefore = directoryRevision();

        Cli.Run run = cli("import", file.toString());
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("999");
        long accountsAfter = count("accounts");
        long extensionsAfter = count("extensions");
        long revisionAfter = directoryRevision();
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(accountsAfter).as("accounts after a failed import").isEqualTo(accountsBefore);
            soft.assertThat(extensionsAfter).as("extensions after a failed import").isEqualTo(extensionsBefore);
            soft.assertThat(revisionAfter).as("directory revision after a failed import").isEqualTo(revisionBefore);
        });
    }

    private static long directoryRevision() {
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            return store.directoryRevision();
        }
    }

    private static long count(String table) throws SQLException {
        String url = "jdbc:sqlite:" + server.dataDir().resolve("presenced.db").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
