package io.presenced.bench.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a child JVM's heap in use every 250 ms on a daemon thread and keeps the peak since the last reset.
 * The peak is an atomic value; sampling failures (the child busy or gone) skip a sample.
 */
public final class HeapSampler implements AutoCloseable {
    private static final Duration PERIOD = Duration.ofMillis(250);

    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;

    private HeapSampler(ChildJvm jvm) {
        this.thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long used = jvm.heapUsedBytes();
                    peak.accumulateAndGet(used, Math::max);
                    Thread.sleep(PERIOD);
                } catch (InterruptedException e) {
                    return;
                } catch (java.io.IOException | RuntimeException e) {
                    // a missed sample
                }
            }
        });
    }

    /** Starts sampling {@code jvm}. */
    public static HeapSampler start(ChildJvm jvm) {
        return new HeapSampler(jvm);
    }

    /** The highest heap seen since the last reset, in MiB; the peak starts again from now. */
    public double takePeakMb() {
        return peak.getAndSet(0) / 1048576.0;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
