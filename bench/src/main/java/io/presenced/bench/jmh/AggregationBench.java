package io.presenced.bench.jmh;

import io.presenced.directory.ExtensionType;
import io.presenced.presence.Aggregation;
import io.presenced.presence.CallDirection;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PartyStatus;
import io.presenced.presence.PresenceStatus;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Aggregation: telephonyStatus from an extension's active parties, presenceStatus from all sources. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AggregationBench {
    /** The active parties of one extension. */
    @State(Scope.Benchmark)
    public static class Calls {
        @Param({"0", "1", "3", "7"})
        int parties;

        List<Aggregation.Party> list;

        @Setup
        public void setUp() {
            PartyStatus[] statuses = {PartyStatus.Setup, PartyStatus.Answered, PartyStatus.Hold,
                PartyStatus.Proceeding};
            list = new ArrayList<>();
            for (int k = 0; k < parties; k++) {
                list.add(new Aggregation.Party(k % 2 == 0 ? CallDirection.Inbound : CallDirection.Outbound,
                        statuses[k % statuses.length]));
            }
        }
    }

    /** Every combination of the sources, taken in turn so that no branch is always the same. */
    @State(Scope.Thread)
    public static class Sources {
        final UserStatus[] users = UserStatus.values();
        final TelephonyStatus[] telephony = TelephonyStatus.values();
        final MeetingStatus[] meetings = MeetingStatus.values();
        final DndStatus[] dnd = DndStatus.values();
        int i;
    }

    @Benchmark
    public TelephonyStatus telephonyStatus(Calls calls) {
        return Aggregation.telephonyStatus(calls.list);
    }

    @Benchmark
    public PresenceStatus presenceStatus(Sources s) {
        int k = s.i++;
        return Aggregation.presenceStatus(ExtensionType.User, s.users[k % s.users.length],
                s.telephony[k % s.telephony.length], s.meetings[k % s.meetings.length], s.dnd[k % s.dnd.length]);
    }
}
