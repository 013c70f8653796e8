package io.presenced.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.Presenced;
import io.presenced.ServerConfig;
import io.presenced.admin.DemoAccount;
import io.presenced.auth.AuthSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real Presenced server on an ephemeral port with its own data directory, for tests: rate limits
 * off unless a test turns them on, token lifetimes allowed down to one second.
 */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final Presenced server;
    private final DemoAccount.Credentials credentials;

    private TestServer(Path dataDir, Presenced server) {
        this.dataDir = dataDir;
        this.server = server;
        try {
            this.credentials = new ObjectMapper().readValue(dataDir.resolve(DemoAccount.FILE).toFile(),
                    DemoAccount.Credentials.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server with the test defaults. */
    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** A server with the test defaults changed by {@code customise}. */
    public static TestServer start(UnaryOperator<ServerConfig> customise) {
        try {
            Path dir = Files.createTempDirectory("presenced-test");
            ServerConfig config = ServerConfig.defaults()
                    .withPort(0)
                    .withHost("127.0.0.1")
                    .withDataDir(dir)
                    .withRateLimits(ServerConfig.defaults().rateLimits().disabled())
                    .withAuth(AuthSettings.defaults().withMinimums(Duration.ofSeconds(1), Duration.ofSeconds(1)));
            return new TestServer(dir, Presenced.start(customise.apply(config)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The demo account's credentials, as the server wrote them. */
    public DemoAccount.Credentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        server.close();
    }
}
