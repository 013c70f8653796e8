package io.presenced.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.presenced.testing.DemoApi;
import io.presenced.testing.Http;
import io.presenced.testing.TestHostNames;
import io.presenced.testing.TestServer;
import io.presenced.testing.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which WebHook addresses a subscription may use (SPEC §7.1), against a real server: link-local and cloud
 * metadata addresses are refused whatever the configuration, as literals and behind host names; the
 * configured deny and allow lists decide the rest. A refused address is refused with 400 {@code SUB-521}
 * before any request reaches it, and nothing is created or changed.
 */
class WebhookAddressPolicyTest {
    private static final String LINK_LOCAL_NAME = "hook.link-local.presenced.test";
    private static final String LINK_LOCAL_V6_NAME = "hook6.link-local.presenced.test";
    /** A name with one harmless address and one metadata address, as a DNS answer might carry. */
    private static final String MIXED_NAME = "mixed.presenced.test";
    /** Cloud metadata service names and the addresses they resolve to inside their clouds. */
    private static final List<String[]> METADATA_NAMES = List.of(
            new String[] {"metadata.google.internal", "169.254.169.254"},
            new String[] {"instance-data.ec2.internal", "169.254.169.254"},
            new String[] {"metadata.tencentyun.com", "169.254.0.23"});

    private final List<TestServer> servers = new ArrayList<>();
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeAll
    static void names() {
        TestHostNames.map(LINK_LOCAL_NAME, "169.254.10.20");
        TestHostNames.map(LINK_LOCAL_V6_NAME, "fe80::1234");
        TestHostNames.map(MIXED_NAME, "127.0.0.1", "169.254.169.254");
        METADATA_NAMES.forEach(n -> TestHostNames.map(n[0], n[1]));
    }

    @AfterEach
    void stop() {
        receivers.forEach(WebhookReceiver::close);
        servers.forEach(TestServer::close);
    }

