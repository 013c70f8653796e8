package io.presenced.bench.scenario;

import io.presenced.bench.load.PutLoad;
import io.presenced.bench.report.Probe;
import io.presenced.bench.report.Table;
import io.presenced.bench.track.Ledger;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Concurrent PUT presence without subscribers: every PUT flips the user status, so each one is a durable state
 * write and an event in the log. The row gives request latency in its detail.
 */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Concurrent PUT presence: throughput and "
        + "request latency.")
public final class PutScenario extends Scenario {
    @Option(names = "--extensions", description = "User extensions written to (default ${DEFAULT-VALUE}).")
    int extensions = 1000;

    @Option(names = "--concurrency", description = "Requests in flight (default ${DEFAULT-VALUE}).")
    int concurrency = 64;

    @Option(names = "--rate", description = "Offered PUTs/s, 0 for flat out (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int duration = 20;

    @Option(names = "--warmup", description = "Warm-up seconds, not reported (default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Override
    void execute(Table table) throws Exception {
        try (Harness h = Harness.start(extensions, 0, serverOptions)) {
            Ledger ledger = new Ledger(h.prepared.userIds(), 0);
            PutLoad load = new PutLoad(h.api, h.adminToken, h.prepared.userIds(), concurrency, ledger);
            if (warmup > 0) {
                load.run(rate, Duration.ofSeconds(warmup));
            }
            LoadPhase.Result r = LoadPhase.run(h, ledger, load, "put(c=" + concurrency + ")", rate,
                    Duration.ofSeconds(duration), Duration.ZERO, Audience.NONE);
            table.print(r.row().withLimitRatio(report.ratio(r.row().achievedRate(), Probe.httpPut(concurrency), 1)));
        }
    }
}
