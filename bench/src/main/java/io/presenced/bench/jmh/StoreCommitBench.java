package io.presenced.bench.jmh;

import io.presenced.directory.Account;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.UserStatus;
import io.presenced.store.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Store batch commit: one durable transaction ({@code synchronous=FULL}) of {@code batch} presence states and their
 * events, as the presence writer's group commit makes it, on SQLite in a temporary directory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class StoreCommitBench {
    @Param({"1", "50", "500"})
    int batch;

    private Path dir;
    private JdbcStore store;
    private List<PresenceState> states;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("presenced-jmh-store");
        store = JdbcStore.sqlite(dir);
        Account account = store.createAccount("Bench", "+15550100000");
        List<ExtensionSpec> specs = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            specs.add(new ExtensionSpec(account.id(), String.valueOf(10_000 + i), "User " + i, "", ExtensionType.User,
                    ExtensionStatus.Enabled, Role.User, List.of()));
        }
        states = new ArrayList<>();
        for (Extension e : store.createExtensions(specs)) {
            states.add(PresenceState.initial(e));
        }
    }

    @Benchmark
    public List<PresenceEvent> commitPresence() {
        long seq = ++sequence;
        UserStatus status = seq % 2 == 0 ? UserStatus.Available : UserStatus.Busy;
        Instant now = Instant.now();
        List<PresenceState> next = new ArrayList<>(states.size());
        List<PresenceEvent> events = new ArrayList<>(states.size());
        for (PresenceState s : states) {
            PresenceState changed = s.withPreferences(status, s.dndStatus(), "", true, false, false).withSequence(seq);
            next.add(changed);
            events.add(PresenceEvent.of(s, changed, now));
        }
        states = next;
        return store.commitPresence(next, events);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
