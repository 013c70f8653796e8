package io.presenced.bench.scenario;

import io.presenced.bench.load.Load;

import io.presenced.bench.report.Probe;
import io.presenced.bench.report.Table;
import io.presenced.bench.track.Ledger;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * N WebSocket connections, each its own WSG session subscribed over the socket to the account filter, under PUT or
 * ingest load: notifications/s across all connections and acknowledgement-to-receipt latency. Its headline figure
 * is notifications/s, compared with the limit's WebSocket frames/s at the same number of connections.
 */
@Command(name = "fanout-ws", mixinStandardHelpOptions = true,
        description = "N WebSocket sessions subscribed to the account filter: notifications/s and latency.")
public final class FanoutWsScenario extends Scenario {
    @Option(names = "--connections", description = "WebSocket sessions (default ${DEFAULT-VALUE}).")
    int connections = 100;

    @Option(names = "--duration", description = "Seconds of load (default ${DEFAULT-VALUE}).")
    int duration = 20;

    @Option(names = "--drain", description = "Seconds to wait for the last notifications (default ${DEFAULT-VALUE}).")
    int drain = 30;

    @Mixin
    SourceOptions source;

    @Override
    void execute(Table table) throws Exception {
        try (Harness h = Harness.start(source.extensions, connections, serverOptions)) {
            Ledger ledger = new Ledger(h.prepared.userIds(), connections);
            try (Subscribers subs = new Subscribers(h, ledger::received).webSockets(connections, true, 32)) {
                Load load = source.load(h, ledger);
                LoadPhase.warmUp(h, ledger, load, source.rate, source.warmup, subs);
                LoadPhase.Result r = LoadPhase.run(h, ledger, load,
                        source.label("fanout-ws(n=" + connections + ")"), source.rate, Duration.ofSeconds(duration),
                        Duration.ofSeconds(drain), subs);
                table.print(r.row().withLimitRatio(report.ratio(r.row().notifiedRate(), Probe.ws(connections), 1)));
            }
        }
    }
}
