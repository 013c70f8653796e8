package io.presenced.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import io.presenced.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The life of a WSG session: what comes first, pings, the recovery buffer and timeout, the absolute timeout,
 * subscription update and delete over the socket, a client that stops reading, and a restart.
 */
class WsgSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A server with its own WSG settings, and a logged-in admin. */
    private static final class Fixture implements AutoCloseable {
        final TestServer server;
        final Http http;
        final DemoAccount.Credentials demo;
        final String bearer;

        Fixture(WsSettings settings) {
            server = TestServer.start(c -> c.withWebSocket(settings));
            http = new Http(server.url());
            demo = server.credentials();
            bearer = token(demo.admin());
        }

        String token(DemoAccount.User user) {
            return http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(), Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", user.jwt()))
                    .json().get("access_token").asText();
        }

        String wsUri() {
            JsonNode ws = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/restapi/oauth/wstoken"))
                    .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody()).build())
                    .json();
            return ws.get("uri").asText() + "?access_token=" + ws.get("ws_access_token").asText();
        }

        void setStatus(DemoAccount.User user, String status) {
            assertThat(http.putJson("/restapi/v1.0/account/~/extension/" + user.extensionId() + "/presence", bearer,
                    "{\"userStatus\":\"" + status + "\"}").status()).isEqualTo(200);
        }

        /** Connects and subscribes to the account filter; the subscription id. */
        String subscribe(WsClient client) {
            client.awaitFrame("ConnectionDetails", 0);
            client.send(subscribeFrame("s-1", "/restapi/v1.0/account/~/presence"));
            JsonNode reply = client.awaitFrame("ClientRequest", 0);
            assertThat(reply.get(0).get("status").asInt()).as(reply.toString()).isEqualTo(200);
            return reply.get(0).get("headers").get("WSG-SubscriptionId").asText();
        }

        String metrics() {
            return http.get("/metrics", null).raw().body();
        }

        /** A session that subscribed, went away (closing cleanly), and then missed {@code statuses} of {@code user}. */
        Away goAwayAndMiss(DemoAccount.User user, List<String> statuses) {
            WsClient client = WsClient.connect(wsUri());
            String wsc = wsc(client);
            String subscription = subscribe(client);
            client.close();
            statuses.forEach(status -> setStatus(user, status));
            return new Away(wsc, subscription);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** A session away: its wsc token and its subscription. */
    private record Away(String wsc, String subscription) {
    }

    private static WsSettings settings(int recoveryBuffer, Duration recovery, Duration idle, Duration absolute,
                                       int outbound) {
        return new WsSettings(recoveryBuffer, recovery, idle, absolute, 10, outbound);
    }

    private static String subscribeFrame(String messageId, String filter) {
        return "[{\"type\":\"ClientRequest\",\"messageId\":\"" + messageId + "\",\"method\":\"POST\","
                + "\"path\":\"/restapi/v1.0/subscription\",\"headers\":{}},{\"eventFilters\":[\"" + filter + "\"],"
                + "\"deliveryMode\":{\"transportType\":\"WebSocket\"}}]";
    }

    private static String wsc(WsClient client) {
        return client.awaitFrame("ConnectionDetails", 0).get(0).get("wsc").get("token").asText();
    }

    private static List<Long> sequences(List<JsonNode> notifications) {
        return notifications.stream().map(f -> f.get(1).get("body").get("sequence").asLong()).toList();
    }

    @Test
    void connectionDetailsComesFirstEvenWhenARecoveredSessionHasNotificationsWaiting() {
        try (Fixture f = new Fixture(WsSettings.defaults())) {
            Away away = f.goAwayAndMiss(f.demo.users().get(0), List.of("Busy", "Available", "Busy", "Available"));
            String wsc = away.wsc();
            WsClient again = WsClient.connect(f.wsUri() + "&wsc=" + wsc);
            await().atMost(WAIT).until(() -> again.ofType("ServerNotification").size() == 4);
            assertThat(again.frames.getFirst().get(0).get("type").asText()).isEqualTo("ConnectionDetails");
            assertThat(again.frames.getFirst().get(1).get("recoveryState").asText()).isEqualTo("Successful");
            assertThat(sequences(again.ofType("ServerNotification"))).containsExactly(1L, 2L, 3L, 4L);
            again.close();
        }
    }

    @Test
    void answersPingsWithPongsAndCountsThemAsActivity() throws InterruptedException {
        try (Fixture f = new Fixture(settings(100, Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofSeconds(3600), 4096))) {
            WsClient client = WsClient.connect(f.wsUri());
            client.awaitFrame("ConnectionDetails", 0);
            long end = System.nanoTime() + Duration.ofMillis(3500).toNanos();
            while (System.nanoTime() < end) {
                client.ping();
                Thread.sleep(400);
            }
            await().atMost(WAIT).until(() -> client.pongs.get() >= 5);
            assertThat(client.ofType("Error")).as("pings keep the connection from idling out").isEmpty();
            assertThat(client.closedByServer()).isFalse();
            client.close();
        }
    }

    @Test
    void recoveryFailsWhenTheSessionMissedMoreThanTheRecoveryBuffer() {
        try (Fixture f = new Fixture(settings(3, Duration.ofSeconds(60), Duration.ofSeconds(1800),
                Duration.ofSeconds(3600), 4096))) {
            Away away = f.goAwayAndMiss(f.demo.users().get(1), List.of("Busy", "Available", "Busy", "Available"));
            String wsc = away.wsc();
            String subscription = away.subscription();
            WsClient again = WsClient.connect(f.wsUri() + "&wsc=" + wsc);
            JsonNode details = again.awaitFrame("ConnectionDetails", 0);
            assertThat(details.get(1).get("recoveryState").asText()).isEqualTo("Failed");
            assertThat(details.get(0).get("wsc").get("token").asText()).isNotEqualTo(wsc);
            assertThat(f.http.get("/restapi/v1.0/subscription/" + subscription, f.bearer).status())
                    .as("the failed session's subscription ended with it").isEqualTo(404);
            assertThat(again.ofType("ServerNotification")).isEmpty();
            assertThat(f.metrics()).contains("presenced_ws_recoveries_total{outcome=\"Failed\"}");
            again.close();
        }
    }

    @Test
    void recoveryWithinTheBufferSucceedsWithExactlyWhatWasMissed() {
        try (Fixture f = new Fixture(settings(3, Duration.ofSeconds(60), Duration.ofSeconds(1800),
                Duration.ofSeconds(3600), 4096))) {
            Away away = f.goAwayAndMiss(f.demo.users().get(1), List.of("Busy", "Available", "Busy"));
            String wsc = away.wsc();
            WsClient again = WsClient.connect(f.wsUri() + "&wsc=" + wsc);
            assertThat(again.awaitFrame("ConnectionDetails", 0).get(1).get("recoveryState").asText())
                    .isEqualTo("Successful");
            await().atMost(WAIT).until(() -> again.ofType("ServerNotification").size() == 3);
            assertThat(sequences(again.ofType("ServerNotification"))).containsExactly(1L, 2L, 3L);
            again.close();
        }
    }

    @Test
    void recoveryFailsAfterTheRecoveryTimeout() {
        try (Fixture f = new Fixture(settings(100, Duration.ofSeconds(1), Duration.ofSeconds(1800),
                Duration.ofSeconds(3600), 4096))) {
            Away away = f.goAwayAndMiss(f.demo.users().get(1), List.of());
            String wsc = away.wsc();
            String subscription = away.subscription();
            await().pollDelay(Duration.ofMillis(2500)).atMost(WAIT).until(() -> true);
            WsClient again = WsClient.connect(f.wsUri() + "&wsc=" + wsc);
            assertThat(again.awaitFrame("ConnectionDetails", 0).get(1).get("recoveryState").asText())
                    .isEqualTo("Failed");
            assertThat(f.http.get("/restapi/v1.0/subscription/" + subscription, f.bearer).status()).isEqualTo(404);
            again.close();
        }
    }

    @Test
    void endsTheSessionAtTheAbsoluteTimeoutWithWsg903() {
        try (Fixture f = new Fixture(settings(100, Duration.ofSeconds(60), Duration.ofSeconds(1800),
                Duration.ofSeconds(2), 4096))) {
            WsClient client = WsClient.connect(f.wsUri());
            String wsc = wsc(client);
            String subscription = f.subscribe(client);
            JsonNode error = client.awaitFrame("Error", 0);
            assertThat(error.get(1).get("errorCode").asText()).isEqualTo("WSG-903");
            await().atMost(WAIT).until(client::closedByServer);
            assertThat(f.http.get("/restapi/v1.0/subscription/" + subscription, f.bearer).status()).isEqualTo(404);
            WsClient again = WsClient.connect(f.wsUri() + "&wsc=" + wsc);
            assertThat(again.awaitFrame("ConnectionDetails", 0).get(1).get("recoveryState").asText())
                    .isEqualTo("Failed");
            assertThat(f.metrics()).contains("presenced_ws_closed_total{reason=\"absolute\"}");
            again.close();
        }
    }

    @Test
    void updatesAndDeletesTheSubscriptionOverTheSocket() {
        try (Fixture f = new Fixture(WsSettings.defaults())) {
            WsClient client = WsClient.connect(f.wsUri());
            String id = f.subscribe(client);
            DemoAccount.User watched = f.demo.users().get(2);
            DemoAccount.User other = f.demo.users().get(3);
            client.send("[{\"type\":\"ClientRequest\",\"messageId\":\"u-1\",\"method\":\"PUT\",\"path\":"
                    + "\"/restapi/v1.0/subscription/" + id + "\",\"headers\":{}},{\"eventFilters\":["
                    + "\"/restapi/v1.0/account/~/extension/" + watched.extensionId() + "/presence\"]}]");
            JsonNode updated = client.awaitFrame("ClientRequest", 1);
            assertThat(updated.get(0).get("messageId").asText()).isEqualTo("u-1");
            assertThat(updated.get(0).get("status").asInt()).isEqualTo(200);
            assertThat(updated.get(0).get("headers").get("WSG-SubscriptionId").asText()).isEqualTo(id);
            assertThat(updated.get(1).get("eventFilters").get(0).asText()).endsWith("/extension/"
                    + watched.extensionId() + "/presence");

            f.setStatus(other, "Busy");
            f.setStatus(watched, "Busy");
            JsonNode note = client.awaitFrame("ServerNotification", 0);
            assertThat(note.get(1).get("body").get("extensionId").asText()).isEqualTo(watched.extensionId());
            assertThat(note.get(1).get("body").has("telephonyStatus")).as("an extension-level body").isTrue();

            client.send("[{\"type\":\"ClientRequest\",\"messageId\":\"d-1\",\"method\":\"DELETE\",\"path\":"
                    + "\"/restapi/v1.0/subscription/" + id + "\",\"headers\":{}}]");
            JsonNode deleted = client.awaitFrame("ClientRequest", 2);
            assertThat(deleted.get(0).get("status").asInt()).isEqualTo(204);
            assertThat(f.http.get("/restapi/v1.0/subscription/" + id, f.bearer).status()).isEqualTo(404);
            f.setStatus(watched, "Available");
            f.setStatus(watched, "Busy");
            // A marker subscription on a second connection proves the events were dispatched.
            WsClient marker = WsClient.connect(f.wsUri());
            f.subscribe(marker);
            f.setStatus(watched, "Available");
            marker.awaitFrame("ServerNotification", 0);
            assertThat(client.ofType("ServerNotification")).hasSize(1);
            client.close();
            marker.close();
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWithWsg904AndItsSessionRecoversEveryEvent() throws Exception {
        try (Fixture f = new Fixture(settings(1000, Duration.ofSeconds(60), Duration.ofSeconds(1800),
                Duration.ofSeconds(3600), 16))) {
            RawClient stuck = RawClient.connect(f.wsUri());
            JsonNode details = JSON.readTree(stuck.readText());
            String wsc = details.get(0).get("wsc").get("token").asText();
            stuck.sendText(subscribeFrame("s-1", "/restapi/v1.0/account/~/presence?detailedTelephonyState=true"));
            JsonNode reply = JSON.readTree(stuck.readText());
            assertThat(reply.get(0).get("status").asInt()).isEqualTo(200);

            // The client reads nothing more while a few thousand events happen, each listing seven calls with long
            // names, more than the socket's buffers hold: seven calls ring, then are answered and held in turn.
            List<DemoAccount.User> users = f.demo.users();
            String name = "x".repeat(300);
            int rounds = 200;
            for (int round = 0; round < rounds; round++) {
                String code = round < 7 ? "Setup" : (round / 7) % 2 == 1 ? "Answered" : "Hold";
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < users.size(); i++) {
                    String ext = users.get(i).extensionId();
                    batch.append(i == 0 ? "" : ",").append("{\"accountId\":\"~\",\"telephonySessionId\":\"t-")
                            .append(ext).append('-').append(round % 7).append("\",\"eventTime\":\"")
                            .append(java.time.Instant.ofEpochSecond(1_700_000_000L + round))
                            .append("\",\"parties\":[{\"id\":\"p\",\"extensionId\":\"").append(ext)
                            .append("\",\"direction\":\"Inbound\",\"from\":{\"phoneNumber\":\"+15550001111\",\"name\":\"")
                            .append(name).append("\"},\"to\":{\"phoneNumber\":\"+15550002222\",\"name\":\"").append(name)
                            .append("\"},\"status\":{\"code\":\"").append(code).append("\"}}]}");
                }
                batch.append(']');
                Http.Reply r = f.http.send("POST", "/ingest/v1/telephony", f.bearer, "application/json",
                        batch.toString());
                assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
                assertThat(r.json().get("accepted").asInt()).as(r.raw().body()).isEqualTo(users.size());
            }
            await().atMost(WAIT).until(() -> f.metrics().contains("presenced_ws_closed_total{reason=\"overflow\"}"));

            // It reads again: what reached it before the close, then the session recovers the rest.
            List<JsonNode> received = new ArrayList<>(stuck.readUntilClosed());
            WsClient again = WsClient.connect(f.wsUri() + "&wsc=" + wsc);
            assertThat(again.awaitFrame("ConnectionDetails", 0).get(1).get("recoveryState").asText())
                    .isEqualTo("Successful");
            int expected = rounds * users.size();
            await().atMost(WAIT).untilAsserted(() -> assertThat(distinct(received, again.ofType("ServerNotification")))
                    .as("before the close %d frames, after the recovery %d", received.size(),
                            again.ofType("ServerNotification").size()).isEqualTo(expected));
            Map<String, TreeSet<Long>> seen = new HashMap<>();
            List<JsonNode> all = new ArrayList<>(received);
            all.addAll(again.ofType("ServerNotification"));
            for (JsonNode n : all) {
                if (n.get(0).path("type").asText().equals("ServerNotification")) {
                    seen.computeIfAbsent(n.get(1).get("body").get("extensionId").asText(), k -> new TreeSet<>())
                            .add(n.get(1).get("body").get("sequence").asLong());
                }
            }
            for (DemoAccount.User u : users) {
                assertThat(seen.get(u.extensionId())).as("extension %s", u.extensionId()).hasSize(rounds)
                        .first().isEqualTo(1L);
                assertThat(seen.get(u.extensionId()).last()).isEqualTo((long) rounds);
            }
            again.close();
        }
    }

    @Test
    void aConnectionLostWithoutACloseHasItsLastNotificationsSentAgainOnRecovery() throws Exception {
        try (Fixture f = new Fixture(WsSettings.defaults())) {
            RawClient raw = RawClient.connect(f.wsUri());
            String wsc = JSON.readTree(raw.readText()).get(0).get("wsc").get("token").asText();
            raw.sendText(subscribeFrame("s-1", "/restapi/v1.0/account/~/presence"));
            assertThat(JSON.readTree(raw.readText()).get(0).get("status").asInt()).isEqualTo(200);
            DemoAccount.User user = f.demo.users().get(4);
            List<String> seen = new ArrayList<>();
            for (String status : List.of("Busy", "Available", "Busy")) {
                f.setStatus(user, status);
                seen.add(JSON.readTree(raw.readText()).get(1).get("uuid").asText());
            }
            // The network goes: no close frame, the connection is reset.
            raw.reset();
            f.setStatus(user, "Available");

            WsClient again = WsClient.connect(f.wsUri() + "&wsc=" + wsc);
            assertThat(again.awaitFrame("ConnectionDetails", 0).get(1).get("recoveryState").asText())
                    .isEqualTo("Successful");
            await().atMost(WAIT).until(() -> again.ofType("ServerNotification").size() >= 4);
            List<String> replayed = again.ofType("ServerNotification").stream()
                    .map(n -> n.get(1).get("uuid").asText()).toList();
            assertThat(replayed).as("what the lost connection had been sent comes again, same uuids, then the rest")
                    .startsWith(seen.toArray(String[]::new)).hasSize(4);
            assertThat(sequences(again.ofType("ServerNotification"))).containsExactly(1L, 2L, 3L, 4L);
            again.close();
        }
    }

    private static long distinct(List<JsonNode> first, List<JsonNode> second) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (List<JsonNode> list : List.of(first, second)) {
            for (JsonNode n : list) {
                if (n.get(0).path("type").asText().equals("ServerNotification")) {
                    ids.add(n.get(1).get("uuid").asText());
                }
            }
        }
        return ids.size();
    }

    @Test
    void aRestartDeletesTheWebSocketSubscriptionsOfTheSessionsItEnded() throws Exception {
        java.nio.file.Path data;
        String subscription;
        String jwt;
        DemoAccount.Credentials demo;
        try (Fixture f = new Fixture(WsSettings.defaults())) {
            data = f.server.dataDir();
            demo = f.demo;
            jwt = demo.admin().jwt();
            WsClient client = WsClient.connect(f.wsUri());
            subscription = f.subscribe(client);
            assertThat(f.http.get("/restapi/v1.0/subscription/" + subscription, f.bearer).status()).isEqualTo(200);
        }
        io.presenced.Presenced again = io.presenced.Presenced.start(io.presenced.ServerConfig.defaults().withPort(0)
                .withHost("127.0.0.1").withDataDir(data));
        try {
            Http http = new Http("http://127.0.0.1:" + again.port());
            String bearer = http.form("/restapi/oauth/token", demo.clientId(), demo.clientSecret(), Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", jwt))
                    .json().get("access_token").asText();
            assertThat(http.get("/restapi/v1.0/subscription/" + subscription, bearer).status()).isEqualTo(404);
            assertThat(http.get("/restapi/v1.0/subscription", bearer).json().get("records")).isEmpty();
        } finally {
            again.close();
        }
    }

    /**
     * A WebSocket client on a plain socket with a tiny receive buffer, so that it can stop reading and let the
     * server's writes back up.
     */
    private static final class RawClient {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private RawClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawClient connect(String uri) throws IOException {
            URI u = URI.create(uri);
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
            s.setSoTimeout(15_000);
            String key = Base64.getEncoder().encodeToString(new byte[16]);
            String request = "GET " + u.getRawPath() + "?" + u.getRawQuery() + " HTTP/1.1\r\nHost: " + u.getHost()
                    + ":" + u.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            RawClient c = new RawClient(s);
            String status = c.line();
            assertThat(status).contains("101");
            while (!c.line().isEmpty()) {
                // the upgrade's headers
            }
            return c;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int ch;
            while ((ch = in.read()) != -1 && ch != '\n') {
                if (ch != '\r') {
                    b.write(ch);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        void sendText(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xff);
            }
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        /** The next text frame; null at a close frame or the end of the stream. */
        String readText() throws IOException {
            while (true) {
                int b0 = in.read();
                if (b0 == -1) {
                    return null;
                }
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == 0x8) {
                    return null;
                }
                if (opcode == 0x1) {
                    return new String(payload, StandardCharsets.UTF_8);
                }
            }
        }

        /** Drops the connection the way a lost network does: no close frame, a reset. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Every text frame until the server closes the connection. */
        List<JsonNode> readUntilClosed() throws IOException {
            List<JsonNode> frames = new ArrayList<>();
            try {
                String text;
                while ((text = readText()) != null) {
                    frames.add(JSON.readTree(text));
                }
            } catch (IOException e) {
                // reset by the server after its grace period: what was read stands
            } finally {
                socket.close();
            }
            return frames;
        }
    }

}
