package io.presenced.bench.report;

import org.HdrHistogram.Histogram;

/**
 * End-to-end latency percentiles in milliseconds, and how many receipts they cover.
 *
 * @param count receipts recorded
 */
public record Latency(double p50, double p95, double p99, double max, long count) {

    /** The percentiles of a histogram recorded in microseconds. */
    public static Latency ofMicros(Histogram h) {
        return new Latency(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount());
    }
}
