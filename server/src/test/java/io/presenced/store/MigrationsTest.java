package io.presenced.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.Presenced;
import io.presenced.ServerConfig;
import io.presenced.admin.DemoAccount;
import io.presenced.testing.Cli;
import io.presenced.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versioned schema migrations (issue 2, "Schema migrations versioned"): a data directory left at schema
 * version 1 is brought up to this build's version when the server starts, its data intact; a database
 * whose schema is newer than this build is refused with an error that says so, and left as it was.
 */
class MigrationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NEWEST = Migrations.VERSIONS.getLast();

    @TempDir
    Path work;

    private static ServerConfig config(Path dataDir) {
        return ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(dataDir)
                .withRateLimits(ServerConfig.defaults().rateLimits().disabled());
    }

    private static String url(Presenced server) {
        return "http://127.0.0.1:" + server.port();
    }

    private static String jwtLogin(Http http, DemoAccount.Credentials demo, String jwt) {
        Http.Reply r = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", jwt));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().path("access_token").asText();
    }

    private static DemoAccount.Credentials credentials(Path dataDir) throws IOException {
        return JSON.readValue(dataDir.resolve(DemoAccount.FILE).toFile(), DemoAccount.Credentials.class);
    }

    // ---- an older schema is upgraded ----------------------------------------------------------------

    @Test
    void versionOneDatabaseWithDataIsUpgradedOnStartAndKeepsItsData() throws Exception {
        Path data = work.resolve("legacy");
        String userId;
        DemoAccount.Credentials demo;
        try (Presenced server = Presenced.start(config(data))) {
            demo = credentials(data);
            Http http = new Http(url(server));
            String admin = jwtLogin(http, demo, demo.admin().jwt());
            userId = demo.users().get(2).extensionId();
            for (String body : List.of("{\"userStatus\":\"Busy\",\"message\":\"one\"}",
                    "{\"userStatus\":\"Available\",\"message\":\"two\"}",
                    "{\"userStatus\":\"Busy\",\"message\":\"three\"}")) {
                Http.Reply put = http.putJson("/restapi/v1.0/account/~/extension/" + userId + "/presence", admin, body);
                assertThat(put.status()).as(put.raw().body()).isEqualTo(200);
            }
        }
        assertThat(maxSequence(data, userId)).isEqualTo(3);
        long eventsBefore = count(data, "presence_events");
        long extensionsBefore = count(data, "extensions");

        downgradeToVersionOne(data);
        Path pristine = work.resolve("pristine-v1");
        createFromVersionOneScript(pristine);
        assertThat(schema(data)).as("the downgraded database has exactly the schema of the V1 script")
                .isEqualTo(schema(pristine));
        assertThat(versions(data)).containsExactly(1);

        Path current = work.resolve("current");
        JdbcStore.sqlite(current).close();
        try (Presenced server = Presenced.start(config(data))) {
            assertThat(versions(data)).as("schema versions after the upgrade").isEqualTo(Migrations.VERSIONS);
            assertThat(schema(data)).as("the upgraded schema is this build's schema").isEqualTo(schema(current));
            assertThat(server.credentialsFile()).as("no new demo account on an upgraded database").isEmpty();
            assertThat(count(data, "accounts")).isEqualTo(1);
            assertThat(count(data, "extensions")).isEqualTo(extensionsBefore);
            assertThat(count(data, "presence_events")).isEqualTo(eventsBefore);

            Http http = new Http(url(server));
            String admin = jwtLogin(http, demo, demo.admin().jwt());
            JsonNode presence = http.get("/restapi/v1.0/account/~/extension/" + userId + "/presence", admin).json();
            assertThat(presence.path("userStatus").asText()).isEqualTo("Busy");
            assertThat(presence.path("message").asText()).isEqualTo("three");

            Http.Reply put = http.putJson("/restapi/v1.0/account/~/extension/" + userId + "/presence", admin,
                    "{\"userStatus\":\"Available\"}");
            assertThat(put.status()).as(put.raw().body()).isEqualTo(200);
            assertThat(maxSequence(data, userId)).as("the sequence continues after the upgrade").isEqualTo(4);

            // The tables of version 2 are there and in use.
            Http.Reply subscriptions = http.get("/restapi/v1.0/subscription", admin);
            assertThat(subscriptions.status()).as(subscriptions.raw().body()).isEqualTo(200);
            assertThat(subscriptions.json().path("records").isArray()).isTrue();
        }
    }

    @Test
    void emptyVersionOneDatabaseIsUpgradedAndSeededOnFirstStart() throws Exception {
        Path data = work.resolve("v1-empty");
        createFromVersionOneScript(data);
        try (Presenced server = Presenced.start(config(data))) {
            assertThat(versions(data)).isEqualTo(Migrations.VERSIONS);
            assertThat(server.credentialsFile()).as("the demo account is created on an empty store").isPresent();
            DemoAccount.Credentials demo = credentials(data);
            Http http = new Http(url(server));
            String admin = jwtLogin(http, demo, demo.admin().jwt());
            assertThat(http.get("/restapi/v1.0/subscription", admin).status()).isEqualTo(200);
        }
    }

    // ---- a newer schema is refused -----------------------------------------------------------------

    @Test
    void databaseNewerThanThisBuildIsRefusedWithAClearErrorAndLeftAsItWas() throws Exception {
        Path data = work.resolve("future");
        JdbcStore.sqlite(data).close();
        stampVersion(data, NEWEST + 1);
        Set<String> schemaBefore = schema(data);

        assertThatThrownBy(() -> Presenced.start(config(data)).close())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("version " + (NEWEST + 1))
                .hasMessageContaining("up to " + NEWEST)
                .hasMessageContaining("newer Presenced");

        assertThat(versions(data)).as("schema versions after the refusal").isEqualTo(withVersion(NEWEST + 1));
        assertThat(schema(data)).isEqualTo(schemaBefore);
        assertThat(count(data, "accounts")).as("no demo account in a refused database").isZero();
        assertThat(data.resolve(DemoAccount.FILE)).doesNotExist();
    }

    @Test
    void refusedStartLeavesNoFileOfTheDatabaseOpen() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd (Linux)");
        Path data = work.resolve("future-fds");
        JdbcStore.sqlite(data).close();
        stampVersion(data, NEWEST + 1);
        assertThat(openFilesUnder(fds, data)).as("files of %s open before the start", data).isEmpty();

        assertThatThrownBy(() -> Presenced.start(config(data)).close()).isInstanceOf(StoreException.class);

        assertThat(openFilesUnder(fds, data)).as("files of %s still open after the refused start", data).isEmpty();
    }

    private static List<Path> openFilesUnder(Path fds, Path dir) throws IOException {
        Path real = dir.toRealPath();
        List<Path> open = new ArrayList<>();
        try (var listing = Files.list(fds)) {
            for (Path fd : listing.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(real)) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // the descriptor closed while we looked
                }
            }
        }
        return open;
    }

    @Test
    void serveAndAdminCommandsRefuseANewerDatabaseAndExitNonZeroWithTheReason() throws Exception {
        Path data = work.resolve("future-cli");
        JdbcStore.sqlite(data).close();
        stampVersion(data, NEWEST + 7);
        String reason = "the database schema is at version " + (NEWEST + 7) + " but this build knows versions up to "
                + NEWEST;

        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = work.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.presenced.cli.Main", "serve", "--port", "0", "--host", "127.0.0.1", "--data", data.toString(),
                "--plain-logs").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCED_"));
        Process serve = pb.start();
        try {
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("presenced serve exits on a newer database").isTrue();
        } finally {
            serve.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(serve.exitValue()).as("exit code; output: %s", output).isNotZero();
        assertThat(output).contains(reason);
        assertThat(output).doesNotContain("Presenced is listening");

        Cli.Run admin = Cli.run(data, "account", "create", "--name", "Too Late", "--main-number", "+15550999999");
        assertThat(admin.code()).isNotZero();
        assertThat(admin.err()).contains(reason);
        assertThat(count(data, "accounts")).isZero();
        assertThat(versions(data)).isEqualTo(withVersion(NEWEST + 7));
    }

    // ---- the database, read directly -------------------------------------------------------------

    private static Connection connect(Path dataDir) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("presenced.db").toAbsolutePath());
    }

    /** A data directory holding what Migrations makes of the V1 script alone, at schema version 1. */
    private static void createFromVersionOneScript(Path dataDir) throws IOException, SQLException {
        Files.createDirectories(dataDir);
        String script;
        try (InputStream in = Migrations.class.getResourceAsStream("/db/sqlite/V1.sql")) {
            assertThat(in).as("the V1 script on the classpath").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = connect(dataDir); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
            for (String sql : script.split(";\\s*(\\n|$)")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
            s.execute("INSERT INTO schema_version (version, applied_at) VALUES (1, 0)");
        }
    }

    /**
     * Takes a database of this build back to what version 1 left: the event log rebuilt as V1.sql made it (V3 took
     * its unique index away), the objects of V2.sql dropped.
     */
    private static void downgradeToVersionOne(Path dataDir) throws SQLException {
        try (Connection c = connect(dataDir); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE presence_events RENAME TO presence_events_v3");
            s.execute("DROP INDEX presence_events_created");
            s.execute("CREATE TABLE presence_events (\n"
                    + "    id           INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                    + "    account_id   INTEGER NOT NULL,\n"
                    + "    extension_id INTEGER NOT NULL,\n"
                    + "    sequence     INTEGER NOT NULL,\n"
                    + "    created_at   INTEGER NOT NULL,\n"
                    + "    event        TEXT    NOT NULL,\n"
                    + "    UNIQUE (extension_id, sequence)\n"
                    + ")");
            s.execute("INSERT INTO presence_events SELECT * FROM presence_events_v3");
            s.execute("DROP TABLE presence_events_v3");
            s.execute("DROP TABLE subscriptions");
            s.execute("DELETE FROM schema_version WHERE version > 1");
        }
    }

    private static List<Integer> withVersion(int extra) {
        List<Integer> all = new ArrayList<>(Migrations.VERSIONS);
        all.add(extra);
        return all;
    }

    private static void stampVersion(Path dataDir, int version) throws SQLException {
        try (Connection c = connect(dataDir);
             PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
            ps.setInt(1, version);
            ps.setLong(2, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    /** Every table, index and trigger with its SQL. */
    private static Set<String> schema(Path dataDir) throws SQLException {
        Set<String> objects = new TreeSet<>();
        try (Connection c = connect(dataDir); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master")) {
            while (rs.next()) {
                objects.add(rs.getString(1) + " " + rs.getString(2) + " on " + rs.getString(3) + ": "
                        + rs.getString(4));
            }
        }
        return objects;
    }

    private static List<Integer> versions(Path dataDir) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Connection c = connect(dataDir); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static long maxSequence(Path dataDir, String extensionId) throws SQLException {
        try (Connection c = connect(dataDir);
             PreparedStatement ps = c.prepareStatement("SELECT max(sequence) FROM presence_events WHERE extension_id = ?")) {
            ps.setLong(1, Long.parseLong(extensionId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long count(Path dataDir, String table) throws SQLException {
        try (Connection c = connect(dataDir); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
