package io.presenced.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.Permission;
import io.presenced.auth.RateGroup;
import io.presenced.delivery.Notifications;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;
import io.presenced.presence.DndStatus;
import io.presenced.presence.PresenceService;
import io.presenced.presence.PresenceState;
import io.presenced.presence.PresenceUpdate;
import io.presenced.presence.UserStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The presence REST API (SPEC §4): one extension, a batch of them, and a whole account with paging. */
public final class PresenceApi {
    static final int MAX_BATCH = 30;
    private static final String EXTENSION_PRESENCE = "/restapi/v1.0/account/{accountId}/extension/{extensionId}/presence";

    private final PresenceService presence;
    private final Directory directory;
    private final Access access;
    private final Requests requests;
    private final BaseUrl baseUrl;

    public PresenceApi(PresenceService presence, Directory directory, Requests requests, BaseUrl baseUrl) {
        this.presence = presence;
        this.directory = directory;
        this.access = new Access(directory);
        this.requests = requests;
        this.baseUrl = baseUrl;
    }

    /** Adds the presence endpoints. */
    public void register(ApiRoutes routes) {
        routes.secured(Method.GET, EXTENSION_PRESENCE, RateGroup.Light, this::get);
        routes.secured(Method.PUT, EXTENSION_PRESENCE, RateGroup.Medium, this::put);
        routes.secured(Method.GET, "/restapi/v1.0/account/{accountId}/presence", RateGroup.Heavy, this::account);
    }

    private static boolean visible(Caller caller, Extension e, PresenceState s) {
        return s.allowSeeMyPresence() || caller.isAdmin() || caller.extensionId() == e.id();
    }

    private ObjectNode view(Caller caller, ServerRequest req, Extension e) {
        PresenceState s = presence.get(e);
        ObjectNode node = PresenceJson.render(baseUrl.of(req), e, s, visible(caller, e, s));
        if (Requests.flag(req, "detailedTelephonyState") && visible(caller, e, s)) {
            boolean sipData = Requests.flag(req, "sipData");
            var calls = node.putArray("activeCalls");
            s.sources().calls().forEach(c -> Notifications.activeCall(calls.addObject(), c, sipData));
        }
        return node;
    }

    private void get(Caller caller, ServerRequest req, ServerResponse res) {
        Access.require(caller, Permission.ReadPresence);
        access.account(caller, req.path().pathParameters().get("accountId"), Permission.ReadPresence);
        String ids = req.path().pathParameters().get("extensionId");
        // Flags are checked once for the whole request, batch or not.
        Requests.flag(req, "detailedTelephonyState");
        Requests.flag(req, "sipData");
        if (!ids.contains(",")) {
            Responses.ok(res, view(caller, req, access.extension(caller, ids, Permission.ReadPresence)));
            return;
        }
        batch(req, res, caller.accountId(), ids,
                id -> view(caller, req, access.extension(caller, id, Permission.ReadPresence)));
    }

    private void put(Caller caller, ServerRequest req, ServerResponse res) {
        Access.require(caller, Permission.EditPresence);
        access.account(caller, req.path().pathParameters().get("accountId"), Permission.EditPresence);
        String ids = req.path().pathParameters().get("extensionId");
        if (ids.contains(",")) {
            throw ApiException.of(400, "CMN-106", "Batch update of presence is not supported; update one extension"
                    + " per request");
        }
        Extension target = access.extension(caller, ids, Permission.EditPresence);
        if (!caller.isAdmin() && caller.extensionId() != target.id()) {
            throw Access.forbidden(Permission.EditPresence);
        }
        PresenceUpdate update = parseUpdate(requests.jsonObject(req));
        PresenceState after = presence.update(target, update);
        Responses.ok(res, PresenceJson.render(baseUrl.of(req), target, after, true));
    }

    /** Parses a PUT body: known fields type-checked, enum values checked, unknown fields ignored. */
    static PresenceUpdate parseUpdate(JsonNode body) {
        return new PresenceUpdate(
                enumField(body, "userStatus", UserStatus::valueOf),
                enumField(body, "dndStatus", DndStatus::valueOf),
                textField(body, "message"),
                boolField(body, "allowSeeMyPresence"),
                boolField(body, "ringOnMonitoredCall"),
                boolField(body, "pickUpCallsOnHold"));
    }

    private static Optional<String> textField(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiException.invalidParameter(name, v.isValueNode() ? v.asText() : v.toString());
        }
        return Optional.of(v.textValue());
    }

    private static <E extends Enum<E>> Optional<E> enumField(JsonNode body, String name, Function<String, E> parse) {
        return textField(body, name).map(value -> {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter(name, value);
            }
        });
    }

    private static Optional<Boolean> boolField(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw ApiException.invalidParameter(name, v.isValueNode() ? v.asText() : v.toString());
        }
        return Optional.of(v.booleanValue());
    }

    private void account(Caller caller, ServerRequest req, ServerResponse res) {
        Access.require(caller, Permission.ReadPresence);
        long accountId = access.account(caller, req.path().pathParameters().get("accountId"), Permission.ReadPresence);
        String extra = Requests.flag(req, "detailedTelephonyState") ? "&detailedTelephonyState=true" : "";
        Requests.flag(req, "sipData");
        List<Extension> all = directory.extensionsOf(accountId);
        Page page = Page.of(req, all.size());
        String self = baseUrl.of(req) + "/restapi/v1.0/account/" + accountId + "/presence?perPage=" + page.perPage()
                + extra + "&page=";
        ObjectNode body = Json.object();
        body.put("uri", self + page.page());
        ArrayNode records = body.putArray("records");
        for (int i = page.from(); i < page.to(); i++) {
            records.add(view(caller, req, all.get(i)));
        }
        page.describe(body, n -> self + n);
        Responses.ok(res, body);
    }

    /** A RingCentral batch answer: 207 multipart/mixed, a status manifest first, then one part per id. */
    private void batch(ServerRequest req, ServerResponse res, long accountId, String ids,
                       Function<String, ObjectNode> one) {
        List<String> list = Arrays.stream(ids.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.size() > MAX_BATCH) {
            throw ApiException.coded(400, "InvalidMultipartRequest", "CMN-106",
                    "Extension Presence Info multipart request is limited to " + MAX_BATCH + " extensions");
        }
        ObjectNode manifest = Json.object();
        ArrayNode statuses = manifest.putArray("response");
        List<ObjectNode> parts = new ArrayList<>();
        for (String id : list) {
            ObjectNode status = statuses.addObject();
            ObjectNode part;
            try {
                part = one.apply(id);
                status.put("href", part.get("uri").asText());
                status.put("status", 200);
                status.put("responseDescription", "OK");
            } catch (ApiException e) {
                part = Responses.errorBody(e);
                status.put("href", baseUrl.of(req) + "/restapi/v1.0/account/" + accountId + "/extension/" + id
                        + "/presence");
                status.put("status", e.status());
                status.put("responseDescription", Status.create(e.status()).reasonPhrase());
            }
            parts.add(part);
        }
        String boundary = "Boundary_" + Long.toHexString(System.nanoTime());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writePart(out, boundary, manifest);
        parts.forEach(p -> writePart(out, boundary, p));
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        res.status(Status.MULTI_STATUS_207);
        res.header(HeaderNames.CONTENT_TYPE, "multipart/mixed; boundary=" + boundary);
        res.send(out.toByteArray());
    }

    private static void writePart(ByteArrayOutputStream out, String boundary, ObjectNode json) {
        out.writeBytes(("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(Json.bytes(json));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
