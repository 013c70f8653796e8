package io.presenced.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.ServerConfig;
import io.presenced.admin.DemoAccount;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code presenced serve} takes its settings from flags, then the environment ({@code PRESENCED_PORT},
 * {@code PRESENCED_DATA}, {@code PRESENCED_CONFIG}), then the configuration file, then the defaults
 * (SPEC §9). {@link ServeCommand#resolve} reads the real environment, so whatever involves the
 * environment is shown on real child processes that listen on the port and write into the data
 * directory they resolved; the flag/file/default order is also checked on {@code resolve} itself.
 */
class ServeSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    // ---- in-process: flags over file over defaults -----------------------------------------------

    private static ServeCommand parse(String... args) {
        // resolve() reads this JVM's environment; these cases need none of it set.
        Assumptions.assumeTrue(System.getenv().keySet().stream().noneMatch(k -> k.startsWith("PRESENCED_")),
                "this JVM's environment sets PRESENCED_* variables");
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void withNothingGivenTheDefaultsApply() {
        ServerConfig c = parse().resolve();
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.publicUrl()).isEmpty();
        assertThat(c.rateLimits().enabled()).isTrue();
    }

    @Test
    void configFileOverridesTheDefaults() throws IOException {
        Path config = writeConfig(work.resolve("file.yaml"), 18181, work.resolve("from-file"),
                "publicUrl: https://file.example.test\nhost: 127.0.0.2\nrateLimits:\n  enabled: false\n");
        ServerConfig c = parse("--config", config.toString()).resolve();
        assertThat(c.port()).isEqualTo(18181);
        assertThat(c.dataDir()).isEqualTo(work.resolve("from-file"));
        assertThat(c.host()).isEqualTo("127.0.0.2");
        assertThat(c.publicUrl()).contains("https://file.example.test");
        assertThat(c.rateLimits().enabled()).isFalse();
    }

    @Test
    void flagsOverrideTheConfigFile() throws IOException {
        Path config = writeConfig(work.resolve("file.yaml"), 18181, work.resolve("from-file"),
                "publicUrl: https://file.example.test\nhost: 127.0.0.2\n");
        ServerConfig c = parse("--config", config.toString(), "--port", "18282", "--data",
                work.resolve("from-flag").toString(), "--host", "127.0.0.3", "--public-url",
                "https://flag.example.test", "--no-rate-limits").resolve();
        assertThat(c.port()).isEqualTo(18282);
        assertThat(c.dataDir()).isEqualTo(work.resolve("from-flag"));
        assertThat(c.host()).isEqualTo("127.0.0.3");
        assertThat(c.publicUrl()).contains("https://flag.example.test");
        assertThat(c.rateLimits().enabled()).isFalse();
    }

    // ---- child processes: the environment's place in the order -------------------------------------

    @Test
    void environmentOverridesTheConfigFile() throws Exception {
        int[] ports = freePorts(2);
        int filePort = ports[0];
        int envPort = ports[1];
        Path fileData = work.resolve("file-data");
        Path envData = work.resolve("env-data");
        Path config = writeConfig(work.resolve("serve.yaml"), filePort, fileData, "");

        Process p = serve("env-over-file", List.of("--config", config.toString()),
                Map.of("PRESENCED_PORT", String.valueOf(envPort), "PRESENCED_DATA", envData.toString()));

        awaitServing(p, "env-over-file", envPort, envData);
        assertThat(answersHealth(filePort)).as("the config file's port %d is not used", filePort).isFalse();
        assertThat(fileData.resolve(DemoAccount.FILE)).as("the config file's data dir is not used").doesNotExist();
    }

    @Test
    void flagsOverrideTheEnvironmentAndTheConfigFile() throws Exception {
        int[] ports = freePorts(3);
        int filePort = ports[0];
        int envPort = ports[1];
        int flagPort = ports[2];
        Path fileData = work.resolve("file-data");
        Path envData = work.resolve("env-data");
        Path flagData = work.resolve("flag-data");
        Path config = writeConfig(work.resolve("serve.yaml"), filePort, fileData, "");

        Process p = serve("flags-over-env", List.of("--config", config.toString(), "--port", String.valueOf(flagPort),
                        "--data", flagData.toString()),
                Map.of("PRESENCED_PORT", String.valueOf(envPort), "PRESENCED_DATA", envData.toString()));

        awaitServing(p, "flags-over-env", flagPort, flagData);
        assertThat(answersHealth(envPort)).as("the environment's port %d is not used", envPort).isFalse();
        assertThat(answersHealth(filePort)).as("the config file's port %d is not used", filePort).isFalse();
        assertThat(envData.resolve(DemoAccount.FILE)).as("the environment's data dir is not used").doesNotExist();
        assertThat(fileData.resolve(DemoAccount.FILE)).as("the config file's data dir is not used").doesNotExist();
    }

    @Test
    void configFileNamedByTheEnvironmentIsUsedWhenNothingElseSetsPortAndData() throws Exception {
        int filePort = freePorts(1)[0];
        Path fileData = work.resolve("file-data");
        Path config = writeConfig(work.resolve("serve.yaml"), filePort, fileData, "");

        Process p = serve("file-only", List.of(), Map.of("PRESENCED_CONFIG", config.toString()));

        awaitServing(p, "file-only", filePort, fileData);
        assertThat(work.resolve("file-only-cwd").resolve("data")).as("the default ./data is not used")
                .doesNotExist();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static Path writeConfig(Path file, int port, Path data, String more) throws IOException {
        Files.writeString(file, "port: " + port + "\ndata: \"" + data + "\"\n" + more);
        return file;
    }

    /** Starts {@code presenced serve} with only {@code env} of the PRESENCED_* variables, in its own working dir. */
    private Process serve(String name, List<String> args, Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.presenced.cli.Main", "serve", "--host", "127.0.0.1", "--no-rate-limits", "--plain-logs"));
        command.addAll(args);
        Path cwd = Files.createDirectories(work.resolve(name + "-cwd"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCED_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Waits until the child answers on {@code port} and has written its demo credentials into {@code data}. */
    private void awaitServing(Process p, String name, int port, Path data) throws IOException {
        Path log = work.resolve(name + ".log");
        try {
            await(name + " answers GET /health on port " + port).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(name + " exited", () -> !p.isAlive())
                    .until(() -> answersHealth(port));
            await(name + " writes " + DemoAccount.FILE + " into " + data).atMost(Duration.ofSeconds(30))
                    .until(() -> Files.isRegularFile(data.resolve(DemoAccount.FILE)));
        } catch (RuntimeException e) {
            throw new AssertionError(name + " did not serve on port " + port + " with data in " + data
                    + "; its output:\n" + Files.readString(log), e);
        }
        JsonNode demo = JSON.readTree(data.resolve(DemoAccount.FILE).toFile());
        assertThat(demo.path("server").asText()).isEqualTo("http://localhost:" + port);
        assertThat(data.resolve("presenced.db")).isRegularFile();
        await(name + " prints where it listens").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(log).contains("Presenced is listening on http://localhost:" + port
                        + " (data in " + data.toAbsolutePath() + ")"));
    }

    private static boolean answersHealth(int port) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code n} distinct ports that were free a moment ago. */
    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

}
