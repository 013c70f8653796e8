package io.presenced.bench.scenario;

import io.presenced.bench.load.IngestLoad;
import io.presenced.bench.report.Probe;
import io.presenced.bench.report.Table;
import io.presenced.bench.track.Ledger;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Simulator-shaped telephony events (ring, answer, hang up) through the ingest API at a rising offered rate, with
 * one account-level WebHook subscriber and one WebSocket subscriber: one row per step, saying whether both kept
 * up (received every notification of the step within the step and the drain). Its headline figure is events/s,
 * compared with the limit's ingest requests/s at the same batch size and senders, times the batch size.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Ingested call events/s at rising rates with a WebHook and a WebSocket subscriber.")
public final class IngestScenario extends Scenario {
    @Option(names = "--extensions", description = "User extensions of the one account (default ${DEFAULT-VALUE}).")
    int extensions = 10_000;

    @Option(names = "--batch", description = "Items per ingest request (default ${DEFAULT-VALUE}).")
    int batch = 500;

    @Option(names = "--senders", description = "Ingest requests in flight (default ${DEFAULT-VALUE}).")
    int senders = 8;

    @Option(names = "--rates", split = ",", description = "Offered events/s of the steps, in order; 0 for flat out "
            + "(default ${DEFAULT-VALUE}).")
    List<Double> rates = List.of(2000.0, 5000.0, 10_000.0, 20_000.0, 40_000.0);

    @Option(names = "--step-seconds", description = "Seconds of load per step (default ${DEFAULT-VALUE}).")
    int stepSeconds = 10;

    @Option(names = "--drain", description = "Seconds after a step for its last notifications (default "
            + "${DEFAULT-VALUE}).")
    int drain = 5;

    @Option(names = "--warmup", description = "Seconds of load at the first rate before the first step, not reported"
            + " (default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--no-webhook", description = "Leave out the WebHook subscriber.")
    boolean noWebhook;

    @Option(names = "--no-websocket", description = "Leave out the WebSocket subscriber.")
    boolean noWebsocket;

    @Override
    void execute(Table table) throws Exception {
        boolean webhook = !noWebhook;
        boolean websocket = !noWebsocket;
        int subscribers = (webhook ? 1 : 0) + (websocket ? 1 : 0);
        try (Harness h = Harness.start(extensions, subscribers, serverOptions)) {
            Ledger ledger = new Ledger(h.prepared.userIds(), subscribers);
            try (Subscribers subs = new Subscribers(h, ledger::received).webhooks(webhook ? 1 : 0)
                    .webSockets(websocket ? 1 : 0, true, 1)) {
                IngestLoad load = new IngestLoad(h.api, h.adminToken, h.prepared.userIds(), batch, senders, ledger);
                LoadPhase.warmUp(h, ledger, load, rates.getFirst(), warmup, subs);
                for (double rate : rates) {
                    LoadPhase.Result r = LoadPhase.run(h, ledger, load, "ingest@" + (rate > 0 ? (long) rate : "max"),
                            rate, Duration.ofSeconds(stepSeconds), Duration.ofSeconds(drain), subs);
                    table.print(r.row().withLimitRatio(report.ratio(r.row().achievedRate(),
                            Probe.httpIngest(batch, senders), batch)));
                }
            }
        }
    }
}
