package io.presenced.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.presenced.directory.ExtensionType;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The ring of recent events: what it answers is always the whole run of events after the asked id, or nothing. */
class RecentLogTest {
    private static PresenceEvent event(long id) {
        PresenceState s = PresenceState.of(7, 1, ExtensionType.User, UserStatus.Available, DndStatus.TakeAllCalls, "",
                true, false, false, MeetingStatus.Disconnected, TelephonyStatus.NoCall, id);
        return new PresenceEvent(id, s, false, true, Instant.EPOCH);
    }

    private static List<Long> ids(Optional<List<RecentLog.Entry>> entries) {
        return entries.orElseThrow().stream().map(RecentLog.Entry::id).toList();
    }

    @Test
    void answersTheEventsAfterAnIdUpToTheLimit() {
        RecentLog log = new RecentLog(16, 0);
        for (long id = 1; id <= 10; id++) {
            log.append(event(id));
        }
        assertThat(ids(log.after(3, 5))).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(ids(log.after(0, 100))).hasSize(10).first().isEqualTo(1L);
        assertThat(ids(log.after(10, 5))).isEmpty();
    }

    @Test
    void sendsToTheStoreWhatHasLeftTheRingOrCameBeforeIt() {
        RecentLog log = new RecentLog(4, 100);
        assertThat(log.after(99, 5)).as("before the start of the ring").isEmpty();
        for (long id = 101; id <= 110; id++) {
            log.append(event(id));
        }
        assertThat(log.after(105, 5)).as("106 has left a ring of four").isEmpty();
        assertThat(ids(log.after(106, 5))).containsExactly(107L, 108L, 109L, 110L);
    }

    @Test
    void keepsGapsInTheIdsAsTheyAre() {
        RecentLog log = new RecentLog(8, 0);
        for (long id : new long[] {2, 3, 7, 8, 20}) {
            log.append(event(id));
        }
        assertThat(ids(log.after(3, 10))).containsExactly(7L, 8L, 20L);
        assertThat(ids(log.after(5, 2))).containsExactly(7L, 8L);
    }

    @Test
    void aReaderLappedByTheWriterGetsNothingRatherThanAGap() throws InterruptedException {
        RecentLog log = new RecentLog(64, 0);
        AtomicLong written = new AtomicLong();
        AtomicReference<String> wrong = new AtomicReference<>();
        long end = System.nanoTime() + 1_000_000_000L;
        Thread writer = Thread.ofPlatform().start(() -> {
            for (long id = 1; System.nanoTime() < end; id++) {
                log.append(event(id));
                written.set(id);
            }
        });
        Runnable reader = () -> {
            long checked = 0;
            while (System.nanoTime() < end && wrong.get() == null) {
                long head = written.get();
                long after = Math.max(0, head - ThreadLocalRandom.current().nextLong(0, 80));
                Optional<List<RecentLog.Entry>> got = log.after(after, 32);
                if (got.isPresent() && !got.get().isEmpty()) {
                    List<RecentLog.Entry> list = got.get();
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i).id() != after + 1 + i) {
                            wrong.set("after " + after + " got ids starting " + list.get(0).id() + " with "
                                    + list.get(i).id() + " at " + i);
                        }
                    }
                }
                checked++;
            }
            assertThat(checked).isPositive();
        };
        Thread r1 = Thread.ofPlatform().start(reader);
        Thread r2 = Thread.ofPlatform().start(reader);
        writer.join();
        r1.join();
        r2.join();
        assertThat(wrong.get()).as("a reader saw a run that was not the events right after its id").isNull();
        assertThat(written.get()).isGreaterThan(64);
    }
}
