package io.presenced.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest API's batch contract (SPEC §8): bad items rejected one by one with a reason while the good
 * ones of the same batch are applied, whole-request refusals, the permission, meeting aggregation and
 * staleness, and that a big batch is answered only once every item is applied.
 */
class IngestBatchTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.parse("2026-04-01T08:00:00Z");
    private static final String TELEPHONY = "/ingest/v1/telephony";
    private static final String MEETINGS = "/ingest/v1/meetings";

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static String adminToken;
    private static Account foreignAccount;
    private static Extension foreignExtension;
    private static final Deque<Extension> fresh = new ArrayDeque<>();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
        http = new Http(server.url());
        long accountId = Long.parseLong(demo.accountId());
        List<ExtensionSpec> specs = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            String number = String.valueOf(7001 + i);
            specs.add(new ExtensionSpec(accountId, number, "Batch " + number, "batch" + number
                    + "@demo.presenced.test", ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of()));
        }
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            Admin admin = new Admin(store, Clock.systemUTC());
            fresh.addAll(admin.createExtensions(specs));
            foreignAccount = admin.createAccount("Foreign Tenant", "+15550300000");
            foreignExtension = admin.createExtension(new ExtensionSpec(foreignAccount.id(), "101", "Fay Foreign",
                    "fay@foreign.presenced.test", ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of()));
        }
        adminToken = token(demo.admin());
        Extension last = fresh.getLast();
        await("the server's directory sees the new extensions").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get(presencePath(last.id(), ""), adminToken).status() == 200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static String token(DemoAccount.User u) {
        Http.Reply r = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", u.jwt()));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    private static Extension fresh() {
        assertThat(fresh).as("fresh extensions left").isNotEmpty();
        return fresh.removeFirst();
    }

    private static String presencePath(long extensionId, String query) {
        return "/restapi/v1.0/account/~/extension/" + extensionId + "/presence" + query;
    }

    private static JsonNode presence(Extension e) {
        Http.Reply r = http.get(presencePath(e.id(), "?detailedTelephonyState=true"), adminToken);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private static String time(int second) {
        return BASE.plusSeconds(second).toString().replace("Z", ".000Z");
    }

    /** A well-formed telephony item with one inbound party of {@code extensionId}. */
    private static ObjectNode call(String session, int t, Object extensionId, String code) {
        ObjectNode item = JSON.createObjectNode();
        item.put("accountId", demo.accountId()).put("telephonySessionId", session).put("eventTime", time(t));
        ObjectNode party = item.putArray("parties").addObject();
        party.put("id", "p1").put("extensionId", String.valueOf(extensionId)).put("direction", "Inbound");
        party.putObject("from").put("phoneNumber", "+16505550123").put("name", "Pat Caller");
        party.putObject("to").put("phoneNumber", "+15550207000").put("name", "Callee");
        party.putObject("status").put("code", code);
        return item;
    }

    /** A party p2 of {@code extensionId}, to add to an item. */
    private static ObjectNode secondParty(long extensionId) {
        return ((ObjectNode) call("x", 1, extensionId, "Answered").get("parties").get(0)).put("id", "p2");
    }

    private static ObjectNode meeting(Extension e, String meetingId, String status, int t) {
        return JSON.createObjectNode().put("accountId", demo.accountId()).put("extensionId", String.valueOf(e.id()))
                .put("meetingId", meetingId).put("status", status).put("eventTime", time(t));
    }

    private static Http.Reply post(String path, String token, String body) {
        return http.send("POST", path, token, "application/json", body);
    }

    private static JsonNode ok(String path, JsonNode batch) {
        Http.Reply r = post(path, adminToken, batch.toString());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private static ArrayNode batch(JsonNode... items) {
        ArrayNode batch = JSON.createArrayNode();
        for (JsonNode item : items) {
            batch.add(item);
        }
        return batch;
    }

    /** The statuses of an answer's results, in index order (the indexes checked). */
    private static List<String> statuses(JsonNode answer) {
        List<String> out = new ArrayList<>();
        JsonNode results = answer.get("results");
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            out.add(results.get(i).get("status").asText());
        }
        return out;
    }

    private static String reason(JsonNode answer, int index) {
        return answer.get("results").get(index).path("reason").asText("");
    }

    private static void assertError(Http.Reply r, int status, String errorCode) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        JsonNode body = r.json();
        assertThat(body.path("errorCode").asText()).as(r.raw().body()).isEqualTo(errorCode);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("errors").isArray()).as(r.raw().body()).isTrue();
        assertThat(r.raw().body()).doesNotContain("\tat ");
    }

    private static void assertUntouched(Extension e) {
        JsonNode p = presence(e);
        assertThat(p.get("telephonyStatus").asText()).as(p.toString()).isEqualTo("NoCall");
        assertThat(p.get("presenceStatus").asText()).as(p.toString()).isEqualTo("Available");
        assertThat(p.get("meetingStatus").asText()).as(p.toString()).isEqualTo("Disconnected");
        assertThat(p.get("activeCalls").size()).as(p.toString()).isZero();
    }

    // ---- bad items among good ones ----------------------------------------------------------------------

    @Test
    void rejectsEachBadTelephonyItemWithItsReasonAndAppliesTheGoodOnes() {
        Extension ringing = fresh();
        Extension connected = fresh();
        Extension bystander = fresh();
        long b = bystander.id();

        ObjectNode noSession = call("bad-1", 1, b, "Answered");
        noSession.remove("telephonySessionId");
        ObjectNode badTime = call("bad-2", 1, b, "Answered").put("eventTime", "yesterday at noon");
        ObjectNode badDirection = call("bad-3", 1, b, "Answered");
        ((ObjectNode) badDirection.get("parties").get(0)).put("direction", "Sideways");
        ObjectNode badCode = call("bad-4", 1, b, "Ringing");
        // A good party of the bystander and a party of another tenant: the whole item is refused.
        ObjectNode otherAccountsExtension = call("bad-5", 1, b, "Answered");
        ((ArrayNode) otherAccountsExtension.get("parties")).add(secondParty(foreignExtension.id()));
        ObjectNode unknownExtension = call("bad-6", 1, b, "Answered");
        ((ArrayNode) unknownExtension.get("parties")).add(secondParty(987_654_321_987L));
        ObjectNode foreignAccountId = call("bad-7", 1, b, "Answered").put("accountId",
                String.valueOf(foreignAccount.id()));
        ObjectNode partiesNotArray = call("bad-8", 1, b, "Answered");
        partiesNotArray.set("parties", partiesNotArray.get("parties").get(0));
        ObjectNode outsideOnly = call("outside", 1, b, "Answered");
        ((ObjectNode) outsideOnly.get("parties").get(0)).remove("extensionId");

        ArrayNode items = batch(call("good-1", 1, ringing.id(), "Setup"), noSession, badTime, badDirection, badCode,
                otherAccountsExtension, unknownExtension, foreignAccountId, partiesNotArray);
        items.add(42);
        items.add("not an event");
        items.add(call("good-2", 1, connected.id(), "Answered"));
        items.add(outsideOnly);

        JsonNode answer = ok(TELEPHONY, items);

        assertThat(statuses(answer)).containsExactly("Accepted", "Rejected", "Rejected", "Rejected", "Rejected",
                "Rejected", "Rejected", "Rejected", "Rejected", "Rejected", "Rejected", "Accepted", "Ignored");
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("ignored").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").asInt()).isEqualTo(10);
        assertThat(answer.get("results").get(0).has("reason")).as("an accepted item has no reason").isFalse();
        assertThat(reason(answer, 1)).contains("telephonySessionId");
        assertThat(reason(answer, 2)).contains("eventTime").contains("yesterday at noon");
        assertThat(reason(answer, 3)).contains("direction").contains("Sideways").contains("Inbound");
        assertThat(reason(answer, 4)).contains("status.code").contains("Ringing").contains("Proceeding");
        assertThat(reason(answer, 5)).contains(String.valueOf(foreignExtension.id())).contains("account");
        assertThat(reason(answer, 6)).contains("987654321987");
        assertThat(reason(answer, 7)).contains("accountId").contains(String.valueOf(foreignAccount.id()));
        assertThat(reason(answer, 8)).contains("parties").contains("array");
        assertThat(reason(answer, 9)).contains("object");
        assertThat(reason(answer, 10)).contains("object");
        assertThat(reason(answer, 12)).contains("no party");

        JsonNode r = presence(ringing);
        assertThat(r.get("telephonyStatus").asText()).isEqualTo("Ringing");
        assertThat(r.get("presenceStatus").asText()).isEqualTo("Available");
        assertThat(r.get("activeCalls").get(0).get("telephonySessionId").asText()).isEqualTo("good-1");
        // Without a sessionId the session id is the telephony session id.
        assertThat(r.get("activeCalls").get(0).get("sessionId").asText()).isEqualTo("good-1");
        JsonNode c = presence(connected);
        assertThat(c.get("telephonyStatus").asText()).isEqualTo("CallConnected");
        assertThat(c.get("presenceStatus").asText()).isEqualTo("Busy");
        // Every refused item named the bystander; none of it was applied.
        assertUntouched(bystander);
    }

    @Test
    void rejectsEachBadMeetingItemWithItsReasonAndAppliesTheGoodOnes() {
        Extension good = fresh();
        Extension bystander = fresh();
        ObjectNode noMeetingId = meeting(bystander, "m", "Connected", 1);
        noMeetingId.remove("meetingId");
        ObjectNode noExtension = meeting(bystander, "m", "Connected", 1);
        noExtension.remove("extensionId");

        JsonNode answer = ok(MEETINGS, batch(noMeetingId, noExtension,
                meeting(bystander, "m", "Maybe", 1),
                meeting(bystander, "m", "Connected", 1).put("eventTime", "2026-04-01 08:00"),
                meeting(bystander, "m", "Connected", 1).put("accountId", String.valueOf(foreignAccount.id())),
                meeting(bystander, "m", "Connected", 1).put("extensionId", String.valueOf(foreignExtension.id())),
                meeting(bystander, "m", "Connected", 1).put("extensionId", "987654321987"),
                meeting(good, "m-good", "Connected", 1)));

        assertThat(statuses(answer)).containsExactly("Rejected", "Rejected", "Rejected", "Rejected", "Rejected",
                "Rejected", "Rejected", "Accepted");
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").asInt()).isEqualTo(7);
        assertThat(reason(answer, 0)).contains("meetingId");
        assertThat(reason(answer, 1)).contains("extensionId");
        assertThat(reason(answer, 2)).contains("Maybe").contains("Connected");
        assertThat(reason(answer, 3)).contains("eventTime");
        assertThat(reason(answer, 4)).contains("accountId");
        assertThat(reason(answer, 5)).contains(String.valueOf(foreignExtension.id()));
        assertThat(reason(answer, 6)).contains("987654321987");
        assertThat(presence(good).get("meetingStatus").asText()).isEqualTo("Connected");
        assertUntouched(bystander);
    }

    // ---- whole-request refusals -------------------------------------------------------------------------

    @Test
    void bodyThatIsNotAnArrayIsRefusedWith400Cmn101() {
        Extension e = fresh();
        for (String path : List.of(TELEPHONY, MEETINGS)) {
            String single = path.equals(TELEPHONY) ? call("single", 1, e.id(), "Answered").toString()
                    : meeting(e, "m", "Connected", 1).toString();
            assertError(post(path, adminToken, single), 400, "CMN-101");
            assertError(post(path, adminToken, "\"events\""), 400, "CMN-101");
        }
        assertUntouched(e);
    }

    @Test
    void emptyBatchIsAnsweredWithNoResults() {
        JsonNode answer = ok(TELEPHONY, JSON.createArrayNode());
        assertThat(answer.get("accepted").asInt()).isZero();
        assertThat(answer.get("ignored").asInt()).isZero();
        assertThat(answer.get("rejected").asInt()).isZero();
        assertThat(answer.get("results").size()).isZero();
    }

    @Test
    void moreThan1000ItemsAreRefusedWith400AndNothingIsApplied() {
        Extension e = fresh();
        ArrayNode tooMany = JSON.createArrayNode();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(call("many-" + i, 1, e.id(), "Answered"));
        }
        Http.Reply r = post(TELEPHONY, adminToken, tooMany.toString());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
        assertThat(r.json().path("errors").isArray()).isTrue();
        assertUntouched(e);

        ArrayNode meetings = JSON.createArrayNode();
        for (int i = 0; i < 1001; i++) {
            meetings.add(meeting(e, "many-" + i, "Connected", 1));
        }
        assertThat(post(MEETINGS, adminToken, meetings.toString()).status()).isEqualTo(400);
        assertUntouched(e);
    }

    @Test
    void exactly1000ItemsAreTaken() {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < 1000; i++) {
            ObjectNode outside = call("limit-" + i, 1, 1, "Answered");
            ((ObjectNode) outside.get("parties").get(0)).remove("extensionId");
            items.add(outside);
        }
        JsonNode answer = ok(TELEPHONY, items);
        assertThat(answer.get("results").size()).isEqualTo(1000);
        assertThat(answer.get("ignored").asInt()).isEqualTo(1000);
    }

    @Test
    void userRoleLoginWithoutIngestPresenceSourcesIsRefusedWith403() {
        DemoAccount.User bob = demo.users().getFirst();
        String userToken = token(bob);
        Extension e = fresh();
        for (var entry : Map.of(TELEPHONY, batch(call("user", 1, e.id(), "Answered")).toString(),
                MEETINGS, batch(meeting(e, "user", "Connected", 1)).toString()).entrySet()) {
            Http.Reply r = post(entry.getKey(), userToken, entry.getValue());
            assertError(r, 403, "InsufficientPermissions");
            assertThat(r.json().path("errors").get(0).path("errorCode").asText()).isEqualTo("CMN-401");
            assertThat(r.json().path("permissionName").asText()).isEqualTo("IngestPresenceSources");
        }
        // Even about the caller's own extension.
        assertError(post(TELEPHONY, userToken, batch(call("own", 1, bob.extensionId(), "Answered")).toString()), 403,
                "InsufficientPermissions");
        assertUntouched(e);
        Http.Reply own = http.get(presencePath(Long.parseLong(bob.extensionId()), ""), adminToken);
        assertThat(own.json().get("telephonyStatus").asText()).as(own.raw().body()).isEqualTo("NoCall");
    }

    // ---- meetings ---------------------------------------------------------------------------------------

    @Test
    void connectedMeetingMakesMeetingStatusConnectedAndPresenceBusy() {
        Extension e = fresh();
        assertThat(statuses(ok(MEETINGS, batch(meeting(e, "weekly", "Connected", 1))))).containsExactly("Accepted");
        JsonNode p = presence(e);
        assertThat(p.get("meetingStatus").asText()).isEqualTo("Connected");
        assertThat(p.get("presenceStatus").asText()).isEqualTo("Busy");
        assertThat(p.get("telephonyStatus").asText()).isEqualTo("NoCall");

        assertThat(statuses(ok(MEETINGS, batch(meeting(e, "weekly", "Disconnected", 2)))))
                .containsExactly("Accepted");
        p = presence(e);
        assertThat(p.get("meetingStatus").asText()).isEqualTo("Disconnected");
        assertThat(p.get("presenceStatus").asText()).isEqualTo("Available");
    }

    @Test
    void overlappingMeetingsStayConnectedUntilBothAreDisconnected() {
        Extension e = fresh();
        ok(MEETINGS, batch(meeting(e, "standup", "Connected", 1)));
        ok(MEETINGS, batch(meeting(e, "review", "Connected", 2)));

        assertThat(statuses(ok(MEETINGS, batch(meeting(e, "standup", "Disconnected", 3)))))
                .containsExactly("Accepted");
        JsonNode p = presence(e);
        assertThat(p.get("meetingStatus").asText()).as("review is still on").isEqualTo("Connected");
        assertThat(p.get("presenceStatus").asText()).isEqualTo("Busy");

        ok(MEETINGS, batch(meeting(e, "review", "Disconnected", 4)));
        p = presence(e);
        assertThat(p.get("meetingStatus").asText()).isEqualTo("Disconnected");
        assertThat(p.get("presenceStatus").asText()).isEqualTo("Available");
    }

    @Test
    void staleAndDuplicateMeetingEventsAreIgnored() {
        Extension e = fresh();
        ok(MEETINGS, batch(meeting(e, "m1", "Connected", 5)));

        JsonNode answer = ok(MEETINGS, batch(meeting(e, "m1", "Disconnected", 4), meeting(e, "m1", "Connected", 5)));
        assertThat(statuses(answer)).containsExactly("Ignored", "Ignored");
        assertThat(reason(answer, 0)).startsWith("stale");
        assertThat(reason(answer, 1)).startsWith("duplicate");
        assertThat(answer.get("ignored").asInt()).isEqualTo(2);
        assertThat(presence(e).get("meetingStatus").asText()).isEqualTo("Connected");

        ok(MEETINGS, batch(meeting(e, "m1", "Disconnected", 7)));
        // A late Connected must not bring the meeting back.
        answer = ok(MEETINGS, batch(meeting(e, "m1", "Connected", 6)));
        assertThat(statuses(answer)).containsExactly("Ignored");
        assertThat(reason(answer, 0)).startsWith("stale");
        JsonNode p = presence(e);
        assertThat(p.get("meetingStatus").asText()).isEqualTo("Disconnected");
        assertThat(p.get("presenceStatus").asText()).isEqualTo("Available");

        // Staleness is per meeting: another meeting may report an earlier time.
        assertThat(statuses(ok(MEETINGS, batch(meeting(e, "m2", "Connected", 1))))).containsExactly("Accepted");
        assertThat(presence(e).get("meetingStatus").asText()).isEqualTo("Connected");
    }

    // ---- staleness over a long history ------------------------------------------------------------------

    /**
     * SPEC §8: an event older than the party's last applied eventTime is ignored — with no bound on how
     * many calls the extension had since. A connector replaying an old backlog must not resurrect a call.
     */
    @Test
    void lateEventOfACallEndedSixtyFiveCallsAgoDoesNotBringItBack() {
        Extension e = fresh();
        ArrayNode history = batch(call("first", 1, e.id(), "Setup"), call("first", 2, e.id(), "Answered"),
                call("first", 3, e.id(), "Disconnected"));
        for (int i = 0; i < 65; i++) {
            history.add(call("later-" + i, 10 + 2 * i, e.id(), "Setup"));
            history.add(call("later-" + i, 11 + 2 * i, e.id(), "Disconnected"));
        }
        assertThat(ok(TELEPHONY, history).get("accepted").asInt()).isEqualTo(history.size());
        assertUntouched(e);

        JsonNode answer = ok(TELEPHONY, batch(call("first", 2, e.id(), "Answered")));

        assertUntouched(e);
        assertThat(statuses(answer)).as(answer.toString()).containsExactly("Ignored");
        assertThat(reason(answer, 0)).startsWith("stale");
    }

    /** The same for meetings: a late Connected of a meeting left long ago must not make the user Busy. */
    @Test
    void lateConnectedOfAMeetingLeftSixtyFiveMeetingsAgoDoesNotBringItBack() {
        Extension e = fresh();
        ArrayNode history = batch(meeting(e, "first", "Connected", 1), meeting(e, "first", "Disconnected", 2));
        for (int i = 0; i < 65; i++) {
            history.add(meeting(e, "later-" + i, "Connected", 10 + 2 * i));
            history.add(meeting(e, "later-" + i, "Disconnected", 11 + 2 * i));
        }
        assertThat(ok(MEETINGS, history).get("accepted").asInt()).isEqualTo(history.size());
        assertUntouched(e);

        JsonNode answer = ok(MEETINGS, batch(meeting(e, "first", "Connected", 1)));

        assertUntouched(e);
        assertThat(statuses(answer)).as(answer.toString()).containsExactly("Ignored");
        assertThat(reason(answer, 0)).startsWith("stale");
    }

    // ---- throughput -------------------------------------------------------------------------------------

    @Test
    void batchOf500ItemsAcrossFiftyExtensionsIsAnsweredOnlyOnceAllAreApplied() {
        List<Extension> extensions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            extensions.add(fresh());
        }
        String[] lastCode = {"Proceeding", "Answered", "Hold", "Parked"};
        String[] telephony = {"Ringing", "CallConnected", "OnHold", "ParkedCall"};
        String[] presence = {"Available", "Busy", "Busy", "Available"};
        // Ten rounds, every extension once per round: five calls each, four of them ended.
        ArrayNode items = JSON.createArrayNode();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < extensions.size(); i++) {
                Extension e = extensions.get(i);
                String session = "bulk-" + e.id() + "-c" + round / 2;
                String code = round % 2 == 0 ? "Setup" : round == 9 ? lastCode[i % 4] : "Disconnected";
                items.add(call(session, round, e.id(), code));
            }
        }
        assertThat(items.size()).isEqualTo(500);

        JsonNode answer = ok(TELEPHONY, items);
        // Read at once, without waiting: the 200 means every item is applied.
        Http.Reply all = http.get("/restapi/v1.0/account/~/presence?detailedTelephonyState=true&perPage=1000",
                adminToken);

        assertThat(answer.get("accepted").asInt()).as(answer.toString()).isEqualTo(500);
        assertThat(statuses(answer)).containsOnly("Accepted");
        assertThat(all.status()).as(all.raw().body()).isEqualTo(200);
        Map<String, JsonNode> byId = new HashMap<>();
        all.json().get("records").forEach(rec -> byId.put(rec.get("extension").get("id").asText(), rec));
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            JsonNode rec = byId.get(String.valueOf(e.id()));
            assertThat(rec).as("extension " + e.id() + " listed").isNotNull();
            assertThat(rec.get("telephonyStatus").asText()).as(rec.toString()).isEqualTo(telephony[i % 4]);
            assertThat(rec.get("presenceStatus").asText()).as(rec.toString()).isEqualTo(presence[i % 4]);
            assertThat(rec.get("activeCalls").size()).as(rec.toString()).isEqualTo(1);
            assertThat(rec.get("activeCalls").get(0).get("telephonySessionId").asText())
                    .isEqualTo("bulk-" + e.id() + "-c4");
        }
    }

    @Test
    void rejectsEventTimesFromABrokenClockAndKeepsTheGoodOnes() {
        Extension e = fresh();
        ObjectNode ancient = call("ancient", 1, e.id(), "Setup").put("eventTime", "1600-01-01T00:00:00Z");
        ObjectNode beforeEpoch = call("before-epoch", 1, e.id(), "Setup").put("eventTime", "1969-12-31T23:59:59.5Z");
        ObjectNode future = call("future", 1, e.id(), "Setup").put("eventTime",
                java.time.Instant.now().plus(java.time.Duration.ofDays(3)).toString());
        JsonNode answer = ok(TELEPHONY, batch(ancient, beforeEpoch, future, call("fine", 1, e.id(), "Setup")));

        assertThat(statuses(answer)).containsExactly("Rejected", "Rejected", "Rejected", "Accepted");
        for (int i = 0; i < 3; i++) {
            assertThat(reason(answer, i)).contains("eventTime").contains("out of range");
        }
    }
}
