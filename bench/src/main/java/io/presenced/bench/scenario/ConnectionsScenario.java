package io.presenced.bench.scenario;

import io.presenced.bench.report.Row;
import io.presenced.bench.report.Table;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Idle WebSocket sessions: opens sessions up to each count in turn (each connected, its ConnectionDetails received,
 * optionally subscribed) and reports the server's heap per session, (heap after a forced GC with the sessions −
 * before them) / sessions, with the server's open files and this client's own heap per connection.
 */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "Idle WebSocket sessions: heap per session after a forced GC.")
public final class ConnectionsScenario extends Scenario {
    private static final int WARMUP = 10;

    @Option(names = "--connections", split = ",", description = "Session counts to reach, in order, one row each "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> connections = List.of(1000);

    @Option(names = "--subscribe", description = "Subscribe each session to the account filter over the socket.")
    boolean subscribe;

    @Option(names = "--parallel", description = "Sessions being opened at once (default ${DEFAULT-VALUE}).")
    int parallel = 64;

    @Option(names = "--extensions", description = "User extensions in the directory (default ${DEFAULT-VALUE}).")
    int extensions = 100;

    @Override
    void execute(Table table) throws Exception {
        int most = connections.stream().mapToInt(Integer::intValue).max().orElse(0) + WARMUP;
        try (Harness h = Harness.start(extensions, subscribe ? most : 0, serverOptions);
             Subscribers sessions = new Subscribers(h, (e, s) -> { })) {
            // The first sessions load the classes of the WebSocket path; they are part of the baseline.
            sessions.webSockets(WARMUP, subscribe, WARMUP);
            long before = h.server.heapAfterGc();
            long clientBefore = clientHeapAfterGc();
            int opened = 0;
            for (int target : connections) {
                double cpu = h.server.cpuSeconds();
                long start = System.nanoTime();
                sessions.webSockets(target - opened, subscribe, parallel);
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = (target - opened) / seconds;
                opened = target;
                Thread.sleep(1000);
                long after = h.server.heapAfterGc();
                long clientAfter = clientHeapAfterGc();
                String detail = String.format(Locale.ROOT, "heap/session %.1f KB (%.1f → %.1f MB); server fds %d;"
                                + " client %.1f KB/conn%s", (after - before) / 1024.0 / target, before / 1048576.0,
                        after / 1048576.0, h.server.openFiles(), (clientAfter - clientBefore) / 1024.0 / target,
                        subscribe ? "; subscribed" : "");
                table.print(new Row("connections(n=" + target + ")", "conn/s", OptionalDouble.empty(), rate, 0,
                        Optional.empty(), 0, h.server.cpuSeconds() - cpu, h.heap.takePeakMb(),
                        sessions.errors(), OptionalDouble.empty(), detail));
            }
        }
    }

    private static long clientHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
