package io.presenced.bench.load;

import io.presenced.bench.report.Latency;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Runs a load's workers for a while and counts what they did. Each worker makes one request per step and records
 * its outcome here; the counters are atomic, the latency recorder concurrent.
 */
final class Tally {
    /** One worker's next request. */
    interface Worker {
        void step(Tally tally) throws InterruptedException;
    }

    private final LongAdder requests = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Recorder latency = new Recorder(3);

    void answered(long sentNanos, long events) {
        requests.increment();
        this.events.add(events);
        latency.recordValue(Math.max(0, System.nanoTime() - sentNanos) / 1000);
    }

    void error(long count) {
        errors.add(count);
    }

    /** Runs {@code workers}, each on its own virtual thread, paced by {@code pacer}, until {@code nanos} passed. */
    static LoadStats run(List<? extends Worker> workers, Pacer pacer, long nanos) throws InterruptedException {
        Tally tally = new Tally();
        long start = System.nanoTime();
        long end = start + nanos;
        List<Thread> threads = workers.stream().map(w -> Thread.ofVirtual().name("load").start(() -> {
            try {
                while (System.nanoTime() < end) {
                    pacer.await();
                    w.step(tally);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toList();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadStats(tally.requests.sum(), tally.events.sum(), tally.errors.sum(), seconds,
                Latency.ofMicros(tally.latency.getIntervalHistogram()));
    }
}
