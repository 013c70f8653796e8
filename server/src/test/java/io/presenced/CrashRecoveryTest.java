package io.presenced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
import io.presenced.directory.Directory;
import io.presenced.presence.PresenceEvent;
import io.presenced.store.JdbcStore;
import io.presenced.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOAD_BEFORE_KILL = Duration.ofMillis(1500);

    @TempDir
    Path dataDir;

    @TempDir
    Path logDir;

    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void killProcesses() {
        servers.forEach(ServerProcess::close);
    }

    @Test
    void acknowledgedPresenceSurvivesKillMinus9AndSequencesStayContiguous() throws Exception {
        ServerProcess first = start("first");
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
        ServerProcess second = start("second");
        assertThat(Files.readAllBytes(credentialsFile)).as("demo-credentials.json after the restart")
                .isEqualTo(credentialsBefore);
        assertThat(Files.readString(second.log())).as("the restarted server's output")
                .doesNotContain("Created the demo account");
        String token = login(second, demo);

        Map<String, Long> recovered = new LinkedHashMap<>();
        for (String id : extensions) {
            HttpResponse<String> r = second.send(token, "GET", presencePath(id), null);
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

    @Test
    void acknowledgedIngestBatchesSurviveKillMinus9() throws Exception {
        int perBatch = 20;
        ServerProcess first = start("ingest");
        DemoAccount.Credentials demo = JSON.readValue(Files.readAllBytes(dataDir.resolve(DemoAccount.FILE)),
                DemoAccount.Credentials.class);
        String adminToken = login(first, demo);
        List<String> extensions = demo.users().stream().map(DemoAccount.User::extensionId).toList();
        Map<String, AtomicLong> batchesAcked = new ConcurrentHashMap<>();
        extensions.forEach(id -> batchesAcked.put(id, new AtomicLong()));
        Map<String, String> failuresBeforeKill = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (String id : extensions) {
                running.add(writers.submit(() -> {
                    for (long b = 0; ; b++) {
                        // Each item toggles the extension's meeting, so each makes one event.
                        StringBuilder batch = new StringBuilder("[");
                        for (int i = 0; i < perBatch; i++) {
                            long k = b * perBatch + i + 1;
                            batch.append(i == 0 ? "" : ",").append("{\"accountId\":\"~\",\"extensionId\":\"").append(id)
                                    .append("\",\"meetingId\":\"m\",\"status\":\"")
                                    .append(k % 2 == 1 ? "Connected" : "Disconnected").append("\",\"eventTime\":\"")
                                    .append(java.time.Instant.ofEpochSecond(1_700_000_000L + k)).append("\"}");
                        }
                        batch.append(']');
                        HttpResponse<String> r;
                        try {
                            r = first.send(adminToken, "POST", "/ingest/v1/meetings", batch.toString());
                        } catch (IOException | UncheckedIOException e) {
                            if (!killed.get()) {
                                failuresBeforeKill.put(id, "batch " + b + " failed: " + e);
                            }
                            return null;
                        }
                        if (r.statusCode() != 200 || JSON.readTree(r.body()).path("accepted").asInt() != perBatch) {
                            if (!killed.get()) {
                                failuresBeforeKill.put(id, "batch " + b + " answered " + r.statusCode() + ": " + r.body());
                            }
                            return null;
                        }
                        batchesAcked.get(id).set(b + 1);
                    }
                }));
            }
            try {
                await("every sender had 3 batches acknowledged").pollDelay(LOAD_BEFORE_KILL).atMost(Duration.ofSeconds(60))
                        .failFast("a sender failed before the kill", () -> !failuresBeforeKill.isEmpty())
                        .until(() -> batchesAcked.values().stream().allMatch(a -> a.get() >= 3));
            } finally {
                killed.set(true);
                first.process().destroyForcibly();
            }
            assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : running) {
                f.get(2 * REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertThat(failuresBeforeKill).isEmpty();

        ServerProcess second = start("ingest-again");
        login(second, demo);
        second.process().destroy();
        assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Map<Long, List<Long>> sequences = new LinkedHashMap<>();
        try (JdbcStore store = JdbcStore.sqlite(dataDir)) {
            for (PresenceEvent e : store.eventsAfter(0, Integer.MAX_VALUE)) {
                sequences.computeIfAbsent(e.state().extensionId(), k -> new ArrayList<>()).add(e.state().sequence());
            }
        }
        long total = 0;
        for (String id : extensions) {
            long acked = batchesAcked.get(id).get() * perBatch;
            List<Long> seq = sequences.getOrDefault(Long.valueOf(id), List.of());
            total += acked;
            assertThat((long) seq.size()).as("events of %s: every acknowledged item, at most one batch more", id)
                    .isBetween(acked, acked + perBatch);
            assertThat(seq).as("sequences of %s", id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, seq.size()).boxed().toList());
        }
        System.out.printf("CrashRecoveryTest: %d acknowledged ingest items over %d extensions survived SIGKILL%n",
                total, extensions.size());
    }

    private ServerProcess start(String name) throws IOException {
        ServerProcess server = ServerProcess.start(name, dataDir, logDir);
        servers.add(server);
        return server;
    }

    private String login(ServerProcess node, DemoAccount.Credentials demo) throws Exception {
        JsonNode token = node.token(demo, demo.admin().jwt());
        assertThat(token.path("owner_id").asText()).isEqualTo(demo.admin().extensionId());
        return token.path("access_token").asText();
    }

    private static String presencePath(String extensionId) {
        return "/restapi/v1.0/account/~/extension/" + extensionId + "/presence";
    }

    private HttpResponse<String> putPresence(ServerProcess node, String token, String extensionId, long n)
            throws IOException {
        String body = "{\"userStatus\":\"" + (n % 2 == 1 ? "Busy" : "Available") + "\",\"message\":\"n=" + n + "\"}";
        return node.send(token, "PUT", presencePath(extensionId), body);
    }
}
