package io.presenced.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.simulate.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code presenced simulate}: drives realistic office traffic into a running server. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Drive realistic call, meeting and status traffic into a running server.")
final class SimulateCommand implements Runnable {
    @Option(names = "--server", required = true, description = "Base URL of the server, e.g. http://localhost:8080.")
    String server;

    @Option(names = "--credentials", required = true, paramLabel = "FILE",
            description = "A credentials file like demo-credentials.json (clientId, clientSecret, admin.jwt).")
    Path credentials;

    @Option(names = "--extensions", description = "How many User extensions take part (default ${DEFAULT-VALUE}).")
    int extensions = 100;

    @Option(names = "--calls-per-second", description = "New calls per second (default ${DEFAULT-VALUE}).")
    double callsPerSecond = 5;

    @Option(names = "--duration", description = "How long to run, in seconds (default ${DEFAULT-VALUE}).")
    long duration = 60;

    @Option(names = "--seed", description = "Seed of the scenario (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--leave-active", description = "Leave the calls and meetings still going at the end active"
            + " (by default they are ended).")
    boolean leaveActive;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public void run() {
        JsonNode file;
        try {
            file = new ObjectMapper().readTree(credentials.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + credentials, e);
        }
        Map<Long, String> users = new LinkedHashMap<>();
        file.path("users").forEach(u -> users.put(u.get("extensionId").asLong(), u.get("jwt").asText()));
        Simulator simulator = Simulator.connect(server, file.get("clientId").asText(),
                file.get("clientSecret").asText(), file.get("admin").get("jwt").asText(), users,
                new Simulator.Settings(extensions, callsPerSecond, Duration.ofSeconds(duration), seed,
                        !leaveActive));
        Simulator.Summary s = simulator.run(System.err);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("calls", s.calls());
        out.put("telephonyItems", s.telephonyItems());
        out.put("meetingItems", s.meetingItems());
        out.put("statusChanges", s.statusChanges());
        out.put("rejected", s.rejected());
        out.put("throttled", s.throttled());
        out.put("itemsPerSecond", Math.round(s.itemsPerSecond()));
        out.put("seconds", s.elapsed().toMillis() / 1000.0);
        Output.print(json, out, String.format("simulated %d calls: sent %d telephony events, %d meeting events, %d"
                        + " status changes (%d rejected, rate-limited %d times) in %.1f s, %.0f events/s", s.calls(),
                s.telephonyItems(), s.meetingItems(), s.statusChanges(), s.rejected(), s.throttled(),
                s.elapsed().toMillis() / 1000.0, s.itemsPerSecond()));
    }
}
