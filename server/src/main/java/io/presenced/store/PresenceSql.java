package io.presenced.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final Database db;

    PresenceSql(Database db) {
        this.db = db;
    }

    void forEach(Consumer<PresenceState> sink) {
        db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT state FROM presence")) {
                while (rs.next()) {
                    sink.accept(read(rs.getString(1), PresenceState.class));
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
                    ps.setString(3, write(s));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<PresenceEvent> logged = new ArrayList<>(events.size());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO presence_events"
                    + " (account_id, extension_id, sequence, created_at, event) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                for (PresenceEvent e : events) {
                    ps.setLong(1, e.state().accountId());
                    ps.setLong(2, e.state().extensionId());
                    ps.setLong(3, e.state().sequence());
                    ps.setLong(4, e.time().toEpochMilli());
                    ps.setString(5, write(e));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        logged.add(e.withId(rs.getLong(1)));
                    }
                }
            }
            return logged;
        });
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
                        result.add(read(rs.getString(2), PresenceEvent.class).withId(rs.getLong(1)));
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

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored " + type.getSimpleName() + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
