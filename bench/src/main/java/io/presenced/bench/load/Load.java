package io.presenced.bench.load;

import java.time.Duration;

/**
 * A source of presence events against a server: PUT presence or telephony ingest. Each worker owns a share of the
 * extensions, so each extension's events are caused, acknowledged and counted in order by one thread; every
 * acknowledged event is reported to the ledger with its sequence. A load keeps its state between runs, so that a
 * rising rate continues each extension's sequence.
 */
public sealed interface Load permits PutLoad, IngestLoad {
    /** Runs for {@code duration} at {@code rate} events a second (0 for as fast as the workers go). */
    LoadStats run(double rate, Duration duration) throws InterruptedException;

    /** What {@link LoadStats#events()} counts, per second ({@code PUT/s}, {@code events/s}). */
    String unit();
}
