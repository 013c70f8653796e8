package io.presenced.store;

import io.presenced.auth.App;
import io.presenced.auth.JwtCredential;
import io.presenced.auth.Permission;
import io.presenced.auth.Session;
import io.presenced.auth.WsToken;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The SQL of apps, JWT credentials, OAuth sessions and WebSocket tokens; it sees only hashes of secrets. */
final class AuthSql {
    private static final String SESSION_COLUMNS = "session_id, access_hash, refresh_hash, client_id, account_id,"
            + " extension_id, scope, access_expires_at, refresh_expires_at, endpoint_id";

    private final Database db;

    AuthSql(Database db) {
        this.db = db;
    }

    void createApp(App app) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO apps (client_id, name, secret_hash, permissions) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, app.clientId());
                ps.setString(2, app.name());
                ps.setString(3, app.secretHash());
                ps.setString(4, Permission.format(app.permissions()));
                return ps.executeUpdate();
            }
        });
    }

    Optional<App> app(String clientId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT client_id, name, secret_hash, permissions FROM apps WHERE client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new App(rs.getString(1), rs.getString(2), rs.getString(3),
                            Permission.parseList(rs.getString(4)))) : Optional.empty();
                }
            }
        });
    }

    void createJwtCredential(JwtCredential j) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jwt_credentials"
                    + " (id, extension_id, token_hash, created_at, revoked) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, j.id());
                ps.setLong(2, j.extensionId());
                ps.setString(3, j.tokenHash());
                ps.setLong(4, j.createdAt().toEpochMilli());
                ps.setInt(5, j.revoked() ? 1 : 0);
                return ps.executeUpdate();
            }
        });
    }

    Optional<JwtCredential> jwtCredentialByHash(String hash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, extension_id, token_hash, created_at, revoked"
                    + " FROM jwt_credentials WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new JwtCredential(rs.getString(1), rs.getLong(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5) != 0)) : Optional.empty();
                }
            }
        });
    }

    boolean revokeJwtCredential(String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jwt_credentials SET revoked = 1 WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    void createSession(Session s) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (" + SESSION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindSession(ps, s);
                return ps.executeUpdate();
            }
        });
    }

    private static void bindSession(PreparedStatement ps, Session s) throws SQLException {
        ps.setString(1, s.sessionId());
        ps.setString(2, s.accessHash());
        ps.setString(3, s.refreshHash());
        ps.setString(4, s.clientId());
        ps.setLong(5, s.accountId());
        ps.setLong(6, s.extensionId());
        ps.setString(7, Permission.format(s.scope()));
        ps.setLong(8, s.accessExpiresAt().toEpochMilli());
        ps.setLong(9, s.refreshExpiresAt().toEpochMilli());
        ps.setString(10, s.endpointId());
    }

    Optional<Session> sessionBy(String column, String hash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE " + column + " = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Session(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getLong(6), Permission.parseList(rs.getString(7)),
                            Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)),
                            rs.getString(10))) : Optional.empty();
                }
            }
        });
    }

    boolean rotateSession(Session s, String expectedRefreshHash) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET access_hash = ?, refresh_hash = ?,"
                    + " scope = ?, access_expires_at = ?, refresh_expires_at = ?"
                    + " WHERE session_id = ? AND refresh_hash = ?")) {
                ps.setString(1, s.accessHash());
                ps.setString(2, s.refreshHash());
                ps.setString(3, Permission.format(s.scope()));
                ps.setLong(4, s.accessExpiresAt().toEpochMilli());
                ps.setLong(5, s.refreshExpiresAt().toEpochMilli());
                ps.setString(6, s.sessionId());
                ps.setString(7, expectedRefreshHash);
                return ps.executeUpdate() == 1;
            }
        });
    }

    boolean deleteSession(String sessionId) {
        return db.write(c -> {
            try (PreparedStatement ws = c.prepareStatement("DELETE FROM ws_tokens WHERE session_id = ?");
                 PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE session_id = ?")) {
                ws.setString(1, sessionId);
                ws.executeUpdate();
                ps.setString(1, sessionId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    void createWsToken(WsToken t) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ws_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)")) {
                ps.setString(1, t.tokenHash());
                ps.setString(2, t.sessionId());
                ps.setLong(3, t.expiresAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    Optional<WsToken> wsToken(String hash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT token_hash, session_id, expires_at FROM ws_tokens WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new WsToken(rs.getString(1), rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)))) : Optional.empty();
                }
            }
        });
    }

    int purgeExpired(Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE refresh_expires_at < ?");
                 PreparedStatement ws = c.prepareStatement("DELETE FROM ws_tokens WHERE expires_at < ?"
                         + " OR session_id NOT IN (SELECT session_id FROM sessions)")) {
                ps.setLong(1, now.toEpochMilli());
                int sessions = ps.executeUpdate();
                ws.setLong(1, now.toEpochMilli());
                return sessions + ws.executeUpdate();
            }
        });
    }
}
