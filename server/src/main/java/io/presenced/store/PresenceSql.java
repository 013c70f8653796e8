package io.presenced.store;

import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** The SQL of presence states and the event log; both are stored as JSON documents keyed by their ids. */
final class PresenceSql {
    private final Database db;

    PresenceSql(Database db) {
        this.db = db;
    }

    void forEach(Consumer<PresenceState> sink) {
        // Read in chunks and parsed on every core: at start-up this is most of the time a large directory takes.
        List<String> chunk = new ArrayList<>(PARSE_CHUNK);
        db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT state FROM presence")) {
                while (rs.next()) {
                    chunk.add(rs.getString(1));
                    if (chunk.size() == PARSE_CHUNK) {
                        parse(chunk).forEach(sink);
                        chunk.clear();
                    }
                }
            }
            return null;
        });
        parse(chunk).forEach(sink);
    }

    private static final int PARSE_CHUNK = 16_384;

    private static List<PresenceState> parse(List<String> documents) {
        return documents.size() < PARALLEL_FROM ? documents.stream().map(PresenceCodec::readState).toList()
                : documents.parallelStream().map(PresenceCodec::readState).toList();
    }

    /** Batches smaller than this are serialised on the calling thread; larger ones on all cores. */
    private static final int PARALLEL_FROM = 64;

    List<PresenceEvent> commit(List<PresenceState> states, List<PresenceEvent> events) {
        // Serialised before the write lock is taken, a large batch on every core.
        List<String> stateJson = serialise(states, PresenceCodec::write);
        List<String> eventJson = serialise(events, PresenceCodec::write);
        return db.write(c -> {
            Map<Long, Long> before = db.dialect().equals("sqlite") && !events.isEmpty() ? sequences(c, events)
                    : Map.of();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO presence (extension_id, sequence, state)"
                    + " VALUES (?, ?, ?) ON CONFLICT (extension_id) DO UPDATE"
                    + " SET sequence = excluded.sequence, state = excluded.state")) {
                for (int i = 0; i < states.size(); i++) {
                    PresenceState s = states.get(i);
                    ps.setLong(1, s.extensionId());
                    ps.setLong(2, s.sequence());
                    ps.setString(3, stateJson.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<PresenceEvent> logged = new ArrayList<>(events.size());
            if (events.isEmpty()) {
                return logged;
            }
            if (db.dialect().equals("sqlite")) {
                refuseRepeatedSequences(before, events);
                // One writer, one transaction: the rows get consecutive ids, the last of which SQLite reports.
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO presence_events"
                        + " (account_id, extension_id, sequence, created_at, event) VALUES (?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < events.size(); i++) {
                        bind(ps, events.get(i), eventJson.get(i));
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
                for (int i = 0; i < events.size(); i++) {
                    PresenceEvent e = events.get(i);
                    bind(ps, e, eventJson.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        logged.add(e.withId(rs.getLong(1)));
                    }
                }
            }
            return logged;
        });
    }

    /**
     * The stored sequence of each extension that {@code events} are of, read in chunks. (SQLite's log has no unique
     * index on the sequence, which in random order cost more writes than the rest of a commit: this check stands in
     * for it.)
     */
    private static Map<Long, Long> sequences(Connection c, List<PresenceEvent> events) throws SQLException {
        List<Long> ids = events.stream().map(e -> e.state().extensionId()).distinct().toList();
        Map<Long, Long> stored = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT extension_id, sequence FROM presence"
                    + " WHERE extension_id IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
        }
        return stored;
    }

    /** Refuses a batch in which an extension's event repeats a logged sequence, or one of the same batch. */
    private static void refuseRepeatedSequences(Map<Long, Long> stored, List<PresenceEvent> events) {
        Map<Long, Long> last = new HashMap<>(stored);
        for (PresenceEvent e : events) {
            long ext = e.state().extensionId();
            long seq = e.state().sequence();
            Long previous = last.get(ext);
            if (previous != null && seq <= previous) {
                throw new StoreException("event sequence " + seq + " of extension " + ext + " is not after "
                        + previous + ", which is logged already");
            }
            last.put(ext, seq);
        }
    }

    private static void bind(PreparedStatement ps, PresenceEvent e, String json) throws SQLException {
        ps.setLong(1, e.state().accountId());
        ps.setLong(2, e.state().extensionId());
        ps.setLong(3, e.state().sequence());
        ps.setLong(4, e.time().toEpochMilli());
        ps.setString(5, json);
    }

    private static <T> List<String> serialise(List<T> items, Function<T, String> codec) {
        return items.size() < PARALLEL_FROM ? items.stream().map(codec).toList()
                : items.parallelStream().map(codec).toList();
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

    Store.Purge purgeBefore(Instant before) {
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
