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
import java.time.Instant;
import io.presenced.subscription.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Durable storage of Presenced. Every method that writes returns only once its write is durable
 * (it survives {@code kill -9}); implementations are safe for concurrent use.
 */
public interface Store extends AutoCloseable {

    // --- directory -------------------------------------------------------------------------------

    /** Creates an account with a newly allocated id. */
    Account createAccount(String name, String mainNumber);

    /** Creates extensions with newly allocated, platform-wide unique ids, all in one transaction. */
    List<Extension> createExtensions(List<ExtensionSpec> specs);

    /** Creates one extension. */
    default Extension createExtension(ExtensionSpec spec) {
        return createExtensions(List.of(spec)).getFirst();
    }

    /** Replaces the directory fields of an existing extension (its id and account stay). */
    Extension updateExtension(Extension extension);

    /** The directory revision: it grows with every directory write. */
    long directoryRevision();

    /** Every account and extension written after {@code revision}. */
    DirectoryChanges directoryChangesSince(long revision);

    /** Stores the hash of an extension's password. */
    void setPasswordHash(long extensionId, String passwordHash);

    /** The hash of an extension's password, if one was set. */
    Optional<String> passwordHash(long extensionId);

    // --- apps and credentials --------------------------------------------------------------------

    /** Stores a new app. */
    void createApp(App app);

    /** The app with this client id. */
    Optional<App> app(String clientId);

    /** Stores a newly issued JWT credential. */
    void createJwtCredential(JwtCredential credential);

    /** The JWT credential whose text hashes to {@code tokenHash}. */
    Optional<JwtCredential> jwtCredentialByHash(String tokenHash);

    /** Marks a JWT credential revoked; false if there is none with that id. */
    boolean revokeJwtCredential(String id);

    // --- sessions --------------------------------------------------------------------------------

    /** Stores a new OAuth session. */
    void createSession(Session session);

    /** The session whose access token hashes to {@code accessHash}. */
    Optional<Session> sessionByAccessHash(String accessHash);

    /** The session with this id. */
    Optional<Session> session(String sessionId);

    /** The session whose refresh token hashes to {@code refreshHash}. */
    Optional<Session> sessionByRefreshHash(String refreshHash);

    /** Replaces a session's token pair if its refresh hash is still {@code expectedRefreshHash}. */
    boolean rotateSession(Session rotated, String expectedRefreshHash);

    /** Deletes a session and its WebSocket tokens; false if it did not exist. */
    boolean deleteSession(String sessionId);

    /** Stores a WebSocket token. */
    void createWsToken(WsToken token);

    /** The WebSocket token with this hash. */
    Optional<WsToken> wsToken(String tokenHash);

    /** Deletes sessions and WebSocket tokens that expired before {@code now}; returns how many. */
    int purgeExpired(Instant now);

    // --- presence --------------------------------------------------------------------------------

    /** Hands every stored presence state to {@code sink}. */
    void forEachPresence(Consumer<PresenceState> sink);

    /**
     * Writes the new states and appends the events to the log, all in one transaction.
     *
     * @return the events with their log ids, in the order given
     */
    List<PresenceEvent> commitPresence(List<PresenceState> states, List<PresenceEvent> events);

    /** Up to {@code limit} events of the log after log id {@code afterId}, in log order. */
    List<PresenceEvent> eventsAfter(long afterId, int limit);

    /** The id of the last event in the log (0 when it is empty). */
    long lastEventId();

    /** Deletes events created before {@code before}; returns how many and the id of the last one deleted. */
    Purge purgeEventsBefore(Instant before);

    /** What a purge of the event log removed. */
    record Purge(int count, long lastDeletedId) {
    }

    // --- subscriptions ---------------------------------------------------------------------------

    /** A stored subscription and the log position its delivery has reached. */
    record StoredSubscription(Subscription subscription, long position) {
    }

    /** Stores a new subscription whose delivery starts after log id {@code position}. */
    void createSubscription(Subscription subscription, long position);

    /** Replaces a subscription's document; false if it does not exist. */
    boolean updateSubscription(Subscription subscription);

    /** Deletes a subscription; false if it did not exist. */
    boolean deleteSubscription(String id);

    /** Every stored subscription. */
    List<StoredSubscription> subscriptions();

    /** Moves delivery positions forward (never back), in one transaction. */
    void saveDeliveryPositions(Map<String, Long> positions);

    /** Deletes subscriptions that expired before {@code before}; returns how many. */
    int purgeExpiredSubscriptions(Instant before);

    @Override
    void close();
}
