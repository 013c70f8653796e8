package io.presenced.store;

import io.presenced.auth.App;
import io.presenced.auth.JwtCredential;
import io.presenced.auth.Session;
import io.presenced.auth.WsToken;
import io.presenced.directory.Account;
import io.presenced.directory.DirectoryChanges;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.presence.PresenceEvent;
import io.presenced.presence.PresenceState;
import java.nio.file.Path;
import java.time.Instant;
import io.presenced.subscription.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The {@link Store} over any {@link Database} whose dialect has migration scripts (SQLite, PostgreSQL). */
public final class JdbcStore implements Store {
    private final Database db;
    private final DirectorySql directory;
    private final AuthSql auth;
    private final PresenceSql presence;
    private final SubscriptionSql subscriptions;

    private JdbcStore(Database db) {
        this.db = db;
        this.directory = new DirectorySql(db);
        this.auth = new AuthSql(db);
        this.presence = new PresenceSql(db);
        this.subscriptions = new SubscriptionSql(db);
    }

    /** A store over {@code db}, its schema migrated to this build's version. */
    public static JdbcStore create(Database db) {
        try {
            Migrations.apply(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new JdbcStore(db);
    }

    /** The embedded store: SQLite in {@code dataDir}. */
    public static JdbcStore sqlite(Path dataDir) {
        return create(SqliteDatabase.open(dataDir));
    }

    @Override
    public Account createAccount(String name, String mainNumber) {
        return directory.createAccount(name, mainNumber);
    }

    @Override
    public List<Extension> createExtensions(List<ExtensionSpec> specs) {
        return directory.createExtensions(specs);
    }

    @Override
    public Extension updateExtension(Extension extension) {
        return directory.updateExtension(extension);
    }

    @Override
    public long directoryRevision() {
        return directory.revision();
    }

    @Override
    public DirectoryChanges directoryChangesSince(long revision) {
        return directory.changesSince(revision);
    }

    @Override
    public void setPasswordHash(long extensionId, String passwordHash) {
        directory.setPasswordHash(extensionId, passwordHash);
    }

    @Override
    public Optional<String> passwordHash(long extensionId) {
        return directory.passwordHash(extensionId);
    }

    @Override
    public void createApp(App app) {
        auth.createApp(app);
    }

    @Override
    public Optional<App> app(String clientId) {
        return auth.app(clientId);
    }

    @Override
    public void createJwtCredential(JwtCredential credential) {
        auth.createJwtCredential(credential);
    }

    @Override
    public Optional<JwtCredential> jwtCredentialByHash(String tokenHash) {
        return auth.jwtCredentialByHash(tokenHash);
    }

    @Override
    public boolean revokeJwtCredential(String id) {
        return auth.revokeJwtCredential(id);
    }

    @Override
    public void createSession(Session session) {
        auth.createSession(session);
    }

    @Override
    public Optional<Session> sessionByAccessHash(String accessHash) {
        return auth.sessionBy("access_hash", accessHash);
    }

    @Override
    public Optional<Session> session(String sessionId) {
        return auth.sessionBy("session_id", sessionId);
    }

    @Override
    public Optional<Session> sessionByRefreshHash(String refreshHash) {
        return auth.sessionBy("refresh_hash", refreshHash);
    }

    @Override
    public boolean rotateSession(Session rotated, String expectedRefreshHash) {
        return auth.rotateSession(rotated, expectedRefreshHash);
    }

    @Override
    public boolean deleteSession(String sessionId) {
        return auth.deleteSession(sessionId);
    }

    @Override
    public void createWsToken(WsToken token) {
        auth.createWsToken(token);
    }

    @Override
    public Optional<WsToken> wsToken(String tokenHash) {
        return auth.wsToken(tokenHash);
    }

    @Override
    public int purgeExpired(Instant now) {
        return auth.purgeExpired(now);
    }

    @Override
    public void forEachPresence(Consumer<PresenceState> sink) {
        presence.forEach(sink);
    }

    @Override
    public List<PresenceEvent> commitPresence(List<PresenceState> states, List<PresenceEvent> events) {
        return presence.commit(states, events);
    }

    @Override
    public List<PresenceEvent> eventsAfter(long afterId, int limit) {
        return presence.eventsAfter(afterId, limit);
    }

    @Override
    public long lastEventId() {
        return presence.lastEventId();
    }

    @Override
    public Purge purgeEventsBefore(Instant before) {
        return presence.purgeBefore(before);
    }

    @Override
    public void createSubscription(Subscription subscription, long position) {
        subscriptions.create(subscription, position);
    }

    @Override
    public boolean updateSubscription(Subscription subscription) {
        return subscriptions.update(subscription);
    }

    @Override
    public boolean deleteSubscription(String id) {
        return subscriptions.delete(id);
    }

    @Override
    public List<StoredSubscription> subscriptions() {
        return subscriptions.all();
    }

    @Override
    public void saveDeliveryPositions(Map<String, Long> positions) {
        subscriptions.savePositions(positions);
    }

    @Override
    public int purgeExpiredSubscriptions(Instant before) {
        return subscriptions.purgeExpired(before);
    }

    @Override
    public void close() {
        db.close();
    }
}
