package io.presenced.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.OAuthService;
import io.presenced.auth.RateGroup;
import io.presenced.auth.RateLimiter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Registers the API's endpoints with Helidon: each is timed, its {@link ApiException}s are rendered,
 * and a secured one authenticates its caller and counts it against its rate-limit group first.
 * Anything unrouted answers 404, or 405 where the path exists under another method.
 */
public final class ApiRoutes {
    private static final System.Logger LOG = System.getLogger(ApiRoutes.class.getName());

    /** An endpoint anyone may call. */
    @FunctionalInterface
    public interface Open {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    /** An endpoint for an authenticated caller. */
    @FunctionalInterface
    public interface Secured {
        void handle(Caller caller, ServerRequest req, ServerResponse res) throws Exception;
    }

    private record Route(Method method, Pattern regex) {
    }

    private final HttpRouting.Builder routing;
    private final OAuthService oauth;
    private final RateLimiter limiter;
    private final MeterRegistry meters;
    private final List<Route> routes = new ArrayList<>();

    /** The header by which the WebSocket gateway makes a session's REST calls over the loopback. */
    public static final String INTERNAL_SESSION = "X-Presenced-Ws-Session";

    private final String internalSecret = io.presenced.auth.Secrets.random(32);

    public ApiRoutes(HttpRouting.Builder routing, OAuthService oauth, RateLimiter limiter, MeterRegistry meters) {
        this.routing = routing;
        this.oauth = oauth;
        this.limiter = limiter;
        this.meters = meters;
    }

    /** Registers an endpoint that needs no bearer token. */
    public void open(Method method, String template, Open endpoint) {
        register(method, template, (req, res) -> endpoint.handle(req, res));
    }

    /** Registers an endpoint for authenticated callers, counted in a rate-limit group. */
    public void secured(Method method, String template, RateGroup group, Secured endpoint) {
        register(method, template, (req, res) -> {
            Caller caller = caller(req);
            limit(caller.extensionId() + ":" + caller.clientId(), group, res);
            endpoint.handle(caller, req, res);
        });
    }

    private Caller caller(ServerRequest req) {
        Optional<String> internal = req.headers().first(HeaderNames.create(INTERNAL_SESSION));
        if (internal.isPresent()) {
            String value = internal.get();
            int dot = value.indexOf('.');
            boolean genuine = dot > 0 && java.security.MessageDigest.isEqual(
                    value.substring(0, dot).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    internalSecret.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (!genuine) {
                throw ApiException.coded(401, "TokenInvalid", "OAU-213", "Token not found");
            }
            return oauth.authenticateSession(value.substring(dot + 1));
        }
        return oauth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
    }

    /** The value of {@link #INTERNAL_SESSION} for a call on behalf of an OAuth session; never leaves the process. */
    public String internalCredential(String sessionId) {
        return internalSecret + "." + sessionId;
    }

    /** Counts a request of {@code subject} in {@code group}, sets the rate-limit headers, and refuses it over the limit. */
    public void limit(String subject, RateGroup group, ServerResponse res) {
        if (!limiter.enabled()) {
            return;
        }
        RateLimiter.Decision d = limiter.acquire(subject, group);
        res.header(HeaderNames.create("X-Rate-Limit-Group"), group.name());
        res.header(HeaderNames.create("X-Rate-Limit-Limit"), String.valueOf(d.limit()));
        res.header(HeaderNames.create("X-Rate-Limit-Remaining"), String.valueOf(d.remaining()));
        res.header(HeaderNames.create("X-Rate-Limit-Window"), String.valueOf(d.windowSeconds()));
        if (!d.allowed()) {
            throw ApiException.of(429, "CMN-301", "Request rate exceeded")
                    .withHeader("Retry-After", String.valueOf(d.retryAfterSeconds()));
        }
    }

    private void register(Method method, String template, Open endpoint) {
        routes.add(new Route(method, Pattern.compile(template.replaceAll("\\{[^/]+}", "[^/]+"))));
        Map<Integer, Timer> timers = new ConcurrentHashMap<>();
        routing.route(method, template, (req, res) -> {
            long start = System.nanoTime();
            try {
                endpoint.handle(req, res);
            } catch (ApiException e) {
                Responses.error(res, e);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, method.text() + " " + template + " failed", e);
                Responses.error(res, ApiException.of(500, "CMN-203", "Internal Server Error"));
            } finally {
                timers.computeIfAbsent(res.status().code(), status -> Timer.builder("presenced.http.requests")
                                .description("HTTP requests served").tag("method", method.text())
                                .tag("route", template).tag("status", String.valueOf(status)).register(meters))
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Registers the last resort: 405 for a known path under another method, else 404. */
    public void fallback() {
        routing.any((req, res) -> {
            String path = req.path().rawPath();
            Set<String> allowed = routes.stream().filter(r -> r.regex().matcher(path).matches())
                    .map(r -> r.method().text()).collect(Collectors.toCollection(LinkedHashSet::new));
            if (allowed.isEmpty()) {
                Responses.error(res, ApiException.of(404, "CMN-120", "Invalid URI: no resource at [" + path + "]"));
            } else {
                String list = String.join(", ", allowed);
                Responses.error(res, ApiException.of(405, "CMN-405", "Method [" + req.prologue().method().text()
                        + "] is not allowed for [" + path + "]; allowed: " + list).withHeader("Allow", list));
            }
        });
    }
}
