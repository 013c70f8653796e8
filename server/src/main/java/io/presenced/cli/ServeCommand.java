package io.presenced.cli;

import io.presenced.Presenced;
import io.presenced.ServerConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code presenced serve}: starts the server with the embedded store. Settings come from flags,
 * then environment variables, then the configuration file, then the defaults.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the server.")
final class ServeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Set while a server runs, so that {@code main} does not exit under it. */
    static final AtomicBoolean RUNNING = new AtomicBoolean();

    @Option(names = "--port", description = "TCP port (env PRESENCED_PORT; default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (env PRESENCED_HOST; default 0.0.0.0).")
    String host;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env PRESENCED_DATA; default ./data).")
    Path data;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "Base URL clients use to reach this server (env PRESENCED_PUBLIC_URL).")
    String publicUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (env PRESENCED_CONFIG).")
    Path config;

    @Option(names = "--no-rate-limits", description = "Switch API rate limits off.")
    boolean noRateLimits;

    @Option(names = "--plain-logs", description = "Log as plain text instead of JSON lines.")
    boolean plainLogs;

    @Override
    public void run() {
        ServerConfig c = resolve();
        if (!plainLogs) {
            JsonLogFormatter.install();
        }
        Presenced server = Presenced.start(c);
        RUNNING.set(true);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        String url = c.publicUrl().orElse("http://localhost:" + server.port());
        System.out.println("Presenced is listening on " + url + " (data in " + c.dataDir().toAbsolutePath() + ")");
        server.credentialsFile().ifPresent(f -> System.out.println(
                "Created the demo account; its app and user credentials are in " + f.toAbsolutePath()));
    }

    ServerConfig resolve() {
        ServerConfig c = ServerConfig.defaults();
        Optional<Path> file = Optional.ofNullable(config)
                .or(() -> env("PRESENCED_CONFIG").map(Path::of));
        if (file.isPresent()) {
            c = ConfigFile.read(file.get()).over(c);
        }
        Optional<Integer> envPort = env("PRESENCED_PORT").map(v -> {
            try {
                return Integer.valueOf(v.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec == null ? new CommandLine(this) : spec.commandLine(),
                        "PRESENCED_PORT must be a port number (0-65535), got [" + v + "]");
            }
        });
        c = c.withPort(Optional.ofNullable(port).or(() -> envPort).orElse(c.port()));
        c = c.withHost(Optional.ofNullable(host).or(() -> env("PRESENCED_HOST")).orElse(c.host()));
        c = c.withDataDir(Optional.ofNullable(data).or(() -> env("PRESENCED_DATA").map(Path::of)).orElse(c.dataDir()));
        Optional<String> url = Optional.ofNullable(publicUrl).or(() -> env("PRESENCED_PUBLIC_URL"));
        if (url.isPresent()) {
            c = c.withPublicUrl(url);
        }
        if (noRateLimits) {
            c = c.withRateLimits(c.rateLimits().disabled());
        }
        return c;
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
