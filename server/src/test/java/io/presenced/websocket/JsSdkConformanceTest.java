package io.presenced.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.presenced.testing.Http;
import io.presenced.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official npm packages {@code @ringcentral/sdk} and {@code @ringcentral/subscriptions} (with
 * {@code @rc-ex/ws}) as the client: installed from the committed package-lock, run with Node.
 */
class JsSdkConformanceTest {
    private static final Path DIR = Path.of("src/test/js/sdk-conformance");

    @Test
    void officialJavaScriptSdksReceivePresenceAndRecoverAfterTheServerClosesTheSocket() throws Exception {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
        }
        try (TestServer server = TestServer.start(c -> c.withWebSocket(new WsSettings(100, Duration.ofSeconds(60),
                Duration.ofSeconds(3), Duration.ofSeconds(3600), 10, 4096)))) {
            Path credentials = server.dataDir().resolve("demo-credentials.json");
            String output = run(List.of("node", "conformance.mjs", server.url(), credentials.toAbsolutePath()
                    .toString()), Duration.ofSeconds(90));
            assertThat(output).contains("OK ");
            String metrics = new Http(server.url()).get("/metrics", null).raw().body();
            assertThat(metrics).contains("presenced_ws_closed_total{reason=\"idle\"}")
                    .contains("presenced_ws_recoveries_total{outcome=\"Successful\"}");
        }
    }

    private static String run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sdk-conformance", ".log");
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("%s finished within %s; output:%n%s", command, limit, output).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, output).isZero();
        return output;
    }
}
