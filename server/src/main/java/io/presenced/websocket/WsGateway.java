package io.presenced.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.websocket.WsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.Secrets;
import io.presenced.delivery.Envelope;
import io.presenced.delivery.Notifications;
import io.presenced.delivery.Outcome;
import io.presenced.delivery.Transport;
import io.presenced.directory.Directory;
import io.presenced.directory.ExtensionStatus;
import io.presenced.store.Store;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.SubscriptionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WSG gateway: opens sessions for valid WebSocket tokens, answers client requests, and is the transport
 * of WebSocket subscriptions. While a session has no connection its notifications wait in the durable
 * backlog (the transport answers "retry"), so a recovered session receives them in order.
 */
public final class WsGateway implements Transport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_WHILE_AWAY = Duration.ofMillis(200);

    private final Store store;
    private final Directory directory;
    private final SubscriptionService subscriptions;
    private final WsSettings settings;
    private final Clock clock;
    private final String baseUrl;
    private final Map<String, WsgSession> sessions = new ConcurrentHashMap<>();
    /** The same sessions by their subscriptions' delivery address, {@code wsg:<token>}. */
    private final Map<String, WsgSession> byAddress = new ConcurrentHashMap<>();
    static final String ADDRESS_PREFIX = "wsg:";
    private final MeterRegistry meters;
    private final Meters counters;
    private final ClientRequests requests;

    /**
     * The gateway's counters, registered once: frames in and out, recoveries by outcome, connections closed by
     * reason ({@code client}, {@code error}, {@code idle}, {@code absolute}, {@code overflow}).
     */
    static final class Meters {
        private final Counter in;
        private final Counter out;
        private final MeterRegistry registry;
        private final Map<String, Counter> byTag = new ConcurrentHashMap<>();

        Meters(MeterRegistry registry) {
            this.registry = registry;
            this.in = Counter.builder("presenced.ws.frames").tag("direction", "in").description("WSG frames")
                    .register(registry);
            this.out = Counter.builder("presenced.ws.frames").tag("direction", "out").description("WSG frames")
                    .register(registry);
        }

        void frameIn() {
            in.increment();
        }

        void frameOut() {
            out.increment();
        }

        void recovery(String outcome) {
            byTag.computeIfAbsent("recovery:" + outcome, k -> Counter.builder("presenced.ws.recoveries")
                    .tag("outcome", outcome).description("Session recoveries by outcome").register(registry))
                    .increment();
        }

        void closed(String reason) {
            byTag.computeIfAbsent("closed:" + reason, k -> Counter.builder("presenced.ws.closed")
                    .tag("reason", reason).description("Connections closed, by reason").register(registry))
                    .increment();
        }
    }

    public WsGateway(Store store, Directory directory, SubscriptionService subscriptions, WsSettings settings,
                     Clock clock, String baseUrl, MeterRegistry meters) {
        this.store = store;
        this.directory = directory;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.meters = meters;
        this.counters = new Meters(meters);
        this.requests = new ClientRequests(subscriptions, settings, clock, baseUrl);
        Gauge.builder("presenced.ws.sessions", sessions, Map::size).description("WSG sessions").register(meters);
        Gauge.builder("presenced.ws.connections", sessions, m -> m.values().stream().filter(WsgSession::connected)
                .count()).description("Open WebSocket connections").register(meters);
        Gauge.builder("presenced.ws.subscriptions", sessions, m -> m.values().stream()
                .filter(s -> s.subscriptionId().isPresent()).count()).description("WebSocket subscriptions")
                .register(meters);
    }

    /** A listener for one new connection. */
    public WsListener listener() {
        return new Connection(this);
    }

    /** The caller a WebSocket token stands for, if it is valid now. */
    Optional<Caller> authenticate(String wsToken) {
        Instant now = clock.instant();
        return store.wsToken(Secrets.sha256(wsToken))
                .filter(t -> t.expiresAt().isAfter(now))
                .flatMap(t -> store.session(t.sessionId()))
                .filter(s -> s.refreshExpiresAt().isAfter(now))
                .flatMap(s -> directory.extension(s.extensionId())
                        .filter(e -> e.status() == ExtensionStatus.Enabled)
                        .map(e -> new Caller(s, e)));
    }

    /**
     * The session to resume for {@code wsc}, if it is still recoverable and belongs to the same user. A session of
     * that token that can no longer be recovered (away too long, or it missed more than the recovery buffer) ends
     * now, with its subscription.
     */
    Optional<WsgSession> recoverable(String wsc, Caller caller) {
        WsgSession s = sessions.get(wsc);
        if (s == null || s.caller.extensionId() != caller.extensionId()) {
            return Optional.empty();
        }
        if (s.recoverable(clock.instant(), settings.recoveryTimeout(), settings.recoveryBufferSize())) {
            return Optional.of(s);
        }
        end(s);
        return Optional.empty();
    }

    WsgSession open(Caller caller) {
        WsgSession session = new WsgSession(Secrets.random(24), caller, clock.instant(), settings, counters);
        sessions.put(session.token, session);
        byAddress.put(ADDRESS_PREFIX + session.token, session);
        return session;
    }

    /** Ends a session: it is forgotten, what it held is dropped, and its subscription deleted. */
    private void end(WsgSession s) {
        if (sessions.remove(s.token, s)) {
            byAddress.remove(ADDRESS_PREFIX + s.token, s);
            s.end();
            s.subscriptionId().ifPresent(id -> {
                try {
                    subscriptions.delete(s.caller, id);
                } catch (ApiException already) {
                    // deleted by its owner
                }
            });
        }
    }

    /** {@code [ConnectionDetails, {…}]}. */
    String connectionDetails(WsgSession session, Optional<String> recoveryState) {
        ArrayNode frame = JSON.createArrayNode();
        ObjectNode meta = frame.addObject();
        meta.put("type", "ConnectionDetails");
        meta.put("messageId", UUID.randomUUID().toString());
        meta.put("status", 200);
        meta.putObject("wsc").put("token", session.token).put("sequence", session.sequence());
        meta.putObject("headers");
        ObjectNode body = frame.addObject();
        body.put("creationTime", Notifications.timestamp(session.created));
        body.put("maxConnectionsPerSession", 1);
        body.put("recoveryBufferSize", settings.recoveryBufferSize());
        body.put("recoveryTimeout", settings.recoveryTimeout().toSeconds());
        body.put("idleTimeout", settings.idleTimeout().toSeconds());
        body.put("absoluteTimeout", settings.absoluteTimeout().toSeconds());
        body.put("maxActiveRequests", settings.maxActiveRequests());
        recoveryState.ifPresent(state -> body.put("recoveryState", state));
        return frame.toString();
    }

    /** Answers one client frame; the answer to send back, if any. */
    Optional<String> handle(WsgSession session, String text) {
        counters.frameIn();
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (java.io.IOException e) {
            return Optional.of(error("WSG-400", "The frame is not JSON: " + e.getMessage()));
        }
        if (frame == null || !frame.isArray() || frame.isEmpty() || !frame.get(0).isObject()) {
            return Optional.of(error("WSG-400", "A frame is a JSON array [meta, body?]"));
        }
        JsonNode meta = frame.get(0);
        String type = meta.path("type").asText();
        return switch (type) {
            case "Heartbeat" -> Optional.of(frame.toString());
            case "ClientRequest" -> Optional.of(requests.respond(session, meta, frame.size() > 1 ? frame.get(1) : null));
            default -> Optional.of(error("WSG-400", "Unknown frame type [" + type + "]; expected ClientRequest or"
                    + " Heartbeat"));
        };
    }

    /** Enables REST calls over the socket, once the server listens. */
    public void loopback(String base, java.util.function.Function<String, String> credential) {
        requests.loopback(base, credential);
    }

    static String error(String code, String message) {
        ArrayNode frame = JSON.createArrayNode();
        ObjectNode meta = frame.addObject();
        meta.put("type", "Error");
        meta.put("messageId", UUID.randomUUID().toString());
        meta.put("status", 400);
        frame.addObject().put("errorCode", code).put("message", message);
        return frame.toString();
    }

    @Override
    public Outcome send(Subscription s, Envelope envelope) throws InterruptedException {
        WsgSession session = session(s);
        if (session == null) {
            return new Outcome.Retry("the WebSocket session is gone", Optional.of(RETRY_WHILE_AWAY));
        }
        Outbox.Offer offer = session.sendNotification(sequence -> envelope.appendTo(new StringBuilder(1024)
                .append("[{\"type\":\"ServerNotification\",\"messageId\":\"").append(envelope.uuid())
                .append("\",\"status\":200,\"wsc\":{\"token\":\"").append(session.token).append("\",\"sequence\":")
                .append(sequence).append("}},")).append(']').toString());
        return switch (offer) {
            case QUEUED -> new Outcome.Delivered(200);
            case NOT_CONNECTED -> new Outcome.Retry("the WebSocket session is not connected",
                    Optional.of(RETRY_WHILE_AWAY));
            case FULL -> {
                if (session.closeWith(error("WSG-904", "The outbound buffer of " + settings.outboundBufferSize()
                        + " notifications is full: the client does not read; reconnect with the wsc token to recover"
                        + " the session"), 1008, "WSG-904 outbound buffer full")) {
                    counters.closed("overflow");
                }
                yield new Outcome.Retry("the WebSocket client does not read", Optional.of(RETRY_WHILE_AWAY));
            }
        };
    }

    /** A notification for {@code s} entered its backlog: a session away counts what it misses. */
    @Override
    public void produced(Subscription s) {
        WsgSession session = session(s);
        if (session != null) {
            session.produced();
        }
    }

    private WsgSession session(Subscription s) {
        String address = s.deliveryMode().address();
        return byAddress.get(address);
    }

    /**
     * Closes connections idle for longer than the idle timeout ({@code WSG-902}, the session stays recoverable)
     * and sessions older than the absolute timeout ({@code WSG-903}); ends sessions whose connection has been
     * gone for longer than the recovery timeout, with their subscription.
     */
    public void expire() {
        Instant now = clock.instant();
        for (WsgSession s : sessions.values()) {
            if (!now.isBefore(s.created.plus(settings.absoluteTimeout()))) {
                if (s.closeWith(error("WSG-903", "The session reached its absolute timeout of "
                        + settings.absoluteTimeout().toSeconds() + " s"), 1000, "WSG-903 session ended")) {
                    counters.closed("absolute");
                }
                end(s);
            } else if (s.connected() && !now.isBefore(s.lastActivity().plus(settings.idleTimeout()))) {
                if (s.closeWith(error("WSG-902", "The connection was idle for " + settings.idleTimeout().toSeconds()
                        + " s; reconnect with the wsc token to recover the session"), 1000, "WSG-902 idle timeout")) {
                    counters.closed("idle");
                }
            } else if (!s.connected() && s.disconnectedAt().map(at -> !now.isBefore(at.plus(settings.recoveryTimeout())))
                    .orElse(false)) {
                end(s);
            }
        }
    }

    /** The WebSocket gateway's counters. */
    Meters counters() {
        return counters;
    }

    WsSettings settings() {
        return settings;
    }


}
