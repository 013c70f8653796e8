package io.presenced.simulate;

import io.presenced.presence.CallDirection;
import io.presenced.presence.PartyStatus;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The calls an office makes, each planned as the party events it will cause: inbound calls answered (some put on
 * hold), missed and outbound calls, calls between colleagues, transfers, and calls parked and picked up by
 * another extension. Deterministic for a given sequence of random numbers.
 */
final class CallPlans {
    /** Where a planned party event goes: scheduled at {@code at}. */
    @FunctionalInterface
    interface Parties {
        void party(long at, long extension, String session, String party, CallDirection direction, PartyStatus status,
                   String other, String otherName);
    }

    private final Random random;
    private final Parties parties;
    private final LongSupplier idle;

    /** Plans calls with {@code random}, to {@code parties}, for the extensions {@code idle} picks. */
    CallPlans(Random random, Parties parties, LongSupplier idle) {
        this.random = random;
        this.parties = parties;
        this.idle = idle;
    }

    /** A duration between the two, uniformly. */
    static long between(Random random, long minMillis, long maxMillis) {
        return minMillis + (long) (random.nextDouble() * (maxMillis - minMillis));
    }

    /** Plans the events of one call of {@code session} starting at {@code at} (ms of virtual time). */
    void plan(long at, String session) {
        String caller = "+1555" + String.format("%07d", random.nextInt(10_000_000));
        double kind = random.nextDouble();
        long a = idle.getAsLong();
        long ring = between(random, 1_000, 6_000);
        long talk = between(random, 5_000, 90_000);
        if (kind < 0.42) {
            parties.party(at, a, session, "p1", CallDirection.Inbound, PartyStatus.Setup, caller, "Customer");
            parties.party(at + ring, a, session, "p1", CallDirection.Inbound, PartyStatus.Answered, caller, "Customer");
            if (random.nextDouble() < 0.25) {
                long hold = at + ring + talk / 3;
                parties.party(hold, a, session, "p1", CallDirection.Inbound, PartyStatus.Hold, caller, "Customer");
                parties.party(hold + between(random, 3_000, 20_000), a, session, "p1", CallDirection.Inbound, PartyStatus.Answered,
                        caller, "Customer");
            }
            parties.party(at + ring + talk + 25_000, a, session, "p1", CallDirection.Inbound, PartyStatus.Disconnected, caller,
                    "Customer");
        } else if (kind < 0.57) {
            parties.party(at, a, session, "p1", CallDirection.Inbound, PartyStatus.Setup, caller, "Customer");
            parties.party(at + between(random, 8_000, 20_000), a, session, "p1", CallDirection.Inbound, PartyStatus.Disconnected,
                    caller, "Customer");
        } else if (kind < 0.77) {
            parties.party(at, a, session, "p1", CallDirection.Outbound, PartyStatus.Setup, caller, "Supplier");
            parties.party(at + ring, a, session, "p1", CallDirection.Outbound, PartyStatus.Answered, caller, "Supplier");
            parties.party(at + ring + talk, a, session, "p1", CallDirection.Outbound, PartyStatus.Disconnected, caller,
                    "Supplier");
        } else {
            long b = idle.getAsLong();
            if (b == a) {
                return;
            }
            if (kind < 0.87) {
                internal(at, session, a, b, ring, talk);
            } else if (kind < 0.94) {
                transfer(at, session, a, b, caller, ring, talk);
            } else {
                park(at, session, a, b, caller, ring, talk);
            }
        }
    }

    private void internal(long at, String session, long a, long b, long ring, long talk) {
        parties.party(at, a, session, "p1", CallDirection.Outbound, PartyStatus.Setup, "ext:" + b, "Colleague");
        parties.party(at, b, session, "p2", CallDirection.Inbound, PartyStatus.Setup, "ext:" + a, "Colleague");
        parties.party(at + ring, a, session, "p1", CallDirection.Outbound, PartyStatus.Answered, "ext:" + b, "Colleague");
        parties.party(at + ring, b, session, "p2", CallDirection.Inbound, PartyStatus.Answered, "ext:" + a, "Colleague");
        parties.party(at + ring + talk, a, session, "p1", CallDirection.Outbound, PartyStatus.Disconnected, "ext:" + b,
                "Colleague");
        parties.party(at + ring + talk, b, session, "p2", CallDirection.Inbound, PartyStatus.Disconnected, "ext:" + a,
                "Colleague");
    }

    private void transfer(long at, String session, long a, long b, String caller, long ring, long talk) {
        parties.party(at, a, session, "p1", CallDirection.Inbound, PartyStatus.Setup, caller, "Customer");
        parties.party(at + ring, a, session, "p1", CallDirection.Inbound, PartyStatus.Answered, caller, "Customer");
        long moved = at + ring + talk / 4;
        parties.party(moved, a, session, "p1", CallDirection.Inbound, PartyStatus.Gone, caller, "Customer");
        parties.party(moved, b, session, "p2", CallDirection.Inbound, PartyStatus.Setup, caller, "Customer");
        parties.party(moved + ring, b, session, "p2", CallDirection.Inbound, PartyStatus.Answered, caller, "Customer");
        parties.party(moved + ring + talk, b, session, "p2", CallDirection.Inbound, PartyStatus.Disconnected, caller,
                "Customer");
    }

    private void park(long at, String session, long a, long b, String caller, long ring, long talk) {
        parties.party(at, a, session, "p1", CallDirection.Inbound, PartyStatus.Setup, caller, "Customer");
        parties.party(at + ring, a, session, "p1", CallDirection.Inbound, PartyStatus.Answered, caller, "Customer");
        long parked = at + ring + talk / 5;
        parties.party(parked, a, session, "p1", CallDirection.Inbound, PartyStatus.Parked, caller, "Customer");
        long picked = parked + between(random, 3_000, 15_000);
        parties.party(picked, a, session, "p1", CallDirection.Inbound, PartyStatus.Gone, caller, "Customer");
        parties.party(picked, b, session, "p2", CallDirection.Inbound, PartyStatus.Answered, caller, "Customer");
        parties.party(picked + talk, b, session, "p2", CallDirection.Inbound, PartyStatus.Disconnected, caller, "Customer");
    }
}
