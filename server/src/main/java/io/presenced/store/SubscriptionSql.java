package io.presenced.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.subscription.Subscription;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SQL of subscriptions (stored as JSON documents) and of their delivery positions in the event log. */
final class SubscriptionSql {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final Database db;

    SubscriptionSql(Database db) {
        this.db = db;
    }

    void create(Subscription s, long position) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscriptions (id, account_id,"
                    + " owner_extension_id, client_id, expiration_time, document, position) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setLong(2, s.accountId());
                ps.setLong(3, s.ownerExtensionId());
                ps.setString(4, s.clientId());
                ps.setLong(5, s.expirationTime().toEpochMilli());
                ps.setString(6, write(s));
                ps.setLong(7, position);
                return ps.executeUpdate();
            }
        });
    }

    boolean update(Subscription s) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE subscriptions SET expiration_time = ?, document = ? WHERE id = ?")) {
                ps.setLong(1, s.expirationTime().toEpochMilli());
                ps.setString(2, write(s));
                ps.setString(3, s.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    boolean delete(String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM subscriptions WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    List<Store.StoredSubscription> all() {
        return db.read(c -> {
            List<Store.StoredSubscription> result = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT document, position FROM subscriptions ORDER BY id")) {
                while (rs.next()) {
                    result.add(new Store.StoredSubscription(read(rs.getString(1)), rs.getLong(2)));
                }
            }
            return result;
        });
    }

    void savePositions(Map<String, Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE subscriptions SET position = ? WHERE id = ? AND position < ?")) {
                for (Map.Entry<String, Long> e : positions.entrySet()) {
                    ps.setLong(1, e.getValue());
                    ps.setString(2, e.getKey());
                    ps.setLong(3, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    int purgeExpired(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM subscriptions WHERE expiration_time < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static String write(Subscription s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialise subscription " + s.id(), e);
        }
    }

    private static Subscription read(String json) {
        try {
            return JSON.readValue(json, Subscription.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored subscription is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
