package io.presenced.bench.load;

import io.presenced.bench.client.Api;
import io.presenced.bench.track.Ledger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * PUT presence load: each PUT flips one extension's userStatus (Busy, Available, Busy, …), so each 200 is one
 * event whose sequence is the number of that extension's PUTs answered 200. An extension whose PUT failed without
 * an answer is left alone from then on, since whether that PUT took effect is unknown.
 */
public final class PutLoad implements Load {
    private static final byte[] BUSY = "{\"userStatus\":\"Busy\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AVAILABLE = "{\"userStatus\":\"Available\"}".getBytes(StandardCharsets.UTF_8);

    private final List<Worker> workers = new ArrayList<>();

    /**
     * A load over {@code extensions} (fresh, sequence 0) with {@code concurrency} requests in flight.
     *
     * @param token an access token allowed to PUT every extension's presence (the admin's)
     */
    public PutLoad(Api api, String token, List<Long> extensions, int concurrency, Ledger ledger) {
        for (int w = 0; w < concurrency; w++) {
            List<Long> own = new ArrayList<>();
            for (int i = w; i < extensions.size(); i += concurrency) {
                own.add(extensions.get(i));
            }
            if (!own.isEmpty()) {
                workers.add(new Worker(api, token, own, ledger));
            }
        }
    }

    /** The body of a PUT presence request as this load sends it. */
    public static byte[] sampleBody() {
        return AVAILABLE.clone();
    }

    @Override
    public LoadStats run(double rate, Duration duration) throws InterruptedException {
        return Tally.run(workers, Pacer.of(rate), duration.toNanos());
    }

    @Override
    public String unit() {
        return "PUT/s";
    }

    private static final class Worker implements Tally.Worker {
        private final Api api;
        private final String token;
        private final long[] ids;
        private final long[] sequence;
        private final boolean[] retired;
        private final Ledger ledger;
        private int cursor;

        Worker(Api api, String token, List<Long> own, Ledger ledger) {
            this.api = api;
            this.token = token;
            this.ids = own.stream().mapToLong(Long::longValue).toArray();
            this.sequence = new long[ids.length];
            this.retired = new boolean[ids.length];
            this.ledger = ledger;
        }

        @Override
        public void step(Tally tally) throws InterruptedException {
            int i = next();
            if (i < 0) {
                Thread.sleep(100);
                return;
            }
            long seq = sequence[i] + 1;
            long sent = System.nanoTime();
            try {
                Api.Answer answer = api.putPresence(token, ids[i], seq % 2 == 1 ? BUSY : AVAILABLE);
                if (answer.status() == 200) {
                    sequence[i] = seq;
                    ledger.acked(ids[i], seq);
                    tally.answered(sent, 1);
                } else {
                    tally.error(1);
                }
            } catch (IOException e) {
                retired[i] = true;
                tally.error(1);
            }
        }

        private int next() {
            for (int k = 0; k < ids.length; k++) {
                int i = cursor;
                cursor = (cursor + 1) % ids.length;
                if (!retired[i]) {
                    return i;
                }
            }
            return -1;
        }
    }
}
