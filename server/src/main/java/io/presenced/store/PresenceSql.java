package io.presenced.store;

import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The SQL of presence states and the event log; both are stored as JSON documents keyed by their ids. */
final class PresenceSql {
    private final Database db;

    PresenceSql(Database db) {
        this.db = db;
    }

    void forEach(Consumer<PresenceState> sink) {
        db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT state FROM presence")) {
                while (rs.next()) {
                    sink.accept(PresenceCodec.readState(rs.getString(1)));
                }
            }
            return null;
        });
    }

    List<PresenceEvent> commit(List<PresenceState> states, List<PresenceEvent> events) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO presence (extension_id, sequence, state)"
                    + " VALUES (?, ?, ?) ON CONFLICT (extension_id) DO UPDATE"
                    + " SET sequence = excluded.sequence, state = excluded.state")) {
                for (PresenceState s : states) {
                    ps.setLong(1, s.extensionId());
                    ps.setLong(2, s.sequence());
                    ps.setString(3, PresenceCodec.write(s));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<PresenceEvent> logged = new ArrayList<>(events.size());
            if (events.isEmpty()) {
                return logged;
            }
            if (db.dialect().equals("sqlite")) {
                // One writer, one transaction: the rows get consecutive ids, the last of which SQLite reports.
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO presence_events"
                        + " (account_id, extension_id, sequence, created_at, event) VALUES (?, ?, ?, ?, ?)")) {
                    for (PresenceEvent e : events) {
                        bind(ps, e);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                long last;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
                    rs.next();
                    last = rs.getLong(1);
                }
                long first = last - events.size() + 1;
                for (int i = 0; i < events.size(); i++) {
                    logged.add(events.get(i).withId(first + i));
                }
                return logged;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO presence_events"
                    + " (account_id, extension_id, sequence, created_at, event) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                for (PresenceEvent e : events) {
                    bind(ps, e);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        logged.add(e.withId(rs.getLong(1)));
                    }
                }
            }
            return logged;
        });
    }

    private static void bind(PreparedStatement ps, PresenceEvent e) throws java.sql.SQLException {
        ps.setLong(1, e.state().accountId());
        ps.setLong(2, e.state().extensionId());
        ps.setLong(3, e.state().sequence());
        ps.setLong(4, e.time().toEpochMilli());
        ps.setString(5, PresenceCodec.write(e));
    }

    List<PresenceEvent> eventsAfter(long afterId, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, event FROM presence_events WHERE id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, afterId);
                ps.setInt(2, limit);
                List<PresenceEvent> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(PresenceCodec.readEvent(rs.getString(2)).withId(rs.getLong(1)));
                    }
                }
                return result;
            }
        });
    }

    long lastEventId() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM presence_events")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    Store.Purge purgeBefore(java.time.Instant before) {
        return db.write(c -> {
            long last;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COALESCE(MAX(id), 0) FROM presence_events WHERE created_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM presence_events WHERE id <= ?")) {
                ps.setLong(1, last);
                return new Store.Purge(ps.executeUpdate(), last);
            }
        });
    }
}
