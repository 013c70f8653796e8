package io.presenced.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.bench.client.Api;
import io.presenced.bench.track.Ledger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Telephony ingest load: batches of simulator-shaped call items through {@code POST /ingest/v1/telephony}, each
 * accepted item one event (see {@link CallScript}). An extension with an item that was not accepted, or in a
 * batch that got no answer, is left alone from then on, since its sequence is no longer known.
 */
public final class IngestLoad implements Load {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Worker> workers = new ArrayList<>();
    private final int batch;

    /**
     * A load over {@code extensions} (fresh, sequence 0) with {@code senders} batches in flight.
     *
     * @param token an access token with the IngestPresenceSources permission (the admin's)
     */
    public IngestLoad(Api api, String token, List<Long> extensions, int batch, int senders, Ledger ledger) {
        this.batch = batch;
        for (int w = 0; w < senders; w++) {
            List<Long> own = new ArrayList<>();
            for (int i = w; i < extensions.size(); i += senders) {
                own.add(extensions.get(i));
            }
            if (!own.isEmpty()) {
                workers.add(new Worker(api, token, own.stream().mapToLong(Long::longValue).toArray(), batch,
                        ledger));
            }
        }
    }

    /** A batch of {@code size} items as this load sends it, over made-up extensions. */
    public static byte[] sampleBatch(int size) {
        long[] ids = new long[size];
        for (int i = 0; i < size; i++) {
            ids[i] = 1_000_000L + i;
        }
        CallScript script = new CallScript(ids);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",");
            script.next(i, body);
        }
        return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The answer of a batch of {@code size} items all accepted, as the server gives it. */
    public static byte[] sampleAnswer(int size) {
        StringBuilder body = new StringBuilder("{\"accepted\":").append(size)
                .append(",\"ignored\":0,\"rejected\":0,\"results\":[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"status\":\"Accepted\"}");
        }
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public LoadStats run(double rate, Duration duration) throws InterruptedException {
        return Tally.run(workers, Pacer.of(rate / batch), duration.toNanos());
    }

    @Override
    public String unit() {
        return "events/s";
    }

    private static final class Worker implements Tally.Worker {
        private final Api api;
        private final String token;
        private final CallScript script;
        private final long[] sequence;
        private final boolean[] retired;
        private final int batch;
        private final Ledger ledger;
        private int cursor;

        Worker(Api api, String token, long[] own, int batch, Ledger ledger) {
            this.api = api;
            this.token = token;
            this.script = new CallScript(own);
            this.sequence = new long[own.length];
            this.retired = new boolean[own.length];
            this.batch = batch;
            this.ledger = ledger;
        }

        @Override
        public void step(Tally tally) throws InterruptedException {
            int[] items = new int[batch];
            StringBuilder body = new StringBuilder(batch * 330).append('[');
            int n = 0;
            // With fewer extensions than items, an extension comes again later in the batch, one step further.
            for (int skipped = 0; n < batch && skipped < script.size(); ) {
                int i = cursor;
                cursor = (cursor + 1) % script.size();
                if (retired[i]) {
                    skipped++;
                } else {
                    skipped = 0;
                    body.append(n == 0 ? "" : ",");
                    script.next(i, body);
                    items[n++] = i;
                }
            }
            if (n == 0) {
                Thread.sleep(100);
                return;
            }
            body.append(']');
            long sent = System.nanoTime();
            try {
                Api.Answer answer = api.ingestTelephony(token, body.toString().getBytes(StandardCharsets.UTF_8));
                if (answer.status() != 200) {
                    retire(items, n);
                    tally.error(n);
                    return;
                }
                tally.answered(sent, acknowledge(JSON.readTree(answer.body()), items, n, tally));
            } catch (IOException e) {
                retire(items, n);
                tally.error(n);
            }
        }

        private long acknowledge(JsonNode answer, int[] items, int n, Tally tally) {
            boolean all = answer.path("accepted").asInt() == n;
            JsonNode results = answer.path("results");
            long events = 0;
            for (int k = 0; k < n; k++) {
                int i = items[k];
                if (retired[i]) {
                    continue;
                }
                if (all || "Accepted".equals(results.path(k).path("status").asText())) {
                    sequence[i]++;
                    ledger.acked(script.id(i), sequence[i]);
                    events++;
                } else {
                    retired[i] = true;
                    tally.error(1);
                }
            }
            return events;
        }

        private void retire(int[] items, int n) {
            for (int k = 0; k < n; k++) {
                retired[items[k]] = true;
            }
        }
    }
}
