package io.presenced.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations: {@code /db/<dialect>/V<n>.sql} applied in order, each in its own
 * transaction, recorded in {@code schema_version}. A database newer than this build is refused.
 */
public final class Migrations {
    /** The migration versions this build knows, oldest first. */
    static final List<Integer> VERSIONS = List.of(1, 2, 3);

    private Migrations() {
    }

    /** Brings the schema up to date; returns the version it is at. */
    public static int apply(Database db) {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
            }
            return null;
        });
        int current = db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
        int newest = VERSIONS.getLast();
        if (current > newest) {
            throw new StoreException("the database schema is at version " + current
                    + " but this build knows versions up to " + newest + "; use a newer Presenced");
        }
        for (int version : VERSIONS) {
            if (version > current) {
                String script = script(db.dialect(), version);
                db.write(c -> {
                    try (Statement s = c.createStatement()) {
                        for (String sql : script.split(";\\s*(\\n|$)")) {
                            if (!sql.isBlank()) {
                                s.execute(sql);
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                        ps.setInt(1, version);
                        ps.setLong(2, System.currentTimeMillis());
                        ps.executeUpdate();
                    }
                    return null;
                });
            }
        }
        return newest;
    }

    private static String script(String dialect, int version) {
        String path = "/db/" + dialect + "/V" + version + ".sql";
        try (InputStream in = Migrations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new StoreException("migration script " + path + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration script " + path, e);
        }
    }
}
