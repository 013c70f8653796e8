package io.presenced.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import io.presenced.store.JdbcStore;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import io.presenced.testing.WebhookReceiver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Call and meeting scenarios fed through the ingest API (SPEC §8) and what a subscriber sees (SPEC §6):
 * a table of rows, each a sequence of ingest deliveries with the exact presence events expected at an
 * account-filter WebHook subscriber (telephonyStatus only when it changed), for some rows also at an
 * extension-level detailed subscriber, and the final detailed GET.
 *
 * <p>Every row runs on fresh extensions (sequence starts at 1). After a row's steps each of its extensions
 * gets one marker change ({@code ringOnMonitoredCall: true}); events of one extension arrive in sequence
 * order, so once the marker has arrived everything the row made has too, and nothing more is awaited.
 */
class IngestScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.parse("2026-03-02T10:00:00Z");
    private static final String EXTERNAL_NUMBER = "+16505550123";
    private static final String EXTERNAL_NAME = "Pat Caller";
    private static final List<String> CALL_FIELDS = List.of("id", "direction", "from", "fromName", "to", "toName",
            "startTime", "telephonyStatus", "sessionId", "telephonySessionId", "partyId");
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static WebhookReceiver receiver;
    private static String adminToken;
    private static String accountSubscription;
    private static final Deque<Extension> fresh = new ArrayDeque<>();

    // ---- the table ------------------------------------------------------------------------------------

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("inbound call rings, is answered, held, resumed and hung up", "inbound",
                        List.of("A"), "A",
                        List.of(
                                tel(item("s1", 1, p("p1", "A", "Inbound", "Setup"))),
                                // Setup -> Proceeding still maps to Ringing: no event.
                                tel(item("s1", 2, p("p1", "A", "Inbound", "Proceeding"))),
                                tel(item("s1", 3, p("p1", "A", "Inbound", "Answered"))),
                                tel(item("s1", 4, p("p1", "A", "Inbound", "Hold"))),
                                tel(item("s1", 5, p("p1", "A", "Inbound", "Answered"))),
                                tel(item("s1", 6, p("p1", "A", "Inbound", "Disconnected")))),
                        List.of(
                                ev("A", "Ringing", "Available", 1),
                                ev("A", "CallConnected", "Busy", 2),
                                ev("A", "OnHold", "Busy", 3),
                                ev("A", "CallConnected", "Busy", 4),
                                ev("A", "NoCall", "Available", 5)),
                        List.of(
                                det("Ringing", "Available", 1, "s1/p1:Ringing"),
                                det("CallConnected", "Busy", 2, "s1/p1:CallConnected"),
                                det("OnHold", "Busy", 3, "s1/p1:OnHold"),
                                det("CallConnected", "Busy", 4, "s1/p1:CallConnected"),
                                det("NoCall", "Available", 5)),
                        List.of(fin("A", "NoCall", "Available"))),

                new Scenario("second call ringing during a connected call changes only activeCalls", "second-call",
                        List.of("A"), "A",
                        List.of(
                                tel(item("s1", 1, p("p1", "A", "Inbound", "Setup").withSip())),
                                tel(item("s1", 2, p("p1", "A", "Inbound", "Answered").withSip())),
                                tel(item("s2", 3, p("p1", "A", "Inbound", "Setup"))),
                                tel(item("s2", 4, p("p1", "A", "Inbound", "Disconnected")))),
                        List.of(
                                ev("A", "Ringing", "Available", 1),
                                ev("A", "CallConnected", "Busy", 2),
                                ev("A", null, "Busy", 3),
                                ev("A", null, "Busy", 4)),
                        List.of(
                                det("Ringing", "Available", 1, "s1/p1:Ringing"),
                                det("CallConnected", "Busy", 2, "s1/p1:CallConnected"),
                                det("CallConnected", "Busy", 3, "s1/p1:CallConnected", "s2/p1:Ringing"),
                                det("CallConnected", "Busy", 4, "s1/p1:CallConnected")),
                        List.of(fin("A", "CallConnected", "Busy",
                                call("s1", "p1", "Inbound", "CallConnected", 1, true)))),

                new Scenario("outbound call is connected from its setup", "outbound",
                        List.of("A"), "A",
                        List.of(
                                tel(item("s1", 1, p("p1", "A", "Outbound", "Setup"))),
                                tel(item("s1", 2, p("p1", "A", "Outbound", "Proceeding"))),
                                tel(item("s1", 3, p("p1", "A", "Outbound", "Answered"))),
                                tel(item("s1", 4, p("p1", "A", "Outbound", "Disconnected")))),
                        List.of(
                                ev("A", "CallConnected", "Busy", 1),
                                ev("A", "NoCall", "Available", 2)),
                        List.of(
                                det("CallConnected", "Busy", 1, "s1/p1:CallConnected"),
                                det("NoCall", "Available", 2)),
                        List.of(fin("A", "NoCall", "Available"))),

                new Scenario("call parked by A is picked up by B", "park",
                        List.of("A", "B"), "A",
                        List.of(
                                // The caller's own party has no extension: it moves nobody's presence.
                                tel(item("s1", 1, p("p0", null, "Outbound", "Proceeding"),
                                        p("p1", "A", "Inbound", "Setup"))),
                                tel(item("s1", 2, p("p0", null, "Outbound", "Answered"),
                                        p("p1", "A", "Inbound", "Answered"))),
                                tel(item("s1", 3, p("p1", "A", "Inbound", "Parked"))),
                                tel(item("s1", 4, p("p1", "A", "Inbound", "Gone"),
                                        p("p2", "B", "Inbound", "Answered").withSip()))),
                        List.of(
                                ev("A", "Ringing", "Available", 1),
                                ev("A", "CallConnected", "Busy", 2),
                                ev("A", "ParkedCall", "Available", 3),
                                ev("A", "NoCall", "Available", 4),
                                ev("B", "CallConnected", "Busy", 1)),
                        List.of(
                                det("Ringing", "Available", 1, "s1/p1:Ringing"),
                                det("CallConnected", "Busy", 2, "s1/p1:CallConnected"),
                                det("ParkedCall", "Available", 3, "s1/p1:ParkedCall"),
                                det("NoCall", "Available", 4)),
                        List.of(fin("A", "NoCall", "Available"),
                                fin("B", "CallConnected", "Busy",
                                        call("s1", "p2", "Inbound", "CallConnected", 4, true)))),

                new Scenario("call transferred from A to B", "transfer",
                        List.of("A", "B"), "B",
                        List.of(
                                tel(item("s1", 1, p("p1", "A", "Inbound", "Setup"))),
                                tel(item("s1", 2, p("p1", "A", "Inbound", "Answered"))),
                                tel(item("s1", 3, p("p1", "A", "Inbound", "Hold"),
                                        p("p2", "B", "Inbound", "Setup"))),
                                tel(item("s1", 4, p("p1", "A", "Inbound", "Gone"),
                                        p("p2", "B", "Inbound", "Answered"))),
                                tel(item("s1", 5, p("p2", "B", "Inbound", "Disconnected")))),
                        List.of(
                                ev("A", "Ringing", "Available", 1),
                                ev("A", "CallConnected", "Busy", 2),
                                ev("A", "OnHold", "Busy", 3),
                                ev("B", "Ringing", "Available", 1),
                                ev("A", "NoCall", "Available", 4),
                                ev("B", "CallConnected", "Busy", 2),
                                ev("B", "NoCall", "Available", 3)),
                        List.of(
                                det("Ringing", "Available", 1, "s1/p2:Ringing"),
                                det("CallConnected", "Busy", 2, "s1/p2:CallConnected"),
                                det("NoCall", "Available", 3)),
                        List.of(fin("A", "NoCall", "Available"), fin("B", "NoCall", "Available"))),

                new Scenario("meeting joined during a call keeps Busy and shows only meetingStatus", "meeting",
                        List.of("A"), "A",
                        List.of(
                                tel(item("s1", 1, p("p1", "A", "Inbound", "Setup"))),
                                tel(item("s1", 2, p("p1", "A", "Inbound", "Answered"))),
                                meeting("A", "m1", "Connected", 3, "Accepted"),
                                tel(item("s1", 4, p("p1", "A", "Inbound", "Disconnected"))),
                                meeting("A", "m1", "Disconnected", 5, "Accepted")),
                        List.of(
                                ev("A", "Ringing", "Available", 1),
                                ev("A", "CallConnected", "Busy", 2),
                                ev("A", null, "Busy", 3).meeting("Connected"),
                                ev("A", "NoCall", "Busy", 4).meeting("Connected"),
                                ev("A", null, "Available", 5)),
                        List.of(
                                det("Ringing", "Available", 1, "s1/p1:Ringing"),
                                det("CallConnected", "Busy", 2, "s1/p1:CallConnected"),
                                det("CallConnected", "Busy", 3, "s1/p1:CallConnected"),
                                det("NoCall", "Busy", 4),
                                det("NoCall", "Available", 5)),
                        List.of(fin("A", "NoCall", "Available"))),

                new Scenario("do not disturb set while ringing", "dnd",
                        List.of("A"), null,
                        List.of(
                                tel(item("s1", 1, p("p1", "A", "Inbound", "Setup"))),
                                put("A", "{\"dndStatus\":\"DoNotAcceptAnyCalls\"}"),
                                tel(item("s1", 2, p("p1", "A", "Inbound", "Disconnected"))),
                                tel(item("s2", 3, p("p1", "A", "Inbound", "Setup"))),
                                put("A", "{\"dndStatus\":\"TakeAllCalls\"}")),
                        List.of(
                                ev("A", "Ringing", "Available", 1),
                                ev("A", null, "Busy", 2).dnd("DoNotAcceptAnyCalls"),
                                ev("A", "NoCall", "Busy", 3).dnd("DoNotAcceptAnyCalls"),
                                ev("A", "Ringing", "Busy", 4).dnd("DoNotAcceptAnyCalls"),
                                ev("A", null, "Available", 5)),
                        List.of(),
                        List.of(fin("A", "Ringing", "Available", call("s2", "p1", "Inbound", "Ringing", 3, false)))),

                new Scenario("duplicated deliveries are ignored and make no event", "duplicates",
                        List.of("A"), "A",
                        List.of(
                                tel(item("s1", 1, p("p1", "A", "Inbound", "Setup"))),
                                tel(outcomes("Ignored duplicate"), item("s1", 1, p("p1", "A", "Inbound", "Setup"))),
                                tel(outcomes("Accepted", "Ignored duplicate"),
                                        item("s1", 2, p("p1", "A", "Inbound", "Answered")),
                                        item("s1", 2, p("p1", "A", "Inbound", "Answered"))),
                                // The whole earlier batch again: its first item is now older than the party's clock.
                                tel(outcomes("Ignored stale", "Ignored duplicate"),
                                        item("s1", 1, p("p1", "A", "Inbound", "Setup")),
                                        item("s1", 2, p("p1", "A", "Inbound", "Answered"))),
                                tel(item("s1", 3, p("p1", "A", "Inbound", "Disconnected"))),
                                tel(outcomes("Ignored duplicate"),
                                        item("s1", 3, p("p1", "A", "Inbound", "Disconnected")))),
                        List.of(
                                ev("A", "Ringing", "Available", 1),
                                ev("A", "CallConnected", "Busy", 2),
                                ev("A", "NoCall", "Available", 3)),
                        List.of(
                                det("Ringing", "Available", 1, "s1/p1:Ringing"),
                                det("CallConnected", "Busy", 2, "s1/p1:CallConnected"),
                                det("NoCall", "Available", 3)),
                        List.of(fin("A", "NoCall", "Available"))),

                new Scenario("out-of-order deliveries are ignored; a late Answered does not revive a call",
                        "out-of-order", List.of("A"), null,
                        List.of(
                                tel(item("s1", 2, p("p1", "A", "Inbound", "Answered"))),
                                tel(outcomes("Ignored stale"), item("s1", 1, p("p1", "A", "Inbound", "Setup"))),
                                tel(outcomes("Accepted", "Ignored stale"),
                                        item("s1", 4, p("p1", "A", "Inbound", "Disconnected")),
                                        item("s1", 3, p("p1", "A", "Inbound", "Hold"))),
                                tel(outcomes("Ignored stale"), item("s1", 3, p("p1", "A", "Inbound", "Answered"))),
                                tel(outcomes("Ignored stale"), item("s1", 2, p("p1", "A", "Inbound", "Answered"))),
                                // Staleness is per party: another call may report an earlier time.
                                tel(item("s2", 1, p("p1", "A", "Inbound", "Setup"))),
                                tel(item("s2", 5, p("p1", "A", "Inbound", "Disconnected")))),
                        List.of(
                                ev("A", "CallConnected", "Busy", 1),
                                ev("A", "NoCall", "Available", 2),
                                ev("A", "Ringing", "Available", 3),
                                ev("A", "NoCall", "Available", 4)),
                        List.of(),
                        List.of(fin("A", "NoCall", "Available"))),

                eightParallelCalls());
    }

    /** Eight calls ring at once; a detailed event lists the latest seven (by start time) and counts all eight. */
    private static Scenario eightParallelCalls() {
        List<Item> ringing = IntStream.rangeClosed(1, 8)
                .mapToObj(i -> item("s" + i, i, p("p1", "A", "Inbound", "Setup"))).toList();
        List<Ev> events = new ArrayList<>();
        List<Det> detailed = new ArrayList<>();
        for (int k = 1; k <= 8; k++) {
            events.add(ev("A", k == 1 ? "Ringing" : null, "Available", k));
            String[] calls = IntStream.rangeClosed(Math.max(1, k - 6), k).mapToObj(i -> "s" + i + "/p1:Ringing")
                    .toArray(String[]::new);
            detailed.add(new Det("Ringing", "Available", k, k, List.of(calls)));
        }
        events.add(ev("A", "CallConnected", "Busy", 9));
        // s1 keeps its start time, so it stays the oldest call and out of the latest seven.
        detailed.add(new Det("CallConnected", "Busy", 9, 8, IntStream.rangeClosed(2, 8)
                .mapToObj(i -> "s" + i + "/p1:Ringing").toList()));
        List<CallView> all = new ArrayList<>();
        all.add(call("s1", "p1", "Inbound", "CallConnected", 1, false));
        IntStream.rangeClosed(2, 8).forEach(i -> all.add(call("s" + i, "p1", "Inbound", "Ringing", i, false)));
        return new Scenario("eight parallel calls: detailed events carry the latest seven and the total", "eight",
                List.of("A"), "A",
                List.of(new Tel(ringing, List.of()), tel(item("s1", 9, p("p1", "A", "Inbound", "Answered")))),
                events, detailed, List.of(new Final("A", "CallConnected", "Busy", all)));
    }

    // ---- the row types ----------------------------------------------------------------------------------

    /**
     * One row: deliveries in order, the account subscriber's events per extension (sequence order), the
     * detailed subscriber's events for extension {@code detailedFor} (none if null), and the final GETs.
     */
    record Scenario(String name, String key, List<String> aliases, String detailedFor, List<Step> steps,
                    List<Ev> account, List<Det> detailed, List<Final> finals) {
        @Override
        public String toString() {
            return name;
        }
    }

    sealed interface Step permits Tel, Meeting, Put {
    }

    /** One telephony batch and the outcome of each item ("Accepted", "Ignored duplicate", "Ignored stale"). */
    record Tel(List<Item> items, List<String> outcomes) implements Step {
    }

    record Meeting(String alias, String meetingId, String status, int t, String outcome) implements Step {
    }

    /** A PUT of the extension's presence by the admin. */
    record Put(String alias, String json) implements Step {
    }

    record Item(String session, int t, List<Party> parties) {
    }

    /** A party; {@code alias} null for a party with no extension (the outside caller). */
    record Party(String id, String alias, String direction, String code, boolean sip) {
        Party withSip() {
            return new Party(id, alias, direction, code, true);
        }
    }

    /** An event at the account subscriber; {@code telephony} null when the body must not carry it. */
    record Ev(String alias, String telephony, String presence, long sequence, String meetingStatus,
              String dndStatus) {
        Ev meeting(String status) {
            return new Ev(alias, telephony, presence, sequence, status, dndStatus);
        }

        Ev dnd(String status) {
            return new Ev(alias, telephony, presence, sequence, meetingStatus, status);
        }
    }

    /** An event at the detailed subscriber; calls are "session/party:telephonyStatus" in the listed order. */
    record Det(String telephony, String presence, long sequence, int totalActiveCalls, List<String> calls) {
    }

    /** What a final detailed GET shows for one extension. */
    record Final(String alias, String telephony, String presence, List<CallView> calls) {
    }

    /** One active call as a GET shows it; {@code startT} is the second of the party's first event. */
    record CallView(String session, String party, String direction, String telephonyStatus, int startT,
                    boolean sip) {
    }

    private static Tel tel(Item... items) {
        return new Tel(List.of(items), List.of());
    }

    private static Tel tel(List<String> outcomes, Item... items) {
        return new Tel(List.of(items), outcomes);
    }

    private static List<String> outcomes(String... outcomes) {
        return List.of(outcomes);
    }

    private static Item item(String session, int t, Party... parties) {
        return new Item(session, t, List.of(parties));
    }

    private static Party p(String id, String alias, String direction, String code) {
        return new Party(id, alias, direction, code, false);
    }

    private static Meeting meeting(String alias, String id, String status, int t, String outcome) {
        return new Meeting(alias, id, status, t, outcome);
    }

    private static Put put(String alias, String json) {
        return new Put(alias, json);
    }

    private static Ev ev(String alias, String telephony, String presence, long sequence) {
        return new Ev(alias, telephony, presence, sequence, "Disconnected", "TakeAllCalls");
    }

    private static Det det(String telephony, String presence, long sequence, String... calls) {
        return new Det(telephony, presence, sequence, calls.length, List.of(calls));
    }

    private static Final fin(String alias, String telephony, String presence, CallView... calls) {
        return new Final(alias, telephony, presence, List.of(calls));
    }

    private static CallView call(String session, String party, String direction, String status, int startT,
                                 boolean sip) {
        return new CallView(session, party, direction, status, startT, sip);
    }

    // ---- set-up -------------------------------------------------------------------------------------------

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
        http = new Http(server.url());
        receiver = WebhookReceiver.start();
        long accountId = Long.parseLong(demo.accountId());
        List<ExtensionSpec> specs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String number = String.valueOf(6001 + i);
            specs.add(new ExtensionSpec(accountId, number, "Scenario " + number, "scenario" + number
                    + "@demo.presenced.test", ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of()));
        }
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            fresh.addAll(new Admin(store, Clock.systemUTC()).createExtensions(specs));
        }
        adminToken = token(demo.admin());
        Extension last = fresh.getLast();
        await("the server's directory sees the new extensions").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get(presencePath(last.id(), ""), adminToken).status() == 200);
        accountSubscription = subscribe(receiver.url("/account"), "/restapi/v1.0/account/~/presence");
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String token(DemoAccount.User u) {
        Http.Reply r = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", u.jwt()));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    private static String subscribe(String address, String filter) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("eventFilters").add(filter);
        body.putObject("deliveryMode").put("transportType", "WebHook").put("address", address);
        Http.Reply r = http.send("POST", "/restapi/v1.0/subscription", adminToken, "application/json",
                body.toString());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    private static String presencePath(long extensionId, String query) {
        return "/restapi/v1.0/account/~/extension/" + extensionId + "/presence" + query;
    }

    // ---- the runner ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void ingestedEventsMakeExactlyTheExpectedPresenceEvents(Scenario row) {
        Map<String, Extension> ext = new LinkedHashMap<>();
        for (String alias : row.aliases()) {
            assertThat(fresh).as("fresh extensions left").isNotEmpty();
            ext.put(alias, fresh.removeFirst());
        }
        String detailed = row.detailedFor() == null ? null : subscribe(receiver.url("/detailed/" + row.key()),
                presencePath(ext.get(row.detailedFor()).id(), "?detailedTelephonyState=true"));
        try {
            for (Step step : row.steps()) {
                run(row, ext, step);
            }
            // The marker: one more event per extension, after everything the row made.
            for (Extension e : ext.values()) {
                Http.Reply r = http.putJson(presencePath(e.id(), ""), adminToken, "{\"ringOnMonitoredCall\":true}");
                assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            }

            Map<String, List<Ev>> expected = new LinkedHashMap<>();
            Map<String, List<Ev>> actual = new LinkedHashMap<>();
            for (var entry : ext.entrySet()) {
                String alias = entry.getKey();
                List<WebhookReceiver.Notification> seen = untilMarker(accountSubscription, entry.getValue());
                expected.put(alias, row.account().stream().filter(e -> e.alias().equals(alias)).toList());
                actual.put(alias, seen.subList(0, seen.size() - 1).stream().map(n -> {
                    assertThat(n.event()).isEqualTo(presencePath(entry.getValue().id(), ""));
                    return asEv(alias, n.body());
                }).toList());
                JsonNode marker = seen.getLast().body();
                assertThat(marker.has("telephonyStatus")).as("the marker changes no telephonyStatus: " + marker)
                        .isFalse();
                assertThat(marker.get("sequence").asLong()).as("the marker's sequence for " + alias)
                        .isEqualTo(expected.get(alias).size() + 1L);
            }
            assertThat(actual).as("presence events at the account subscriber").isEqualTo(expected);

            if (detailed != null) {
                Extension e = ext.get(row.detailedFor());
                List<WebhookReceiver.Notification> seen = untilMarker(detailed, e);
                List<Det> got = seen.subList(0, seen.size() - 1).stream().map(n -> {
                    assertThat(n.event()).isEqualTo(presencePath(e.id(), "?detailedTelephonyState=true"));
                    return asDet(row.key(), n.body());
                }).toList();
                assertThat(got).as("presence events at the detailed subscriber of " + row.detailedFor())
                        .containsExactlyElementsOf(row.detailed());
            }

            for (Final f : row.finals()) {
                assertFinalPresence(row.key(), ext.get(f.alias()), f);
            }
        } finally {
            if (detailed != null) {
                http.send("DELETE", "/restapi/v1.0/subscription/" + detailed, adminToken, null, null);
            }
        }
    }

    private static void run(Scenario row, Map<String, Extension> ext, Step step) {
        switch (step) {
            case Tel t -> {
                ArrayNode batch = JSON.createArrayNode();
                t.items().forEach(i -> batch.add(telephonyItem(row.key(), ext, i)));
                List<String> want = t.outcomes().isEmpty()
                        ? t.items().stream().map(i -> "Accepted").toList() : t.outcomes();
                assertThat(outcomes(post("/ingest/v1/telephony", batch))).as("outcomes of " + batch)
                        .containsExactlyElementsOf(want);
            }
            case Meeting m -> {
                ArrayNode batch = JSON.createArrayNode();
                batch.addObject().put("accountId", demo.accountId())
                        .put("extensionId", String.valueOf(ext.get(m.alias()).id()))
                        .put("meetingId", row.key() + "-" + m.meetingId()).put("status", m.status())
                        .put("eventTime", time(m.t()));
                assertThat(outcomes(post("/ingest/v1/meetings", batch))).as("outcomes of " + batch)
                        .containsExactly(m.outcome());
            }
            case Put p -> {
                Http.Reply r = http.putJson(presencePath(ext.get(p.alias()).id(), ""), adminToken, p.json());
                assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            }
        }
    }

    private static JsonNode post(String path, ArrayNode batch) {
        Http.Reply r = http.send("POST", path, adminToken, "application/json", batch.toString());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    /** Each result as "Accepted", "Ignored duplicate", "Ignored stale" or "Rejected <reason>"; checks the counts. */
    private static List<String> outcomes(JsonNode answer) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>(Map.of("Accepted", 0, "Ignored", 0, "Rejected", 0));
        JsonNode results = answer.get("results");
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            assertThat(r.get("index").asInt()).isEqualTo(i);
            String status = r.get("status").asText();
            counts.merge(status, 1, Integer::sum);
            String reason = r.path("reason").asText("");
            if (reason.startsWith("duplicate")) {
                reason = "duplicate";
            } else if (reason.startsWith("stale")) {
                reason = "stale";
            }
            out.add(reason.isEmpty() ? status : status + " " + reason);
        }
        assertThat(answer.get("accepted").asInt()).as(answer.toString()).isEqualTo(counts.get("Accepted"));
        assertThat(answer.get("ignored").asInt()).as(answer.toString()).isEqualTo(counts.get("Ignored"));
        assertThat(answer.get("rejected").asInt()).as(answer.toString()).isEqualTo(counts.get("Rejected"));
        return out;
    }

    private static ObjectNode telephonyItem(String key, Map<String, Extension> ext, Item item) {
        ObjectNode node = JSON.createObjectNode();
        node.put("accountId", demo.accountId()).put("telephonySessionId", key + "-" + item.session())
                .put("sessionId", "sess-" + key + "-" + item.session()).put("eventTime", time(item.t()));
        ArrayNode parties = node.putArray("parties");
        for (Party p : item.parties()) {
            Extension e = p.alias() == null ? null : ext.get(p.alias());
            ObjectNode party = parties.addObject().put("id", p.id());
            if (e != null) {
                party.put("extensionId", String.valueOf(e.id()));
            }
            party.put("direction", p.direction());
            ObjectNode outside = JSON.createObjectNode().put("phoneNumber", EXTERNAL_NUMBER).put("name", EXTERNAL_NAME);
            ObjectNode inside = e == null ? JSON.createObjectNode().put("phoneNumber", "+15550100000").put("name", "Demo")
                    : JSON.createObjectNode().put("phoneNumber", number(e)).put("name", e.name())
                            .put("extensionId", String.valueOf(e.id()));
            boolean inbound = p.direction().equals("Inbound");
            party.set("from", inbound ? outside : inside);
            party.set("to", inbound ? inside : outside);
            party.putObject("status").put("code", p.code());
            if (p.sip()) {
                party.putObject("sipData").put("toTag", "to-" + p.id()).put("fromTag", "from-" + p.id())
                        .put("remoteUri", "sip:" + EXTERNAL_NUMBER + "@sip.example.test")
                        .put("localUri", "sip:" + e.extensionNumber() + "@sip.example.test");
            }
        }
        return node;
    }

    private static String number(Extension e) {
        return "+1555020" + e.extensionNumber();
    }

    private static String time(int second) {
        return BASE.plusSeconds(second).toString().replace("Z", ".000Z");
    }

    /** The account or detailed subscription's notifications about {@code e}, up to and including the marker. */
    private static List<WebhookReceiver.Notification> untilMarker(String subscriptionId, Extension e) {
        String id = String.valueOf(e.id());
        receiver.awaitMatching(n -> subscriptionId.equals(n.subscriptionId()) && id.equals(n.extensionId())
                && n.body().path("ringOnMonitoredCall").asBoolean(), 1, WAIT);
        List<WebhookReceiver.Notification> out = new ArrayList<>();
        Set<String> uuids = new HashSet<>();
        for (WebhookReceiver.Notification n : receiver.forSubscription(subscriptionId)) {
            if (!id.equals(n.extensionId()) || !uuids.add(n.uuid())) {
                continue; // another extension, or a redelivery (at-least-once) told apart by uuid
            }
            out.add(n);
            if (n.body().path("ringOnMonitoredCall").asBoolean()) {
                break;
            }
        }
        return out;
    }

    private static Ev asEv(String alias, JsonNode body) {
        return new Ev(alias, body.has("telephonyStatus") ? body.get("telephonyStatus").asText() : null,
                body.get("presenceStatus").asText(), body.get("sequence").asLong(), body.get("meetingStatus").asText(),
                body.get("dndStatus").asText());
    }

    private static Det asDet(String key, JsonNode body) {
        assertThat(body.has("telephonyStatus")).as("an extension-level body always carries telephonyStatus: " + body)
                .isTrue();
        List<String> calls = new ArrayList<>();
        for (JsonNode c : body.withArray("activeCalls")) {
            assertThat(fieldNames(c)).as("activeCall fields without sipData=true: " + c)
                    .containsExactlyElementsOf(CALL_FIELDS);
            assertThat(c.get("id").asText()).isEqualTo(c.get("telephonySessionId").asText() + "/"
                    + c.get("partyId").asText());
            assertThat(c.get("startTime").asText()).matches(TIMESTAMP);
            String session = c.get("telephonySessionId").asText();
            assertThat(session).startsWith(key + "-");
            calls.add(session.substring(key.length() + 1) + "/" + c.get("partyId").asText() + ":"
                    + c.get("telephonyStatus").asText());
        }
        return new Det(body.get("telephonyStatus").asText(), body.get("presenceStatus").asText(),
                body.get("sequence").asLong(), body.path("totalActiveCalls").asInt(-1), calls);
    }

    private static void assertFinalPresence(String key, Extension e, Final f) {
        JsonNode plain = presence(e, "");
        assertThat(plain.has("activeCalls")).as("activeCalls only with detailedTelephonyState: " + plain).isFalse();
        assertThat(plain.get("telephonyStatus").asText()).isEqualTo(f.telephony());
        assertThat(plain.get("presenceStatus").asText()).isEqualTo(f.presence());

        JsonNode withSip = presence(e, "?detailedTelephonyState=true&sipData=true");
        assertThat(withSip.get("telephonyStatus").asText()).as(withSip.toString()).isEqualTo(f.telephony());
        assertThat(withSip.get("presenceStatus").asText()).as(withSip.toString()).isEqualTo(f.presence());
        List<JsonNode> calls = list(withSip.get("activeCalls"));
        assertThat(calls).as(withSip.toString()).hasSize(f.calls().size());
        for (int i = 0; i < calls.size(); i++) {
            JsonNode c = calls.get(i);
            CallView want = f.calls().get(i);
            String session = key + "-" + want.session();
            boolean inbound = want.direction().equals("Inbound");
            List<String> fields = new ArrayList<>(CALL_FIELDS);
            if (want.sip()) {
                fields.add("sipData");
            }
            assertThat(fieldNames(c)).as(c.toString()).containsExactlyElementsOf(fields);
            assertThat(c.get("id").asText()).isEqualTo(session + "/" + want.party());
            assertThat(c.get("direction").asText()).isEqualTo(want.direction());
            assertThat(c.get("from").asText()).isEqualTo(inbound ? EXTERNAL_NUMBER : number(e));
            assertThat(c.get("fromName").asText()).isEqualTo(inbound ? EXTERNAL_NAME : e.name());
            assertThat(c.get("to").asText()).isEqualTo(inbound ? number(e) : EXTERNAL_NUMBER);
            assertThat(c.get("toName").asText()).isEqualTo(inbound ? e.name() : EXTERNAL_NAME);
            assertThat(c.get("startTime").asText()).as("a call starts at its party's first event")
                    .isEqualTo(time(want.startT()));
            assertThat(c.get("telephonyStatus").asText()).isEqualTo(want.telephonyStatus());
            assertThat(c.get("sessionId").asText()).isEqualTo("sess-" + session);
            assertThat(c.get("telephonySessionId").asText()).isEqualTo(session);
            assertThat(c.get("partyId").asText()).isEqualTo(want.party());
            if (want.sip()) {
                JsonNode sip = c.get("sipData");
                assertThat(fieldNames(sip)).containsExactly("toTag", "fromTag", "remoteUri", "localUri");
                assertThat(sip.get("toTag").asText()).isEqualTo("to-" + want.party());
                assertThat(sip.get("fromTag").asText()).isEqualTo("from-" + want.party());
                assertThat(sip.get("remoteUri").asText()).isEqualTo("sip:" + EXTERNAL_NUMBER + "@sip.example.test");
                assertThat(sip.get("localUri").asText()).isEqualTo("sip:" + e.extensionNumber() + "@sip.example.test");
            }
        }

        // sipData only when asked for.
        JsonNode withoutSip = presence(e, "?detailedTelephonyState=true");
        List<JsonNode> plainCalls = list(withoutSip.get("activeCalls"));
        assertThat(plainCalls).hasSize(f.calls().size());
        assertThat(plainCalls).allSatisfy(c -> assertThat(fieldNames(c)).containsExactlyElementsOf(CALL_FIELDS));
    }

    private static JsonNode presence(Extension e, String query) {
        Http.Reply r = http.get(presencePath(e.id(), query), adminToken);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private static List<JsonNode> list(JsonNode array) {
        assertThat(array).as("an array").isNotNull();
        assertThat(array.isArray()).isTrue();
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
