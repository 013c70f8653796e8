package io.presenced.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first {@code presenced serve} on an empty data directory creates the demo account and writes
 * {@code demo-credentials.json} (mode 600) in the shape the issue names; everything in it works against
 * the server; a second start on the same directory leaves the demo account alone (SPEC §9, issue 2).
 */
class DemoCredentialsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_FIELDS = Set.of("server", "clientId", "clientSecret", "accountId", "admin",
            "users");
    private static final Set<String> USER_FIELDS = Set.of("extensionId", "extensionNumber", "jwt", "password");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    @Test
    void firstStartWritesWorkingOwnerOnlyCredentialsAndSecondStartKeepsTheSingleDemoAccount() throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data);
        Path file = data.resolve(DemoAccount.FILE);
        assertThat(file).doesNotExist();

        byte[] written;
        String accountId;
        String adminJwt;
        DemoAccount.Credentials demo;
        try (ServerProcess first = ServerProcess.start("demo-first", data, work)) {
            assertThat(Files.getPosixFilePermissions(file)).as("mode of %s", file)
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            written = Files.readAllBytes(file);
            JsonNode tree = JSON.readTree(written);
            assertShape(tree);
            demo = first.credentials();
            accountId = demo.accountId();
            adminJwt = demo.admin().jwt();

            awaitLogLine(first, "Created the demo account", file.toAbsolutePath().toString());
            assertServerAnswersHealth(tree.path("server").asText());
            assertEverythingInTheFileWorks(first, demo);
            stop(first);
        }
        assertThat(count(data, "accounts")).as("accounts after the first start").isEqualTo(1);
        long apps = count(data, "apps");
        long extensions = count(data, "extensions");

        try (ServerProcess second = ServerProcess.start("demo-second", data, work)) {
            String token = second.login(demo, adminJwt);
            JsonNode account = json(second.send(token, "GET", "/restapi/v1.0/account/~", null));
            assertThat(account.path("id").asText()).isEqualTo(accountId);
            JsonNode list = json(second.send(token, "GET", "/restapi/v1.0/account/~/extension?perPage=1000", null));
            assertThat(list.path("paging").path("totalElements").asLong()).isEqualTo(extensions);
            assertThat(Files.readAllBytes(file)).as("%s after the second start", file).isEqualTo(written);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            awaitLogLine(second, "Presenced is listening on");
            assertThat(Files.readString(second.log())).as("output of the second start")
                    .doesNotContain("Created the demo account");
            stop(second);
        }
        assertThat(count(data, "accounts")).as("accounts after the second start").isEqualTo(1);
        assertThat(count(data, "apps")).as("apps after the second start").isEqualTo(apps);
        assertThat(count(data, "extensions")).as("extensions after the second start").isEqualTo(extensions);
    }

    private static void assertShape(JsonNode tree) {
        assertThat(names(tree)).as("top-level fields").containsExactlyInAnyOrderElementsOf(TOP_FIELDS);
        for (String text : List.of("server", "clientId", "clientSecret", "accountId")) {
            assertThat(tree.path(text).isTextual()).as("%s is a string", text).isTrue();
            assertThat(tree.path(text).asText()).as(text).isNotBlank();
        }
        assertThat(tree.path("accountId").asText()).matches("\\d+");
        assertThat(URI.create(tree.path("server").asText()).getScheme()).isEqualTo("http");
        assertUser(tree.path("admin"), "admin");
        assertThat(tree.path("users").isArray()).as("users is an array").isTrue();
        int i = 0;
        for (JsonNode user : tree.path("users")) {
            assertUser(user, "users[" + i++ + "]");
        }
        assertThat(1 + tree.path("users").size()).as("User extensions in the file, the admin included")
                .isGreaterThanOrEqualTo(10);
    }

    private static void assertUser(JsonNode user, String where) {
        assertThat(user.isObject()).as("%s is an object", where).isTrue();
        assertThat(names(user)).as("fields of %s", where).containsExactlyInAnyOrderElementsOf(USER_FIELDS);
        for (String field : USER_FIELDS) {
            assertThat(user.path(field).isTextual()).as("%s.%s is a string", where, field).isTrue();
            assertThat(user.path(field).asText()).as("%s.%s", where, field).isNotBlank();
        }
        assertThat(user.path("extensionId").asText()).as("%s.extensionId", where).matches("\\d+");
        assertThat(user.path("jwt").asText().split("\\.")).as("%s.jwt has three JWS parts", where).hasSize(3);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void assertServerAnswersHealth(String server) throws IOException, InterruptedException {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(server + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("GET %s/health: %s", server, health.body()).isEqualTo(200);
    }

    /** Every credential in the file logs in as its extension, and the directory matches the file. */
    private static void assertEverythingInTheFileWorks(ServerProcess server, DemoAccount.Credentials demo)
            throws IOException, InterruptedException {
        JsonNode adminToken = server.token(demo, demo.admin().jwt());
        assertThat(adminToken.path("owner_id").asText()).isEqualTo(demo.admin().extensionId());
        String token = adminToken.path("access_token").asText();

        JsonNode account = json(server.send(token, "GET", "/restapi/v1.0/account/~", null));
        assertThat(account.path("id").asText()).isEqualTo(demo.accountId());
        String mainNumber = account.path("mainNumber").asText();
        assertThat(mainNumber).isNotBlank();

        JsonNode list = json(server.send(token, "GET", "/restapi/v1.0/account/~/extension?perPage=1000", null));
        assertThat(list.path("records").size()).isEqualTo(list.path("paging").path("totalElements").asInt());
        Map<String, JsonNode> byId = new HashMap<>();
        Map<String, Integer> types = new HashMap<>();
        Set<String> userIds = new HashSet<>();
        for (JsonNode r : list.path("records")) {
            byId.put(r.path("id").asText(), r);
            types.merge(r.path("type").asText(), 1, Integer::sum);
            if (r.path("type").asText().equals("User")) {
                userIds.add(r.path("id").asText());
            }
        }
        assertThat(types.get("Department")).as("Department extensions in %s", types).isEqualTo(1);
        assertThat(types.get("ParkLocation")).as("ParkLocation extensions in %s", types).isEqualTo(1);

        JsonNode admin = byId.get(demo.admin().extensionId());
        assertThat(admin).as("the admin's extension in the list").isNotNull();
        assertThat(admin.path("type").asText()).isEqualTo("User");
        assertThat(admin.path("extensionNumber").asText()).isEqualTo(demo.admin().extensionNumber());
        assertThat(admin.path("permissions").path("admin").path("enabled").asBoolean())
                .as("the admin has role Admin").isTrue();
        JsonNode adminOne = json(server.send(token, "GET", "/restapi/v1.0/account/~/extension/"
                + demo.admin().extensionId(), null));
        assertThat(adminOne.path("permissions").path("admin").path("enabled").asBoolean()).isTrue();

        Set<String> fileIds = new HashSet<>();
        fileIds.add(demo.admin().extensionId());
        for (DemoAccount.User user : demo.users()) {
            assertThat(fileIds.add(user.extensionId())).as("extension %s listed once", user.extensionId()).isTrue();
            JsonNode record = byId.get(user.extensionId());
            assertThat(record).as("extension %s in the list", user.extensionId()).isNotNull();
            assertThat(record.path("type").asText()).isEqualTo("User");
            assertThat(record.path("extensionNumber").asText()).isEqualTo(user.extensionNumber());
            assertThat(record.path("permissions").path("admin").path("enabled").asBoolean())
                    .as("extension %s has role User", user.extensionId()).isFalse();
        }
        assertThat(fileIds).as("the file holds every User extension of the demo account").isEqualTo(userIds);

        List<DemoAccount.User> everyone = new ArrayList<>(demo.users());
        everyone.add(demo.admin());
        for (DemoAccount.User user : everyone) {
            assertThat(server.token(demo, user.jwt()).path("owner_id").asText()).as("jwt of %s", user.extensionId())
                    .isEqualTo(user.extensionId());
            HttpResponse<String> password = passwordLogin(server, demo, mainNumber + "*" + user.extensionNumber(),
                    user.password());
            assertThat(password.statusCode()).as("password login of %s: %s", user.extensionId(), password.body())
                    .isEqualTo(200);
            assertThat(JSON.readTree(password.body()).path("owner_id").asText()).isEqualTo(user.extensionId());
        }
    }

    private static HttpResponse<String> passwordLogin(ServerProcess server, DemoAccount.Credentials demo,
                                                      String username, String password)
            throws IOException, InterruptedException {
        String form = "grant_type=password&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/restapi/oauth/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (demo.clientId() + ":" + demo.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void awaitLogLine(ServerProcess server, String... parts) {
        await("the server prints a line with " + List.of(parts)).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(server.log()).lines()
                        .anyMatch(line -> List.of(parts).stream().allMatch(line::contains)));
    }

    /** A normal stop (SIGTERM), so that the next start finds a cleanly closed store. */
    private static void stop(ServerProcess server) throws InterruptedException {
        server.process().destroy();
        assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("the server stopped on SIGTERM").isTrue();
    }

    private static long count(Path data, String table) throws SQLException {
        String url = "jdbc:sqlite:" + data.resolve("presenced.db").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
