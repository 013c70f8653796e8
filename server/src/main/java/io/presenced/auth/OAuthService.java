package io.presenced.auth;

import io.presenced.ApiException;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OAuth 2.0 server: token grants (jwt-bearer, password, refresh_token), revocation, WebSocket
 * tokens, and recognising a bearer token on every other call. Tokens are random and only their
 * SHA-256 is stored; recognised sessions are cached by that hash and dropped on rotate and revoke.
 */
public final class OAuthService {
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final Store store;
    private final Directory directory;
    private final JwtCredentials credentials;
    private final AuthSettings settings;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public OAuthService(Store store, Directory directory, JwtCredentials credentials, AuthSettings settings,
                        Clock clock) {
        this.store = store;
        this.directory = directory;
        this.credentials = credentials;
        this.settings = settings;
        this.clock = clock;
    }

    /** The app that authenticates with this {@code Authorization: Basic} header. */
    public App authenticateClient(Optional<String> authorization) {
        String header = authorization.orElseThrow(() -> ApiException.oauth(400, "invalid_client", "OAU-123",
                "Client authentication is required"));
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw ApiException.oauth(400, "invalid_client", "OAU-123", "Client authentication is required");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.oauth(400, "invalid_client", "OAU-123", "Authentication header value is malformed");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw ApiException.oauth(400, "invalid_client", "OAU-123", "Authentication header value is malformed");
        }
        String clientId = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        return store.app(clientId)
                .filter(app -> Secrets.matchesSha256(secret, app.secretHash()))
                .orElseThrow(() -> ApiException.oauth(401, "invalid_client", "OAU-146", "Invalid client credentials"));
    }

    /** Runs a token grant for an authenticated app. */
    public TokenResponse token(App app, Map<String, String> form) {
        String grant = required(form, "grant_type");
        return switch (grant) {
            case JWT_BEARER -> {
                long extensionId = credentials.verify(required(form, "assertion"))
                        .orElseThrow(OAuthService::invalidCredentials);
                yield open(app, user(extensionId), form);
            }
            case "password" -> open(app, passwordUser(form), form);
            case "refresh_token" -> refresh(app, required(form, "refresh_token"), form);
            default -> throw ApiException.oauth(400, "unsupported_grant_type", "OAU-250",
                    "Unsupported grant type [" + grant + "]; supported: " + JWT_BEARER + ", password, refresh_token");
        };
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw ApiException.oauth(400, "invalid_request", "OAU-101", "Parameter [" + name + "] is required");
        }
        return value;
    }

    private static ApiException invalidCredentials() {
        return ApiException.oauth(400, "invalid_grant", "OAU-140", "Invalid resource owner credentials");
    }

    private Extension user(long extensionId) {
        return directory.extension(extensionId)
                .filter(e -> e.type() == ExtensionType.User && e.status() == ExtensionStatus.Enabled)
                .orElseThrow(OAuthService::invalidCredentials);
    }

    private Extension passwordUser(Map<String, String> form) {
        String username = required(form, "username");
        String password = required(form, "password");
        Optional<Extension> found;
        if (username.contains("@")) {
            found = directory.extensionByEmail(username);
        } else {
            int star = username.indexOf('*');
            String mainNumber = star < 0 ? username : username.substring(0, star);
            String number = star < 0 ? form.getOrDefault("extension", "") : username.substring(star + 1);
            found = directory.extensionByNumber(mainNumber, number);
        }
        Extension extension = found.map(e -> user(e.id())).orElseThrow(OAuthService::invalidCredentials);
        String hash = store.passwordHash(extension.id()).orElseThrow(OAuthService::invalidCredentials);
        if (!Secrets.matchesPassword(password, hash)) {
            throw invalidCredentials();
        }
        return extension;
    }

    private TokenResponse open(App app, Extension user, Map<String, String> form) {
        String access = Secrets.random(32);
        String refresh = Secrets.random(32);
        Instant now = clock.instant();
        Duration accessTtl = ttl(form, "access_token_ttl", settings.accessTtl(), settings.minAccessTtl(),
                settings.maxAccessTtl());
        Duration refreshTtl = ttl(form, "refresh_token_ttl", settings.refreshTtl(), settings.minRefreshTtl(),
                settings.maxRefreshTtl());
        String endpointId = Optional.ofNullable(form.get("endpoint_id")).filter(s -> !s.isBlank())
                .orElseGet(() -> Secrets.random(16));
        Session session = new Session(Secrets.random(16), Secrets.sha256(access), Secrets.sha256(refresh),
                app.clientId(), user.accountId(), user.id(), RolePermissions.effective(app.permissions(), user.role()),
                now.plus(accessTtl), now.plus(refreshTtl), endpointId);
        store.createSession(session);
        return response(session, access, refresh, now);
    }

    private TokenResponse refresh(App app, String refreshToken, Map<String, String> form) {
        Instant now = clock.instant();
        Session old = store.sessionByRefreshHash(Secrets.sha256(refreshToken))
                .filter(s -> s.clientId().equals(app.clientId()))
                .orElseThrow(() -> ApiException.oauth(400, "invalid_grant", "OAU-211", "Token revoked"));
        if (!old.refreshExpiresAt().isAfter(now)) {
            throw ApiException.oauth(400, "invalid_grant", "OAU-210", "Token expired");
        }
        Extension extension = user(old.extensionId());
        String access = Secrets.random(32);
        String refresh = Secrets.random(32);
        Duration accessTtl = ttl(form, "access_token_ttl", settings.accessTtl(), settings.minAccessTtl(),
                settings.maxAccessTtl());
        Duration refreshTtl = ttl(form, "refresh_token_ttl", settings.refreshTtl(), settings.minRefreshTtl(),
                settings.maxRefreshTtl());
        Session rotated = new Session(old.sessionId(), Secrets.sha256(access), Secrets.sha256(refresh),
                old.clientId(), old.accountId(), old.extensionId(),
                RolePermissions.effective(app.permissions(), extension.role()),
                now.plus(accessTtl), now.plus(refreshTtl), old.endpointId());
        if (!store.rotateSession(rotated, old.refreshHash())) {
            throw ApiException.oauth(400, "invalid_grant", "OAU-211", "Token revoked");
        }
        sessions.remove(old.accessHash());
        return response(rotated, access, refresh, now);
    }

    private static Duration ttl(Map<String, String> form, String name, Duration fallback, Duration min,
                                Duration max) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.oauth(400, "invalid_request", "OAU-101",
                    "Parameter [" + name + "] must be a number of seconds, not [" + value + "]");
        }
        long clamped = Math.clamp(seconds, min.toSeconds(), max.toSeconds());
        return Duration.ofSeconds(clamped);
    }

    private static TokenResponse response(Session s, String access, String refresh, Instant now) {
        return new TokenResponse(access, "bearer", Duration.between(now, s.accessExpiresAt()).toSeconds(), refresh,
                Duration.between(now, s.refreshExpiresAt()).toSeconds(), Permission.format(s.scope()),
                String.valueOf(s.extensionId()), s.endpointId(), s.sessionId());
    }

    /** Revokes the session that an access or refresh token belongs to; unknown tokens are ignored, as OAuth asks. */
    public void revoke(App app, String token) {
        String hash = Secrets.sha256(token);
        store.sessionByAccessHash(hash).or(() -> store.sessionByRefreshHash(hash))
                .filter(s -> s.clientId().equals(app.clientId()))
                .ifPresent(s -> {
                    store.deleteSession(s.sessionId());
                    sessions.remove(s.accessHash());
                });
    }

    /** The caller behind an {@code Authorization: Bearer} header. */
    public Caller authenticate(Optional<String> authorization) {
        String header = authorization.orElseThrow(() -> ApiException.of(401, "OAU-123",
                "Authorization header is not specified"));
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw ApiException.of(401, "OAU-151", "Authorization method not supported; use Bearer");
        }
        String hash = Secrets.sha256(header.substring(space + 1).trim());
        Session session = sessions.get(hash);
        if (session == null) {
            session = store.sessionByAccessHash(hash).orElseThrow(() -> ApiException.coded(401, "TokenInvalid",
                    "OAU-213", "Token not found"));
            sessions.put(hash, session);
        }
        if (!session.accessExpiresAt().isAfter(clock.instant())) {
            sessions.remove(hash);
            throw ApiException.coded(401, "TokenExpired", "OAU-128", "Access token expired");
        }
        Extension extension = directory.extension(session.extensionId())
                .filter(e -> e.status() == ExtensionStatus.Enabled)
                .orElseThrow(() -> ApiException.coded(401, "TokenInvalid", "OAU-213", "Token not found"));
        return new Caller(session, extension);
    }

    /**
     * The caller of an open WebSocket session making a REST call over the socket: the session must still be
     * refreshable (a WSG session lives longer than one access token).
     */
    public Caller authenticateSession(String sessionId) {
        Instant now = clock.instant();
        Session session = store.session(sessionId).filter(s -> s.refreshExpiresAt().isAfter(now))
                .orElseThrow(() -> ApiException.coded(401, "TokenInvalid", "OAU-213", "Token not found"));
        Extension extension = directory.extension(session.extensionId())
                .filter(e -> e.status() == ExtensionStatus.Enabled)
                .orElseThrow(() -> ApiException.coded(401, "TokenInvalid", "OAU-213", "Token not found"));
        return new Caller(session, extension);
    }

    /** Issues a WebSocket token for the caller's session. */
    public WsTokenResponse wsToken(Caller caller, String uri) {
        String token = Secrets.random(32);
        Instant expires = clock.instant().plus(settings.wsTokenTtl());
        store.createWsToken(new WsToken(Secrets.sha256(token), caller.session().sessionId(), expires));
        return new WsTokenResponse(uri, token, settings.wsTokenTtl().toSeconds());
    }

    /** Forgets cached sessions whose access token expired and purges expired rows from the store. */
    public int purgeExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.accessExpiresAt().isAfter(now));
        return store.purgeExpired(now);
    }
}
