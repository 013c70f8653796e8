package io.presenced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
import io.presenced.directory.Directory;
import io.presenced.presence.PresenceEvent;
import io.presenced.store.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §10 against a real server process: a 2xx to a presence PUT survives {@code kill -9}, and the
 * sequence of every extension stays 1..n, gap-free and duplicate-free across the crash and the restart.
 */
class CrashRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOAD_BEFORE_KILL = Duration.ofMillis(1500);

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @AfterEach
    void killProcesses() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void acknowledgedPresenceSurvivesKillMinus9AndSequencesStayContiguous() throws Exception {
        Node first = start("first");
        Path credentialsFile = dataDir.resolve(DemoAccount.FILE);
        byte[] credentialsBefore = Files.readAllBytes(credentialsFile);
        DemoAccount.Credentials demo = JSON.readValue(credentialsBefore, DemoAccount.Credentials.class);
        String adminToken = login(first, demo);
        List<String> extensions = demo.users().stream().map(DemoAccount.User::extensionId).toList();
        assertThat(extensions).hasSizeGreaterThanOrEqualTo(5);

        // One writer per extension, each sequential, until the process dies under it.
        Map<String, AtomicLong> lastAcked = new ConcurrentHashMap<>();
        extensions.forEach(id -> lastAcked.put(id, new AtomicLong()));
        Map<String, String> failuresBeforeKill = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        long loadStarted = System.nanoTime();
        long loadMillis;
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (String id : extensions) {
                running.add(writers.submit(() -> {
                    for (long n = 1; ; n++) {
                        HttpResponse<String> r;
                        try {
                            r = putPresence(first, adminToken, id, n);
                        } catch (IOException | UncheckedIOException e) {
                            if (!killed.get()) {
                                failuresBeforeKill.put(id, "request " + n + " failed: " + e);
                            }
                            return;
                        }
                        if (r.statusCode() / 100 != 2) {
                            if (!killed.get()) {
                                failuresBeforeKill.put(id, "request " + n + " answered " + r.statusCode() + ": "
                                        + r.body());
                            }
                            return;
                        }
                        lastAcked.get(id).set(n);
                    }
                }));
            }
            try {
                await("every writer acknowledged at least 3 PUTs and ~1.5 s of load passed")
                        .pollDelay(LOAD_BEFORE_KILL)
                        .atMost(Duration.ofSeconds(60))
                        .failFast("a writer failed before the kill", () -> !failuresBeforeKill.isEmpty())
                        .until(() -> lastAcked.values().stream().allMatch(a -> a.get() >= 3));
            } finally {
                // Killed whatever happened, so that the writers end and the executor can close.
                killed.set(true);
                first.process().destroyForcibly();
            }
            loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
            assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).as("the killed process exited").isTrue();
            for (Future<?> f : running) {
                f.get(2 * REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertThat(failuresBeforeKill).as("PUTs that failed while the server was up").isEmpty();
        Map<String, Long> acked = new LinkedHashMap<>();
        extensions.forEach(id -> acked.put(id, lastAcked.get(id).get()));
        long total = acked.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("CrashRecoveryTest: %d presence PUTs acknowledged (2xx) over %d extensions in %d ms "
                + "before SIGKILL; last acknowledged per extension: %s%n", total, extensions.size(), loadMillis, acked);

        // Restart on the same data: no new demo account, the old JWT still logs in.
        Node second = start("second");
        assertThat(Files.readAllBytes(credentialsFile)).as("demo-credentials.json after the restart")
                .isEqualTo(credentialsBefore);
        assertThat(Files.readString(second.log())).as("the restarted server's output")
                .doesNotContain("Created the demo account");
        String token = login(second, demo);

        Map<String, Long> recovered = new LinkedHashMap<>();
        for (String id : extensions) {
            HttpResponse<String> r = send(second, token, "GET", presencePath(id), null);
            assertThat(r.statusCode()).as("GET presence of %s: %s", id, r.body()).isEqualTo(200);
            String message = JSON.readTree(r.body()).path("message").asText();
            long last = acked.get(id);
            assertThat(message).as("message of extension %s after the crash (last acknowledged n=%d)", id, last)
                    .isIn("n=" + last, "n=" + (last + 1));
            recovered.put(id, Long.parseLong(message.substring(2)));
        }
        long inFlightCommitted = extensions.stream().filter(id -> recovered.get(id) > acked.get(id)).count();
        System.out.printf("CrashRecoveryTest: after the restart %d of %d extensions showed the in-flight, "
                + "unacknowledged write as committed%n", inFlightCommitted, extensions.size());

        Map<String, Long> finalCounter = new LinkedHashMap<>();
        for (String id : extensions) {
            long n = recovered.get(id) + 1;
            HttpResponse<String> r = putPresence(second, token, id, n);
            assertThat(r.statusCode()).as("PUT n=%d to %s after the restart: %s", n, id, r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("message").asText()).isEqualTo("n=" + n);
            finalCounter.put(id, n);
        }
        second.process().destroy();
        assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).as("the server stopped on SIGTERM").isTrue();

        List<PresenceEvent> log;
        try (JdbcStore store = JdbcStore.sqlite(dataDir)) {
            assertThat(Directory.load(store).accounts()).as("accounts after the restart").hasSize(1);
            log = store.eventsAfter(0, Integer.MAX_VALUE);
        }
        assertThat(log).extracting(PresenceEvent::id).as("event log ids").isSorted().doesNotHaveDuplicates();
        Map<Long, List<PresenceEvent>> byExtension = new LinkedHashMap<>();
        for (PresenceEvent e : log) {
            byExtension.computeIfAbsent(e.state().extensionId(), k -> new ArrayList<>()).add(e);
        }
        for (String id : extensions) {
            List<PresenceEvent> events = byExtension.getOrDefault(Long.valueOf(id), List.of());
            long n = finalCounter.get(id);
            assertThat(events).extracting(e -> e.state().sequence())
                    .as("sequences of extension %s in log order", id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
            // Every PUT flipped userStatus, so the PUT with counter k made exactly the event with sequence k.
            assertThat(events).extracting(e -> e.state().message())
                    .as("messages of extension %s in log order", id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, n).mapToObj(k -> "n=" + k).toList());
            assertThat(events.getLast().state().message()).as("last event of %s is the post-restart PUT", id)
                    .isEqualTo("n=" + n);
        }
    }

    private record Node(Process process, int port, Path log) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private Node start(String name) throws IOException {
        int port = freePort();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "io.presenced.cli.Main", "serve", "--port", String.valueOf(port), "--host", "127.0.0.1",
                "--data", dataDir.toString(), "--no-rate-limits")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCED_"));
        Process process = pb.start();
        processes.add(process);
        Node node = new Node(process, port, log);
        try {
            await(name + " server answers GET /health with 200")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(name + " server process exited", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> send(node, null, "GET", "/health", null).statusCode() == 200);
            await(name + " server wrote " + DemoAccount.FILE)
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> Files.isRegularFile(dataDir.resolve(DemoAccount.FILE)));
        } catch (RuntimeException e) {
            throw new AssertionError("the " + name + " server did not come up; its output:\n"
                    + Files.readString(log), e);
        }
        return node;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String login(Node node, DemoAccount.Credentials demo) throws Exception {
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + URLEncoder.encode(demo.admin().jwt(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/restapi/oauth/token"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (demo.clientId() + ":" + demo.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("jwt-bearer login of the demo admin: %s", r.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(r.body());
        assertThat(token.path("owner_id").asText()).isEqualTo(demo.admin().extensionId());
        return token.path("access_token").asText();
    }

    private static String presencePath(String extensionId) {
        return "/restapi/v1.0/account/~/extension/" + extensionId + "/presence";
    }

    private HttpResponse<String> putPresence(Node node, String token, String extensionId, long n) throws IOException {
        String body = "{\"userStatus\":\"" + (n % 2 == 1 ? "Busy" : "Available") + "\",\"message\":\"n=" + n + "\"}";
        return send(node, token, "PUT", presencePath(extensionId), body);
    }

    private HttpResponse<String> send(Node node, String token, String method, String path, String json)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path))
                .timeout(REQUEST_TIMEOUT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
