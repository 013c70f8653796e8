package io.presenced.bench.report;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The one result row every scenario prints.
 *
 * @param scenario      the scenario and, where it has several rows, the step ({@code ingest@5000})
 * @param unit          what the rates count ({@code PUT/s}, {@code events/s}, {@code conn/s}, …)
 * @param offeredRate   the rate the load generator aimed at; empty when it ran flat out or offered no load
 * @param achievedRate  the source events the server acknowledged, per second of load
 * @param notifiedRate  notifications received by all subscribers, per second from the start of the load to the
 *                      last receipt of an event of this row
 * @param latency       source acknowledgement to receipt by the subscriber; empty without subscribers
 * @param early         receipts that came before their source event was acknowledged (recorded as 0 ms)
 * @param cpuSeconds    user + system CPU the server process used during the row
 * @param peakHeapMb    the highest heap in use the server reported (sampled every 250 ms)
 * @param errors        failed or refused requests and events that could not be accounted for
 * @param limitRatio    this row's headline figure over the {@code limit} reference; empty without one
 * @param detail        what is particular to the scenario ({@code kept up}, heap per session, …)
 */
public record Row(String scenario, String unit, OptionalDouble offeredRate, double achievedRate,
                  double notifiedRate, Optional<Latency> latency, long early, double cpuSeconds, double peakHeapMb,
                  long errors, OptionalDouble limitRatio, String detail) {
    public Row {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(offeredRate, "offeredRate");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(limitRatio, "limitRatio");
        Objects.requireNonNull(detail, "detail");
    }

    /** This row with its ratio to the limit reference. */
    public Row withLimitRatio(OptionalDouble ratio) {
        return new Row(scenario, unit, offeredRate, achievedRate, notifiedRate, latency, early, cpuSeconds, peakHeapMb,
                errors, ratio, detail);
    }
}
