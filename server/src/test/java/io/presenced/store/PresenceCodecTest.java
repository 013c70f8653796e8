package io.presenced.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.directory.ExtensionType;
import io.presenced.presence.ActiveCall;
import io.presenced.presence.CallDirection;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PartyStatus;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.PresenceStatus;
import io.presenced.presence.Sources;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The stored form of states and events: what is written reads back equal, and documents of earlier builds read too. */
class PresenceCodecTest {
    private static final ObjectMapper DATABIND = new ObjectMapper().findAndRegisterModules();

    @Property(tries = 300)
    void aStateReadsBackEqual(@ForAll("states") PresenceState state) {
        assertThat(PresenceCodec.readState(PresenceCodec.write(state))).isEqualTo(state);
    }

    @Property(tries = 300)
    void anEventReadsBackEqual(@ForAll("states") PresenceState state, @ForAll boolean changed, @ForAll boolean visible,
                               @ForAll("instants") Instant time) {
        PresenceEvent event = new PresenceEvent(42, state, changed, visible, time);
        assertThat(PresenceCodec.readEvent(PresenceCodec.write(event))).isEqualTo(event);
    }

    @Property(tries = 100)
    void documentsWrittenByTheEarlierGenericMapperReadEqual(@ForAll("states") PresenceState state,
                                                           @ForAll("instants") Instant time) throws Exception {
        assertThat(PresenceCodec.readState(DATABIND.writeValueAsString(state))).isEqualTo(state);
        PresenceEvent event = new PresenceEvent(0, state, true, false, time);
        assertThat(PresenceCodec.readEvent(DATABIND.writeValueAsString(event))).isEqualTo(event);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(-60_000_000_000L, 4_000_000_000L),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<PresenceState> states() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12).withChars("abc \"\\é☎/:+0123");
        Arbitrary<Optional<ActiveCall.SipData>> sip = Combinators.combine(text, text, text, text)
                .as(ActiveCall.SipData::new).optional();
        Arbitrary<ActiveCall> call = Combinators.combine(text, Arbitraries.of(CallDirection.class), text, text, text,
                        instants(), Arbitraries.of(PartyStatus.class), sip)
                .as((id, dir, from, name, to, start, status, s) -> new ActiveCall("c" + id, dir, from, name, to,
                        name + to, start, status, "s" + id, "t" + id, "p", s));
        Arbitrary<Map<String, Long>> clock = Arbitraries.maps(text, Arbitraries.longs().greaterOrEqual(0)).ofMaxSize(6);
        Arbitrary<Map<String, Sources.Meeting>> meetings = Arbitraries.maps(text, Combinators.combine(
                Arbitraries.of(MeetingStatus.class), Arbitraries.longs().greaterOrEqual(0)).as(Sources.Meeting::new))
                .ofMaxSize(3);
        Arbitrary<Sources> sources = Combinators.combine(call.list().ofMaxSize(4), clock, meetings,
                Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0))
                .as((calls, c, m, ph, mh) -> new Sources(new ArrayList<>(calls), new HashMap<>(c), new HashMap<>(m), ph,
                        mh));
        Arbitrary<PresenceState> head = Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE / 2),
                        Arbitraries.of(ExtensionType.class), Arbitraries.of(UserStatus.class),
                        Arbitraries.of(DndStatus.class), text, Arbitraries.of(MeetingStatus.class),
                        Arbitraries.of(TelephonyStatus.class), Arbitraries.of(PresenceStatus.class))
                .as((id, type, user, dnd, message, meeting, tel, presence) -> new PresenceState(id, id + 1, type, user,
                        dnd, message, id % 2 == 0, id % 3 == 0, id % 5 == 0, meeting, tel, presence, id % 1000,
                        Sources.NONE));
        return Combinators.combine(head, sources).as((s, src) -> new PresenceState(s.extensionId(), s.accountId(),
                s.type(), s.userStatus(), s.dndStatus(), s.message(), s.allowSeeMyPresence(), s.ringOnMonitoredCall(),
                s.pickUpCallsOnHold(), s.meetingStatus(), s.telephonyStatus(), s.presenceStatus(), s.sequence(), src));
    }

    @Property(tries = 1)
    void unknownFieldsOfANewerBuildAreSkipped(@ForAll("states") PresenceState state) {
        String json = PresenceCodec.write(state);
        String extended = "{\"future\":{\"a\":[1,2,{\"b\":null}]}," + json.substring(1);
        assertThat(PresenceCodec.readState(extended)).isEqualTo(state);
        assertThat(List.of(json)).allSatisfy(j -> assertThat(j).doesNotContain("\n"));
    }
}
