package io.presenced.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.ApiException;
import io.presenced.api.ApiRoutes;
import io.presenced.api.Responses;
import io.presenced.api.SubscriptionJson;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.SubscriptionRequest;
import io.presenced.subscription.SubscriptionService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code ClientRequest} frames of a WSG session: subscription requests (one subscription per session, a second
 * replacing the first), and any other REST call of the API, made on the session's behalf over the loopback
 * interface. Each answer carries the request's {@code messageId}, the status and, for subscriptions,
 * {@code WSG-SubscriptionId}.
 */
final class ClientRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubscriptionService subscriptions;
    private final WsSettings settings;
    private final Clock clock;
    private final String baseUrl;

    ClientRequests(SubscriptionService subscriptions, WsSettings settings, Clock clock, String baseUrl) {
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    /** The answer frame to one {@code ClientRequest}. */
    String respond(WsgSession session, JsonNode meta, JsonNode body) {
        String messageId = meta.path("messageId").asText("");
        String method = meta.path("method").asText("GET").toUpperCase(Locale.ROOT);
        String path = meta.path("path").asText("");
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        try {
            if (bare.equals("/restapi/v1.0/subscription") && method.equals("POST")) {
                return reply(messageId, 200, subscribe(session, body));
            }
            String prefix = "/restapi/v1.0/subscription/";
            if (bare.startsWith(prefix) && !bare.substring(prefix.length()).contains("/")) {
                String id = bare.substring(prefix.length());
                return switch (method) {
                    case "GET" -> reply(messageId, 200, subscriptions.get(session.caller, id));
                    case "PUT" -> reply(messageId, 200, update(session, id, body));
                    case "DELETE" -> {
                        subscriptions.delete(session.caller, id);
                        if (session.subscriptionId().equals(Optional.of(id))) {
                            session.subscriptionId(Optional.empty());
                        }
                        yield answer(messageId, 204, Optional.of(id), null);
                    }
                    default -> throw ApiException.of(405, "CMN-405", "Method [" + method + "] is not allowed for ["
                            + bare + "]");
                };
            }
            return loopback(session, messageId, method, path, meta.path("query"), body);
        } catch (ApiException e) {
            return answer(messageId, e.status(), Optional.empty(), Responses.errorBody(e));
        }
    }

    /** Any other REST call: made on the session's behalf to this server over the loopback interface. */
    private String loopback(WsgSession session, String messageId, String method, String path, JsonNode query,
                            JsonNode body) {
        Loopback target = loopback;
        if (target == null) {
            throw ApiException.of(503, "CMN-201", "Service Temporary Unavailable");
        }
        StringBuilder uri = new StringBuilder(target.base()).append(path.startsWith("/") ? path : "/" + path);
        if (query != null && query.isObject() && !query.isEmpty()) {
            uri.append(path.contains("?") ? '&' : '?');
            Iterator<Map.Entry<String, JsonNode>> fields = query.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                uri.append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(f.getValue().asText(), StandardCharsets.UTF_8))
                        .append(fields.hasNext() ? "&" : "");
            }
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(uri.toString()))
                    .timeout(Duration.ofSeconds(30))
                    .header(ApiRoutes.INTERNAL_SESSION, target.credential().apply(
                            session.caller.session().sessionId()))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString()));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = target.client().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode answer = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!response.body().isEmpty() && type.contains("json")) {
                answer = JSON.readTree(response.body());
            }
            return answer(messageId, response.statusCode(), Optional.empty(), answer);
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "CMN-101", "Invalid request path or method: " + method + " " + path);
        } catch (IOException e) {
            throw ApiException.of(503, "CMN-201", "Service Temporary Unavailable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.of(503, "CMN-201", "Service Temporary Unavailable");
        }
    }

    /** Where REST calls over the socket go: this server's own address, and the credential for a session. */
    private record Loopback(String base, Function<String, String> credential,
                           HttpClient client) {
    }

    private volatile Loopback loopback;

    /** Enables REST calls over the socket, once the server listens. */
    void loopback(String base, Function<String, String> credential) {
        loopback = new Loopback(base, credential, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build());
    }

    private Subscription subscribe(WsgSession session, JsonNode body) {
        SubscriptionRequest request = new SubscriptionRequest(Optional.of(filters(body)),
                Optional.of(new DeliveryMode(DeliveryMode.TransportType.WebSocket, WsGateway.ADDRESS_PREFIX + session.token,
                        Optional.empty())), Optional.of(settings.absoluteTimeout().toSeconds()));
        Optional<String> previous = session.subscriptionId();
        Subscription created = subscriptions.create(session.caller, request);
        session.subscriptionId(Optional.of(created.id()));
        if (session.ended()) {
            // The session ended while the subscription was made: nobody will receive it.
            quietlyDelete(session, created.id());
            throw ApiException.of(404, "CMN-102", "The WebSocket session has ended");
        }
        // One subscription per connection: a second replaces the first.
        previous.ifPresent(id -> quietlyDelete(session, id));
        return created;
    }

    private void quietlyDelete(WsgSession session, String id) {
        try {
            subscriptions.delete(session.caller, id);
        } catch (ApiException gone) {
            // already deleted
        }
    }

    private Subscription update(WsgSession session, String id, JsonNode body) {
        return subscriptions.update(session.caller, id, new SubscriptionRequest(Optional.of(filters(body)),
                Optional.empty(), Optional.empty()));
    }

    private static List<String> filters(JsonNode body) {
        JsonNode f = body == null ? null : body.get("eventFilters");
        if (f == null || !f.isArray()) {
            throw ApiException.parameter(400, "CMN-101", "Parameter [eventFilters] is required", "eventFilters", null);
        }
        JsonNode mode = body.path("deliveryMode").path("transportType");
        if (!mode.isMissingNode() && !mode.asText().equals("WebSocket")) {
            throw ApiException.parameter(400, "CMN-101", "Parameter [deliveryMode.transportType] value is invalid:"
                    + " over the WebSocket only WebSocket is supported", "deliveryMode.transportType", mode.asText());
        }
        List<String> list = new ArrayList<>();
        f.forEach(item -> list.add(item.asText()));
        return list;
    }

    private String reply(String messageId, int status, Subscription s) {
        return answer(messageId, status, Optional.of(s.id()), SubscriptionJson.render(baseUrl, clock, s, false));
    }

    private static String answer(String messageId, int status, Optional<String> subscriptionId, JsonNode body) {
        ArrayNode frame = JSON.createArrayNode();
        ObjectNode meta = frame.addObject();
        meta.put("type", "ClientRequest");
        meta.put("messageId", messageId);
        meta.put("status", status);
        ObjectNode headers = meta.putObject("headers");
        headers.put("Content-Type", "application/json");
        subscriptionId.ifPresent(id -> headers.put("WSG-SubscriptionId", id));
        if (body != null) {
            frame.add(body);
        }
        return frame.toString();
    }
}
