package io.presenced.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.presenced.directory.Account;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import io.presenced.store.JdbcStore;
import io.presenced.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The presence writer over a real SQLite store: events only for visible changes, sequences that
 * start at 1 and never repeat or go back, also under concurrent writers and across restarts.
 */
class PresenceWriterTest {
    private static final PresenceUpdate NOTHING = new PresenceUpdate(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    @TempDir
    Path dataDir;

    private Store store;
    private PresenceWriter writer;
    private Account account;
    private Extension ann;
    private Extension bob;

    @BeforeEach
    void start() {
        store = JdbcStore.sqlite(dataDir);
        writer = PresenceWriter.start(store, Clock.systemUTC());
        account = store.createAccount("Acme", "+16505550100");
        List<Extension> extensions = store.createExtensions(List.of(userSpec(account, "101"), userSpec(account, "102")));
        ann = extensions.get(0);
        bob = extensions.get(1);
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void restart() {
        writer.close();
        store.close();
        writer = null;
        store = null;
        store = JdbcStore.sqlite(dataDir);
        writer = PresenceWriter.start(store, Clock.systemUTC());
    }

    @Test
    void firstEventHasSequenceOne() {
        assertThat(writer.current(ann).sequence()).isZero();

        PresenceState busy = writer.apply(ann, userStatus(UserStatus.Busy)::applyTo);

        assertThat(busy.sequence()).isEqualTo(1);
        assertThat(writer.current(ann)).isEqualTo(busy);
        List<PresenceEvent> events = store.eventsAfter(0, 100);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(busy);
            assertThat(event.id()).isPositive();
            assertThat(event.telephonyChanged()).isFalse();
            assertThat(event.wasVisible()).isTrue();
        });
    }

    @Test
    void writeThatChangesNothingMakesNoEventAndKeepsTheSequence() {
        PresenceState busy = writer.apply(ann, userStatus(UserStatus.Busy)::applyTo);

        PresenceState same = writer.apply(ann, userStatus(UserStatus.Busy)::applyTo);
        PresenceState empty = writer.apply(ann, NOTHING::applyTo);

        assertThat(same).isEqualTo(busy);
        assertThat(empty).isEqualTo(busy);
        assertThat(store.eventsAfter(0, 100)).hasSize(1);
        assertThat(writer.current(ann).sequence()).isEqualTo(1);
    }

    @Test
    void writeThatChangesNothingOnANeverWrittenExtensionStoresNothing() {
        PresenceState initial = writer.apply(bob, userStatus(UserStatus.Available)::applyTo);

        assertThat(initial).isEqualTo(PresenceState.initial(bob));
        assertThat(store.eventsAfter(0, 100)).isEmpty();
        List<PresenceState> stored = new ArrayList<>();
        store.forEachPresence(stored::add);
        assertThat(stored).isEmpty();
    }