    @Test
    void linkLocalAndMetadataAddressLiteralsAreRefusedWithSub521() {
        DemoApi api = api(DeliverySettings.defaults());
        WebhookReceiver receiver = receiver();
        for (String address : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "https://169.254.169.254/",
                "http://169.254.0.1:" + receiver.port() + "/hook",
                "http://[fe80::1]/hook",
                "http://[fe80::1]:" + receiver.port() + "/hook",
                // IPv4-mapped IPv6 spelling of the metadata address.
                "http://[::ffff:169.254.169.254]/",
                // Alibaba Cloud's and AWS's IPv6 metadata addresses, outside 169.254/16 and fe80::/10.
                "http://100.100.100.200/latest/meta-data/",
                "http://[fd00:ec2::254]/latest/meta-data/")) {
            assertRefused(api.create(DemoApi.request(address, DemoApi.ACCOUNT_FILTER)), address);
        }
        assertThat(api.subscriptionIds()).as("subscriptions after the refused creates").isEmpty();
        assertThat(receiver.validations()).as("requests that reached the receiver").isEmpty();
    }

    @Test
    void hostNamesResolvingToLinkLocalOrMetadataAddressesAreRefusedWithSub521() {
        assumeThat(TestHostNames.active(LINK_LOCAL_NAME))
                .as("the test resolver (META-INF/services) makes %s resolve to 169.254.10.20", LINK_LOCAL_NAME)
                .isTrue();
        DemoApi api = api(DeliverySettings.defaults());
        WebhookReceiver receiver = receiver();
        List<String> addresses = new ArrayList<>(List.of(
                "http://" + LINK_LOCAL_NAME + ":" + receiver.port() + "/hook",
                "http://" + LINK_LOCAL_V6_NAME + "/hook",
                // If only the first address were checked, this one would pass and its handshake would succeed.
                "http://" + MIXED_NAME + ":" + receiver.port() + "/hook"));
        METADATA_NAMES.forEach(n -> addresses.add("http://" + n[0] + "/computeMetadata/v1/"));
        for (String address : addresses) {
            assertRefused(api.create(DemoApi.request(address, DemoApi.ACCOUNT_FILTER)), address);
        }
        assertThat(api.subscriptionIds()).as("subscriptions after the refused creates").isEmpty();
        assertThat(receiver.validations()).as("requests that reached the receiver behind %s", MIXED_NAME).isEmpty();
    }

    @Test
    void denyListRefusesLoopbackReceiversWithSub521() {
        DemoApi api = api(DeliverySettings.defaults().withAddresses(List.of(), List.of("127.0.0.0/8")));
        WebhookReceiver receiver = receiver();

        assertRefused(api.create(DemoApi.request(receiver.url(), DemoApi.ACCOUNT_FILTER)), receiver.url());

        assertThat(receiver.validations()).as("handshakes sent to a denied address").isEmpty();
        assertThat(api.subscriptionIds()).as("subscriptions after the refused create").isEmpty();
    }

    @Test
    void allowListContainingLoopbackAcceptsLoopbackReceiversAndRefusesTheRest() {
        // 169.254/16 in the allow list does not make metadata addresses usable; the deny list wins over it.
        DemoApi api = api(DeliverySettings.defaults().withAddresses(List.of("127.0.0.0/8", "169.254.0.0/16"),
                List.of("127.0.0.2/32")));
        WebhookReceiver receiver = receiver();

        JsonNode created = api.subscribe(receiver.url(), DemoApi.ACCOUNT_FILTER);
        assertThat(created.path("status").asText()).isEqualTo("Active");
        assertThat(receiver.validations()).as("handshakes at the allowed receiver").hasSize(1);
        api.flip(api.user(0), 1);
        receiver.awaitForSubscription(created.path("id").asText(), 1, Duration.ofSeconds(10));

        for (String address : List.of(
                "http://192.0.2.10/hook",                               // outside the allow list
                "http://127.0.0.2:" + receiver.port() + "/hook",        // allowed, but denied
                "http://169.254.169.254/latest/meta-data/")) {          // allowed, but never usable
            assertRefused(api.create(DemoApi.request(address, DemoApi.ACCOUNT_FILTER)), address);
        }
        assertThat(api.subscriptionIds()).as("subscriptions").containsExactly(created.path("id").asText());
    }

    @Test
    void addressOutsideANonEmptyAllowListIsRefusedWithSub521() {
        DemoApi api = api(DeliverySettings.defaults().withAddresses(List.of("10.0.0.0/8"), List.of()));
        WebhookReceiver receiver = receiver();

        assertRefused(api.create(DemoApi.request(receiver.url(), DemoApi.ACCOUNT_FILTER)), receiver.url());

        assertThat(receiver.validations()).as("handshakes sent to an address outside the allow list").isEmpty();
        assertThat(api.subscriptionIds()).as("subscriptions after the refused create").isEmpty();
    }

    @Test
    void putToADeniedAddressIsRefusedAndTheSubscriptionKeepsDeliveringToItsOldAddress() {
        DemoApi api = api(DeliverySettings.defaults().withAddresses(List.of(), List.of("127.0.0.2/32")));
        WebhookReceiver receiver = receiver();
        JsonNode created = api.subscribe(receiver.url(), DemoApi.ACCOUNT_FILTER);
        String id = created.path("id").asText();
        String path = DemoApi.SUBSCRIPTION + "/" + id;

        for (String address : List.of("http://127.0.0.2:" + receiver.port() + "/hook",
                "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook")) {
            JsonNode body = DemoApi.request(address, DemoApi.ACCOUNT_FILTER);
            assertRefused(api.call("PUT", path, body.toString()), "PUT " + address);
            JsonNode after = api.subscription(id);
            assertThat(after.path("deliveryMode").path("address").asText())
                    .as("address after the refused PUT to %s", address).isEqualTo(receiver.url());
            assertThat(after.path("status").asText()).isEqualTo("Active");
        }
        assertThat(receiver.validations()).as("handshakes: only the one of the create").hasSize(1);

        api.flip(api.user(1), 2);
        List<WebhookReceiver.Notification> got = receiver.awaitForSubscription(id, 2, Duration.ofSeconds(10));
        assertThat(got).as("notifications at the old address").allMatch(WebhookReceiver.Notification::accepted);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private DemoApi api(DeliverySettings delivery) {
        TestServer server = TestServer.start(c -> c.withDelivery(delivery));
        servers.add(server);
        return DemoApi.asAdmin(server);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver r = WebhookReceiver.start();
        receivers.add(r);
        return r;
    }

    private static void assertRefused(Http.Reply r, String what) {
        String body = r.raw().body();
        System.out.printf("WebhookAddressPolicyTest: %s -> %d %s%n", what, r.status(), r.json().path("message").asText());
        assertThat(r.status()).as("status for %s: %s", what, body).isEqualTo(400);
        assertThat(r.json().path("errorCode").asText()).as("errorCode for %s: %s", what, body).isEqualTo("SUB-521");
        assertThat(r.json().at("/errors/0/errorCode").asText()).as("errors[0].errorCode for %s", what)
                .isEqualTo("SUB-521");
        assertThat(r.json().at("/errors/0/parameterName").asText()).as("errors[0].parameterName for %s", what)
                .isEqualTo("deliveryMode.address");
    }
}
