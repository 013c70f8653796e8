package io.presenced.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.auth.Permission;
import io.presenced.auth.RateLimits;
import io.presenced.store.JdbcStore;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the server serves at {@code /openapi.yaml} is valid enough to use and tells
 * the truth about the server: its operations are exactly the routes the server answers (found by
 * probing), every {@code $ref} resolves, each operation's {@code x-throttling-group} and
 * {@code x-app-permission} are the ones the server applies, and live answers and notifications
 * have the documented shapes.
 */
class OpenApiDocumentTest {
    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final Set<String> OPENAPI_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String BOGUS_BEARER = "Bearer not-a-real-token-0123456789";
    private static final String BOGUS_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
    /** The Account Presence Event body, field for field and in order, as the seed document shows it. */
    private static final List<String> SEED_BODY_FIELDS = List.of("extensionId", "telephonyStatus", "sequence",
            "presenceStatus", "userStatus", "meetingStatus", "dndStatus", "allowSeeMyPresence",
            "ringOnMonitoredCall", "pickUpCallsOnHold");
    private static final List<String> ENVELOPE_FIELDS =
            List.of("uuid", "event", "timestamp", "subscriptionId", "ownerId", "body");
    /** Paths a RingCentral client (or a reader of the spec) could expect, which the document does not list. */
    private static final List<String[]> PLAUSIBLE_UNDOCUMENTED = List.of(
            new String[] {"GET", "/"},
            new String[] {"GET", "/restapi"},
            new String[] {"GET", "/restapi/v1.0"},
            new String[] {"GET", "/restapi/v1.0/account"},
            new String[] {"GET", "/restapi/v1.0/account/~/business-address"},
            new String[] {"GET", "/restapi/v1.0/account/~/presence/~"},
            new String[] {"GET", "/restapi/v1.0/account/~/call-queues/1/presence"},
            new String[] {"GET", "/restapi/v1.0/account/~/extension/~/call-queue-presence"},
            new String[] {"GET", "/restapi/v1.0/account/~/extension/~/call-log"},
            new String[] {"GET", "/restapi/v1.0/account/~/extension/~/presence/line"},
            new String[] {"GET", "/restapi/v1.0/account/~/extension/~/unified-presence"},
            new String[] {"GET", "/restapi/v1.0/subscription/" + BOGUS_SUBSCRIPTION + "/status"},
            new String[] {"GET", "/restapi/oauth/authorize"},
            new String[] {"POST", "/restapi/oauth/authorize"},
            new String[] {"GET", "/restapi/oauth/userinfo"},
            new String[] {"GET", "/restapi/oauth/jwks"},
            new String[] {"GET", "/.well-known/openid-configuration"},
            new String[] {"POST", "/ingest/v1/telephony"},
            new String[] {"POST", "/ingest/v1/meetings"},
            new String[] {"GET", "/openapi.json"},
            new String[] {"GET", "/openapi"},
            new String[] {"GET", "/health/ready"},
            new String[] {"GET", "/metrics/prometheus"});

    private static TestServer server;
    private static DemoAccount.Credentials demo;
    private static Http http;
    private static JsonNode doc;
    private static String adminToken;
    private static JsonNode tokenAnswer;

    /** One documented operation. */
    private record Operation(String method, String template, JsonNode node) {
        String concretePath() {
            return template.replace("{accountId}", "~").replace("{extensionId}", "~")
                    .replace("{subscriptionId}", BOGUS_SUBSCRIPTION).replaceAll("\\{[^/}]+}", "1");
        }

        boolean basicAuth() {
            JsonNode security = node.get("security");
            return security != null && security.toString().contains("BasicAuth");
        }

        boolean open() {
            JsonNode security = node.get("security");
            return security != null && security.isArray() && security.isEmpty();
        }

        String group() {
            return node.path("x-throttling-group").asText(null);
        }

