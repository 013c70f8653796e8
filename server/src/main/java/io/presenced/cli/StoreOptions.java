package io.presenced.cli;

import io.presenced.admin.Admin;
import io.presenced.store.JdbcStore;
import io.presenced.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every admin command shares: where the store is, and whether to answer in JSON. */
final class StoreOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory of the embedded store (default: $PRESENCED_DATA, then the configuration"
                    + " file's data, then ./data).")
    Path data;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The server's YAML configuration file, for its data directory (env PRESENCED_CONFIG).")
    Path config;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    Path dataDir() {
        return Optional.ofNullable(data)
                .or(() -> Optional.ofNullable(System.getenv("PRESENCED_DATA")).filter(v -> !v.isBlank()).map(Path::of))
                .or(() -> Optional.ofNullable(config)
                        .or(() -> Optional.ofNullable(System.getenv("PRESENCED_CONFIG")).filter(v -> !v.isBlank())
                                .map(Path::of))
                        .flatMap(file -> Optional.ofNullable(ConfigFile.read(file).data())).map(Path::of))
                .orElse(Path.of("data"));
    }

    /** Runs {@code work} with an admin over the store, closing the store afterwards. */
    <T> T withAdmin(java.util.function.Function<Admin, T> work) {
        try (Store store = JdbcStore.sqlite(dataDir())) {
            return work.apply(new Admin(store, Clock.systemUTC()));
        }
    }
}
