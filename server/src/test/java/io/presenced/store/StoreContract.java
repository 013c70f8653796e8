package io.presenced.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.presenced.auth.App;
import io.presenced.auth.JwtCredential;
import io.presenced.auth.Permission;
import io.presenced.auth.Secrets;
import io.presenced.auth.Session;
import io.presenced.auth.WsToken;
import io.presenced.directory.Account;
import io.presenced.directory.DirectoryChanges;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Store}, written once and run against every backend: a backend's test
 * subclasses this and says how to open a fresh, empty store and how to open the same database again.
 *
 * <p>Times are compared at millisecond precision, the precision every backend keeps.
 */
public abstract class StoreContract {
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123Z");
    private static final Set<Permission> ALL_PERMISSIONS = EnumSet.allOf(Permission.class);

    /** The store under test; {@link #reopened()} replaces it. */
    protected Store store;

    /** A fresh, empty store; called once before each test. */
    protected abstract Store openStore();

    /**
     * The database of the store {@link #openStore()} returned, opened again; called after the
     * contract has closed the previous store, so whatever it still finds was durably written.
     */
    protected abstract Store reopen();

    @BeforeEach
    final void openFreshStore() {
        store = openStore();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Closes the store and opens its database again. */
    protected final Store reopened() {
        store.close();
        store = null;
        store = reopen();
        return store;
    }

    // --- directory -------------------------------------------------------------------------------

    @Test
    void allocatesIdsThatAreUniqueAcrossAccountsAndExtensionsPlatformWide() {
        Account first = store.createAccount("First", "+16505550100");
        Account second = store.createAccount("Second", "+16505550200");
        List<Extension> created = new ArrayList<>();
        created.addAll(store.createExtensions(List.of(spec(first, "101"), spec(first, "102"))));
        created.addAll(store.createExtensions(List.of(spec(second, "101"), spec(second, "102"))));
        created.add(store.createExtension(spec(first, "103")));
        Account third = store.createAccount("Third", "+16505550300");
        created.add(store.createExtension(spec(third, "101")));

        List<Long> ids = new ArrayList<>(List.of(first.id(), second.id(), third.id()));
        created.forEach(e -> ids.add(e.id()));

        assertThat(ids).hasSize(9).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isPositive());
    }

    @Test
    void keepsAllocatingUniqueIdsAfterReopening() {
        Account account = store.createAccount("Acme", "+16505550100");
        Extension before = store.createExtension(spec(account, "101"));

        reopened();
        Account otherAccount = store.createAccount("Other", "+16505550200");
        Extension after = store.createExtension(spec(account, "102"));

        assertThat(List.of(account.id(), before.id(), otherAccount.id(), after.id())).doesNotHaveDuplicates();
    }

