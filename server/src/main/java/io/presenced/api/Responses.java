package io.presenced.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.presenced.ApiException;

/** Writes JSON bodies and renders every {@link ApiException} as a RingCentral error body. */
public final class Responses {
    static final String JSON_UTF8 = "application/json; charset=UTF-8";

    private Responses() {
    }

    /** Sends {@code body} as JSON with the given status. */
    public static void json(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, JSON_UTF8);
        res.send(Json.bytes(body));
    }

    /** Sends {@code body} as JSON with status 200. */
    public static void ok(ServerResponse res, Object body) {
        json(res, 200, body);
    }

    /** The RingCentral error body of an exception (with the OAuth fields for OAuth errors). */
    public static ObjectNode errorBody(ApiException e) {
        ObjectNode body = Json.object();
        e.oauthError().ifPresent(error -> {
            body.put("error", error);
            body.put("error_description", e.getMessage());
        });
        body.put("errorCode", e.errorCode());
        body.put("message", e.getMessage());
        ArrayNode errors = body.putArray("errors");
        for (ApiException.Detail d : e.details()) {
            ObjectNode item = errors.addObject();
            item.put("errorCode", d.errorCode());
            item.put("message", d.message());
            d.parameterName().ifPresent(n -> item.put("parameterName", n));
            d.parameterValue().ifPresent(v -> item.put("parameterValue", v));
            e.permissionName().ifPresent(p -> item.put("permissionName", p));
        }
        e.permissionName().ifPresent(p -> body.put("permissionName", p));
        return body;
    }

    /** Sends the error, with its extra headers. */
    public static void error(ServerResponse res, ApiException e) {
        for (ApiException.Header h : e.headers()) {
            res.header(HeaderNames.create(h.name()), h.value());
        }
        json(res, e.status(), errorBody(e));
    }
}
