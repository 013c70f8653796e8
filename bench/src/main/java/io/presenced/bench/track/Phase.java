package io.presenced.bench.track;

import io.presenced.bench.report.Latency;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One window of load (a step of a rising rate, or the whole run): the source events acknowledged in it and the
 * receipts of those events, wherever they arrive in time.
 *
 * <p>Thread-safety: counters are atomic and the latency recorder is HdrHistogram's concurrent {@link Recorder};
 * the window's ends are written by the thread that runs the load.
 */
public final class Phase {
    private final String name;
    private final long start;
    private volatile long loadEnd;
    private volatile long deadline = Long.MAX_VALUE;
    private final LongAdder events = new LongAdder();
    private final LongAdder receipts = new LongAdder();
    private final LongAdder inTime = new LongAdder();
    private final LongAdder early = new LongAdder();
    private final AtomicLong lastReceipt = new AtomicLong();
    private final Recorder latency = new Recorder(3);
    private Histogram taken;

    Phase(String name, long start) {
        this.name = name;
        this.start = start;
    }

    void event() {
        events.increment();
    }

    void receipt(long now, long micros) {
        latency.recordValue(micros);
        receipts.increment();
        if (now <= deadline) {
            inTime.increment();
        }
        lastReceipt.accumulateAndGet(now, Math::max);
    }

    void earlyReceipt(long now) {
        early.increment();
        receipt(now, 0);
    }

    /** Marks the end of the load; receipts after {@code drainNanos} more no longer count as in time. */
    public void endLoad(long drainNanos) {
        loadEnd = System.nanoTime();
        deadline = loadEnd + drainNanos;
    }

    public String name() {
        return name;
    }

    public long start() {
        return start;
    }

    /** Seconds from the start to the end of the load. */
    public double loadSeconds() {
        long end = loadEnd == 0 ? System.nanoTime() : loadEnd;
        return (end - start) / 1e9;
    }

    /** Source events acknowledged in this window. */
    public long events() {
        return events.sum();
    }

    public long receipts() {
        return receipts.sum();
    }

    /** Receipts that came before the end of the load plus the drain allowance. */
    public long receiptsInTime() {
        return inTime.sum();
    }

    /** Receipts that came before the acknowledgement of their event. */
    public long early() {
        return early.sum();
    }

    /** Receipts per second from the start to the last receipt (to the end of the load, if none came later). */
    public double receiptRate() {
        long end = Math.max(lastReceipt.get(), loadEnd == 0 ? System.nanoTime() : loadEnd);
        return receipts() / ((end - start) / 1e9);
    }

    /** The latency of the receipts so far; the first call closes the histogram (later receipts are not in it). */
    public synchronized Latency latency() {
        if (taken == null) {
            taken = latency.getIntervalHistogram();
        }
        return Latency.ofMicros(taken);
    }
}
