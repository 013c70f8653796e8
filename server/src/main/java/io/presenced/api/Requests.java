package io.presenced.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.presenced.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads request bodies within the size limit and parses them, refusing bad input with a RingCentral error. */
public final class Requests {
    /** One JSON value and nothing after it. */
    private static final ObjectReader STRICT = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final long maxBodyBytes;

    public Requests(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The raw body, refused with 413 if it is larger than the limit. */
    public byte[] body(ServerRequest req) {
        Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
        if (declared.isPresent() && declared.get() > maxBodyBytes) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiException tooLarge() {
        return ApiException.of(413, "CMN-413", "Request body is too large: the limit is " + maxBodyBytes + " bytes");
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public JsonNode jsonObject(ServerRequest req) {
        JsonNode node = json(req).orElseGet(Json::object);
        if (!node.isObject()) {
            throw ApiException.of(400, "CMN-103", "JSON can't be parsed: expected an object, got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    /** The body as one JSON value of any kind (nothing may follow it); empty for an empty body. */
    public Optional<JsonNode> json(ServerRequest req) {
        byte[] body = body(req);
        if (body.length == 0) {
            return Optional.empty();
        }
        req.headers().contentType().ifPresent(type -> {
            String subtype = type.mediaType().subtype();
            if (!subtype.equals("json") && !subtype.endsWith("+json")) {
                throw ApiException.of(415, "CMN-415", "Unsupported Content-Type [" + type.mediaType().text()
                        + "]; expected application/json");
            }
        });
        try {
            return Optional.ofNullable(STRICT.readValue(body));
        } catch (JsonProcessingException e) {
            throw ApiException.of(400, "CMN-103", "JSON can't be parsed: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body as an {@code application/x-www-form-urlencoded} form, merged over the query parameters. */
    public Map<String, String> form(ServerRequest req) {
        Map<String, String> form = new LinkedHashMap<>();
        req.query().names().forEach(name -> form.put(name, req.query().first(name).orElse("")));
        byte[] body = body(req);
        if (body.length > 0) {
            req.headers().contentType().ifPresent(type -> {
                if (!type.mediaType().subtype().equals("x-www-form-urlencoded")) {
                    throw ApiException.oauth(415, "invalid_request", "OAU-415", "Unsupported Content-Type ["
                            + type.mediaType().text() + "]; expected application/x-www-form-urlencoded");
                }
            });
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                form.put(name, value);
            }
        }
        return form;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.oauth(400, "invalid_request", "OAU-101", "The form body is not URL-encoded: " + s);
        }
    }

    /** An optional positive integer query parameter. */
    public static Optional<Integer> positiveInt(ServerRequest req, String name) {
        Optional<String> raw = req.query().first(name).asOptional();
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.get().trim());
            if (value < 1) {
                throw ApiException.invalidParameter(name, raw.get());
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(name, raw.get());
        }
    }

    /** An optional boolean query parameter ({@code true} or {@code false}). */
    public static boolean flag(ServerRequest req, String name) {
        Optional<String> raw = req.query().first(name).asOptional();
        if (raw.isEmpty()) {
            return false;
        }
        return switch (raw.get().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw ApiException.invalidParameter(name, raw.get());
        };
    }

    /** The header value, if present. */
    public static Optional<String> header(ServerRequest req, String name) {
        return req.headers().first(HeaderNames.create(name));
    }
}