    @Test
    void createsEveryExtensionOfOneCallInTheOrderGiven() {
        Account account = store.createAccount("Acme", "+16505550100");
        long revision = store.directoryRevision();
        List<ExtensionSpec> specs = List.of(
                spec(account, "101"),
                new ExtensionSpec(account.id(), "200", "Sales", "", ExtensionType.Department,
                        ExtensionStatus.Enabled, Role.User, List.of()),
                new ExtensionSpec(account.id(), "102", "Admin", "admin@example.com", ExtensionType.User,
                        ExtensionStatus.Disabled, Role.Admin, List.of()));

        List<Extension> created = store.createExtensions(specs);

        assertThat(created).hasSize(3);
        for (int i = 0; i < specs.size(); i++) {
            assertThat(created.get(i)).isEqualTo(specs.get(i).withId(created.get(i).id()));
        }
        assertThat(store.directoryChangesSince(revision).extensions()).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void keepsDepartmentMembershipOfAnExtension() {
        Account account = store.createAccount("Acme", "+16505550100");
        Extension department = store.createExtension(new ExtensionSpec(account.id(), "200", "Sales", "",
                ExtensionType.Department, ExtensionStatus.Enabled, Role.User, List.of()));
        Extension member = store.createExtension(new ExtensionSpec(account.id(), "101", "Ann", "ann@example.com",
                ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of(department.id())));

        assertThat(store.directoryChangesSince(0).extensions()).contains(member);
        assertThat(reopened().directoryChangesSince(0).extensions()).contains(member);
    }

    @Test
    void allowsTheSameExtensionNumberInDifferentAccounts() {
        Account first = store.createAccount("First", "+16505550100");
        Account second = store.createAccount("Second", "+16505550200");

        Extension a = store.createExtension(spec(first, "101"));
        Extension b = store.createExtension(spec(second, "101"));

        assertThat(store.directoryChangesSince(0).extensions()).contains(a, b);
    }

    @Test
    void refusesAnExistingExtensionNumberAndWritesNothingOfTheBatch() {
        Account account = store.createAccount("Acme", "+16505550100");
        Extension existing = store.createExtension(spec(account, "101"));
        long revision = store.directoryRevision();

        assertThatThrownBy(() -> store.createExtensions(List.of(spec(account, "102"), spec(account, "101"))))
                .isInstanceOf(StoreException.class);

        assertThat(store.directoryRevision()).isEqualTo(revision);
        assertThat(store.directoryChangesSince(revision).extensions()).isEmpty();
        assertThat(store.directoryChangesSince(0).extensions()).containsExactly(existing);
        assertThat(reopened().directoryChangesSince(0).extensions()).containsExactly(existing);
        // the number of the rolled-back batch is still free
        Extension later = store.createExtension(spec(account, "102"));
        assertThat(store.directoryChangesSince(0).extensions()).containsExactlyInAnyOrder(existing, later);
    }

    @Test
    void refusesADuplicateNumberWithinOneBatchAndWritesNothingOfIt() {
        Account account = store.createAccount("Acme", "+16505550100");
        long revision = store.directoryRevision();

        assertThatThrownBy(() -> store.createExtensions(
                List.of(spec(account, "101"), spec(account, "102"), spec(account, "101"))))
                .isInstanceOf(StoreException.class);

        assertThat(store.directoryRevision()).isEqualTo(revision);
        assertThat(store.directoryChangesSince(0).extensions()).isEmpty();
        assertThat(reopened().directoryChangesSince(0).extensions()).isEmpty();
    }

    @Test
    void growsTheDirectoryRevisionWithEveryDirectoryWrite() {
        long initial = store.directoryRevision();
        Account account = store.createAccount("Acme", "+16505550100");
        long afterAccount = store.directoryRevision();
        Extension extension = store.createExtension(spec(account, "101"));
        long afterCreate = store.directoryRevision();
        store.updateExtension(renamed(extension, "Renamed"));
        long afterUpdate = store.directoryRevision();

        assertThat(afterAccount).isGreaterThan(initial);
        assertThat(afterCreate).isGreaterThan(afterAccount);
        assertThat(afterUpdate).isGreaterThan(afterCreate);
        assertThat(reopened().directoryRevision()).isEqualTo(afterUpdate);
    }

    @Test
    void returnsExactlyTheDirectoryWrittenAfterARevision() {
        Account account = store.createAccount("Acme", "+16505550100");
        List<Extension> early = store.createExtensions(
                List.of(spec(account, "101"), spec(account, "102"), spec(account, "103")));
        long revision = store.directoryRevision();

        Extension updated = store.updateExtension(new Extension(early.get(0).id(), account.id(), "111",
                "Ann Renamed", "ann.renamed@example.com", ExtensionType.User, ExtensionStatus.Disabled, Role.Admin,
                List.of()));
        Extension added = store.createExtension(spec(account, "104"));
        Account newAccount = store.createAccount("Newco", "+16505550200");

        DirectoryChanges changes = store.directoryChangesSince(revision);
        assertThat(changes.accounts()).containsExactly(newAccount);
        assertThat(changes.extensions()).containsExactlyInAnyOrder(updated, added);
        assertThat(changes.revision()).isEqualTo(store.directoryRevision()).isGreaterThan(revision);

        DirectoryChanges nothing = store.directoryChangesSince(changes.revision());
        assertThat(nothing.accounts()).isEmpty();
        assertThat(nothing.extensions()).isEmpty();
        assertThat(nothing.revision()).isEqualTo(changes.revision());

        DirectoryChanges everything = store.directoryChangesSince(0);
        assertThat(everything.accounts()).containsExactlyInAnyOrder(account, newAccount);
        assertThat(everything.extensions()).containsExactlyInAnyOrder(updated, early.get(1), early.get(2), added);
    }

    @Test
    void createsNothingForAnEmptyBatch() {
        store.createAccount("Acme", "+16505550100");

        assertThat(store.createExtensions(List.of())).isEmpty();
        assertThat(store.directoryChangesSince(0).extensions()).isEmpty();
    }

    @Test
    void refusesToRenumberAnExtensionToATakenNumberAndKeepsItAsItWas() {
        Account account = store.createAccount("Acme", "+16505550100");
        List<Extension> extensions = store.createExtensions(List.of(spec(account, "101"), spec(account, "102")));
        long revision = store.directoryRevision();
        Extension second = extensions.get(1);
        Extension clash = new Extension(second.id(), account.id(), "101", "Clash", second.email(), second.type(),
                second.status(), second.role(), second.departments());

        assertThatThrownBy(() -> store.updateExtension(clash)).isInstanceOf(StoreException.class);

        assertThat(store.directoryRevision()).isEqualTo(revision);
        assertThat(store.directoryChangesSince(0).extensions()).containsExactlyInAnyOrderElementsOf(extensions);
    }

    @Test
    void refusesToUpdateAnExtensionThatDoesNotExist() {
        Account account = store.createAccount("Acme", "+16505550100");
        long revision = store.directoryRevision();
        Extension ghost = spec(account, "101").withId(987_654_321L);

        assertThatThrownBy(() -> store.updateExtension(ghost)).isInstanceOf(StoreException.class);
        assertThat(store.directoryRevision()).isEqualTo(revision);
        assertThat(store.directoryChangesSince(0).extensions()).isEmpty();
    }

    @Test
    void storesPasswordsAsHashesAndReadsThemBack() {
        Account account = store.createAccount("Acme", "+16505550100");
        Extension extension = store.createExtension(spec(account, "101"));
        Extension other = store.createExtension(spec(account, "102"));
        assertThat(store.passwordHash(extension.id())).isEmpty();

        String hash = Secrets.hashPassword("correct horse");
        store.setPasswordHash(extension.id(), hash);

        assertThat(store.passwordHash(extension.id())).hasValue(hash);
        assertThat(Secrets.matchesPassword("correct horse", store.passwordHash(extension.id()).orElseThrow()))
                .isTrue();
        assertThat(store.passwordHash(other.id())).isEmpty();

        String replaced = Secrets.sha256("not a real password hash, but opaque to the store");
        store.setPasswordHash(extension.id(), replaced);
        assertThat(store.passwordHash(extension.id())).hasValue(replaced);
        assertThat(reopened().passwordHash(extension.id())).hasValue(replaced);
    }

    @Test
    void refusesAPasswordForAnExtensionThatDoesNotExist() {
        assertThatThrownBy(() -> store.setPasswordHash(987_654_321L, "hash")).isInstanceOf(StoreException.class);
        assertThat(store.passwordHash(987_654_321L)).isEmpty();
    }

    // --- apps and credentials --------------------------------------------------------------------

    @Test
    void roundTripsAppsWithTheirPermissions() {
        App all = new App("client-all", "Everything", Secrets.sha256("secret-1"), ALL_PERMISSIONS);
        App some = new App("client-some", "Reader", Secrets.sha256("secret-2"),
                EnumSet.of(Permission.ReadPresence, Permission.WebSocketsSubscription));
        App none = new App("client-none", "Nothing", Secrets.sha256("secret-3"), Set.of());

        store.createApp(all);
        store.createApp(some);
        store.createApp(none);

        assertThat(store.app("client-all")).hasValue(all);
        assertThat(store.app("client-some")).hasValue(some);
        assertThat(store.app("client-none")).hasValue(none);
        assertThat(store.app("client-unknown")).isEmpty();
        assertThat(reopened().app("client-some")).hasValue(some);
    }

    @Test
    void findsAJwtCredentialByTheHashOfItsText() {
        Extension extension = oneExtension();
        JwtCredential credential = new JwtCredential("jwt-1", extension.id(), Secrets.sha256("jwt text"), NOW, false);

        store.createJwtCredential(credential);

        assertThat(store.jwtCredentialByHash(Secrets.sha256("jwt text"))).hasValue(credential);
        assertThat(store.jwtCredentialByHash(Secrets.sha256("other text"))).isEmpty();
    }

    @Test
    void revokesAJwtCredential() {
        Extension extension = oneExtension();
        JwtCredential kept = new JwtCredential("jwt-kept", extension.id(), Secrets.sha256("kept"), NOW, false);
        JwtCredential revoked = new JwtCredential("jwt-gone", extension.id(), Secrets.sha256("gone"), NOW, false);
        store.createJwtCredential(kept);
        store.createJwtCredential(revoked);

        assertThat(store.revokeJwtCredential("jwt-gone")).isTrue();
        assertThat(store.revokeJwtCredential("jwt-unknown")).isFalse();

        assertThat(store.jwtCredentialByHash(Secrets.sha256("gone"))).get()
                .extracting(JwtCredential::revoked).isEqualTo(true);
        assertThat(store.jwtCredentialByHash(Secrets.sha256("kept"))).hasValue(kept);
        assertThat(reopened().jwtCredentialByHash(Secrets.sha256("gone"))).get()
                .extracting(JwtCredential::revoked).isEqualTo(true);
    }

    // --- sessions --------------------------------------------------------------------------------

    @Test
    void findsASessionByItsAccessHashAndByItsRefreshHash() {
        Extension extension = oneExtension();
        Session session = session("s-1", "access-1", "refresh-1", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7)));
        Session other = new Session("s-2", hash("access-2"), hash("refresh-2"), "client-2", extension.accountId(),
                extension.id(), Set.of(), NOW.plusSeconds(60), NOW.plusSeconds(120), "endpoint-2");

