package io.presenced.bench;

import io.presenced.bench.jmh.JmhCommand;
import io.presenced.bench.scenario.ConnectionsScenario;
import io.presenced.bench.scenario.FanoutWebhookScenario;
import io.presenced.bench.scenario.FanoutWsScenario;
import io.presenced.bench.scenario.HeapScenario;
import io.presenced.bench.scenario.IngestScenario;
import io.presenced.bench.scenario.LimitScenario;
import io.presenced.bench.scenario.PutScenario;
import io.presenced.bench.scenario.ScaleDirectoryScenario;
import io.presenced.bench.scenario.WebhookScenario;
import io.presenced.PresencedException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code presenced-bench SCENARIO}: runs one benchmark scenario and prints its rows in the common format. */
@Command(name = "presenced-bench", mixinStandardHelpOptions = true,
        description = "Presenced benchmarks: each scenario prints its rows in one table format.",
        subcommands = {PutScenario.class, HeapScenario.class, WebhookScenario.class, FanoutWebhookScenario.class,
            FanoutWsScenario.class, IngestScenario.class, ConnectionsScenario.class, ScaleDirectoryScenario.class,
            LimitScenario.class, JmhCommand.class})
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    /** The directory of the benchmark jar ({@code bench/target}), where the limit figures are kept. */
    public static Path home() {
        try {
            return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new PresencedException("cannot tell where the benchmark jar is", e);
        }
    }
}
