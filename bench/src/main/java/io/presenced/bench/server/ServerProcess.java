package io.presenced.bench.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/** Starts Presenced ({@code presenced serve}) as a child JVM on a free loopback port, rate limits off. */
public final class ServerProcess {
    private ServerProcess() {
    }

    /** The server on {@code dataDir}; its output goes to {@code server.log} there. */
    public static ChildJvm start(Path dataDir, ServerOptions options) throws IOException, InterruptedException {
        int port = freePort();
        return ChildJvm.start(options.jvmOptions(), "io.presenced.cli.Main", List.of("serve", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--data", dataDir.toString(), "--no-rate-limits", "--plain-logs"),
                port, dataDir.resolve("server.log"));
    }

    /** A free TCP port on the loopback address. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
