package io.presenced.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code presenced-bench SCENARIO}: runs one benchmark scenario and prints its figures. */
@Command(name = "presenced-bench", mixinStandardHelpOptions = true,
        description = "Presenced benchmarks: each scenario prints one table row.",
        subcommands = {PutScenario.class, HeapScenario.class, WebhookScenario.class, IngestScenario.class})
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }
}
