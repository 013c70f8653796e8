package io.presenced.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.presenced.store.JdbcStore;
import io.presenced.directory.Directory;
import io.presenced.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin commands find the server's data directory through its configuration file, as the server does. */
class AdminConfigDataTest {
    @TempDir
    Path dir;

    @Test
    void anAdminCommandUsesTheDataDirectoryOfTheConfigurationFile() throws Exception {
        Path data = dir.resolve("from-config");
        Path config = dir.resolve("presenced.yaml");
        Files.writeString(config, "data: " + data + "\n");

        Cli.Run run = Cli.runRaw("account", "create", "--name", "Configured", "--main-number", "+15550170000",
                "--config", config.toString(), "--json");
        assertThat(run.json().path("name").asText()).isEqualTo("Configured");

        try (JdbcStore store = JdbcStore.sqlite(data)) {
            assertThat(Directory.load(store).accounts()).extracting(a -> a.name()).containsExactly("Configured");
        }
    }

    @Test
    void dataGivenOnTheCommandLineWinsOverTheConfigurationFile() throws Exception {
        Path config = dir.resolve("presenced.yaml");
        Files.writeString(config, "data: " + dir.resolve("from-config") + "\n");
        Path flag = dir.resolve("from-flag");

        Cli.Run run = Cli.runRaw("account", "create", "--name", "Flagged", "--main-number", "+15550170001",
                "--config", config.toString(), "--data", flag.toString(), "--json");
        assertThat(run.json().path("name").asText()).isEqualTo("Flagged");
        assertThat(Files.exists(flag.resolve("presenced.db"))).isTrue();
        assertThat(Files.exists(dir.resolve("from-config"))).isFalse();
    }
}