        String permission() {
            return node.path("x-app-permission").asText(null);
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(config -> config.withRateLimits(RateLimits.defaults()));
        demo = server.credentials();
        http = new Http(server.url());
        Http.Reply reply = http.get("/openapi.yaml", null);
        assertThat(reply.status()).as("GET /openapi.yaml: %s", reply.raw().body()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).contains("yaml");
        doc = new ObjectMapper(new YAMLFactory()).readTree(reply.raw().body());
        Http.Reply login = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", demo.admin().jwt()));
        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        tokenAnswer = login.json();
        adminToken = tokenAnswer.get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- the document itself ------------------------------------------------------------------

    @Test
    void isAnOpenApi31DocumentWithUniqueOperationIds() {
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
        assertThat(doc.path("components").path("securitySchemes").path("BasicAuth").path("scheme").asText())
                .isEqualTo("basic");
        assertThat(doc.path("components").path("securitySchemes").path("BearerAuth").path("scheme").asText())
                .isEqualTo("bearer");
        List<String> ids = new ArrayList<>();
        for (Operation op : operations()) {
            ids.add(op.node().path("operationId").asText(""));
            assertThat(op.group()).as("x-throttling-group of %s", op)
                    .isIn("Light", "Medium", "Heavy", "Auth", "Ingest", "NoThrottling");
            if (op.permission() != null) {
                assertThat(Permission.byName(op.permission())).as("x-app-permission of %s", op).isPresent();
            }
            assertThat(op.node().path("responses").isObject()).as("responses of %s", op).isTrue();
        }
        doc.path("webhooks").forEach(item -> item.properties().forEach(e -> {
            if (OPENAPI_METHODS.contains(e.getKey())) {
                ids.add(e.getValue().path("operationId").asText(""));
            }
        }));
        assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
    }

    @Test
    void everyRefResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        List<String> broken = refs.stream().distinct()
                .filter(ref -> !ref.startsWith("#/") || doc.at(JsonPointer.compile(ref.substring(1))).isMissingNode())
                .toList();
        assertThat(broken).as("unresolvable $ref").isEmpty();
    }

    @Test
    void webhooksDescribeTheSeedEnvelopeAndAccountPresenceBody() {
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(fieldNames(schemas.path("NotificationEnvelope").path("properties"))).isEqualTo(ENVELOPE_FIELDS);
        assertThat(fieldNames(schemas.path("AccountPresenceEventBody").path("properties")))
                .isEqualTo(SEED_BODY_FIELDS);
        Set<String> required = new TreeSet<>();
        schemas.path("AccountPresenceEventBody").path("required").forEach(n -> required.add(n.asText()));
        Set<String> expected = new TreeSet<>(SEED_BODY_FIELDS);
        expected.remove("telephonyStatus");
        assertThat(required).as("telephonyStatus is optional: returned if it changed").isEqualTo(expected);
        JsonNode hook = doc.path("webhooks").path("accountPresenceEvent").path("post");
        assertThat(hook.path("x-app-permission").asText()).isEqualTo("ReadAccounts");
        JsonNode content = hook.path("requestBody").path("content").elements().next();
        assertThat(content.path("schema").path("$ref").asText()).isEqualTo("#/components/schemas/AccountPresenceEvent");
        List<String> problems = new ArrayList<>();
        conform(content.path("example"), content.path("schema"), "seed example", problems);
        assertThat(problems).isEmpty();
        assertThat(fieldNames(content.path("example"))).isEqualTo(ENVELOPE_FIELDS);
        assertThat(fieldNames(content.path("example").path("body"))).isEqualTo(SEED_BODY_FIELDS);
    }

    // ---- the document's operations are exactly the server's routes ----------------------------

    @Test
    void everyDocumentedOperationIsServed() {
        List<String> unserved = new ArrayList<>();
        for (Operation op : operations()) {
            Http.Reply r = call(op.method(), op.concretePath(), BOGUS_BEARER, "application/json", "{}");
            if (!Set.of(200, 400, 401).contains(r.status()) || isRoutingError(r)) {
                unserved.add(op + " -> " + r.status() + " " + r.raw().body());
            }
        }
        // The batch form of the presence read is the same route with a comma-separated list of ids.
        Http.Reply batch = call("GET", "/restapi/v1.0/account/~/extension/1,2/presence", BOGUS_BEARER, null, null);
        if (batch.status() != 401) {
            unserved.add("GET batch presence -> " + batch.status() + " " + batch.raw().body());
        }
        assertThat(unserved).as("documented operations the server does not serve").isEmpty();
    }

