package io.presenced.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test receiver itself does what its documentation says, so that delivery tests can trust it. */
class WebhookReceiverTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private WebhookReceiver receiver;

    @BeforeEach
    void start() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private HttpResponse<String> post(String path, String header, String value, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(receiver.url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            b.header(header, value);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String NOTIFICATION = "{\"uuid\":\"u-1\",\"event\":\"/restapi/v1.0/account/~/extension/7/presence\","
            + "\"subscriptionId\":\"s-1\",\"body\":{\"extensionId\":\"7\",\"sequence\":3}}";

    @Test
    void echoesValidationTokenUnlessToldNotTo() throws Exception {
        HttpResponse<String> r = post("/v", "Validation-Token", "tok-1", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Validation-Token")).hasValue("tok-1");

        receiver.echoValidationToken(false).respondToValidationsWith(500);
        HttpResponse<String> refused = post("/v", "Validation-Token", "tok-2", "");
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.headers().firstValue("Validation-Token")).isEmpty();
        assertThat(receiver.validations()).extracting(WebhookReceiver.Validation::token).containsExactly("tok-1", "tok-2");
        assertThat(receiver.notifications()).isEmpty();
    }

    @Test
    void recordsNotificationsInOrderWithParsedBodies() throws Exception {
        post("/a", "Verification-Token", "vt", NOTIFICATION);
        post("/b", null, null, "not json");
        var all = receiver.awaitCount(2, Duration.ofSeconds(2));
        assertThat(all.get(0).header("verification-token")).isEqualTo("vt");
        assertThat(all.get(0).subscriptionId()).isEqualTo("s-1");
        assertThat(all.get(0).extensionId()).isEqualTo("7");
        assertThat(all.get(0).path()).isEqualTo("/a");
        assertThat(all.get(1).json()).isNull();
        assertThat(all.get(1).text()).isEqualTo("not json");
        assertThat(receiver.bodiesFor("7")).singleElement().satisfies(b -> assertThat(b.get("sequence").asInt()).isEqualTo(3));
        assertThat(receiver.forSubscription("s-1")).hasSize(1);
        assertThat(receiver.onPath("/b")).hasSize(1);
    }

    @Test
    void answersConfiguredStatusWithRetryAfterAndScriptedFailures() throws Exception {
        receiver.respondToNotificationsWith(503, "7");
        HttpResponse<String> r = post("/n", null, null, NOTIFICATION);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");

        receiver.reset().failNextNotifications(2, 410, null);
        assertThat(post("/n", null, null, NOTIFICATION).statusCode()).isEqualTo(410);
        assertThat(post("/n", null, null, NOTIFICATION).statusCode()).isEqualTo(410);
        assertThat(post("/n", null, null, NOTIFICATION).statusCode()).isEqualTo(200);
        assertThat(receiver.notifications()).extracting(WebhookReceiver.Notification::answeredStatus)
                .containsExactly(503, 410, 410, 200);
        assertThat(receiver.accepted()).hasSize(1);
    }

    @Test
    void delaysAnswersWhenSlow() throws Exception {
        receiver.delay(Duration.ofMillis(400));
        long start = System.nanoTime();
        post("/slow", null, null, NOTIFICATION);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void stopsAndRestartsOnTheSamePort() throws Exception {
        int port = receiver.port();
        receiver.stop();
        assertThatThrownBy(() -> post("/x", null, null, NOTIFICATION)).isInstanceOf(IOException.class);
        receiver.restart();
        assertThat(receiver.port()).isEqualTo(port);
        assertThat(post("/x", null, null, NOTIFICATION).statusCode()).isEqualTo(200);
    }

    @Test
    void signsLikeTheStandardWebhooksReferenceExample() {
        // The example of the Standard Webhooks specification (and Svix's documentation).
        assertThat(WebhookReceiver.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "1614265330", "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifiesStandardWebhooksSignatures() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(
                StandardCharsets.UTF_8));
        String sig = WebhookReceiver.sign(secret, "msg-1", "1700000000", NOTIFICATION.getBytes(StandardCharsets.UTF_8));
        client.send(HttpRequest.newBuilder(URI.create(receiver.url())).header("webhook-id", "msg-1")
                .header("webhook-timestamp", "1700000000").header("webhook-signature", "v0,zzz v1," + sig)
                .POST(HttpRequest.BodyPublishers.ofString(NOTIFICATION)).build(), HttpResponse.BodyHandlers.ofString());
        WebhookReceiver.Notification n = receiver.awaitCount(1, Duration.ofSeconds(2)).getFirst();
        assertThat(n.signatureVerifies(secret)).isTrue();
        assertThat(n.signatureVerifies("whsec_" + Base64.getEncoder().encodeToString(new byte[32]))).isFalse();
    }
}
