package io.presenced.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backlog of one subscription on its own: memory while it keeps up, the log after an overflow or a
 * restart, and a position that only grows.
 */
class BacklogTest {
    private static final int CAPACITY = 3;

    private static Pending event(long logId) {
        return new Pending(logId, 1000 + logId % 2, Instant.ofEpochMilli(1_700_000_000_000L + logId),
                "/restapi/v1.0/account/~/extension/" + (1000 + logId % 2) + "/presence",
                ("{\"n\":" + logId + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh backlog at {@code position} that has been asked once (and so went live). */
    private static Backlog liveAt(long position) {
        Backlog b = new Backlog(position, position, CAPACITY);
        assertThat(b.next(position)).as("first next of a fresh backlog").isEqualTo(new Backlog.Next.Idle());
        return b;
    }

    /** Drains memory like the worker: next, then doneThrough of what it got; the log ids in order. */
    private static List<Long> drainMemory(Backlog b, long dispatchedThrough) {
        List<Long> delivered = new ArrayList<>();
        while (b.next(dispatchedThrough) instanceof Backlog.Next.Memory m) {
            delivered.add(m.pending().logId());
            b.doneThrough(m.pending().logId());
        }
        return delivered;
    }

    @Test
    void liveBacklogHandsOutOfferedEventsFromMemoryInOrder() {
        Backlog b = liveAt(10);
        b.offer(event(11));
        b.offer(event(12));
        b.offer(event(13));

        Backlog.Next first = b.next(13);
        assertThat(first).isInstanceOf(Backlog.Next.Memory.class);
        assertThat(((Backlog.Next.Memory) first).pending().logId()).isEqualTo(11);
        // Not done yet: the same head again (a failed attempt is retried with the same event).
        assertThat(((Backlog.Next.Memory) b.next(13)).pending().logId()).isEqualTo(11);
        assertThat(b.depth()).isEqualTo(new Backlog.Depth(3, 3, event(11).time().toEpochMilli(), false));

        b.doneThrough(11);
        assertThat(b.position()).isEqualTo(11);
        assertThat(drainMemory(b, 13)).containsExactly(12L, 13L);
        assertThat(b.position()).isEqualTo(13);
        assertThat(b.next(13)).isEqualTo(new Backlog.Next.Idle());
        assertThat(b.depth().inMemory()).isZero();
        assertThat(b.overflows()).isZero();
    }

    @Test
    void overflowSwitchesToTheLogCoveringTheMissedIdsAndBackToMemory() {
        Backlog b = liveAt(0);
        for (long id = 1; id <= CAPACITY; id++) {
            b.offer(event(id));
        }
        // One beyond capacity: memory is dropped, the backlog stops taking events.
        b.offer(event(4));
        b.offer(event(5));
        assertThat(b.overflows()).isEqualTo(1);
        assertThat(b.depth().inMemory()).as("memory after the overflow").isZero();
        assertThat(b.depth().waiting()).as("what waits counts the log too").isEqualTo(CAPACITY + 2);
        assertThat(b.depth().readingLog()).isTrue();

        Backlog.Next next = b.next(5);
        assertThat(next).as("after an overflow the missed ids come from the log")
                .isEqualTo(new Backlog.Next.Log(0, 5));
        // While the worker reads the log, newer events go to memory again.
        b.offer(event(6));
        b.offer(event(7));
        assertThat(b.next(7)).as("still reading the log until it is done").isEqualTo(new Backlog.Next.Log(0, 5));
        assertThat(b.position()).as("reading the log does not move the position by itself").isZero();

        b.doneThrough(5);
        assertThat(b.position()).isEqualTo(5);
        assertThat(drainMemory(b, 7)).as("after the log, the events offered meanwhile, from memory")
                .containsExactly(6L, 7L);
        b.offer(event(8));
        assertThat(drainMemory(b, 8)).as("later offers come from memory").containsExactly(8L);
        assertThat(b.overflows()).isEqualTo(1);
        assertThat(b.depth().readingLog()).isFalse();
    }

    @Test
    void overflowWhileReadingTheLogExtendsTheLogRead() {
        Backlog b = liveAt(0);
        for (long id = 1; id <= CAPACITY + 1; id++) {
            b.offer(event(id));
        }
        assertThat(b.next(4)).isEqualTo(new Backlog.Next.Log(0, 4));
        for (long id = 5; id <= 5 + CAPACITY; id++) {
            b.offer(event(id));
        }
        assertThat(b.overflows()).isEqualTo(2);
        b.doneThrough(4);
        assertThat(b.next(8)).as("the second overflow is read from the log too")
                .isEqualTo(new Backlog.Next.Log(4, 8));
        b.doneThrough(8);
        assertThat(b.next(8)).isEqualTo(new Backlog.Next.Idle());
        assertThat(b.position()).isEqualTo(8);
    }

    @Test
    void positionOnlyGrows() {
        Backlog b = liveAt(20);
        b.doneThrough(25);
        b.doneThrough(22);
        assertThat(b.position()).isEqualTo(25);
        b.next(21);
        assertThat(b.position()).as("next with an older dispatchedThrough").isEqualTo(25);
        b.offer(event(26));
        b.doneThrough(26);
        b.doneThrough(3);
        assertThat(b.position()).isEqualTo(26);
        assertThat(b.next(26)).isEqualTo(new Backlog.Next.Idle());
    }

    @Test
    void nextWithEmptyMemoryAdvancesThePositionToDispatchedThrough() {
        Backlog b = liveAt(7);
        // Events 8..40 were dispatched, none for this subscription.
        assertThat(b.next(40)).isEqualTo(new Backlog.Next.Idle());
        assertThat(b.position()).isEqualTo(40);

        b.offer(event(41));
        assertThat(b.next(45)).as("with something in memory the position waits for it")
                .isInstanceOf(Backlog.Next.Memory.class);
        assertThat(b.position()).isEqualTo(40);
        b.doneThrough(41);
        assertThat(b.next(45)).isEqualTo(new Backlog.Next.Idle());
        assertThat(b.position()).isEqualTo(45);
    }

    @Test
    void backlogAfterRestartFirstReadsTheLogUpToTheLogEndItWasGiven() {
        // Delivered through 100 before the crash; the log ended at 130 when the server started again.
        Backlog b = new Backlog(100, 130, CAPACITY);
        assertThat(b.depth().readingLog()).isTrue();
        assertThat(b.next(130)).isEqualTo(new Backlog.Next.Log(100, 130));
        assertThat(b.position()).as("the position does not jump over the unread log").isEqualTo(100);

        // New events arriving meanwhile wait in memory behind the log.
        b.offer(event(131));
        b.doneThrough(115);
        assertThat(b.next(131)).as("a partial read continues where it stopped")
                .isEqualTo(new Backlog.Next.Log(115, 130));
        b.doneThrough(130);
        assertThat(drainMemory(b, 131)).containsExactly(131L);
        b.offer(event(132));
        assertThat(drainMemory(b, 132)).containsExactly(132L);
        assertThat(b.position()).isEqualTo(132);
    }

    @Test
    void eventsOfferedBeforeTheRestartedWorkerStartsAreReadFromTheLog() {
        Backlog b = new Backlog(100, 130, CAPACITY);
        b.offer(event(131));
        b.offer(event(132));
        assertThat(b.next(132)).isEqualTo(new Backlog.Next.Log(100, 132));
        b.doneThrough(132);
        assertThat(b.next(132)).isEqualTo(new Backlog.Next.Idle());
        assertThat(b.position()).isEqualTo(132);
    }

    @Test
    void backlogAfterRestartWithNothingMissedGoesLiveAtOnce() {
        Backlog b = new Backlog(50, 50, CAPACITY);
        assertThat(b.next(50)).isEqualTo(new Backlog.Next.Idle());
        b.offer(event(51));
        assertThat(drainMemory(b, 51)).containsExactly(51L);
    }
}
