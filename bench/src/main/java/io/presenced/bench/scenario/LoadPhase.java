package io.presenced.bench.scenario;

import io.presenced.bench.load.Load;
import io.presenced.bench.load.LoadStats;
import io.presenced.bench.report.Latency;
import io.presenced.bench.report.Row;
import io.presenced.bench.server.ChildJvm;
import io.presenced.bench.server.HeapSampler;
import io.presenced.bench.track.Ledger;
import io.presenced.bench.track.Phase;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs one phase of a load against the harness's server and makes its row: the load, then the drain (waiting for
 * every notification its events owe the subscribers), the server's CPU and peak heap over both.
 */
final class LoadPhase {
    /** What a phase measured, with the row it makes. */
    record Result(Row row, LoadStats stats, Phase phase, boolean keptUp) {
    }

    private LoadPhase() {
    }

    /**
     * Runs {@code load} at {@code rate} (0: flat out) for {@code duration}, then drains for at most {@code drain}.
     *
     * @param subscribers how many subscribers receive each event (0: the row reports request latency instead)
     */
    static Result run(Harness h, Ledger ledger, Load load, String name, double rate, Duration duration,
                      Duration drain, Audience subscribers) throws IOException, InterruptedException {
        return run(h.server, h.heap, ledger, load, name, rate, duration, drain, subscribers);
    }

    /**
     * Runs {@code load} for {@code seconds} and waits for its notifications, reporting nothing: the server's hot
     * paths are compiled before a measured phase, and what the warm-up queued does not count against it.
     */
    static void warmUp(Harness h, Ledger ledger, Load load, double rate, int seconds, Audience subscribers)
            throws IOException, InterruptedException {
        if (seconds > 0) {
            run(h, ledger, load, "warm-up", rate, Duration.ofSeconds(seconds), Duration.ofSeconds(30), subscribers);
        }
    }

    /** The same against any child JVM (the limit server). */
    static Result run(ChildJvm server, HeapSampler heap, Ledger ledger, Load load, String name, double rate,
                      Duration duration, Duration drain, Audience subscribers) throws IOException,
            InterruptedException {
        double cpu = server.cpuSeconds();
        long subscriberErrors = subscribers.errors();
        heap.takePeakMb();
        Phase phase = ledger.begin(name);
        LoadStats stats = load.run(rate, duration);
        boolean keptUp;
        if (subscribers.count() > 0) {
            keptUp = ledger.drain(phase, drain);
        } else {
            phase.endLoad(0);
            keptUp = true;
        }
        double used = server.cpuSeconds() - cpu;
        double peak = heap.takePeakMb();
        String detail;
        Optional<Latency> latency;
        if (subscribers.count() > 0) {
            long missing = ledger.expected(phase) - phase.receiptsInTime();
            detail = (keptUp ? "kept up" : String.format(Locale.ROOT, "behind: %d of %d not in within %ds", missing,
                    ledger.expected(phase), drain.toSeconds())) + "; subs=" + subscribers.count();
            long unmatched = ledger.unmatched();
            if (unmatched > 0) {
                detail += "; " + unmatched + " receipts of unknown events";
            }
            latency = Optional.of(phase.latency());
        } else {
            Latency r = stats.request();
            detail = String.format(Locale.ROOT, "request p50 %.2f p99 %.2f max %.1f ms", r.p50(), r.p99(), r.max());
            latency = Optional.empty();
        }
        Row row = new Row(name, load.unit(), rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(),
                stats.eventRate(), phase.receiptRate(), latency, phase.early(), used, peak,
                stats.errors() + subscribers.errors() - subscriberErrors, OptionalDouble.empty(), detail);
        return new Result(row, stats, phase, keptUp);
    }
}
