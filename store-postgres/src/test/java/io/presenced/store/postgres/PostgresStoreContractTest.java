package io.presenced.store.postgres;

import io.presenced.store.Store;
import io.presenced.store.StoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract against the PostgreSQL server of this machine (127.0.0.1:5432, database {@code test},
 * or {@code PRESENCED_TEST_POSTGRES_URL}), each test in a schema of its own. Skipped, loudly, only where no
 * PostgreSQL is reachable.
 */
class PostgresStoreContractTest extends StoreContract {
    private static final String URL = System.getenv().getOrDefault("PRESENCED_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("PRESENCED_TEST_POSTGRES_USER", "postgres");

    private String schema;

    @BeforeAll
    static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            c.isValid(2);
        } catch (SQLException e) {
            String why = "SKIPPING the PostgreSQL store contract: no PostgreSQL reachable at " + URL + " as " + USER
                    + " (" + e.getMessage() + ")";
            System.err.println("*** " + why + " ***");
            Assumptions.abort(why);
        }
    }

    @Override
    protected Store openStore() {
        schema = "contract_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return reopen();
    }

    @Override
    protected Store reopen() {
        return PostgresDatabase.store(URL + "?currentSchema=" + schema, USER, "");
    }

    @AfterEach
    void dropSchema() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
