package io.presenced.bench.jmh;

import io.presenced.delivery.Notifications;
import io.presenced.delivery.Variant;
import io.presenced.presence.PresenceEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Event serialisation: a notification body in its three common forms, the envelope around it, and its uuid. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SerialisationBench {
    private static final Variant ACCOUNT = new Variant(false, false, false);
    private static final Variant EXTENSION = new Variant(true, false, false);
    private static final Variant DETAILED = new Variant(true, true, true);

    private PresenceEvent event;

    @Setup
    public void setUp() {
        event = Samples.event(Samples.FIRST_EXTENSION, 3);
    }

    @Benchmark
    public byte[] bodyAccount() {
        return Notifications.body(event, ACCOUNT);
    }

    @Benchmark
    public byte[] bodyExtension() {
        return Notifications.body(event, EXTENSION);
    }

    @Benchmark
    public byte[] bodyDetailedThreeCalls() {
        return Notifications.body(event, DETAILED);
    }

    /** The envelope as one subscription's delivery builds it, with the account body serialised for it. */
    @Benchmark
    public byte[] envelope() {
        return Notifications.envelope("0a6b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d", Samples.FIRST_EXTENSION, event, ACCOUNT)
                .bytes();
    }

    @Benchmark
    public String uuid() {
        return Notifications.uuid("0a6b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d", event.id());
    }
}
