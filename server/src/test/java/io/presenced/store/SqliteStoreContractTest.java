package io.presenced.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against the embedded SQLite database, in a fresh directory for each test. */
class SqliteStoreContractTest extends StoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected Store openStore() {
        return JdbcStore.sqlite(dataDir);
    }

    @Override
    protected Store reopen() {
        return JdbcStore.sqlite(dataDir);
    }
}
