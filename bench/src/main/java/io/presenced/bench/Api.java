package io.presenced.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.admin.DemoAccount;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The few REST calls the benchmarks make, over one HTTP/1.1 client. */
final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
    final String base;

    Api(String base) {
        this.base = base;
    }

    String login(DemoAccount.Credentials c, String jwt) throws IOException, InterruptedException {
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + jwt;
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/restapi/oauth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (c.clientId() + ":" + c.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        JsonNode node = JSON.readTree(client.send(req, HttpResponse.BodyHandlers.ofString()).body());
        return node.get("access_token").asText();
    }

    int putPresence(String token, long extensionId, String json) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/restapi/v1.0/account/~/extension/" + extensionId
                        + "/presence"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        return client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    void subscribe(String token, String filter, String address) throws IOException, InterruptedException {
        String body = "{\"eventFilters\":[\"" + filter + "\"],\"deliveryMode\":{\"transportType\":\"WebHook\","
                + "\"address\":\"" + address + "\"}}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/restapi/v1.0/subscription"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("subscription refused: " + res.body());
        }
    }
}
