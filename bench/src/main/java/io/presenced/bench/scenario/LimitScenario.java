package io.presenced.bench.scenario;

import io.presenced.bench.client.Api;
import io.presenced.bench.client.WsgClient;
import io.presenced.bench.limit.LimitServer;
import io.presenced.bench.limit.SampleNotification;
import io.presenced.bench.load.IngestLoad;
import io.presenced.bench.load.PutLoad;
import io.presenced.bench.report.LimitFile;
import io.presenced.bench.report.Probe;
import io.presenced.bench.report.Row;
import io.presenced.bench.report.Table;
import io.presenced.bench.server.ChildJvm;
import io.presenced.bench.server.DataDir;
import io.presenced.bench.server.HeapSampler;
import io.presenced.bench.server.ServerProcess;
import io.presenced.bench.track.Ledger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The physical-limit reference: the same load generators against a trivial endpoint of the same stack (a bare
 * Helidon SE WebServer with WebSocket in a child JVM, see {@link LimitServer}). It measures HTTP requests/s of
 * PUT-sized and ingest-batch-sized requests at the given concurrencies, and WebSocket frames/s of
 * notification-sized frames per connection count, prints a row per probe and records each in the limit file,
 * where the other scenarios find their reference.
 */
@Command(name = "limit", mixinStandardHelpOptions = true,
        description = "Physical-limit reference: HTTP requests/s and WebSocket frames/s against a trivial endpoint.")
public final class LimitScenario extends Scenario {
    @Option(names = "--concurrency", split = ",", description = "PUT requests in flight, one probe each "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> concurrency = List.of(16, 64);

    @Option(names = "--batch", description = "Items per ingest request (default ${DEFAULT-VALUE}).")
    int batch = 500;

    @Option(names = "--senders", split = ",", description = "Ingest requests in flight, one probe each "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> senders = List.of(8, 16);

    @Option(names = "--connections", split = ",", description = "WebSocket connections, one probe each "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> connections = List.of(1, 100);

    @Option(names = "--seconds", description = "Seconds per probe (default ${DEFAULT-VALUE}).")
    int seconds = 10;

    @Option(names = "--extensions", description = "Extension ids the PUT paths go over (default ${DEFAULT-VALUE}).")
    int extensions = 1000;

    @Option(names = "--nagle", description = "Keep Nagle's algorithm on the server's connections (Helidon's default;"
            + " the Presenced server switches it off, as this reference does by default); the probes are then recorded"
            + " with a -nagle suffix.")
    boolean nagle;

    @Override
    void execute(Table table) throws Exception {
        String tag = nagle ? "-nagle" : "";
        Path dir = DataDir.create("presenced-limit");
        int port = ServerProcess.freePort();
        LimitFile limits = report.limits();
        System.err.printf("frames of %d bytes, PUT bodies of %d, ingest bodies of %d; figures go to %s%n",
                SampleNotification.frame(1).length(), PutLoad.sampleBody().length,
                IngestLoad.sampleBatch(batch).length, limits.path());
        List<Long> ids = LongStream.rangeClosed(1, extensions).boxed().toList();
        try (ChildJvm server = ChildJvm.start(serverOptions.jvmOptions(), LimitServer.class.getName(),
                List.of(String.valueOf(port), String.valueOf(batch), nagle ? "default" : "tcp-no-delay"), port,
                dir.resolve("limit.log"));
             HeapSampler heap = HeapSampler.start(server)) {
            Api api = new Api(server.base());
            for (int c : concurrency) {
                Ledger ledger = new Ledger(ids, 0);
                PutLoad load = new PutLoad(api, "limit", ids, c, ledger);
                load.run(0, Duration.ofSeconds(2));
                Row row = LoadPhase.run(server, heap, ledger, load, "limit" + tag + " http-put(c=" + c + ")", 0,
                        Duration.ofSeconds(seconds), Duration.ZERO, Audience.NONE).row();
                limits.put(Probe.httpPut(c) + tag, row.achievedRate());
                table.print(row);
            }
            for (int s : senders) {
                Ledger ledger = new Ledger(ids, 0);
                IngestLoad load = new IngestLoad(api, "limit", ids, batch, s, ledger);
                load.run(0, Duration.ofSeconds(2));
                LoadPhase.Result r = LoadPhase.run(server, heap, ledger, load, "limit" + tag + " http-ingest(b="
                        + batch + ",c=" + s + ")", 0, Duration.ofSeconds(seconds), Duration.ZERO, Audience.NONE);
                limits.put(Probe.httpIngest(batch, s) + tag, r.stats().requestRate());
                table.print(asRequests(r));
            }
            for (int n : connections) {
                table.print(webSockets(server, heap, n, limits, tag));
            }
        } finally {
            DataDir.delete(dir);
        }
    }

    /** An ingest row in requests/s, with its events/s in the detail. */
    private static Row asRequests(LoadPhase.Result r) {
        Row e = r.row();
        return new Row(e.scenario(), "req/s", OptionalDouble.empty(), r.stats().requestRate(), 0, Optional.empty(), 0,
                e.cpuSeconds(), e.peakHeapMb(), e.errors(), OptionalDouble.empty(),
                String.format(Locale.ROOT, "%.0f items/s; %s", e.achievedRate(), e.detail()));
    }

    private Row webSockets(ChildJvm server, HeapSampler heap, int n, LimitFile limits, String tag)
            throws Exception {
        Ledger ledger = new Ledger(List.of(), 0);
        List<WsgClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                clients.add(WsgClient.stream(server.base().replace("http://", "ws://") + "/ws", ledger::received,
                        8192));
            }
            for (WsgClient c : clients) {
                c.send("start");
            }
            Thread.sleep(1000);
            long frames0 = frames(clients);
            double cpu0 = server.cpuSeconds();
            heap.takePeakMb();
            long start = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(seconds));
            double elapsed = (System.nanoTime() - start) / 1e9;
            double rate = (frames(clients) - frames0) / elapsed;
            double cpu = server.cpuSeconds() - cpu0;
            long closed = clients.stream().filter(c -> !c.isOpen()).count();
            limits.put(Probe.ws(n) + tag, rate);
            return new Row("limit" + tag + " ws(n=" + n + ")", "frames/s", OptionalDouble.empty(), rate, rate,
                    Optional.empty(), 0, cpu, heap.takePeakMb(), closed + clients.stream().mapToLong(WsgClient::errors).sum(),
                    OptionalDouble.empty(), String.format(Locale.ROOT, "%.0f frames/s per connection of %d bytes",
                    rate / n, SampleNotification.frame(1).length()));
        } finally {
            for (WsgClient c : clients) {
                c.send("stop");
                c.close();
            }
        }
    }

    private static long frames(List<WsgClient> clients) {
        return clients.stream().mapToLong(WsgClient::notifications).sum();
    }
}
