package io.presenced.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.presenced.directory.ExtensionType;
import io.presenced.presence.Aggregation.Party;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The derivations of SPEC §1.1 and §1.2, checked against a re-statement of the spec written here,
 * independently of {@link Aggregation}.
 */
class AggregationPropertiesTest {

    /** SPEC §1.1: {@code CallConnected > Ringing > OnHold > ParkedCall > NoCall}, highest first. */
    private static final List<TelephonyStatus> PRIORITY = List.of(TelephonyStatus.CallConnected,
            TelephonyStatus.Ringing, TelephonyStatus.OnHold, TelephonyStatus.ParkedCall, TelephonyStatus.NoCall);

    private static final List<PartyStatus> ACTIVE = List.of(PartyStatus.Setup, PartyStatus.Proceeding,
            PartyStatus.Answered, PartyStatus.Hold, PartyStatus.Parked);
    private static final List<PartyStatus> ENDED = List.of(PartyStatus.Disconnected, PartyStatus.Gone);

    /** SPEC §1.1, party by party; empty when the party has left the set. */
    private static Optional<TelephonyStatus> specStatusOf(Party party) {
        boolean inbound = party.direction() == CallDirection.Inbound;
        return switch (party.status()) {
            case Setup, Proceeding -> Optional.of(inbound ? TelephonyStatus.Ringing : TelephonyStatus.CallConnected);
            case Answered -> Optional.of(TelephonyStatus.CallConnected);
            case Hold -> Optional.of(TelephonyStatus.OnHold);
            case Parked -> Optional.of(TelephonyStatus.ParkedCall);
            case Disconnected, Gone -> Optional.empty();
        };
    }

    /** The highest-priority status among the mapped statuses of the parties, NoCall without any. */
    private static TelephonyStatus specTelephonyStatus(List<Party> parties) {
        List<TelephonyStatus> mapped = parties.stream().map(AggregationPropertiesTest::specStatusOf)
                .flatMap(Optional::stream).toList();
        return PRIORITY.stream().filter(mapped::contains).findFirst().orElse(TelephonyStatus.NoCall);
    }

    private record Inputs(ExtensionType type, UserStatus user, TelephonyStatus telephony, MeetingStatus meeting,
                          DndStatus dnd) {
    }

    private record Rule(Predicate<Inputs> when, PresenceStatus then) {
    }

    /** SPEC §1.2, rule by rule; the first that matches wins. */
    private static final List<Rule> RULES = List.of(
            new Rule(in -> in.type() != ExtensionType.User, PresenceStatus.Offline),
            new Rule(in -> in.user() == UserStatus.Offline, PresenceStatus.Offline),
            new Rule(in -> List.of(TelephonyStatus.CallConnected, TelephonyStatus.OnHold).contains(in.telephony())
                    || in.meeting() == MeetingStatus.Connected
                    || in.dnd() == DndStatus.DoNotAcceptAnyCalls
                    || in.user() == UserStatus.Busy, PresenceStatus.Busy),
            new Rule(in -> true, PresenceStatus.Available));

    private static PresenceStatus specPresenceStatus(Inputs inputs) {
        return RULES.stream().filter(rule -> rule.when().test(inputs)).findFirst().orElseThrow().then();
    }

