package io.presenced.bench.scenario;

import io.presenced.Presenced;
import io.presenced.ServerConfig;
import io.presenced.bench.report.Row;
import io.presenced.bench.report.Table;
import io.presenced.bench.server.DataDir;
import io.presenced.bench.server.Fixture;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Heap per extension and start-up time of a server started inside this JVM (the quick check; scale-directory
 * measures the same in a child process): {@code n} extensions, each with a stored presence state.
 */
@Command(name = "heap", mixinStandardHelpOptions = true,
        description = "Heap per extension and start-up time, server in this JVM (give the bench JVM -Xmx).")
public final class HeapScenario extends Scenario {
    @Option(names = "--extensions", description = "Extensions to load (default ${DEFAULT-VALUE}).")
    int extensions = 100_000;

    @Override
    void execute(Table table) throws Exception {
        Path dir = DataDir.create("presenced-heap");
        try {
            int n = Fixture.prepare(dir, extensions, 0, true).userIds().size();
            long baseline = usedAfterGc();
            long start = System.nanoTime();
            Presenced server = Presenced.start(ServerConfig.defaults().withPort(0).withHost("127.0.0.1")
                    .withDataDir(dir));
            try {
                double startup = (System.nanoTime() - start) / 1e9;
                long loaded = usedAfterGc();
                table.print(new Row("heap(in-process,n=" + n + ")", "ext/s", OptionalDouble.empty(), n / startup, 0,
                        Optional.empty(), 0, 0, loaded / 1048576.0, 0, OptionalDouble.empty(),
                        String.format(Locale.ROOT, "start-up %.2f s; heap/ext %.0f B (%.1f MB over the JVM before)",
                                startup, (loaded - baseline) / (double) n, (loaded - baseline) / 1048576.0)));
            } finally {
                server.close();
            }
        } finally {
            DataDir.delete(dir);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
