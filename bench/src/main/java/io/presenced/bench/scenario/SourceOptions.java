package io.presenced.bench.scenario;

import io.presenced.bench.load.IngestLoad;
import io.presenced.bench.load.Load;
import io.presenced.bench.load.PutLoad;
import io.presenced.bench.track.Ledger;
import picocli.CommandLine.Option;

/** Which load causes the events of a fan-out scenario, how hard, over how many extensions. */
final class SourceOptions {
    /** The two sources of presence events. */
    enum Source { put, ingest }

    @Option(names = "--source", description = "Event source: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Source source = Source.put;

    @Option(names = "--extensions", description = "User extensions the events are spread over "
            + "(default ${DEFAULT-VALUE}).")
    int extensions = 1000;

    @Option(names = "--writers", description = "Requests in flight: PUT writers or ingest senders "
            + "(default ${DEFAULT-VALUE}).")
    int writers = 16;

    @Option(names = "--batch", description = "Items per ingest request, with --source ingest "
            + "(default ${DEFAULT-VALUE}).")
    int batch = 500;

    @Option(names = "--warmup", description = "Seconds of the same load before the measured one, not reported, so that"
            + " the server's code is compiled (default ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--rate", description = "Offered events/s (PUTs or ingest items), 0 for flat out "
            + "(default ${DEFAULT-VALUE}).")
    double rate = 500;

    /** The load over the harness's generated extensions. */
    Load load(Harness h, Ledger ledger) {
        return switch (source) {
            case put -> new PutLoad(h.api, h.adminToken, h.prepared.userIds(), writers, ledger);
            case ingest -> new IngestLoad(h.api, h.adminToken, h.prepared.userIds(), batch, writers, ledger);
        };
    }

    /** {@code name@rate} or {@code name@max}, with the source when it is ingest. */
    String label(String name) {
        return name + (source == Source.ingest ? "/ingest" : "") + "@" + (rate > 0 ? String.valueOf((long) rate)
                : "max");
    }
}
