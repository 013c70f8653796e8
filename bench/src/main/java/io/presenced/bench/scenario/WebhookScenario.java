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
 * Account-level WebHook subscriptions to a local receiver under PUT (or ingest) load: deliveries per second and
 * the latency from each event's acknowledgement to its receipt. Owners are spread over the demo users (30
 * subscriptions per extension and app). Its headline figure is deliveries/s, compared with the limit's PUT
 * requests/s at the writers' concurrency: one small HTTP exchange per delivery, as the stack can serve them.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Account-level WebHook fan-out: deliveries/s and acknowledgement-to-receipt latency.")
public class WebhookScenario extends Scenario {
    @Option(names = "--subscriptions", description = "Account-level WebHook subscriptions (default ${DEFAULT-VALUE}).")
    int subscriptions = 1;

    @Option(names = "--duration", description = "Seconds of load (default ${DEFAULT-VALUE}).")
    int duration = 20;

    @Option(names = "--drain", description = "Seconds to wait for the last notifications (default ${DEFAULT-VALUE}).")
    int drain = 30;

    @Mixin
    SourceOptions source;

    /** The name of the rows. */
    String name() {
        return "webhook";
    }

    @Override
    void execute(Table table) throws Exception {
        try (Harness h = Harness.start(source.extensions, subscriptions, serverOptions)) {
            Ledger ledger = new Ledger(h.prepared.userIds(), subscriptions);
            try (Subscribers subs = new Subscribers(h, ledger::received).webhooks(subscriptions)) {
                Load load = source.load(h, ledger);
                LoadPhase.warmUp(h, ledger, load, source.rate, source.warmup, subs);
                LoadPhase.Result r = LoadPhase.run(h, ledger, load, source.label(name() + "(s="
                        + subscriptions + ")"), source.rate, Duration.ofSeconds(duration), Duration.ofSeconds(drain),
                        subs);
                table.print(r.row().withLimitRatio(report.ratio(r.row().notifiedRate(), Probe.httpPut(source.writers),
                        1)));
            }
        }
    }
}
