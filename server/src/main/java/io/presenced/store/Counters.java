package io.presenced.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Named counters in the {@code counters} table, advanced inside the caller's transaction. */
final class Counters {
    static final String ID = "id";
    static final String DIRECTORY_REVISION = "directory_revision";

    private Counters() {
    }

    static long next(Connection c, String name) throws SQLException {
        return reserve(c, name, 1);
    }

    /** Advances a counter by {@code n} and returns its new value: the last of the {@code n} values reserved. */
    static long reserve(Connection c, String name, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE counters SET value = value + ? WHERE name = ? RETURNING value")) {
            ps.setInt(1, n);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("counter " + name + " is missing");
                }
                return rs.getLong(1);
            }
        }
    }

    static long current(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
