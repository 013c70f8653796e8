package io.presenced.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded SQLite database in WAL mode with {@code synchronous=FULL}, so that a committed
 * transaction survives a crash of the process or the machine. Writes are serialised by a lock on
 * the single write connection; reads take one of a small pool of read-only connections.
 */
public final class SqliteDatabase implements Database {
    private static final int READERS = 4;

    private final String url;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    private SqliteDatabase(String url) throws SQLException {
        this.url = url;
        this.writer = open(false);
        for (int i = 0; i < READERS; i++) {
            readers.add(open(true));
        }
    }

    /** Opens (creating if needed) the database file {@code presenced.db} in {@code dataDir}. */
    public static SqliteDatabase open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return new SqliteDatabase("jdbc:sqlite:" + dataDir.resolve("presenced.db").toAbsolutePath());
        } catch (Exception e) {
            throw new StoreException("cannot open the SQLite database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private Connection open(boolean readOnly) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            s.execute("PRAGMA wal_autocheckpoint = 16384");
            s.execute("PRAGMA foreign_keys = ON");
            if (readOnly) {
                s.execute("PRAGMA query_only = 1");
            }
        }
        c.setAutoCommit(readOnly);
        all.add(c);
        return c;
    }

    @Override
    public <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("SQLite write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            writer.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("SQLite read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    @Override
    public String dialect() {
        return "sqlite";
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