    @Test
    void otherMethodsOnDocumentedPathsAreNotAllowed() {
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        for (Operation op : operations()) {
            documented.computeIfAbsent(op.template(), t -> new TreeSet<>()).add(op.method());
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<String>> path : documented.entrySet()) {
            String concrete = new Operation("GET", path.getKey(), doc).concretePath();
            for (String method : HTTP_METHODS) {
                if (path.getValue().contains(method)) {
                    continue;
                }
                Http.Reply r = call(method, concrete, BOGUS_BEARER, "application/json", "{}");
                Set<String> allow = r.header("Allow") == null ? Set.of()
                        : Arrays.stream(r.header("Allow").split(",")).map(String::trim)
                                .collect(Collectors.toCollection(TreeSet::new));
                if (r.status() != 405 || !errorCode(r).equals("CMN-405") || !allow.equals(path.getValue())) {
                    wrong.add(method + " " + path.getKey() + " -> " + r.status() + " Allow=" + allow + " "
                            + r.raw().body());
                }
            }
        }
        assertThat(wrong).as("undocumented methods the server answers (or answers with the wrong Allow)").isEmpty();
    }

    @Test
    void plausibleUndocumentedPathsAreNotFound() {
        List<Pattern> templates = operations().stream().map(op -> templateRegex(op.template())).distinct().toList();
        List<String> wrong = new ArrayList<>();
        int probed = 0;
        for (String[] probe : PLAUSIBLE_UNDOCUMENTED) {
            if (templates.stream().anyMatch(t -> t.matcher(probe[1]).matches())) {
                continue; // documented since this list was written: covered by the other probes
            }
            probed++;
            Http.Reply r = call(probe[0], probe[1], BOGUS_BEARER, "application/json", "{}");
            if (r.status() != 404 || !errorCode(r).equals("CMN-120")) {
                wrong.add(probe[0] + " " + probe[1] + " -> " + r.status() + " " + r.raw().body());
            }
        }
        assertThat(probed).isPositive();
        assertThat(wrong).as("routes the server answers that the document does not list").isEmpty();
    }

    // ---- extensions: throttling groups and app permissions -------------------------------------

