package io.presenced.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.PresencedException;
import io.presenced.admin.DemoAccount;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;

/** The REST calls the benchmarks make, over one HTTP/1.1 client whose connections are shared by all callers. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final String base;

    public Api(String base) {
        this.base = base;
    }

    /** A WebSocket token: where to connect and with what. */
    public record WsToken(String uri, String token) {
    }

    /** An answer: its status and body. */
    public record Answer(int status, byte[] body) {
    }

    /** An access token for {@code jwt}, through the JWT bearer grant of the demo app. */
    public String login(DemoAccount.Credentials c, String jwt) throws IOException, InterruptedException {
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + jwt;
        HttpResponse<String> res = client.send(request("/restapi/oauth/token")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (c.clientId() + ":" + c.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return field(res, "access_token");
    }

    /** A WebSocket token for the session of {@code accessToken}. */
    public WsToken wsToken(String accessToken) throws IOException, InterruptedException {
        HttpResponse<String> res = client.send(request("/restapi/oauth/wstoken")
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return new WsToken(field(res, "uri"), field(res, "ws_access_token"));
    }

    /** {@code PUT …/extension/{id}/presence} with {@code json}. */
    public Answer putPresence(String accessToken, long extensionId, byte[] json) throws IOException,
            InterruptedException {
        return send(request("/restapi/v1.0/account/~/extension/" + extensionId + "/presence")
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json)).build());
    }

    /** {@code POST /ingest/v1/telephony} with a JSON array of items. */
    public Answer ingestTelephony(String accessToken, byte[] items) throws IOException, InterruptedException {
        return send(request("/ingest/v1/telephony")
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(items)).build());
    }

    /** Creates a WebHook subscription to {@code filter} delivered to {@code address}. */
    public void subscribeWebhook(String accessToken, String filter, String address) throws IOException,
            InterruptedException {
        String body = "{\"eventFilters\":[\"" + filter + "\"],\"deliveryMode\":{\"transportType\":\"WebHook\","
                + "\"address\":\"" + address + "\"}}";
        HttpResponse<String> res = client.send(request("/restapi/v1.0/subscription")
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new PresencedException("the WebHook subscription to " + address + " was refused with "
                    + res.statusCode() + ": " + res.body());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(res.statusCode(), res.body());
    }

    private static String field(HttpResponse<String> res, String name) throws IOException {
        JsonNode node = JSON.readTree(res.body()).get(name);
        if (res.statusCode() != 200 || node == null) {
            throw new PresencedException("expected 200 with " + name + " from " + res.uri() + ", got "
                    + res.statusCode() + ": " + res.body());
        }
        return node.asText();
    }
}
