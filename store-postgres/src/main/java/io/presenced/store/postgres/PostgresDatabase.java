package io.presenced.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.presenced.store.Database;
import io.presenced.store.JdbcStore;
import io.presenced.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL behind a connection pool. Write transactions are serialised across every node sharing the
 * database by a transaction-scoped advisory lock, so that counters and revisions are committed in the
 * order they were taken (readers that follow a revision never skip a row); reads run concurrently.
 */
public final class PostgresDatabase implements Database {
    /** The advisory lock key that serialises Presenced's write transactions. */
    private static final long WRITE_LOCK = 0x5072_6573_656e_6365L;

    private final HikariDataSource pool;

    private PostgresDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects to {@code jdbcUrl} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/presenced}). */
    public static PostgresDatabase connect(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("presenced");
        try {
            return new PostgresDatabase(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** A store on this database, its schema migrated. */
    public static JdbcStore store(String jdbcUrl, String user, String password) {
        return JdbcStore.create(connect(jdbcUrl, user, password, 8));
    }

    @Override
    public <T> T write(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("PostgreSQL write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("PostgreSQL read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String dialect() {
        return "postgresql";
    }

    @Override
    public void close() {
        pool.close();
    }
}
