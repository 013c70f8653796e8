package io.presenced.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Telephony events through the ingest API in batches, every one a durable state change (each party goes
 * ringing → connected → ended), with one account-level WebHook subscriber counting the notifications.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Ingested call events/s and notifications/s.")
final class IngestScenario extends Scenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] STEPS = {"Setup", "Answered", "Disconnected"};

    @Option(names = "--extensions", description = "User extensions (default ${DEFAULT-VALUE}).")
    int extensions = 10_000;

    @Option(names = "--batch", description = "Items per ingest request (default ${DEFAULT-VALUE}).")
    int batch = 500;

    @Option(names = "--senders", description = "Concurrent senders (default ${DEFAULT-VALUE}).")
    int senders = 4;

    @Option(names = "--duration", description = "Seconds of load (default ${DEFAULT-VALUE}).")
    int duration = 20;

    @Override
    void execute() throws Exception {
        Path dir = Files.createTempDirectory("presenced-bench");
        Fixture.Prepared prepared = Fixture.prepare(dir, extensions);
        int port = freePort();
        AtomicLong notifications = new AtomicLong();
        try (ServerProcess server = ServerProcess.start(dir, port);
             Receiver receiver = new Receiver((ext, seq) -> notifications.incrementAndGet())) {
            Api api = new Api("http://127.0.0.1:" + port);
            String token = api.login(prepared.credentials(), prepared.credentials().admin().jwt());
            api.subscribe(token, "/restapi/v1.0/account/~/presence", receiver.url("/hook"));
            List<Long> ids = prepared.userIds();
            Instant base = Instant.now();
            AtomicLong clock = new AtomicLong();
            AtomicLong accepted = new AtomicLong();
            AtomicLong other = new AtomicLong();
            AtomicLong requests = new AtomicLong();
            long end = System.nanoTime() + Duration.ofSeconds(duration).toNanos();
            double cpuBefore = server.cpuSeconds();
            long started = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < senders; w++) {
                int sender = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    // Each sender owns every senders-th extension, so each party's events go out in order.
                    List<Long> own = new ArrayList<>();
                    for (int i = sender; i < ids.size(); i += senders) {
                        own.add(ids.get(i));
                    }
                    int[] step = new int[own.size()];
                    int[] call = new int[own.size()];
                    int cursor = 0;
                    while (System.nanoTime() < end) {
                        StringBuilder body = new StringBuilder("[");
                        for (int n = 0; n < batch; n++) {
                            int i = cursor++ % own.size();
                            String status = STEPS[step[i]];
                            body.append(n == 0 ? "" : ",").append("{\"accountId\":\"~\",\"telephonySessionId\":\"b")
                                    .append(own.get(i)).append('-').append(call[i]).append("\",\"eventTime\":\"")
                                    .append(base.plusMillis(clock.incrementAndGet())).append("\",\"parties\":[{\"id\":\"p\","
                                            + "\"extensionId\":\"").append(own.get(i))
                                    .append("\",\"direction\":\"Inbound\",\"from\":{\"phoneNumber\":\"+15550001111\"},"
                                            + "\"status\":{\"code\":\"").append(status).append("\"}}]}");
                            step[i] = (step[i] + 1) % STEPS.length;
                            if (step[i] == 0) {
                                call[i]++;
                            }
                        }
                        body.append(']');
                        try {
                            HttpResponse<String> res = api.client.send(HttpRequest.newBuilder(
                                            URI.create(api.base + "/ingest/v1/telephony"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            JsonNode r = JSON.readTree(res.body());
                            requests.incrementAndGet();
                            accepted.addAndGet(r.path("accepted").asLong());
                            other.addAndGet(r.path("ignored").asLong() + r.path("rejected").asLong());
                        } catch (Exception e) {
                            other.addAndGet(batch);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long drain = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (notifications.get() < accepted.get() && System.nanoTime() < drain) {
                Thread.sleep(50);
            }
            double drained = (System.nanoTime() - started) / 1e9;
            double cpu = server.cpuSeconds() - cpuBefore;
            System.out.printf("%-12s %7s %6s %8s %11s %11s %12s %10s %8s %8s%n", "scenario", "ext", "batch", "senders",
                    "events/s", "batches/s", "notified/s", "notified", "other", "cpu-s");
            System.out.printf("%-12s %7d %6d %8d %11.0f %11.1f %12.0f %10d %8d %8.1f%n", "ingest", ids.size(), batch,
                    senders, accepted.get() / seconds, requests.get() / seconds, notifications.get() / drained,
                    notifications.get(), other.get(), cpu);
        }
    }
}