    @Test
    void messageOnlyChangeIsStoredButMakesNoEventAndKeepsTheSequence() {
        writer.apply(ann, userStatus(UserStatus.Busy)::applyTo);

        PresenceState withMessage = writer.apply(ann, message("Back at 3")::applyTo);

        assertThat(withMessage.message()).isEqualTo("Back at 3");
        assertThat(withMessage.sequence()).isEqualTo(1);
        assertThat(store.eventsAfter(0, 100)).hasSize(1);
        List<PresenceState> stored = new ArrayList<>();
        store.forEachPresence(stored::add);
        assertThat(stored).containsExactly(withMessage);

        restart();
        assertThat(writer.current(ann)).isEqualTo(withMessage);
        PresenceState next = writer.apply(ann, userStatus(UserStatus.Available)::applyTo);
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.message()).isEqualTo("Back at 3");
    }

    @Test
    void presenceStatusIsDerivedFromTheOtherFields() {
        assertThat(writer.apply(ann, userStatus(UserStatus.Busy)::applyTo).presenceStatus())
                .isEqualTo(PresenceStatus.Busy);
        assertThat(writer.apply(ann, userStatus(UserStatus.Available)::applyTo).presenceStatus())
                .isEqualTo(PresenceStatus.Available);
        assertThat(writer.apply(ann, dnd(DndStatus.DoNotAcceptAnyCalls)::applyTo).presenceStatus())
                .isEqualTo(PresenceStatus.Busy);
        assertThat(writer.apply(ann, userStatus(UserStatus.Offline)::applyTo).presenceStatus())
                .isEqualTo(PresenceStatus.Offline);

        assertThat(store.eventsAfter(0, 100)).extracting(e -> e.state().presenceStatus())
                .containsExactly(PresenceStatus.Busy, PresenceStatus.Available, PresenceStatus.Busy,
                        PresenceStatus.Offline);
    }

    @Test
    void presenceStatusIsDerivedEvenWhenTheChangeLeavesItStale() {
        // a source that sets only telephonyStatus and copies the old presenceStatus
        PresenceState onCall = writer.apply(ann, s -> withTelephony(s, TelephonyStatus.CallConnected));

        assertThat(onCall.telephonyStatus()).isEqualTo(TelephonyStatus.CallConnected);
        assertThat(onCall.presenceStatus()).isEqualTo(PresenceStatus.Busy);
        assertThat(store.eventsAfter(0, 100)).singleElement().satisfies(e -> {
            assertThat(e.state().presenceStatus()).isEqualTo(PresenceStatus.Busy);
            assertThat(e.telephonyChanged()).isTrue();
        });
    }

    @Test
    void changeWhoseOnlyDifferenceIsAStalePresenceStatusMakesNoEvent() {
        PresenceState before = writer.apply(ann, userStatus(UserStatus.Busy)::applyTo);

        // same fields, presenceStatus not derived: once derived again, nothing has changed
        PresenceState after = writer.apply(ann, s -> new PresenceState(s.extensionId(), s.accountId(), s.type(),
                s.userStatus(), s.dndStatus(), s.message(), s.allowSeeMyPresence(), s.ringOnMonitoredCall(),
                s.pickUpCallsOnHold(), s.meetingStatus(), s.telephonyStatus(), PresenceStatus.Available,
                s.sequence()));

        assertThat(after).isEqualTo(before);
        assertThat(store.eventsAfter(0, 100)).hasSize(1);
    }

    @Test
    void onCommitListenersReceiveEventsInLogOrder() throws Exception {
        List<PresenceEvent> received = new CopyOnWriteArrayList<>();
        List<PresenceEvent> second = new CopyOnWriteArrayList<>();
        writer.onCommit(received::addAll);
        writer.onCommit(events -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });
        writer.onCommit(second::addAll);
        List<Extension> extensions = List.of(ann, bob);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 20; i++) {
                        UserStatus status = UserStatus.values()[(offset + i) % UserStatus.values().length];
                        writer.apply(extensions.get((offset + i) % 2), userStatus(status)::applyTo);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        List<PresenceEvent> log = allEvents(store);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSameSizeAs(log));
        assertThat(received).containsExactlyElementsOf(log);
        assertThat(received).extracting(PresenceEvent::id).isSorted().doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(second).containsExactlyElementsOf(log));
    }

    @Test
    void sequenceContinuesAfterRestart() {
        writer.apply(ann, userStatus(UserStatus.Busy)::applyTo);
        writer.apply(ann, userStatus(UserStatus.Offline)::applyTo);
        writer.apply(ann, userStatus(UserStatus.Busy)::applyTo);

        restart();

        assertThat(writer.current(ann).sequence()).isEqualTo(3);
        assertThat(writer.apply(ann, userStatus(UserStatus.Available)::applyTo).sequence()).isEqualTo(4);
        assertThat(writer.apply(bob, userStatus(UserStatus.Busy)::applyTo).sequence()).isEqualTo(1);
    }

    // --- sequence monotonicity under concurrent writers ------------------------------------------

    /** One write of the plan: the index of the extension and the update. */
    record Write(int extension, PresenceUpdate update) {
    }

    /** K extensions and, per writer thread, the writes it makes in order. */
    record Plan(int extensions, List<List<Write>> threads) {
        int writes() {
            return threads.stream().mapToInt(List::size).sum();
        }
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Arbitraries.integers().between(1, 5).flatMap(k -> {
            Arbitrary<Write> write = Combinators.combine(Arbitraries.integers().between(0, k - 1), updates())
                    .as(Write::new);
            return write.list().ofMinSize(1).ofMaxSize(40).list().ofMinSize(1).ofMaxSize(8)
                    .map(threads -> new Plan(k, threads));
        });
    }

    @Provide
    Arbitrary<PresenceUpdate> updates() {
        return Combinators.combine(
                Arbitraries.of(UserStatus.class).optional(0.5),
                Arbitraries.of(DndStatus.class).optional(0.3),
                Arbitraries.of("", "lunch", "back at 3").optional(0.3),
                Arbitraries.of(true, false).optional(0.2),
                Arbitraries.of(true, false).optional(0.2),
                Arbitraries.of(true, false).optional(0.2)).as(PresenceUpdate::new);
    }

    @Property(tries = 25)
    void sequencesStayContiguousUnderConcurrentWritersAndAcrossRestarts(@ForAll("plans") Plan plan)
            throws Exception {
        Path dir = Files.createTempDirectory("presenced-writer-property");
        try {
            List<Extension> extensions;
            Map<Long, Long> eventsPerExtension = new HashMap<>();
            List<Integer> batchSizes = new CopyOnWriteArrayList<>();
            try (Store s = JdbcStore.sqlite(dir); PresenceWriter w = PresenceWriter.start(s, Clock.systemUTC())) {
                w.onCommit(events -> batchSizes.add(events.size()));
                Account acme = s.createAccount("Acme", "+16505550100");
                extensions = s.createExtensions(IntStream.range(0, plan.extensions())
                        .mapToObj(i -> userSpec(acme, String.valueOf(101 + i))).toList());
                runConcurrently(w, extensions, plan);

                List<PresenceEvent> log = allEvents(s);
                assertThat(log).extracting(PresenceEvent::id).isSorted().doesNotHaveDuplicates();
                for (Extension extension : extensions) {
                    List<PresenceEvent> own = log.stream()
                            .filter(e -> e.state().extensionId() == extension.id()).toList();
                    long n = own.size();
                    assertThat(own).extracting(e -> e.state().sequence())
                            .as("sequences of extension %d in log order", extension.id())
                            .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
                    assertThat(w.current(extension).sequence()).isEqualTo(n);
                    if (n > 0) {
                        assertThat(w.current(extension).differsInEventFrom(own.getLast().state())).isFalse();
                    }
                    eventsPerExtension.put(extension.id(), n);
                }
                assertThat(log.size()).isLessThanOrEqualTo(plan.writes());
            }
            // closing the writer joined its thread, so every batch has been reported
            Statistics.label("group commit").collect(batchSizes.stream().anyMatch(n -> n > 1)
                    ? "some batch held several events" : "one event per batch");

            try (Store s = JdbcStore.sqlite(dir); PresenceWriter w = PresenceWriter.start(s, Clock.systemUTC())) {
                long lastId = allEvents(s).stream().mapToLong(PresenceEvent::id).max().orElse(0);
                for (Extension extension : extensions) {
                    long n = eventsPerExtension.get(extension.id());
                    assertThat(w.current(extension).sequence()).isEqualTo(n);
                    UserStatus other = w.current(extension).userStatus() == UserStatus.Busy
                            ? UserStatus.Available : UserStatus.Busy;

                    PresenceState next = w.apply(extension, userStatus(other)::applyTo);

                    assertThat(next.sequence()).isEqualTo(n + 1);
                }
                assertThat(s.eventsAfter(lastId, 1000)).extracting(e -> e.state().sequence())
                        .containsExactlyElementsOf(extensions.stream()
                                .map(e -> eventsPerExtension.get(e.id()) + 1).toList());
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void runConcurrently(PresenceWriter w, List<Extension> extensions, Plan plan) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (List<Write> writes : plan.threads()) {
                done.add(threads.submit(() -> {
                    go.await();
                    Map<Long, Long> lastSeen = new HashMap<>();
                    for (Write write : writes) {
                        Extension extension = extensions.get(write.extension());
                        long sequence = w.apply(extension, write.update()::applyTo).sequence();
                        // one thread's successive writes to one extension never see the sequence go back
                        assertThat(sequence).isGreaterThanOrEqualTo(lastSeen.getOrDefault(extension.id(), 0L));
                        lastSeen.put(extension.id(), sequence);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static List<PresenceEvent> allEvents(Store s) {
        List<PresenceEvent> all = new ArrayList<>();
        for (List<PresenceEvent> page = s.eventsAfter(0, 100); !page.isEmpty();
             page = s.eventsAfter(page.getLast().id(), 100)) {
            all.addAll(page);
        }
        return all;
    }

    private static ExtensionSpec userSpec(Account account, String number) {
        return new ExtensionSpec(account.id(), number, "User " + number, "user" + number + "@example.com",
                ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of());
    }

    private static PresenceUpdate userStatus(UserStatus status) {
        return new PresenceUpdate(Optional.of(status), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static PresenceUpdate dnd(DndStatus status) {
        return new PresenceUpdate(Optional.empty(), Optional.of(status), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static PresenceUpdate message(String message) {
        return new PresenceUpdate(Optional.empty(), Optional.empty(), Optional.of(message), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static PresenceState withTelephony(PresenceState s, TelephonyStatus telephonyStatus) {
        return new PresenceState(s.extensionId(), s.accountId(), s.type(), s.userStatus(), s.dndStatus(),
                s.message(), s.allowSeeMyPresence(), s.ringOnMonitoredCall(), s.pickUpCallsOnHold(),
                s.meetingStatus(), telephonyStatus, s.presenceStatus(), s.sequence());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
