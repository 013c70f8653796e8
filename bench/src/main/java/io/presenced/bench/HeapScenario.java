package io.presenced.bench;

import io.presenced.Presenced;
import io.presenced.ServerConfig;
import io.presenced.directory.Directory;
import io.presenced.presence.PresenceUpdate;
import io.presenced.presence.PresenceWriter;
import io.presenced.presence.UserStatus;
import io.presenced.store.JdbcStore;
import io.presenced.store.Store;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Heap per extension and start-up time: a data directory with {@code n} extensions, each with a
 * stored presence state, is loaded by a server started in this process.
 */
@Command(name = "heap", mixinStandardHelpOptions = true, description = "Heap per extension and start-up time.")
final class HeapScenario extends Scenario {
    @Option(names = "--extensions", description = "Extensions to load (default ${DEFAULT-VALUE}).")
    int extensions = 100_000;

    @Override
    void execute() throws Exception {
        Path dir = Files.createTempDirectory("presenced-heap");
        Fixture.Prepared prepared = Fixture.prepare(dir, extensions);
        try (Store store = JdbcStore.sqlite(dir); PresenceWriter writer = PresenceWriter.start(store, Clock.systemUTC());
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Directory directory = Directory.load(store);
            PresenceUpdate busy = new PresenceUpdate(Optional.of(UserStatus.Busy), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            List<Future<?>> writes = new ArrayList<>();
            for (long id : prepared.userIds()) {
                writes.add(pool.submit(() -> writer.apply(directory.extension(id).orElseThrow(), busy::applyTo)));
            }
            for (Future<?> f : writes) {
                f.get();
            }
        }
        long baseline = usedAfterGc();
        long start = System.nanoTime();
        Presenced server = Presenced.start(ServerConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(dir));
        double startup = (System.nanoTime() - start) / 1e9;
        long loaded = usedAfterGc();
        System.out.printf("%-10s %10s %12s %14s %10s%n", "scenario", "ext", "heap-MB", "bytes/ext", "start-s");
        System.out.printf("%-10s %10d %12.1f %14.0f %10.2f%n", "heap", prepared.userIds().size(),
                (loaded - baseline) / 1048576.0, (loaded - baseline) / (double) prepared.userIds().size(), startup);
        server.close();
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
