package io.presenced.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.admin.DemoAccount;
import io.presenced.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator against a real server: what it believes is what the server shows. */
class SimulatorTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serverPresenceMatchesWhatTheSimulatorBelieves() {
        DemoAccount.Credentials c = server.credentials();
        Simulator simulator = Simulator.connect(server.url(), c.clientId(), c.clientSecret(), c.admin().jwt(),
                new Simulator.Settings(11, 25, Duration.ofSeconds(4), 42, false));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Simulator.Summary summary = simulator.run(new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(summary.calls()).isGreaterThan(40);
        assertThat(summary.telephonyItems()).isGreaterThan(summary.calls());
        assertThat(summary.rejected()).isZero();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("sent").contains("active calls");

        Map<Long, Office.Expected> expected = simulator.expected();
        assertMatches(simulator, expected);
        // The office was busy: some extension is on a call when the run ends.
        assertThat(expected.values()).anySatisfy(e -> assertThat(e.telephonyStatus().name()).isNotEqualTo("NoCall"));
    }

    @Test
    void waitsOutRateLimitsAndEndsEveryCallWhenItStops() {
        try (TestServer limited = TestServer.start(c -> c.withRateLimits(new io.presenced.auth.RateLimits(true,
                Map.of(io.presenced.auth.RateGroup.Light, 50, io.presenced.auth.RateGroup.Medium, 2,
                        io.presenced.auth.RateGroup.Heavy, 10, io.presenced.auth.RateGroup.Auth, 20),
                Duration.ofSeconds(3))))) {
            DemoAccount.Credentials c = limited.credentials();
            Map<Long, String> users = new HashMap<>();
            c.users().forEach(u -> users.put(Long.parseLong(u.extensionId()), u.jwt()));
            Simulator simulator = Simulator.connect(limited.url(), c.clientId(), c.clientSecret(), c.admin().jwt(),
                    users, new Simulator.Settings(11, 40, Duration.ofSeconds(4), 5));
            Simulator.Summary summary = simulator.run(new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8));

            assertThat(summary.throttled()).as("two status changes per user and 3 s are allowed").isPositive();
            assertThat(summary.rejected()).isZero();
            Map<Long, Office.Expected> expected = simulator.expected();
            assertMatches(simulator, expected);
            assertThat(expected.values()).allSatisfy(e -> {
                assertThat(e.telephonyStatus().name()).isEqualTo("NoCall");
                assertThat(e.meetingStatus().name()).isEqualTo("Disconnected");
            });
        }
    }

    private static void assertMatches(Simulator simulator, Map<Long, Office.Expected> expected) {
        Map<Long, JsonNode> shown = new HashMap<>();
        simulator.serverPresence().forEach(r -> shown.put(r.get("extension").get("id").asLong(), r));
        assertThat(expected).hasSize(11);
        expected.forEach((id, e) -> {
            JsonNode r = shown.get(id);
            assertThat(r).as("extension %d", id).isNotNull();
            assertThat(r.get("telephonyStatus").asText()).as("telephonyStatus of %d", id)
                    .isEqualTo(e.telephonyStatus().name());
            assertThat(r.get("presenceStatus").asText()).as("presenceStatus of %d", id)
                    .isEqualTo(e.presenceStatus().name());
            assertThat(r.get("meetingStatus").asText()).as("meetingStatus of %d", id)
                    .isEqualTo(e.meetingStatus().name());
            assertThat(r.get("userStatus").asText()).as("userStatus of %d", id).isEqualTo(e.userStatus().name());
            assertThat(r.get("dndStatus").asText()).as("dndStatus of %d", id).isEqualTo(e.dndStatus().name());
        });
    }

    @Test
    void theSameSeedGivesTheSameScriptAndAnotherSeedAnother() {
        List<Long> extensions = LongStream.rangeClosed(1001, 1050).boxed().toList();
        Simulator.Settings settings = new Simulator.Settings(50, 10, Duration.ofSeconds(60), 7);
        List<String> first = Simulator.script(settings, extensions, Duration.ofSeconds(60));
        List<String> again = Simulator.script(settings, extensions, Duration.ofSeconds(60));
        List<String> other = Simulator.script(new Simulator.Settings(50, 10, Duration.ofSeconds(60), 8),
                extensions, Duration.ofSeconds(60));

        assertThat(first).hasSizeGreaterThan(500).isEqualTo(again).isNotEqualTo(other);
        // A minute of the office has every kind of traffic in it.
        String all = String.join("\n", first);
        for (String code : new String[] {"\"Setup\"", "\"Answered\"", "\"Hold\"", "\"Parked\"", "\"Gone\"",
            "\"Disconnected\"", "\"Outbound\"", "\"Inbound\""}) {
            assertThat(all).as("the script has %s", code).contains(code);
        }
        assertThat(first).anySatisfy(line -> assertThat(line).startsWith("meeting "));
        assertThat(first).anySatisfy(line -> assertThat(line).contains("dndStatus"));
        assertThat(first).anySatisfy(line -> assertThat(line).contains("userStatus"));
    }
}
