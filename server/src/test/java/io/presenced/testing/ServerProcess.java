package io.presenced.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Presenced server run as a child process ({@code io.presenced.cli.Main serve} on the test classpath)
 * on a free port of 127.0.0.1, that a test can {@code kill -9}. Every request it sends is bounded, so a
 * server that stops answering fails a test instead of hanging it; whatever the server does, it cannot
 * starve the test JVM's own threads.
 */
public final class ServerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Process process;
    private final int port;
    private final Path log;
    private final Path dataDir;

    private ServerProcess(Process process, int port, Path log, Path dataDir) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.dataDir = dataDir;
    }

    /** Starts a server on {@code dataDir} and waits until it answers; its output goes to {@code logDir/name.log}. */
    public static ServerProcess start(String name, Path dataDir, Path logDir) throws IOException {
        return launch(name, dataDir, List.of(), logDir);
    }

    /** Starts a server on {@code dataDir} with the YAML {@code config}, and waits until it answers. */
    public static ServerProcess start(String name, Path dataDir, Path config, Path logDir) throws IOException {
        return launch(name, dataDir, List.of("--config", config.toString()), logDir);
    }

    private static ServerProcess launch(String name, Path dataDir, List<String> extra, Path logDir)
            throws IOException {
        int port = freePort();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "io.presenced.cli.Main", "serve", "--port", String.valueOf(port), "--host", "127.0.0.1",
                "--data", dataDir.toString(), "--no-rate-limits"));
        command.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCED_"));
        ServerProcess server = new ServerProcess(pb.start(), port, log, dataDir);
        try {
            await(name + " server answers GET /health with 200")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(name + " server process exited", () -> !server.process.isAlive())
                    .ignoreExceptions()
                    .until(() -> server.send(null, "GET", "/health", null).statusCode() == 200);
            await(name + " server wrote " + DemoAccount.FILE)
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> Files.isRegularFile(dataDir.resolve(DemoAccount.FILE)));
        } catch (RuntimeException e) {
            server.close();
            throw new AssertionError("the " + name + " server did not come up; its output:\n"
                    + Files.readString(log), e);
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /** The demo account the server created on its first start. */
    public DemoAccount.Credentials credentials() throws IOException {
        return JSON.readValue(dataDir.resolve(DemoAccount.FILE).toFile(), DemoAccount.Credentials.class);
    }

    /** An access token for the holder of {@code jwt}, through the jwt-bearer grant. */
    public String login(DemoAccount.Credentials demo, String jwt) throws IOException {
        return token(demo, jwt).path("access_token").asText();
    }

    /** The whole token response of the jwt-bearer grant for the holder of {@code jwt}. */
    public JsonNode token(DemoAccount.Credentials demo, String jwt) throws IOException {
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + URLEncoder.encode(jwt, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/restapi/oauth/token"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (demo.clientId() + ":" + demo.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> r = exchange(request);
        assertThat(r.statusCode()).as("jwt-bearer login: %s", r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** One request (JSON body if not null), answered within 10 s or an IOException. */
    public HttpResponse<String> send(String token, String method, String path, String json) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(REQUEST_TIMEOUT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return exchange(b.build());
    }

    private static HttpResponse<String> exchange(HttpRequest request) throws IOException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** CPU time the server process has used so far. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElseThrow(() -> new AssertionError(
                "the CPU time of process " + process.pid() + " is not available on this platform"));
    }

    /** {@code kill -9}, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the killed server process exited").isTrue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
