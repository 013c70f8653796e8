package io.presenced.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.presenced.directory.ExtensionType;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import io.presenced.presence.TelephonyStatus;
import io.presenced.presence.UserStatus;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema version 3 on SQLite rebuilds the event log without its unique index: the events stay, and log ids keep
 * growing from where they were, even when a purge had emptied the log (delivery positions refer to them).
 */
class EventLogMigrationTest {
    @TempDir
    Path dir;

    private static String script(int version) throws Exception {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/sqlite/V" + version + ".sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static PresenceState state(long extension, long sequence) {
        return PresenceState.of(extension, 1, ExtensionType.User, sequence % 2 == 0 ? UserStatus.Busy
                : UserStatus.Available, DndStatus.TakeAllCalls, "m" + sequence, true, false, false,
                MeetingStatus.Disconnected, TelephonyStatus.NoCall, sequence);
    }

    @Test
    void versionThreeKeepsTheEventsAndContinuesTheLogIdsAfterAPurge() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("presenced.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (int v : List.of(1, 2)) {
                for (String sql : script(v).split(";\\s*(\\n|$)")) {
                    if (!sql.isBlank()) {
                        s.execute(sql);
                    }
                }
            }
            s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
            s.execute("INSERT INTO schema_version VALUES (1, 0), (2, 0)");
            for (int i = 1; i <= 5; i++) {
                s.execute("INSERT INTO presence_events (account_id, extension_id, sequence, created_at, event) VALUES"
                        + " (1, 7, " + i + ", " + i + ", '" + PresenceCodec.write(new PresenceEvent(0, state(7, i),
                        false, true, Instant.ofEpochMilli(i))) + "')");
            }
            s.execute("DELETE FROM presence_events WHERE id <= 3");
            // A second log purged empty: ids 6..9 were given out and are gone.
            for (int i = 6; i <= 9; i++) {
                s.execute("INSERT INTO presence_events (account_id, extension_id, sequence, created_at, event) VALUES"
                        + " (1, 8, " + (i - 5) + ", " + i + ", '" + PresenceCodec.write(new PresenceEvent(0,
                        state(8, i - 5), false, true, Instant.ofEpochMilli(i))) + "')");
            }
            s.execute("DELETE FROM presence_events WHERE id >= 6");
        }

        try (JdbcStore store = JdbcStore.sqlite(dir)) {
            assertThat(store.eventsAfter(0, 100)).extracting(PresenceEvent::id).containsExactly(4L, 5L);
            assertThat(store.eventsAfter(0, 100)).extracting(e -> e.state().message()).containsExactly("m4", "m5");
            assertThat(store.lastEventId()).isEqualTo(5);
            List<PresenceEvent> logged = store.commitPresence(List.of(state(7, 6)),
                    List.of(new PresenceEvent(0, state(7, 6), false, true, Instant.ofEpochMilli(10))));
            assertThat(logged).extracting(PresenceEvent::id).as("ids continue after the purged 9").containsExactly(10L);
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'presence_events'"
                     + " AND type = 'index' AND name LIKE 'sqlite_autoindex%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("unique indexes left on the event log").isZero();
        }
    }
}
