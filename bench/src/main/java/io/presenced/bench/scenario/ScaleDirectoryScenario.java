package io.presenced.bench.scenario;

import io.presenced.bench.report.Row;
import io.presenced.bench.report.Table;
import io.presenced.bench.server.ChildJvm;
import io.presenced.bench.server.DataDir;
import io.presenced.bench.server.Fixture;
import io.presenced.bench.server.HeapSampler;
import io.presenced.bench.server.ServerOptions;
import io.presenced.bench.server.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Large directories: for each size, a data directory with that many extensions (and by default a stored presence
 * state for each) is prepared before the timed start; then the server's start-up time (process start to
 * {@code /health} 200) and its heap per extension after a forced GC, against a server with only the demo account.
 */
@Command(name = "scale-directory", mixinStandardHelpOptions = true,
        description = "Start-up time and heap per extension with 100k and 1M extensions.")
public final class ScaleDirectoryScenario extends Scenario {
    @Option(names = "--extensions", split = ",", description = "Directory sizes, one row each "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> extensions = List.of(100_000, 1_000_000);

    @Option(names = "--no-presence", description = "Store no presence state for the extensions.")
    boolean noPresence;

    @Option(names = "--aot", description = "Start the measured servers from an ahead-of-time cache of classes (JDK 25+),"
            + " recorded by a first start of an empty server, as bin/presenced does.")
    boolean aot;

    public ScaleDirectoryScenario() {
        serverOptions = ServerOptions.withHeap("4g");
    }

    @Override
    void execute(Table table) throws Exception {
        ServerOptions measured = serverOptions;
        if (aot) {
            Path cache = Files.createTempFile("presenced", ".aot");
            Files.delete(cache);
            Path dir = DataDir.create("presenced-aot");
            Fixture.prepare(dir, 0, 0, !noPresence);
            // The cache is written when the recording server stops.
            try (ChildJvm recording = ServerProcess.start(dir, serverOptions.plus("-XX:AOTCacheOutput=" + cache
                    + " -Xlog:aot*=off -Xlog:cds*=off"))) {
                Thread.sleep(1000);
            } finally {
                DataDir.delete(dir);
            }
            if (!Files.exists(cache)) {
                throw new IllegalStateException("no ahead-of-time cache was recorded (a JDK older than 25?)");
            }
            measured = serverOptions.plus("-XX:AOTCache=" + cache + " -Xlog:aot*=off -Xlog:cds*=off");
            System.err.printf(Locale.ROOT, "recorded an ahead-of-time cache of %.0f MB%n", Files.size(cache) / 1048576.0);
        }
        serverOptions = measured;
        Measured base = measure(0);
        System.err.printf(Locale.ROOT, "baseline: %.1f MB after GC, start-up %.2f s%n", base.heap / 1048576.0,
                base.startup);
        for (int n : extensions) {
            Measured m = measure(n);
            double perExtension = (m.heap - base.heap) / (double) n;
            table.print(new Row("scale-directory(n=" + n + ")" + (aot ? "/aot" : ""), "ext/s", OptionalDouble.empty(), n / m.startup, 0,
                    Optional.empty(), 0, m.cpu, m.peakMb, 0, OptionalDouble.empty(), String.format(Locale.ROOT,
                    "start-up %.2f s; heap/ext %.0f B (%.1f MB after GC, base %.1f MB); fixture %.0f s%s", m.startup,
                    perExtension, m.heap / 1048576.0, base.heap / 1048576.0, m.fixtureSeconds,
                    noPresence ? "" : "; each with a stored presence")));
        }
    }

    private record Measured(double startup, long heap, double cpu, double peakMb, double fixtureSeconds) {
    }

    private Measured measure(int n) throws IOException, InterruptedException {
        Path dir = DataDir.create("presenced-scale");
        long t0 = System.nanoTime();
        Fixture.prepare(dir, n, 0, !noPresence);
        double fixture = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "prepared %d extensions in %s in %.0f s%n", n, dir, fixture);
        try (ChildJvm server = ServerProcess.start(dir, serverOptions); HeapSampler heap = HeapSampler.start(server)) {
            double cpu = server.cpuSeconds();
            Thread.sleep(1000);
            long used = server.heapAfterGc();
            return new Measured(server.startupSeconds(), used, cpu, heap.takePeakMb(), fixture);
        } finally {
            DataDir.delete(dir);
        }
    }
}
