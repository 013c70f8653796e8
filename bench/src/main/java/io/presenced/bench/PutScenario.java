package io.presenced.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Concurrent {@code PUT presence} against a server process of its own: every PUT changes the user
 * status, so each one is a durable state write plus an event in the log.
 */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Concurrent PUT presence: throughput and latency.")
final class PutScenario extends Scenario {
    @Option(names = "--extensions", description = "User extensions to spread the writes over (default ${DEFAULT-VALUE}).")
    int extensions = 1000;

    @Option(names = "--concurrency", description = "Requests in flight (default ${DEFAULT-VALUE}).")
    int concurrency = 64;

    @Option(names = "--duration", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int duration = 20;

    @Option(names = "--warmup", description = "Warm-up seconds, not measured (default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Override
    void execute() throws Exception {
        Path dir = Files.createTempDirectory("presenced-bench");
        Fixture.Prepared prepared = Fixture.prepare(dir, extensions);
        int port = freePort();
        try (ServerProcess server = ServerProcess.start(dir, port)) {
            String base = "http://127.0.0.1:" + port;
            Api api = new Api(base);
            String token = api.login(prepared.credentials(), prepared.credentials().admin().jwt());
            Recorder recorder = new Recorder(3);
            AtomicLong errors = new AtomicLong();
            AtomicLong done = new AtomicLong();
            long warmEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
            long end = warmEnd + Duration.ofSeconds(duration).toNanos();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long n = 0;
                    while (System.nanoTime() < end) {
                        long id = prepared.userIds().get(random.nextInt(prepared.userIds().size()));
                        String body = "{\"userStatus\":\"" + (n++ % 2 == 0 ? "Busy" : "Available") + "\"}";
                        long start = System.nanoTime();
                        try {
                            int status = api.putPresence(token, id, body);
                            long now = System.nanoTime();
                            if (now >= warmEnd) {
                                if (status == 200) {
                                    recorder.recordValue((now - start) / 1000);
                                    done.incrementAndGet();
                                } else {
                                    errors.incrementAndGet();
                                }
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            double cpuBefore = 0;
            while (System.nanoTime() < warmEnd) {
                Thread.sleep(50);
            }
            cpuBefore = server.cpuSeconds();
            recorder.reset();
            for (Thread t : workers) {
                t.join();
            }
            double cpu = server.cpuSeconds() - cpuBefore;
            Histogram h = recorder.getIntervalHistogram();
            System.out.printf("%-10s %8s %10s %8s %8s %8s %8s %8s %9s %10s%n", "scenario", "ext", "ok/s", "p50ms",
                    "p95ms", "p99ms", "maxms", "errors", "cpu-s", "heap-MB");
            System.out.printf("%-10s %8d %10.0f %8.2f %8.2f %8.2f %8.2f %8d %9.1f %10.1f%n", "put(c=" + concurrency + ")",
                    prepared.userIds().size(), done.get() / (double) duration, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0, errors.get(), cpu, server.heapUsedBytes(base) / 1048576.0);
        }
    }
}
