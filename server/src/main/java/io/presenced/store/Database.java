package io.presenced.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Connections to one relational database: serialised write transactions and concurrent reads. */
public interface Database extends AutoCloseable {

    /** A unit of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one write transaction, committed durably before this returns. */
    <T> T write(Work<T> work);

    /** Runs {@code work} on a read-only connection. */
    <T> T read(Work<T> work);

    /** The name of the SQL dialect, which selects the migration scripts ("sqlite", "postgresql"). */
    String dialect();

    @Override
    void close();
}
