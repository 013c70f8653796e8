package io.presenced.bench.report;

/**
 * Names of the {@code limit} scenario's probes: each is one load generator against the trivial endpoint, at the
 * concurrency and body size of the rows that compare themselves with it.
 */
public final class Probe {
    private Probe() {
    }

    /** PUT requests/s with a PUT presence body, {@code concurrency} requests in flight. */
    public static String httpPut(int concurrency) {
        return "http-put-c" + concurrency;
    }

    /** Ingest requests/s with batches of {@code batch} telephony items, {@code senders} in flight. */
    public static String httpIngest(int batch, int senders) {
        return "http-ingest-b" + batch + "-c" + senders;
    }

    /** WebSocket frames/s across {@code connections} connections, frames the size of a presence notification. */
    public static String ws(int connections) {
        return "ws-" + connections;
    }
}
