package io.presenced.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.RateGroup;
import io.presenced.delivery.Notifications;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.SubscriptionRequest;
import io.presenced.subscription.SubscriptionService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The subscription API (SPEC §5). */
public final class SubscriptionApi {
    private final SubscriptionService subscriptions;
    private final Requests requests;
    private final BaseUrl baseUrl;
    private final Clock clock;

    public SubscriptionApi(SubscriptionService subscriptions, Requests requests, BaseUrl baseUrl, Clock clock) {
        this.subscriptions = subscriptions;
        this.requests = requests;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /** Adds the subscription endpoints. */
    public void register(ApiRoutes routes) {
        routes.secured(Method.POST, "/restapi/v1.0/subscription", RateGroup.Medium, this::create);
        routes.secured(Method.GET, "/restapi/v1.0/subscription", RateGroup.Light, this::list);
        routes.secured(Method.GET, "/restapi/v1.0/subscription/{id}", RateGroup.Light,
                (c, req, res) -> Responses.ok(res, SubscriptionJson.render(baseUrl.of(req), clock, subscriptions.get(c, id(req)), false)));
        routes.secured(Method.PUT, "/restapi/v1.0/subscription/{id}", RateGroup.Medium, (c, req, res) ->
                Responses.ok(res, SubscriptionJson.render(baseUrl.of(req), clock, subscriptions.update(c, id(req), parse(requests.jsonObject(req))), false)));
        routes.secured(Method.DELETE, "/restapi/v1.0/subscription/{id}", RateGroup.Medium, (c, req, res) -> {
            subscriptions.delete(c, id(req));
            res.status(204);
            res.send();
        });
        routes.secured(Method.POST, "/restapi/v1.0/subscription/{id}/renew", RateGroup.Light,
                (c, req, res) -> Responses.ok(res, SubscriptionJson.render(baseUrl.of(req), clock, subscriptions.renew(c, id(req)), false)));
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private void create(Caller caller, ServerRequest req, ServerResponse res) {
        Subscription s = subscriptions.create(caller, parse(requests.jsonObject(req)));
        Responses.ok(res, SubscriptionJson.render(baseUrl.of(req), clock, s, true));
    }

    private void list(Caller caller, ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.object();
        body.put("uri", baseUrl.of(req) + "/restapi/v1.0/subscription");
        ArrayNode records = body.putArray("records");
        subscriptions.list(caller).forEach(s -> records.add(SubscriptionJson.render(baseUrl.of(req), clock, s, false)));
        Responses.ok(res, body);
    }

    /** Parses a create or update body; every field is type-checked. */
    static SubscriptionRequest parse(JsonNode body) {
        Optional<List<String>> filters = Optional.empty();
        JsonNode f = body.get("eventFilters");
        if (f != null && !f.isNull()) {
            if (!f.isArray()) {
                throw ApiException.invalidParameter("eventFilters", f.toString());
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode item : f) {
                if (!item.isTextual()) {
                    throw ApiException.invalidParameter("eventFilters", item.toString());
                }
                texts.add(item.textValue());
            }
            filters = Optional.of(texts);
        }
        Optional<DeliveryMode> mode = Optional.empty();
        JsonNode d = body.get("deliveryMode");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) {
                throw ApiException.invalidParameter("deliveryMode", d.toString());
            }
            String transport = text(d, "transportType").orElseThrow(() -> ApiException.parameter(400, "CMN-101",
                    "Parameter [deliveryMode.transportType] is required", "deliveryMode.transportType", null));
            if (!transport.equals("WebHook")) {
                throw ApiException.parameter(400, "CMN-101", "Parameter [deliveryMode.transportType] value is"
                        + " invalid: over HTTP only WebHook is supported (WebSocket subscriptions are made over the"
                        + " WebSocket)", "deliveryMode.transportType", transport);
            }
            JsonNode encryption = d.get("encryption");
            if (encryption != null && !encryption.isNull() && !(encryption.isBoolean() && !encryption.booleanValue())) {
                throw ApiException.parameter(400, "CMN-101", "Parameter [deliveryMode.encryption] value is invalid:"
                        + " encrypted delivery is not supported", "deliveryMode.encryption", encryption.asText());
            }
            String address = text(d, "address").orElseThrow(() -> ApiException.parameter(400, "CMN-101",
                    "Parameter [deliveryMode.address] is required", "deliveryMode.address", null));
            mode = Optional.of(new DeliveryMode(DeliveryMode.TransportType.WebHook, address,
                    text(d, "verificationToken")));
        }
        Optional<Long> expiresIn = Optional.empty();
        JsonNode e = body.get("expiresIn");
        if (e != null && !e.isNull()) {
            if (!e.canConvertToLong() || !e.isIntegralNumber()) {
                throw ApiException.invalidParameter("expiresIn", e.asText());
            }
            expiresIn = Optional.of(e.longValue());
        }
        return new SubscriptionRequest(filters, mode, expiresIn);
    }

    private static Optional<String> text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiException.invalidParameter("deliveryMode." + name, v.asText());
        }
        return Optional.of(v.textValue());
    }
}
