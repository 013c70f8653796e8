package io.presenced.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.admin.DemoAccount;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code presenced import FILE} with a JSON directory file (the YAML form is in {@link AdminCommandsTest}):
 * what it creates is what the running server's directory API lists, and a {@code generate} block of
 * 10,000 extensions is imported quickly and listed in full.
 */
class JsonImportTest {
    private static final Duration DIRECTORY_PICKUP = Duration.ofSeconds(15);
    private static final AtomicInteger MAIN_NUMBERS = new AtomicInteger(3000);

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;

    @TempDir
    Path files;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newMainNumber() {
        return "+1555888" + MAIN_NUMBERS.incrementAndGet();
    }

    private static Cli.Run cli(String... args) {
        return Cli.run(server.dataDir(), args);
    }

    /** An access token for a password user of the demo app, once the running server knows the user. */
    private static String passwordLogin(String username, String password) {
        Http.Reply[] login = new Http.Reply[1];
        await("the running server logs " + username + " in").atMost(DIRECTORY_PICKUP)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> (login[0] = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                        Map.of("grant_type", "password", "username", username, "password", password)))
                        .status() == 200);
        return login[0].json().path("access_token").asText();
    }

    /** A directory file for a new account; its emails are unique to the main number. */
    private static String directoryJson(String mainNumber) {
        return """
                {"accounts": [{
                  "name": "Json Imports Ltd",
                  "mainNumber": "%1$s",
                  "extensions": [
                    {"extensionNumber": "101", "name": "Jo Json", "email": "jo-%2$s@json.presenced.test",
                     "role": "Admin", "password": "json-Passw0rd-1"},
                    {"extensionNumber": "102", "name": "Kim Key", "email": "kim-%2$s@json.presenced.test",
                     "password": "json-Passw0rd-2", "departments": ["300"]},
                    {"extensionNumber": "103", "name": "Lee Left", "status": "Disabled"},
                    {"extensionNumber": "300", "name": "Helpdesk", "type": "Department"},
                    {"extensionNumber": "801", "name": "Park 1", "type": "ParkLocation"}
                  ]
                }]}
                """.formatted(mainNumber, mainNumber.substring(1));
    }

    @Test
    void jsonFileExtensionsAreServedByTheDirectoryApi() throws IOException {
        String mainNumber = newMainNumber();
        Path file = Files.writeString(files.resolve("directory.json"), directoryJson(mainNumber));

        JsonNode result = cli("import", file.toString()).json();
        assertThat(result.path("extensionsCreated").asInt()).isEqualTo(5);
        assertThat(result.path("extensionsSkipped").asInt()).isZero();
        assertThat(result.path("passwordsSet").asInt()).isEqualTo(2);
        assertThat(result.path("accountIds").size()).isEqualTo(1);
        String accountId = result.path("accountIds").get(0).asText();

        String token = passwordLogin(mainNumber + "*101", "json-Passw0rd-1");
        JsonNode account = http.get("/restapi/v1.0/account/~", token).json();
        assertThat(account.path("id").asText()).isEqualTo(accountId);
        assertThat(account.path("name").asText()).isEqualTo("Json Imports Ltd");
        assertThat(account.path("mainNumber").asText()).isEqualTo(mainNumber);

        Http.Reply reply = http.get("/restapi/v1.0/account/" + accountId + "/extension", token);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        JsonNode list = reply.json();
        assertThat(list.path("paging").path("totalElements").asInt()).isEqualTo(5);
        Map<String, JsonNode> byNumber = new HashMap<>();
        list.path("records").forEach(r -> byNumber.put(r.path("extensionNumber").asText(), r));
        assertThat(byNumber).containsOnlyKeys("101", "102", "103", "300", "801");

        JsonNode jo = byNumber.get("101");
        assertThat(jo.path("name").asText()).isEqualTo("Jo Json");
        assertThat(jo.path("type").asText()).isEqualTo("User");
        assertThat(jo.path("status").asText()).isEqualTo("Enabled");
        assertThat(jo.path("contact").path("email").asText()).isEqualTo("jo-" + mainNumber.substring(1) + "@json.presenced.test");
        assertThat(jo.path("permissions").path("admin").path("enabled").asBoolean()).isTrue();
        assertThat(jo.path("account").path("id").asText()).isEqualTo(accountId);

        JsonNode kim = byNumber.get("102");
        assertThat(kim.path("permissions").path("admin").path("enabled").asBoolean()).isFalse();
        assertThat(kim.path("departments").findValuesAsText("id"))
                .containsExactly(byNumber.get("300").path("id").asText());
        assertThat(byNumber.get("103").path("status").asText()).isEqualTo("Disabled");
        assertThat(byNumber.get("300").path("type").asText()).isEqualTo("Department");
        assertThat(byNumber.get("801").path("type").asText()).isEqualTo("ParkLocation");

        // One extension read, and the type filter, over what was imported.
        JsonNode one = http.get("/restapi/v1.0/account/~/extension/" + kim.path("id").asText(), token).json();
        assertThat(one.path("name").asText()).isEqualTo("Kim Key");
        JsonNode departments = http.get("/restapi/v1.0/account/~/extension?type=Department", token).json();
        assertThat(departments.path("records").findValuesAsText("extensionNumber")).containsExactly("300");

        // The second password of the file works too, as the extension it belongs to.
        String kimToken = passwordLogin("kim-" + mainNumber.substring(1) + "@json.presenced.test",
                "json-Passw0rd-2");
        JsonNode me = http.get("/restapi/v1.0/account/~/extension/~", kimToken).json();
        assertThat(me.path("id").asText()).isEqualTo(kim.path("id").asText());
    }

    @Test
    void reimportingIntoTheAccountByIdSkipsWhatIsThereAndAddsTheRest() throws IOException, SQLException {
        String mainNumber = newMainNumber();
        Path file = Files.writeString(files.resolve("first.json"), directoryJson(mainNumber));
        String accountId = cli("import", file.toString()).json().path("accountIds").get(0).asText();
        long accountsBefore = count("accounts");

        Path again = Files.writeString(files.resolve("again.json"), """
                {"accounts": [{"id": %s, "extensions": [
                  {"extensionNumber": "101", "name": "Somebody Else"},
                  {"extensionNumber": "104", "name": "Max More"}
                ]}]}
                """.formatted(accountId));
        JsonNode result = cli("import", again.toString()).json();
        assertThat(result.path("extensionsCreated").asInt()).isEqualTo(1);
        assertThat(result.path("extensionsSkipped").asInt()).isEqualTo(1);
        assertThat(result.path("accountIds").get(0).asText()).isEqualTo(accountId);
        assertThat(count("accounts")).isEqualTo(accountsBefore);

        String token = passwordLogin(mainNumber + "*101", "json-Passw0rd-1");
        JsonNode[] list = new JsonNode[1];
        await("the running server lists the added extension").atMost(DIRECTORY_PICKUP)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> (list[0] = http.get("/restapi/v1.0/account/~/extension", token).json())
                        .path("paging").path("totalElements").asInt() == 6);
        Map<String, String> names = new HashMap<>();
        list[0].path("records").forEach(r -> names.put(r.path("extensionNumber").asText(), r.path("name").asText()));
        assertThat(names).containsEntry("101", "Jo Json").containsEntry("104", "Max More");
    }

    @Test
    void jsonFileWithAnUnknownFieldIsRefusedAndCreatesNothing() throws IOException, SQLException {
        Path file = Files.writeString(files.resolve("typo.json"), """
                {"accounts": [{"name": "Typo Inc", "mainNumber": "%s",
                  "extensions": [{"extensionNumber": "101", "nmae": "Tim Typo"}]}]}
                """.formatted(newMainNumber()));
        long accounts = count("accounts");
        long extensions = count("extensions");

        Cli.Run run = cli("import", file.toString());
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("nmae");
        assertThat(count("accounts")).isEqualTo(accounts);
        assertThat(count("extensions")).isEqualTo(extensions);
    }

    @Test
    void generateBlockOfTenThousandIsImportedQuicklyAndListedInFull() throws IOException {
        String mainNumber = newMainNumber();
        Path file = Files.writeString(files.resolve("bulk.json"), """
                {"accounts": [{
                  "name": "Bulk Corp",
                  "mainNumber": "%s",
                  "extensions": [{"extensionNumber": "101", "name": "Bea Bulk", "role": "Admin",
                                  "password": "bulk-Passw0rd-1"}],
                  "generate": {"count": 10000, "startNumber": 20000, "emailDomain": "bulk.presenced.test"}
                }]}
                """.formatted(mainNumber));

        long begin = System.nanoTime();
        JsonNode result = cli("import", file.toString()).json();
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        assertThat(result.path("extensionsCreated").asInt()).isEqualTo(10_001);
        assertThat(took).as("time to import 10,001 extensions").isLessThan(Duration.ofSeconds(60));

        String token = passwordLogin(mainNumber + "*101", "bulk-Passw0rd-1");
        JsonNode[] first = new JsonNode[1];
        await("the running server counts all imported extensions").atMost(DIRECTORY_PICKUP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> (first[0] = http.get("/restapi/v1.0/account/~/extension?perPage=1000", token).json())
                        .path("paging").path("totalElements").asInt() == 10_001);
        JsonNode paging = first[0].path("paging");
        assertThat(paging.path("totalPages").asInt()).isEqualTo(11);
        assertThat(paging.path("perPage").asInt()).isEqualTo(1000);

        Set<String> numbers = new HashSet<>();
        Set<String> ids = new HashSet<>();
        Map<String, JsonNode> sample = new HashMap<>();
        for (int page = 1; page <= 11; page++) {
            Http.Reply reply = http.get("/restapi/v1.0/account/~/extension?perPage=1000&page=" + page, token);
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            JsonNode records = reply.json().path("records");
            assertThat(records.size()).as("records on page %d", page).isEqualTo(page < 11 ? 1000 : 1);
            records.forEach(r -> {
                numbers.add(r.path("extensionNumber").asText());
                ids.add(r.path("id").asText());
                if (Set.of("20000", "29999").contains(r.path("extensionNumber").asText())) {
                    sample.put(r.path("extensionNumber").asText(), r);
                }
            });
        }
        Set<String> expected = new HashSet<>();
        expected.add("101");
        for (int n = 20000; n < 30000; n++) {
            expected.add(String.valueOf(n));
        }
        assertThat(numbers).isEqualTo(expected);
        assertThat(ids).as("distinct extension ids").hasSize(10_001);

        for (String number : Set.of("20000", "29999")) {
            JsonNode r = sample.get(number);
            assertThat(r.path("type").asText()).as("type of %s", number).isEqualTo("User");
            assertThat(r.path("status").asText()).as("status of %s", number).isEqualTo("Enabled");
            assertThat(r.path("name").asText()).isEqualTo("User " + number);
            assertThat(r.path("contact").path("email").asText()).isEqualTo("user" + number + "@bulk.presenced.test");
            assertThat(r.path("permissions").path("admin").path("enabled").asBoolean()).isFalse();
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
