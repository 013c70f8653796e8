package io.presenced.bench.load;

import io.presenced.bench.report.Latency;

/**
 * What one run of a load did.
 *
 * @param requests HTTP requests answered 2xx
 * @param events   source events acknowledged (a PUT is one, an ingest request one per accepted item)
 * @param errors   failed requests, refused items and events whose outcome is unknown
 * @param seconds  how long the load ran
 * @param request  request latency, from sending to the answer
 */
public record LoadStats(long requests, long events, long errors, double seconds, Latency request) {

    /** Acknowledged events per second. */
    public double eventRate() {
        return events / seconds;
    }

    /** Answered requests per second. */
    public double requestRate() {
        return requests / seconds;
    }
}
