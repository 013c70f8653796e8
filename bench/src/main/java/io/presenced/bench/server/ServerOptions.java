package io.presenced.bench.server;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How the child JVM under test is started: its heap limit and any further JVM options (JFR, GC, …). */
public final class ServerOptions {
    @Option(names = "--server-heap", description = "-Xmx of the server process (default ${DEFAULT-VALUE}).")
    String heap = "2g";

    @Option(names = "--server-opts", description = "More JVM options for the server process, space-separated "
            + "(e.g. \"-XX:StartFlightRecording=filename=/tmp/p.jfr\").")
    String extra = "";

    /** Options with the default heap limit. */
    public ServerOptions() {
    }

    /** Options with another default heap limit, for scenarios that load much more. */
    public static ServerOptions withHeap(String heap) {
        ServerOptions options = new ServerOptions();
        options.heap = heap;
        return options;
    }

    /** These options with more JVM options after them. */
    public ServerOptions plus(String more) {
        ServerOptions options = new ServerOptions();
        options.heap = heap;
        options.extra = (extra + " " + more).trim();
        return options;
    }

    /** The JVM options. */
    public List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "--enable-native-access=ALL-UNNAMED"));
        if (!extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }
}