        store.createSession(session);
        store.createSession(other);

        assertThat(store.sessionByAccessHash(hash("access-1"))).hasValue(session);
        assertThat(store.sessionByRefreshHash(hash("refresh-1"))).hasValue(session);
        assertThat(store.sessionByAccessHash(hash("refresh-1"))).isEmpty();
        assertThat(store.sessionByRefreshHash(hash("access-1"))).isEmpty();
        assertThat(store.sessionByAccessHash(hash("unknown"))).isEmpty();
        assertThat(store.sessionByRefreshHash(hash("refresh-2"))).hasValue(other);
    }

    @Test
    void rotatesASessionOnlyWithTheExpectedRefreshHash() {
        Extension extension = oneExtension();
        Session original = session("s-1", "access-1", "refresh-1", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7)));
        store.createSession(original);
        Session rotated = session("s-1", "access-2", "refresh-2", extension, NOW.plusSeconds(7200),
                NOW.plus(Duration.ofDays(8)));

        assertThat(store.rotateSession(rotated, hash("refresh-wrong"))).isFalse();
        assertThat(store.sessionByAccessHash(hash("access-1"))).hasValue(original);

        assertThat(store.rotateSession(rotated, hash("refresh-1"))).isTrue();

        assertThat(store.sessionByAccessHash(hash("access-2"))).hasValue(rotated);
        assertThat(store.sessionByRefreshHash(hash("refresh-2"))).hasValue(rotated);
        assertThat(store.sessionByAccessHash(hash("access-1"))).isEmpty();
        assertThat(store.sessionByRefreshHash(hash("refresh-1"))).isEmpty();
    }

    @Test
    void refusesASecondRotationWithTheOldRefreshHash() {
        Extension extension = oneExtension();
        store.createSession(session("s-1", "access-1", "refresh-1", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7))));
        Session first = session("s-1", "access-2", "refresh-2", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7)));
        Session replay = session("s-1", "access-3", "refresh-3", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7)));

        assertThat(store.rotateSession(first, hash("refresh-1"))).isTrue();
        assertThat(store.rotateSession(replay, hash("refresh-1"))).isFalse();

        assertThat(store.sessionByRefreshHash(hash("refresh-2"))).hasValue(first);
        assertThat(store.sessionByAccessHash(hash("access-3"))).isEmpty();
        assertThat(reopened().sessionByRefreshHash(hash("refresh-2"))).hasValue(first);
    }

    @Test
    void roundTripsWebSocketTokens() {
        Extension extension = oneExtension();
        store.createSession(session("s-1", "access-1", "refresh-1", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7))));
        WsToken token = new WsToken(hash("ws-1"), "s-1", NOW.plusSeconds(60));

        store.createWsToken(token);

        assertThat(store.wsToken(hash("ws-1"))).hasValue(token);
        assertThat(store.wsToken(hash("ws-unknown"))).isEmpty();
    }

    @Test
    void deletingASessionAlsoDeletesItsWebSocketTokens() {
        Extension extension = oneExtension();
        store.createSession(session("s-1", "access-1", "refresh-1", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7))));
        Session other = session("s-2", "access-2", "refresh-2", extension, NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7)));
        store.createSession(other);
        store.createWsToken(new WsToken(hash("ws-1a"), "s-1", NOW.plusSeconds(60)));
        store.createWsToken(new WsToken(hash("ws-1b"), "s-1", NOW.plusSeconds(60)));
        WsToken otherToken = new WsToken(hash("ws-2"), "s-2", NOW.plusSeconds(60));
        store.createWsToken(otherToken);

        assertThat(store.deleteSession("s-1")).isTrue();

        assertThat(store.sessionByAccessHash(hash("access-1"))).isEmpty();
        assertThat(store.sessionByRefreshHash(hash("refresh-1"))).isEmpty();
        assertThat(store.wsToken(hash("ws-1a"))).isEmpty();
        assertThat(store.wsToken(hash("ws-1b"))).isEmpty();
        assertThat(store.sessionByAccessHash(hash("access-2"))).hasValue(other);
        assertThat(store.wsToken(hash("ws-2"))).hasValue(otherToken);
        assertThat(store.deleteSession("s-1")).isFalse();
        assertThat(reopened().wsToken(hash("ws-1a"))).isEmpty();
    }

    @Test
    void purgesOnlyExpiredSessionsAndWebSocketTokens() {
        Extension extension = oneExtension();
        Session expired = session("s-expired", "access-x", "refresh-x", extension, NOW.minusSeconds(7200),
                NOW.minusMillis(1));
        // its access token expired, but it can still be refreshed: not expired as a session
        Session refreshable = session("s-live", "access-l", "refresh-l", extension, NOW.minusSeconds(60),
                NOW.plusMillis(1));
        store.createSession(expired);
        store.createSession(refreshable);
        WsToken expiredToken = new WsToken(hash("ws-expired"), "s-live", NOW.minusMillis(1));
        WsToken liveToken = new WsToken(hash("ws-live"), "s-live", NOW.plusMillis(1));
        store.createWsToken(expiredToken);
        store.createWsToken(liveToken);

        assertThat(store.purgeExpired(NOW)).isEqualTo(2);

        assertThat(store.sessionByAccessHash(hash("access-x"))).isEmpty();
        assertThat(store.sessionByRefreshHash(hash("refresh-x"))).isEmpty();
        assertThat(store.wsToken(hash("ws-expired"))).isEmpty();
        assertThat(store.sessionByAccessHash(hash("access-l"))).hasValue(refreshable);
        assertThat(store.wsToken(hash("ws-live"))).hasValue(liveToken);
        assertThat(store.purgeExpired(NOW)).isZero();
        assertThat(reopened().sessionByRefreshHash(hash("refresh-l"))).hasValue(refreshable);
    }

    // --- presence --------------------------------------------------------------------------------

    @Test
    void commitsStatesAndEventsAndReturnsTheEventsWithAscendingLogIds() {
        Account account = store.createAccount("Acme", "+16505550100");
        List<Extension> extensions = store.createExtensions(List.of(spec(account, "101"), spec(account, "102")));
        PresenceState a1 = state(extensions.get(0), UserStatus.Busy, "", 1);
        PresenceState b1 = state(extensions.get(1), UserStatus.Available, "at my desk", 1);
        List<PresenceEvent> events = List.of(event(a1), event(b1));

        List<PresenceEvent> logged = store.commitPresence(List.of(a1, b1), events);

        assertThat(logged).hasSize(2);
        assertThat(logged.get(0).id()).isPositive();
        assertThat(logged.get(1).id()).isGreaterThan(logged.get(0).id());
        assertThat(logged.get(0)).isEqualTo(events.get(0).withId(logged.get(0).id()));
        assertThat(logged.get(1)).isEqualTo(events.get(1).withId(logged.get(1).id()));
        assertThat(storedStates()).containsExactlyInAnyOrder(a1, b1);
        assertThat(store.eventsAfter(0, 100)).containsExactlyElementsOf(logged);

        PresenceState a2 = state(extensions.get(0), UserStatus.Offline, "", 2);
        List<PresenceEvent> later = store.commitPresence(List.of(a2), List.of(event(a2)));
        assertThat(later.getFirst().id()).isGreaterThan(logged.get(1).id());
        assertThat(storedStates()).containsExactlyInAnyOrder(a2, b1);
    }

    @Test
    void storesAStateWithoutAnEvent() {
        Extension extension = oneExtension();
        PresenceState first = state(extension, UserStatus.Busy, "", 1);
        store.commitPresence(List.of(first), List.of(event(first)));
        PresenceState messageOnly = state(extension, UserStatus.Busy, "back at 3", 1);

        List<PresenceEvent> logged = store.commitPresence(List.of(messageOnly), List.of());

        assertThat(logged).isEmpty();
        assertThat(storedStates()).containsExactly(messageOnly);
        assertThat(store.eventsAfter(0, 100)).hasSize(1);
    }

    @Test
    void pagesThroughTheEventLogInOrder() {
        Account account = store.createAccount("Acme", "+16505550100");
        List<Extension> extensions = store.createExtensions(List.of(spec(account, "101"), spec(account, "102")));
        List<PresenceEvent> all = new ArrayList<>();
        for (int sequence = 1; sequence <= 4; sequence++) {
            PresenceState a = state(extensions.get(0), sequence % 2 == 0 ? UserStatus.Busy : UserStatus.Available,
                    "", sequence);
            List<PresenceState> states = new ArrayList<>(List.of(a));
            List<PresenceEvent> events = new ArrayList<>(List.of(event(a)));
            if (sequence <= 3) {
                PresenceState b = state(extensions.get(1), sequence % 2 == 0 ? UserStatus.Offline : UserStatus.Busy,
                        "", sequence);
                states.add(b);
                events.add(event(b));
            }
            all.addAll(store.commitPresence(states, events));
        }

        List<List<PresenceEvent>> pages = new ArrayList<>();
        long after = 0;
        for (List<PresenceEvent> page = store.eventsAfter(after, 3); !page.isEmpty();
             page = store.eventsAfter(after, 3)) {
            pages.add(page);
            after = page.getLast().id();
        }

        assertThat(pages).extracting(List::size).containsExactly(3, 3, 1);
        assertThat(pages.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(all);
        assertThat(all).extracting(PresenceEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(store.eventsAfter(all.get(4).id(), 100)).containsExactlyElementsOf(all.subList(5, 7));
        assertThat(store.eventsAfter(all.getLast().id(), 100)).isEmpty();
    }

    @Test
    void refusesAnAlreadyLoggedSequenceAndWritesNothingOfTheBatch() {
        Account account = store.createAccount("Acme", "+16505550100");
        List<Extension> extensions = store.createExtensions(List.of(spec(account, "101"), spec(account, "102")));
        PresenceState a1 = state(extensions.get(0), UserStatus.Busy, "", 1);
        List<PresenceEvent> first = store.commitPresence(List.of(a1), List.of(event(a1)));

        PresenceState b1 = state(extensions.get(1), UserStatus.Busy, "", 1);
        PresenceState a1Again = state(extensions.get(0), UserStatus.Offline, "gone", 1);
        assertThatThrownBy(() -> store.commitPresence(List.of(b1, a1Again), List.of(event(b1), event(a1Again))))
                .isInstanceOf(StoreException.class);

        assertThat(storedStates()).containsExactly(a1);
        assertThat(store.eventsAfter(0, 100)).containsExactlyElementsOf(first);
        assertThat(reopened().eventsAfter(0, 100)).containsExactlyElementsOf(first);
        assertThat(storedStates()).containsExactly(a1);
    }

    @Test
    void refusesTheSameSequenceTwiceInOneBatchAndWritesNothingOfIt() {
        Extension extension = oneExtension();
        PresenceState busy = state(extension, UserStatus.Busy, "", 1);
        PresenceState offline = state(extension, UserStatus.Offline, "", 1);

        assertThatThrownBy(() -> store.commitPresence(List.of(offline), List.of(event(busy), event(offline))))
                .isInstanceOf(StoreException.class);

        assertThat(storedStates()).isEmpty();
        assertThat(store.eventsAfter(0, 100)).isEmpty();
        // the store is still usable and the sequence still free
        List<PresenceEvent> logged = store.commitPresence(List.of(busy), List.of(event(busy)));
        assertThat(store.eventsAfter(0, 100)).containsExactlyElementsOf(logged);
    }

    @Test
    void keepsEverythingWrittenAfterReopening() {
        Account account = store.createAccount("Acme", "+16505550100");
        List<Extension> extensions = store.createExtensions(List.of(spec(account, "101"), spec(account, "102")));
        Extension updated = store.updateExtension(renamed(extensions.get(1), "Bob Renamed"));
        long revision = store.directoryRevision();
        String passwordHash = Secrets.hashPassword("secret password");
        store.setPasswordHash(extensions.get(0).id(), passwordHash);
        App app = new App("client-1", "App", Secrets.sha256("client secret"), ALL_PERMISSIONS);
        store.createApp(app);
        JwtCredential jwt = new JwtCredential("jwt-1", extensions.get(0).id(), hash("jwt"), NOW, false);
        store.createJwtCredential(jwt);
        Session session = session("s-1", "access-1", "refresh-1", extensions.get(0), NOW.plusSeconds(3600),
                NOW.plus(Duration.ofDays(7)));
        store.createSession(session);
        WsToken token = new WsToken(hash("ws-1"), "s-1", NOW.plusSeconds(60));
        store.createWsToken(token);
        PresenceState a1 = state(extensions.get(0), UserStatus.Busy, "on the road \"again\" — ☕", 1);
        PresenceState b1 = state(extensions.get(1), UserStatus.Offline, "", 1);
        List<PresenceEvent> logged = store.commitPresence(List.of(a1, b1), List.of(event(a1), event(b1)));

        reopened();

        DirectoryChanges directory = store.directoryChangesSince(0);
        assertThat(directory.accounts()).containsExactly(account);
        assertThat(directory.extensions()).containsExactlyInAnyOrder(extensions.get(0), updated);
        assertThat(directory.revision()).isEqualTo(revision);
        assertThat(store.directoryRevision()).isEqualTo(revision);
        assertThat(store.passwordHash(extensions.get(0).id())).hasValue(passwordHash);
        assertThat(store.app("client-1")).hasValue(app);
        assertThat(store.jwtCredentialByHash(hash("jwt"))).hasValue(jwt);
        assertThat(store.sessionByAccessHash(hash("access-1"))).hasValue(session);
        assertThat(store.wsToken(hash("ws-1"))).hasValue(token);
        assertThat(storedStates()).containsExactlyInAnyOrder(a1, b1);
        assertThat(store.eventsAfter(0, 100)).containsExactlyElementsOf(logged);

        PresenceState a2 = state(extensions.get(0), UserStatus.Available, "", 2);
        List<PresenceEvent> next = store.commitPresence(List.of(a2), List.of(event(a2)));
        assertThat(next.getFirst().id()).isGreaterThan(logged.getLast().id());
    }

    // --- subscriptions and the log's ends ------------------------------------------------------

    @Test
    void subscriptionsRoundTripAndTheirDeliveryPositionsOnlyMoveForward() {
        Extension owner = oneExtension();
        Subscription s = subscription("sub-1", owner, NOW.plus(Duration.ofDays(7)));
        store.createSubscription(s, 5);
        assertThat(store.subscriptions()).containsExactly(new Store.StoredSubscription(s, 5));

        Subscription blacklisted = s.blacklist(NOW, "the endpoint answered 503");
        assertThat(store.updateSubscription(blacklisted)).isTrue();
        store.saveDeliveryPositions(Map.of("sub-1", 9L));
        store.saveDeliveryPositions(Map.of("sub-1", 7L));
        assertThat(reopened().subscriptions()).containsExactly(new Store.StoredSubscription(blacklisted, 9));

        assertThat(store.deleteSubscription("sub-1")).isTrue();
        assertThat(store.deleteSubscription("sub-1")).isFalse();
        assertThat(store.updateSubscription(s)).isFalse();
        assertThat(reopened().subscriptions()).isEmpty();
    }

    @Test
    void purgesOnlySubscriptionsExpiredBeforeTheGivenTime() {
        Extension owner = oneExtension();
        store.createSubscription(subscription("old", owner, NOW.minus(Duration.ofDays(2))), 0);
        store.createSubscription(subscription("new", owner, NOW.plus(Duration.ofDays(2))), 0);
        assertThat(store.purgeExpiredSubscriptions(NOW.minus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(reopened().subscriptions()).extracting(x -> x.subscription().id()).containsExactly("new");
    }

    @Test
    void knowsTheLastEventIdAndPurgesEventsOlderThanAGivenTime() {
        assertThat(store.lastEventId()).isZero();
        Extension e = oneExtension();
        PresenceState s1 = state(e, UserStatus.Busy, "", 1);
        PresenceState s2 = state(e, UserStatus.Available, "", 2);
        List<PresenceEvent> logged = store.commitPresence(List.of(s1), List.of(event(s1)));
        logged = new ArrayList<>(logged);
        logged.addAll(store.commitPresence(List.of(s2), List.of(event(s2))));
        assertThat(store.lastEventId()).isEqualTo(logged.getLast().id());

        Store.Purge purge = store.purgeEventsBefore(NOW.plusMillis(2));
        assertThat(purge.count()).isEqualTo(1);
        assertThat(purge.lastDeletedId()).isEqualTo(logged.getFirst().id());
        assertThat(reopened().eventsAfter(0, 10)).extracting(PresenceEvent::id).containsExactly(logged.getLast().id());
        assertThat(store.lastEventId()).isEqualTo(logged.getLast().id());
        assertThat(store.purgeEventsBefore(NOW).count()).isZero();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private Extension oneExtension() {
        Account account = store.createAccount("Acme", "+16505550100");
        return store.createExtension(spec(account, "101"));
    }

    private List<PresenceState> storedStates() {
        List<PresenceState> states = new ArrayList<>();
        store.forEachPresence(states::add);
        return states;
    }

    private static ExtensionSpec spec(Account account, String number) {
        return new ExtensionSpec(account.id(), number, "User " + number, "user" + number + "@example.com",
                ExtensionType.User, ExtensionStatus.Enabled, Role.User, List.of());
    }

    private static Extension renamed(Extension e, String name) {
        return new Extension(e.id(), e.accountId(), e.extensionNumber(), name, e.email(), e.type(), e.status(),
                e.role(), e.departments());
    }

    private static String hash(String token) {
        return Secrets.sha256(token);
    }

    private static Session session(String id, String accessToken, String refreshToken, Extension extension,
                                   Instant accessExpiresAt, Instant refreshExpiresAt) {
        return new Session(id, hash(accessToken), hash(refreshToken), "client-1", extension.accountId(),
                extension.id(), EnumSet.of(Permission.ReadPresence, Permission.EditPresence), accessExpiresAt,
                refreshExpiresAt, "endpoint-" + id);
    }

    private static PresenceState state(Extension extension, UserStatus userStatus, String message, long sequence) {
        return PresenceState.of(extension.id(), extension.accountId(), extension.type(), userStatus,
                DndStatus.TakeAllCalls, message, true, false, false, MeetingStatus.Disconnected,
                TelephonyStatus.NoCall, sequence);
    }

    private static Subscription subscription(String id, Extension owner, Instant expiration) {
        return new Subscription(id, owner.accountId(), owner.id(), "client-1",
                List.of(new EventFilter.AccountPresence(owner.accountId(), false, false),
                        new EventFilter.ExtensionPresence(owner.accountId(), owner.id(), true, true),
                        new EventFilter.ExpiryReminder(120, 30)),
                List.of(new Subscription.DisabledFilter("/restapi/v1.0/account/1/presence", "Permission [X]")),
                new DeliveryMode(DeliveryMode.TransportType.WebHook, "https://example.com/hook", Optional.of("vt")),
                "whsec_c2VjcmV0", Subscription.Status.Active, Optional.empty(), NOW, expiration, 604800);
    }

    private static PresenceEvent event(PresenceState state) {
        return new PresenceEvent(0, state, state.sequence() == 1, true, NOW.plusMillis(state.sequence()));
    }
}