    // --- telephonyStatus -------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Party>> parties() {
        return party(Arbitraries.of(PartyStatus.class)).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Party>> activeParties() {
        return party(Arbitraries.of(ACTIVE)).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Party>> endedParties() {
        return party(Arbitraries.of(ENDED)).list().ofMaxSize(8);
    }

    private static Arbitrary<Party> party(Arbitrary<PartyStatus> statuses) {
        return Combinators.combine(Arbitraries.of(CallDirection.class), statuses).as(Party::new);
    }

    @Property(tries = 500)
    void telephonyStatusIsTheHighestPriorityStatusOfTheActiveParties(@ForAll("parties") List<Party> parties) {
        assertThat(Aggregation.telephonyStatus(parties)).isEqualTo(specTelephonyStatus(parties));
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void aSinglePartyMapsAsTheSpecSays(@ForAll CallDirection direction, @ForAll PartyStatus status) {
        Party party = new Party(direction, status);

        assertThat(Aggregation.telephonyStatus(List.of(party)))
                .isEqualTo(specStatusOf(party).orElse(TelephonyStatus.NoCall));
    }

    @Property
    void noActivePartyMeansNoCall(@ForAll("endedParties") List<Party> ended) {
        assertThat(Aggregation.telephonyStatus(ended)).isEqualTo(TelephonyStatus.NoCall);
    }

    @Property
    void activePartiesNeverGiveNoCall(@ForAll("activeParties") List<Party> active) {
        assertThat(Aggregation.telephonyStatus(active)).isNotEqualTo(TelephonyStatus.NoCall);
    }

    @Property(tries = 500)
    void endedPartiesAreIgnored(@ForAll("parties") List<Party> parties, @ForAll("endedParties") List<Party> ended,
                                @ForAll Random random) {
        List<Party> mixed = new ArrayList<>(parties);
        for (Party party : ended) {
            mixed.add(random.nextInt(mixed.size() + 1), party);
        }

        assertThat(Aggregation.telephonyStatus(mixed)).isEqualTo(Aggregation.telephonyStatus(parties));
    }

    @Property(tries = 500)
    void telephonyStatusDoesNotDependOnTheOrderOfTheParties(@ForAll("parties") List<Party> parties,
                                                            @ForAll Random random) {
        List<Party> shuffled = new ArrayList<>(parties);
        Collections.shuffle(shuffled, random);

        assertThat(Aggregation.telephonyStatus(shuffled)).isEqualTo(Aggregation.telephonyStatus(parties));
    }

    // --- presenceStatus --------------------------------------------------------------------------

    /** Every combination of the five inputs: 16 types x 3 x 5 x 2 x 4 = 1920 tries. */
    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 5000)
    void presenceStatusFollowsTheSpecRulesForEveryCombination(@ForAll ExtensionType type,
                                                              @ForAll UserStatus userStatus,
                                                              @ForAll TelephonyStatus telephonyStatus,
                                                              @ForAll MeetingStatus meetingStatus,
                                                              @ForAll DndStatus dndStatus) {
        PresenceStatus expected = specPresenceStatus(
                new Inputs(type, userStatus, telephonyStatus, meetingStatus, dndStatus));

        assertThat(Aggregation.presenceStatus(type, userStatus, telephonyStatus, meetingStatus, dndStatus))
                .isEqualTo(expected);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 5000)
    void aStateDerivesItsPresenceStatusByTheSpecRules(@ForAll ExtensionType type, @ForAll UserStatus userStatus,
                                                      @ForAll TelephonyStatus telephonyStatus,
                                                      @ForAll MeetingStatus meetingStatus,
                                                      @ForAll DndStatus dndStatus) {
        PresenceState state = PresenceState.of(6610372004L, 1L, type, userStatus, dndStatus, "", true, false,
                false, meetingStatus, telephonyStatus, 1);

        assertThat(state.presenceStatus())
                .isEqualTo(specPresenceStatus(new Inputs(type, userStatus, telephonyStatus, meetingStatus, dndStatus)));
    }

    // --- examples --------------------------------------------------------------------------------

    @Example
    void availableUserOnAConnectedCallIsBusyAsInTheSeedExample() {
        TelephonyStatus telephony = Aggregation.telephonyStatus(
                List.of(new Party(CallDirection.Inbound, PartyStatus.Answered)));

        PresenceState state = PresenceState.of(6610372004L, 1L, ExtensionType.User, UserStatus.Available,
                DndStatus.TakeAllCalls, "", true, false, false, MeetingStatus.Disconnected, telephony, 2698);

        assertThat(telephony).isEqualTo(TelephonyStatus.CallConnected);
        assertThat(state.presenceStatus()).isEqualTo(PresenceStatus.Busy);
        assertThat(state.userStatus()).isEqualTo(UserStatus.Available);
    }

    @Example
    void availableUserWithARingingInboundCallStaysAvailable() {
        TelephonyStatus telephony = Aggregation.telephonyStatus(
                List.of(new Party(CallDirection.Inbound, PartyStatus.Setup)));

        assertThat(telephony).isEqualTo(TelephonyStatus.Ringing);
        assertThat(Aggregation.presenceStatus(ExtensionType.User, UserStatus.Available, telephony,
                MeetingStatus.Disconnected, DndStatus.TakeAllCalls)).isEqualTo(PresenceStatus.Available);
    }

    @Example
    void outboundCallBeingSetUpCountsAsConnected() {
        assertThat(Aggregation.telephonyStatus(List.of(new Party(CallDirection.Outbound, PartyStatus.Proceeding))))
                .isEqualTo(TelephonyStatus.CallConnected);
    }

    @Example
    void ringingCallOutranksAHeldAndAParkedCall() {
        assertThat(Aggregation.telephonyStatus(List.of(
                new Party(CallDirection.Outbound, PartyStatus.Hold),
                new Party(CallDirection.Inbound, PartyStatus.Parked),
                new Party(CallDirection.Inbound, PartyStatus.Proceeding),
                new Party(CallDirection.Inbound, PartyStatus.Disconnected))))
                .isEqualTo(TelephonyStatus.Ringing);
    }

    @Example
    void userWithOnlyAParkedCallIsAvailable() {
        TelephonyStatus telephony = Aggregation.telephonyStatus(
                List.of(new Party(CallDirection.Inbound, PartyStatus.Parked)));

        assertThat(telephony).isEqualTo(TelephonyStatus.ParkedCall);
        assertThat(Aggregation.presenceStatus(ExtensionType.User, UserStatus.Available, telephony,
                MeetingStatus.Disconnected, DndStatus.TakeAllCalls)).isEqualTo(PresenceStatus.Available);
    }

    @Example
    void departmentOnACallIsOffline() {
        assertThat(Aggregation.presenceStatus(ExtensionType.Department, UserStatus.Available,
                TelephonyStatus.CallConnected, MeetingStatus.Disconnected, DndStatus.TakeAllCalls))
                .isEqualTo(PresenceStatus.Offline);
    }

    @Example
    void offlineUserInAMeetingStaysOffline() {
        assertThat(Aggregation.presenceStatus(ExtensionType.User, UserStatus.Offline, TelephonyStatus.NoCall,
                MeetingStatus.Connected, DndStatus.DoNotAcceptAnyCalls)).isEqualTo(PresenceStatus.Offline);
    }
}
