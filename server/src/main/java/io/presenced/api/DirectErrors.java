package io.presenced.api;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.DirectHandlers;
import io.presenced.ApiException;

/**
 * RingCentral-shaped bodies for what the web server refuses before any route runs: a request it
 * cannot parse, a body over its hard limit, an internal failure.
 */
public final class DirectErrors {
    private DirectErrors() {
    }

    /** The server's direct handlers: the body follows the status Helidon chose. */
    public static DirectHandlers handlers(long maxBodyBytes) {
        byte[] badRequest = body(ApiException.of(400, "CMN-104", "Cannot parse request"));
        byte[] tooLarge = body(ApiException.of(413, "CMN-413",
                "Request body is too large: the limit is " + maxBodyBytes + " bytes"));
        byte[] internal = body(ApiException.of(500, "CMN-203", "Internal Server Error"));
        DirectHandler handler = (request, eventType, status, headers, message) -> {
            int code = status.code();
            byte[] body = switch (code) {
                case 400 -> badRequest;
                case 413 -> tooLarge;
                default -> code >= 500 ? internal
                        : body(ApiException.of(code, "CMN-" + code, status.reasonPhrase()));
            };
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(HeaderNames.CONTENT_TYPE, Responses.JSON_UTF8)
                    .keepAlive(eventType.keepAlive())
                    .entity(body)
                    .build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private static byte[] body(ApiException error) {
        return Json.bytes(Responses.errorBody(error));
    }
}
