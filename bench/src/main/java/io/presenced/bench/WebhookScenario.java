package io.presenced.bench;

import io.presenced.admin.DemoAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * PUT presence load with N account-level WebHook subscriptions to a local receiver: deliveries per
 * second, and the latency from each PUT's response to the receiver's receipt of its notification.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Account-level WebHook fan-out: deliveries/s and PUT-to-receipt latency.")
final class WebhookScenario extends Scenario {
    @Option(names = "--subscriptions", description = "Account-level subscriptions (default ${DEFAULT-VALUE}).")
    int subscriptions = 1;

    @Option(names = "--extensions", description = "User extensions written to (default ${DEFAULT-VALUE}).")
    int extensions = 1000;

    @Option(names = "--writers", description = "Concurrent PUT writers (default ${DEFAULT-VALUE}).")
    int writers = 32;

    @Option(names = "--rate", description = "PUTs per second in all, 0 for as fast as possible (default ${DEFAULT-VALUE}).")
    int rate = 0;

    @Option(names = "--duration", description = "Seconds of load (default ${DEFAULT-VALUE}).")
    int duration = 20;

    private static long key(long extensionId, long sequence) {
        return extensionId << 24 | sequence;
    }

    @Override
    void execute() throws Exception {
        Path dir = Files.createTempDirectory("presenced-bench");
        Fixture.Prepared prepared = Fixture.prepare(dir, extensions);
        int port = freePort();
        Map<Long, Long> acked = new ConcurrentHashMap<>();
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        Recorder fromAck = new Recorder(3);
        Recorder fromSend = new Recorder(3);
        AtomicLong received = new AtomicLong();
        AtomicLong beforeAck = new AtomicLong();
        try (ServerProcess server = ServerProcess.start(dir, port);
             Receiver receiver = new Receiver((ext, seq) -> {
                 long now = System.nanoTime();
                 received.incrementAndGet();
                 Long send = sent.get(key(ext, seq));
                 if (send != null) {
                     fromSend.recordValue(Math.max(0, now - send) / 1000);
                 }
                 Long ack = acked.get(key(ext, seq));
                 if (ack == null || ack > now) {
                     beforeAck.incrementAndGet();
                     fromAck.recordValue(0);
                 } else {
                     fromAck.recordValue((now - ack) / 1000);
                 }
             })) {
            Api api = new Api("http://127.0.0.1:" + port);
            DemoAccount.Credentials c = prepared.credentials();
            List<DemoAccount.User> owners = new ArrayList<>(c.users());
            owners.add(c.admin());
            for (int i = 0; i < subscriptions; i++) {
                DemoAccount.User owner = owners.get(i / 30);
                api.subscribe(api.login(c, owner.jwt()), "/restapi/v1.0/account/~/presence", receiver.url("/hook/" + i));
            }
            String token = api.login(c, c.admin().jwt());
            List<Long> ids = prepared.userIds();
            long end = System.nanoTime() + Duration.ofSeconds(duration).toNanos();
            AtomicLong puts = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            long intervalNanos = rate == 0 ? 0 : 1_000_000_000L * writers / rate;
            double cpuBefore = server.cpuSeconds();
            long started = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int worker = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    Map<Long, Long> sequence = new java.util.HashMap<>();
                    long next = System.nanoTime();
                    int i = worker;
                    while (System.nanoTime() < end) {
                        long id = ids.get(i % ids.size());
                        i += writers;
                        if (i >= ids.size()) {
                            i = worker;
                        }
                        long seq = sequence.merge(id, 1L, Long::sum);
                        sent.put(key(id, seq), System.nanoTime());
                        try {
                            int status = api.putPresence(token, id, "{\"userStatus\":\"" + (seq % 2 == 1 ? "Busy"
                                    : "Available") + "\"}");
                            acked.put(key(id, seq), System.nanoTime());
                            if (status == 200) {
                                puts.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                                sequence.merge(id, -1L, Long::sum);
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            return;
                        }
                        if (intervalNanos > 0) {
                            next += intervalNanos;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long expected = puts.get() * subscriptions;
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.get() < expected && System.nanoTime() < drainDeadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = server.cpuSeconds() - cpuBefore;
            var a = fromAck.getIntervalHistogram();
            var s = fromSend.getIntervalHistogram();
            System.out.printf("%-18s %7s %8s %10s %9s %9s %9s %9s %9s %8s %8s %8s%n", "scenario", "subs", "put/s",
                    "deliv/s", "ack-p50", "ack-p99", "ack-max", "send-p50", "send-p99", "missing", "errors", "cpu-s");
            System.out.printf("%-18s %7d %8.0f %10.0f %9.2f %9.2f %9.2f %9.2f %9.2f %8d %8d %8.1f%n",
                    "webhook" + (rate > 0 ? "@" + rate : ""), subscriptions, puts.get() / (double) duration,
                    received.get() / seconds, a.getValueAtPercentile(50) / 1000.0, a.getValueAtPercentile(99) / 1000.0,
                    a.getMaxValue() / 1000.0, s.getValueAtPercentile(50) / 1000.0, s.getValueAtPercentile(99) / 1000.0,
                    Math.max(0, expected - received.get()), errors.get(), cpu);
            System.out.printf("(latencies in ms; %d notifications arrived before their PUT's response and count as 0)%n",
                    beforeAck.get());
        }
    }
}
