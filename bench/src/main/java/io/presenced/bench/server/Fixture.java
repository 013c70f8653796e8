package io.presenced.bench.server;

import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.admin.DirectoryImport;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionType;
import io.presenced.presence.PresenceState;
import io.presenced.presence.UserStatus;
import io.presenced.store.JdbcStore;
import io.presenced.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares a data directory before the server starts: the demo account plus {@code n} generated User extensions
 * (the directory import's generate block), and, when asked, JWT credentials for some of them and a stored
 * presence state for each.
 */
public final class Fixture {
    private static final int FIRST_NUMBER = 10_000;
    private static final int COMMIT_BATCH = 5_000;

    private Fixture() {
    }

    /**
     * What a scenario needs to drive the prepared directory.
     *
     * @param credentials the demo account's app and users
     * @param userIds     the generated extensions, all fresh (no event yet, so their first event has sequence 1)
     * @param owners      users that may own subscriptions: the demo users, then generated users with credentials
     */
    public record Prepared(DemoAccount.Credentials credentials, List<Long> userIds, List<DemoAccount.User> owners) {
    }

    /** The demo account and {@code extensions} fresh generated users. */
    public static Prepared prepare(Path dataDir, int extensions) {
        return prepare(dataDir, extensions, 0, false);
    }

    /**
     * The demo account, {@code extensions} generated users, at least {@code owners} subscription owners, and, with
     * {@code withPresence}, a stored presence state (Busy, sequence 1) for every generated user.
     */
    public static Prepared prepare(Path dataDir, int extensions, int owners, boolean withPresence) {
        try (Store store = JdbcStore.sqlite(dataDir)) {
            Admin admin = new Admin(store, Clock.systemUTC());
            DemoAccount.Credentials credentials = DemoAccount.ensure(admin);
            // With its credentials file in place, the server takes the demo account as complete and starts at once.
            DemoAccount.write(dataDir, credentials);
            long accountId = Long.parseLong(credentials.accountId());
            if (extensions > 0) {
                new DirectoryImport(admin).apply(new DirectoryImport.File(List.of(new DirectoryImport.AccountEntry(
                        accountId, null, null, List.of(), new DirectoryImport.Generate(extensions, FIRST_NUMBER,
                                null)))));
                admin.directory().refresh();
            }
            List<Extension> generated = admin.directory().extensionsOf(accountId).stream()
                    .filter(e -> e.type() == ExtensionType.User)
                    .filter(e -> Integer.parseInt(e.extensionNumber()) >= FIRST_NUMBER).toList();
            if (withPresence) {
                storePresence(store, generated);
            }
            List<DemoAccount.User> ownerList = new ArrayList<>(credentials.users());
            ownerList.add(credentials.admin());
            for (int i = 0; ownerList.size() < owners && i < generated.size(); i++) {
                Extension e = generated.get(i);
                ownerList.add(new DemoAccount.User(String.valueOf(e.id()), e.extensionNumber(),
                        admin.issueJwt(e.id(), "presenced-bench").jwt(), ""));
            }
            return new Prepared(credentials, generated.stream().map(Extension::id).toList(), List.copyOf(ownerList));
        }
    }

    private static void storePresence(Store store, List<Extension> extensions) {
        List<PresenceState> batch = new ArrayList<>(COMMIT_BATCH);
        for (Extension e : extensions) {
            PresenceState initial = PresenceState.initial(e);
            batch.add(initial.withPreferences(UserStatus.Busy, initial.dndStatus(), "", true, false, false)
                    .withSequence(1));
            if (batch.size() == COMMIT_BATCH) {
                store.commitPresence(batch, List.of());
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.commitPresence(batch, List.of());
        }
    }
}
