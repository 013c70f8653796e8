package io.presenced.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.presenced.PresencedException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The simulator's view of a server: an admin session, the ingest batches and presence updates. */
final class SimClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private String token;

    SimClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private final Map<Long, String> userTokens = new HashMap<>();

    /** Logs a user in too, so that its own status changes are made with its own token (and rate limits). */
    void loginUser(long extensionId, String clientId, String clientSecret, String jwt) {
        String admin = token;
        login(clientId, clientSecret, jwt);
        userTokens.put(extensionId, token);
        token = admin;
    }

    void login(String clientId, String clientSecret, String jwt) {
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + URLEncoder.encode(jwt, StandardCharsets.UTF_8);
        JsonNode body = send(HttpRequest.newBuilder(URI.create(base + "/restapi/oauth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), 200);
        token = body.get("access_token").asText();
    }

    /** The ids of the account's enabled User extensions, ascending. */
    List<Long> users() {
        List<Long> ids = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = send(authorized("/restapi/v1.0/account/~/extension?type=User&status=Enabled&perPage=1000&page="
                    + page).GET(), 200);
            body.get("records").forEach(r -> ids.add(r.get("id").asLong()));
            if (page >= body.get("paging").get("totalPages").asInt()) {
                return ids;
            }
        }
    }

    /** Posts a batch; returns how many items were rejected. */
    int ingest(String kind, ArrayNode items) {
        JsonNode body = send(authorized("/ingest/v1/" + kind).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(items.toString())), 200);
        return body.get("rejected").asInt();
    }

    /**
     * Sets an extension's presence, as that user when it is logged in, else as the admin. Empty when the server
     * is rate-limiting the caller: then the seconds to wait before trying again.
     */
    Optional<Long> putPresence(long extensionId, String json) {
        String bearer = userTokens.getOrDefault(extensionId, token);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/restapi/v1.0/account/~/extension/"
                        + extensionId + "/presence")).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 429) {
                return Optional.of(res.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
            }
            if (res.statusCode() != 200) {
                throw new PresencedException("the server answered " + res.statusCode() + ": " + res.body());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new PresencedException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PresencedException("interrupted", e);
        }
    }

    /** The account's presence records, all pages. */
    List<JsonNode> accountPresence() {
        List<JsonNode> records = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = send(authorized("/restapi/v1.0/account/~/presence?perPage=1000&page=" + page).GET(), 200);
            body.get("records").forEach(records::add);
            if (page >= body.get("paging").get("totalPages").asInt()) {
                return records;
            }
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> res = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != expected) {
                throw new PresencedException("the server answered " + res.statusCode() + ": " + res.body());
            }
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new PresencedException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PresencedException("interrupted", e);
        }
    }
}
