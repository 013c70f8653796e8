package io.presenced.bench.jmh;

import io.presenced.delivery.Matcher;
import io.presenced.delivery.Variant;
import io.presenced.presence.PresenceEvent;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.SubscriptionIndex;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Filter matching: the index lookup of the subscriptions an event may go to, and the matcher's decision (with the
 * form) for each of them. {@code accountSubscriptions} have the account filter; as many again have an extension
 * filter for one of 10,000 extensions, so most events hit only the account-level ones; {@code otherAccountSubscriptions}
 * belong to other accounts, and should change nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class MatchingBench {
    private static final int EXTENSIONS = 10_000;

    @Param({"1", "100", "1000"})
    int accountSubscriptions;

    /** Account-level subscriptions of other accounts, which an event of this one must not cost anything. */
    @Param({"0", "10000"})
    int otherAccountSubscriptions;

    private final SubscriptionIndex index = new SubscriptionIndex();
    private PresenceEvent[] events;
    private int i;

    @Setup
    public void setUp() {
        for (int k = 0; k < accountSubscriptions; k++) {
            index.put(Samples.subscription("a" + k, Samples.FIRST_EXTENSION + k,
                    List.of(new EventFilter.AccountPresence(Samples.ACCOUNT, k % 4 == 0, false))));
            long watched = Samples.FIRST_EXTENSION + (k * 7919L) % EXTENSIONS;
            index.put(Samples.subscription("e" + k, Samples.FIRST_EXTENSION + k,
                    List.of(new EventFilter.ExtensionPresence(Samples.ACCOUNT, watched, false, false))));
        }
        for (int k = 0; k < otherAccountSubscriptions; k++) {
            index.put(Samples.subscription("o" + k, Samples.ACCOUNT + 1 + k, 900_000_000L + k,
                    List.of(new EventFilter.AccountPresence(Samples.ACCOUNT + 1 + k, false, false))));
        }
        events = new PresenceEvent[1024];
        for (int k = 0; k < events.length; k++) {
            events[k] = Samples.event(Samples.FIRST_EXTENSION + (k * 31L) % EXTENSIONS, 0);
        }
    }

    @Benchmark
    public List<Subscription> indexMatching() {
        PresenceEvent e = events[i++ & 1023];
        return index.matching(e.state().accountId(), e.state().extensionId());
    }

    @Benchmark
    public void matchAndVariant(Blackhole bh) {
        PresenceEvent e = events[i++ & 1023];
        for (Subscription s : index.matching(e.state().accountId(), e.state().extensionId())) {
            Optional<Variant> v = Matcher.variant(s, e, false, Samples.NOW);
            bh.consume(v);
        }
    }
}
