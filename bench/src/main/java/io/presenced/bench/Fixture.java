package io.presenced.bench;

import io.presenced.admin.Admin;
import io.presenced.admin.DemoAccount;
import io.presenced.admin.DirectoryImport;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionType;
import io.presenced.store.JdbcStore;
import io.presenced.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Prepares a data directory: the demo account plus {@code n} generated User extensions. */
final class Fixture {
    private Fixture() {
    }

    record Prepared(DemoAccount.Credentials credentials, List<Long> userIds) {
    }

    static Prepared prepare(Path dataDir, int extensions) {
        try (Store store = JdbcStore.sqlite(dataDir)) {
            Admin admin = new Admin(store, Clock.systemUTC());
            DemoAccount.Credentials credentials = DemoAccount.ensure(admin);
            // With its credentials file in place the server takes the demo account as complete.
            DemoAccount.write(dataDir, credentials.at("http://127.0.0.1"));
            long accountId = Long.parseLong(credentials.accountId());
            new DirectoryImport(admin).apply(new DirectoryImport.File(List.of(new DirectoryImport.AccountEntry(
                    accountId, null, null, List.of(), new DirectoryImport.Generate(extensions, 10_000, null)))));
            admin.directory().refresh();
            List<Long> users = admin.directory().extensionsOf(accountId).stream()
                    .filter(e -> e.type() == ExtensionType.User).map(Extension::id).toList();
            return new Prepared(credentials, users);
        }
    }
}