    @Test
    void throttlingGroupsAreTheServers() {
        List<String> wrong = new ArrayList<>();
        for (Operation op : operations()) {
            Http.Reply r;
            if (op.basicAuth()) {
                String form = op.template().endsWith("/token") ? "grant_type=no-such-grant" : "token=no-such-token";
                r = call(op.method(), op.concretePath(), basic(demo.clientId(), demo.clientSecret()),
                        "application/x-www-form-urlencoded", form);
            } else {
                r = call(op.method(), op.concretePath(), "Bearer " + adminToken, "application/json", "{}");
            }
            String served = r.header("X-Rate-Limit-Group");
            String expected = "NoThrottling".equals(op.group()) ? null : op.group();
            if (served == null ? expected != null : !served.equals(expected)) {
                wrong.add(op + ": documented " + op.group() + ", served " + served + " (" + r.status() + ")");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void appPermissionsAreTheServers() {
        Admin.CreatedApp app;
        try (JdbcStore store = JdbcStore.sqlite(server.dataDir())) {
            app = new Admin(store, Clock.systemUTC()).createApp("OpenAPI probe",
                    EnumSet.of(Permission.EditExtensions)); // a permission no documented route needs
        }
        Http.Reply login = http.form("/restapi/oauth/token", app.clientId(), app.clientSecret(),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", demo.admin().jwt()));
        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        String token = login.json().get("access_token").asText();
        List<String> wrong = new ArrayList<>();
        for (Operation op : operations()) {
            if (op.basicAuth() || op.open()) {
                assertThat(op.permission()).as("x-app-permission of %s", op).isNull();
                continue;
            }
            Http.Reply r = call(op.method(), op.concretePath(), "Bearer " + token, "application/json", "{}");
            boolean refused = r.status() == 403 && errorCode(r).equals("InsufficientPermissions");
            String named = refused ? r.json().path("permissionName").asText() : null;
            if (op.permission() == null ? refused : !op.permission().equals(named)) {
                wrong.add(op + ": documented " + op.permission() + ", served " + r.status() + " " + r.raw().body());
            }
        }
        assertThat(wrong).isEmpty();
    }

    // ---- live answers have the documented shapes -----------------------------------------------

    @Test
    void answersHaveTheDocumentedShapes() {
        List<String> problems = new ArrayList<>();
        String bearer = "Bearer " + adminToken;
        check(problems, "POST", "/restapi/oauth/token", 200, tokenAnswer);
        String presence = "/restapi/v1.0/account/{accountId}/extension/{extensionId}/presence";
        expect(problems, "GET", presence, "/restapi/v1.0/account/~/extension/~/presence", bearer, null, 200);
        expect(problems, "GET", presence, "/restapi/v1.0/account/~/extension/~/presence?detailedTelephonyState=true",
                bearer, null, 200);
        expect(problems, "GET", presence, "/restapi/v1.0/account/~/extension/~/presence?detailedTelephonyState=maybe",
                bearer, null, 400);
        expect(problems, "GET", presence, "/restapi/v1.0/account/~/extension/999999999/presence", bearer, null, 404);
        expect(problems, "GET", presence, "/restapi/v1.0/account/999999999/extension/~/presence", bearer, null, 403);
        expect(problems, "GET", presence, "/restapi/v1.0/account/~/extension/~/presence", BOGUS_BEARER, null, 401);
        expect(problems, "PUT", presence, "/restapi/v1.0/account/~/extension/~/presence", bearer,
                "{\"userStatus\":\"Sleepy\"}", 400);
        expect(problems, "PUT", presence, "/restapi/v1.0/account/~/extension/~/presence", bearer, "{}", 200);
        String accountPresence = "/restapi/v1.0/account/{accountId}/presence";
        expect(problems, "GET", accountPresence, "/restapi/v1.0/account/~/presence?perPage=2&page=2", bearer, null, 200);
        expect(problems, "GET", accountPresence, "/restapi/v1.0/account/~/presence?page=999", bearer, null, 200);
        expect(problems, "GET", accountPresence, "/restapi/v1.0/account/~/presence?perPage=0", bearer, null, 400);
        expect(problems, "GET", "/restapi/v1.0/account/{accountId}", "/restapi/v1.0/account/~", bearer, null, 200);
        String extensions = "/restapi/v1.0/account/{accountId}/extension";
        expect(problems, "GET", extensions, "/restapi/v1.0/account/~/extension?perPage=3", bearer, null, 200);
        expect(problems, "GET", extensions, "/restapi/v1.0/account/~/extension?type=User&status=Enabled", bearer,
                null, 200);
        expect(problems, "GET", "/restapi/v1.0/account/{accountId}/extension/{extensionId}",
                "/restapi/v1.0/account/~/extension/~", bearer, null, 200);
        expect(problems, "POST", "/restapi/oauth/wstoken", "/restapi/oauth/wstoken", bearer, null, 200);
        expect(problems, "GET", "/restapi/v1.0/subscription", "/restapi/v1.0/subscription", bearer, null, 200);
        expect(problems, "GET", "/restapi/v1.0/subscription/{subscriptionId}",
                "/restapi/v1.0/subscription/" + BOGUS_SUBSCRIPTION, bearer, null, 404);
        expect(problems, "POST", "/restapi/v1.0/subscription", "/restapi/v1.0/subscription", bearer,
                "{\"eventFilters\":[\"/restapi/v1.0/account/~/nonsense\"],\"deliveryMode\":{\"transportType\":"
                        + "\"WebHook\",\"address\":\"http://127.0.0.1:9/\"}}", 400);
        expect(problems, "GET", "/health", "/health", null, null, 200);
        Http.Reply badClient = http.form("/restapi/oauth/token", demo.clientId(), "wrong-secret",
                Map.of("grant_type", "password", "username", "x", "password", "y"));
        assertThat(badClient.status()).isEqualTo(401);
        check(problems, "POST", "/restapi/oauth/token", 401, badClient.json());

        // Sources: a call with SIP data shows in the detailed presence; a bad item is rejected alone.
        String admin = demo.admin().extensionId();
        Instant t0 = Instant.now();
        String callEvent = "{\"accountId\":\"~\",\"telephonySessionId\":\"openapi-s1\",\"eventTime\":\"%s\","
                + "\"parties\":[{\"id\":\"p1\",\"extensionId\":\"" + admin + "\",\"direction\":\"Inbound\","
                + "\"from\":{\"phoneNumber\":\"+15550123456\",\"name\":\"Caller\"},\"to\":{\"phoneNumber\":"
                + "\"101\",\"extensionId\":\"" + admin + "\"},\"status\":{\"code\":\"%s\"},\"sipData\":{\"toTag\":"
                + "\"a\",\"fromTag\":\"b\",\"remoteUri\":\"sip:x@y\",\"localUri\":\"sip:z@y\"}}]}";
        Http.Reply ingested = call("POST", "/ingest/v1/telephony", bearer, "application/json",
                "[" + callEvent.formatted(t0, "Answered") + ",{\"accountId\":\"~\"}]");
        assertThat(ingested.status()).as(ingested.raw().body()).isEqualTo(200);
        assertThat(ingested.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(ingested.json().path("rejected").asInt()).isEqualTo(1);
        check(problems, "POST", "/ingest/v1/telephony", 200, ingested.json());
        Http.Reply detailed = call("GET", "/restapi/v1.0/account/~/extension/~/presence?detailedTelephonyState=true"
                + "&sipData=true", bearer, null, null);
        assertThat(detailed.json().path("activeCalls").size()).as(detailed.raw().body()).isEqualTo(1);
        assertThat(detailed.json().path("activeCalls").get(0).has("sipData")).isTrue();
        check(problems, "GET", presence, 200, detailed.json());
        Http.Reply hungUp = call("POST", "/ingest/v1/telephony", bearer, "application/json",
                "[" + callEvent.formatted(t0.plusSeconds(1), "Disconnected") + "]");
        assertThat(hungUp.json().path("accepted").asInt()).as(hungUp.raw().body()).isEqualTo(1);
        String meeting = "[{\"accountId\":\"~\",\"extensionId\":\"" + admin + "\",\"meetingId\":\"openapi-m1\","
                + "\"status\":\"%s\",\"eventTime\":\"%s\"}]";
        expect(problems, "POST", "/ingest/v1/meetings", "/ingest/v1/meetings", bearer,
                meeting.formatted("Connected", t0), 200);
        expect(problems, "POST", "/ingest/v1/meetings", "/ingest/v1/meetings", bearer,
                meeting.formatted("Disconnected", t0.plusSeconds(1)), 200);
        expect(problems, "POST", "/ingest/v1/meetings", "/ingest/v1/meetings", bearer, "{}", 400);

        Http.Reply batch = call("GET", "/restapi/v1.0/account/~/extension/~," + demo.admin().extensionId()
                + ",999999999/presence", bearer, null, null);
        assertThat(batch.status()).isEqualTo(207);
        assertThat(batch.header("Content-Type")).startsWith("multipart/mixed");
        assertThat(operation("GET", presence).path("responses").path("207").path("content").has("multipart/mixed"))
                .isTrue();
        assertThat(problems).isEmpty();
    }

    @Test
    void subscriptionAnswersAndNotificationsHaveTheDocumentedShapes() throws Exception {
        BlockingQueue<Map.Entry<Map<String, String>, byte[]>> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String validation = exchange.getRequestHeaders().getFirst("Validation-Token");
            if (validation != null) {
                exchange.getResponseHeaders().add("Validation-Token", validation);
            } else {
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
                received.add(Map.entry(headers, body));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        List<String> problems = new ArrayList<>();
        String bearer = "Bearer " + adminToken;
        try {
            String address = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Http.Reply created = call("POST", "/restapi/v1.0/subscription", bearer, "application/json",
                    "{\"eventFilters\":[\"/restapi/v1.0/account/~/presence\"],\"deliveryMode\":{\"transportType\":"
                            + "\"WebHook\",\"address\":\"" + address + "\",\"verificationToken\":\"vt-1\"},"
                            + "\"expiresIn\":3600}");
            assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
            check(problems, "POST", "/restapi/v1.0/subscription", 200, created.json());
            String id = created.json().get("id").asText();
            String one = "/restapi/v1.0/subscription/{subscriptionId}";
            expect(problems, "GET", one, "/restapi/v1.0/subscription/" + id, bearer, null, 200);
            expect(problems, "GET", "/restapi/v1.0/subscription", "/restapi/v1.0/subscription", bearer, null, 200);
            expect(problems, "POST", one + "/renew", "/restapi/v1.0/subscription/" + id + "/renew", bearer, null,
                    200);
            expect(problems, "PUT", one, "/restapi/v1.0/subscription/" + id, bearer, "{\"expiresIn\":7200}", 200);

            // One presence change makes one Account Presence Event.
            String own = "/restapi/v1.0/account/~/extension/~/presence";
            String now = call("GET", own, bearer, null, null).json().path("userStatus").asText();
            String next = now.equals("Busy") ? "Available" : "Busy";
            Http.Reply put = call("PUT", own, bearer, "application/json", "{\"userStatus\":\"" + next + "\"}");
            assertThat(put.status()).as(put.raw().body()).isEqualTo(200);
            Map.Entry<Map<String, String>, byte[]> note = received.poll(30, TimeUnit.SECONDS);
            assertThat(note).as("a notification within 30 s").isNotNull();
            ObjectNode envelope = (ObjectNode) new ObjectMapper().readTree(note.getValue());
            JsonNode hook = doc.path("webhooks").path("accountPresenceEvent").path("post");
            conform(envelope, hook.path("requestBody").path("content").elements().next().path("schema"),
                    "notification", problems);
            assertThat(fieldNames(envelope)).isEqualTo(ENVELOPE_FIELDS);
            List<String> seedOrder = SEED_BODY_FIELDS.stream().filter(envelope.get("body")::has).toList();
            assertThat(fieldNames(envelope.get("body"))).isEqualTo(seedOrder);
            assertThat(envelope.get("event").asText())
                    .isEqualTo("/restapi/v1.0/account/~/extension/" + demo.admin().extensionId() + "/presence");
            for (JsonNode p : hook.path("parameters")) {
                JsonNode param = deref(p);
                if (param.path("required").asBoolean(false)) {
                    assertThat(note.getKey()).as("header %s", param.path("name").asText())
                            .containsKey(param.path("name").asText().toLowerCase(Locale.ROOT));
                }
            }
            assertThat(note.getKey()).containsEntry("webhook-id", envelope.get("uuid").asText())
                    .containsEntry("verification-token", "vt-1");

            Http.Reply deleted = call("DELETE", "/restapi/v1.0/subscription/" + id, bearer, null, null);
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(operation("DELETE", one).path("responses").has("204")).isTrue();
        } finally {
            receiver.stop(0);
        }
        assertThat(problems).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(e -> {
            if (OPENAPI_METHODS.contains(e.getKey())) {
                ops.add(new Operation(e.getKey().toUpperCase(Locale.ROOT), path.getKey(), e.getValue()));
            }
        }));
        assertThat(ops).isNotEmpty();
        return ops;
    }

    private static JsonNode operation(String method, String template) {
        JsonNode op = doc.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        assertThat(op.isObject()).as("documented: %s %s", method, template).isTrue();
        return op;
    }

    private static Pattern templateRegex(String template) {
        return Pattern.compile(Arrays.stream(template.split("\\{[^/}]+}", -1)).map(Pattern::quote)
                .collect(Collectors.joining("[^/]+")));
    }

    private static boolean isRoutingError(Http.Reply r) {
        return (r.status() == 404 && errorCode(r).equals("CMN-120")) || (r.status() == 405
                && errorCode(r).equals("CMN-405"));
    }

    private static String errorCode(Http.Reply r) {
        try {
            return r.json().path("errorCode").asText("");
        } catch (UncheckedIOException e) {
            return "";
        }
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static Http.Reply call(String method, String path, String authorization, String contentType,
                                   String body) {
        boolean withBody = body != null && !method.equals("GET") && !method.equals("DELETE");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, withBody ? HttpRequest.BodyPublishers.ofString(body)
                        : HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (withBody && contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build());
    }

    /** Calls the server and checks the JSON answer against the documented response of that status. */
    private static void expect(List<String> problems, String method, String template, String path,
                               String authorization, String body, int status) {
        Http.Reply r = call(method, path, authorization, "application/json", body);
        if (r.status() != status) {
            problems.add(method + " " + path + ": expected " + status + ", got " + r.status() + " " + r.raw().body());
            return;
        }
        check(problems, method, template, status, r.json());
    }

    private static void check(List<String> problems, String method, String template, int status, JsonNode body) {
        JsonNode response = deref(operation(method, template).path("responses").path(String.valueOf(status)));
        if (response.isMissingNode()) {
            problems.add(method + " " + template + ": status " + status + " is not documented");
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> contents = response.path("content").fields();
        JsonNode schema = null;
        while (contents.hasNext()) {
            Map.Entry<String, JsonNode> c = contents.next();
            if (c.getKey().contains("json")) {
                schema = c.getValue().path("schema");
            }
        }
        if (schema == null) {
            problems.add(method + " " + template + " " + status + ": no JSON schema documented");
            return;
        }
        conform(body, schema, method + " " + template + " " + status, problems);
    }

    private static JsonNode deref(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 20 && current.has("$ref"); i++) {
            current = doc.at(JsonPointer.compile(current.get("$ref").asText().substring(1)));
        }
        return current;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The schema and the parts of its {@code allOf}, dereferenced, flattened. */
    private static List<JsonNode> parts(JsonNode schema) {
        List<JsonNode> result = new ArrayList<>();
        JsonNode s = deref(schema);
        result.add(s);
        for (JsonNode sub : s.path("allOf")) {
            result.addAll(parts(sub));
        }
        return result;
    }

    /**
     * A small, strict JSON Schema check for the subset this document uses: types, enums, consts, required
     * properties, and no property the schema does not declare.
     */
    private static void conform(JsonNode value, JsonNode schema, String where, List<String> problems) {
        List<JsonNode> parts = parts(schema);
        Set<String> declared = new LinkedHashSet<>();
        boolean hasProperties = false;
        for (JsonNode part : parts) {
            JsonNode type = part.get("type");
            if (type != null && !typeMatches(value, type)) {
                problems.add(where + ": expected " + type.asText() + ", got " + value);
                return;
            }
            if (part.has("enum")) {
                boolean found = false;
                for (JsonNode option : part.get("enum")) {
                    found |= option.equals(value);
                }
                if (!found) {
                    problems.add(where + ": " + value + " is not one of " + part.get("enum"));
                }
            }
            if (part.has("const") && !part.get("const").equals(value)) {
                problems.add(where + ": " + value + " is not " + part.get("const"));
            }
            if (value.isObject()) {
                for (JsonNode name : part.path("required")) {
                    if (!value.has(name.asText())) {
                        problems.add(where + ": required property " + name.asText() + " is missing");
                    }
                }
                if (part.has("properties")) {
                    hasProperties = true;
                    part.get("properties").properties().forEach(p -> {
                        declared.add(p.getKey());
                        if (value.has(p.getKey())) {
                            conform(value.get(p.getKey()), p.getValue(), where + "." + p.getKey(), problems);
                        }
                    });
                }
            }
            if (value.isArray() && part.has("items")) {
                int i = 0;
                for (JsonNode item : value) {
                    conform(item, part.get("items"), where + "[" + i++ + "]", problems);
                }
            }
        }
        if (value.isObject() && hasProperties) {
            value.fieldNames().forEachRemaining(name -> {
                if (!declared.contains(name)) {
                    problems.add(where + ": property " + name + " is not documented");
                }
            });
        }
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(value, t)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
    }
}
