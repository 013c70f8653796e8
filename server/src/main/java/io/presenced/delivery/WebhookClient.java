package io.presenced.delivery;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.presenced.ApiException;
import io.presenced.PresencedException;
import io.presenced.auth.Secrets;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.WebhookGate;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The WebHook transport: the Validation-Token handshake, and signed deliveries over keep-alive
 * connections with a bounded number in flight per endpoint. A failed delivery is an {@link Outcome}.
 */
public final class WebhookClient implements WebhookGate, Transport {
    static final HeaderName VALIDATION_TOKEN = HeaderNames.create("Validation-Token");
    static final HeaderName VERIFICATION_TOKEN = HeaderNames.create("Verification-Token");
    static final HeaderName WEBHOOK_ID = HeaderNames.create("webhook-id");
    static final HeaderName WEBHOOK_TIMESTAMP = HeaderNames.create("webhook-timestamp");
    static final HeaderName WEBHOOK_SIGNATURE = HeaderNames.create("webhook-signature");

    private static final Header CONTENT_TYPE_JSON = HeaderValues.createCached(
            HeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");

    private final DeliverySettings settings;
    private final AddressPolicy addresses;
    /** Built on a thread of its own at start, as building it takes a good part of a second. */
    private final CompletableFuture<WebClient> client;
    private final Header userAgent;
    private final Clock clock;
    private final Map<String, Semaphore> endpoints = new ConcurrentHashMap<>();

    public WebhookClient(DeliverySettings settings, String version, Clock clock) {
        this.settings = settings;
        this.addresses = new AddressPolicy(settings.allow(), settings.deny());
        this.client = CompletableFuture.supplyAsync(() -> WebClient.builder()
                // No Nagle: a request's headers and body must not wait for the receiver's delayed ACK.
                .socketOptions(SocketOptions.builder()
                        .tcpNoDelay(true)
                        .connectTimeout(settings.validationTimeout())
                        .readTimeout(settings.requestTimeout())
                        .build())
                .keepAlive(true)
                // A notification is small: no Expect: 100-continue round trip before its body.
                .sendExpectContinue(false)
                .followRedirects(false)
                .build(),
                runnable -> Thread.ofVirtual().name("webhook-client").start(runnable));
        this.userAgent = HeaderValues.createCached(HeaderNames.USER_AGENT, "Presenced-Webhook/" + version);
        this.clock = clock;
    }

    @Override
    public void checkAddress(String address) {
        addresses.check(address);
    }

    /**
     * Runs the Validation-Token handshake, all of it (connecting, sending, the answer) within the validation
     * timeout: a receiver that connects but answers slowly fails as one that never answers.
     */
    @Override
    public void validate(String address) {
        var handshake = new FutureTask<Void>(() -> {
            handshake(address);
            return null;
        });
        Thread thread = Thread.ofVirtual().name("webhook-validation").start(handshake);
        try {
            handshake.get(settings.validationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw validationFailed("SUB-525", address, "it did not answer within "
                    + settings.validationTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw validationFailed("SUB-525", address, unreachable(e.getCause()));
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw validationFailed("SUB-525", address, "the validation was interrupted");
        }
    }

    private void handshake(String address) {
        String token = Secrets.random(24);
        try (HttpClientResponse res = client.join().post(address)
                .readTimeout(settings.validationTimeout())
                .header(VALIDATION_TOKEN, token)
                .header(userAgent)
                .submit(new byte[0])) {
            int status = res.status().code();
            if (status < 200 || status > 299) {
                throw validationFailed("SUB-525", address, "it answered " + status);
            }
            if (!res.headers().first(VALIDATION_TOKEN).map(token::equals).orElse(false)) {
                throw validationFailed("SUB-520", address, "it did not return the Validation-Token header");
            }
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw validationFailed("SUB-525", address, unreachable(e));
        }
    }

    /** Why an endpoint could not be reached, in words for the caller. */
    private String unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "the connection was refused";
            }
            if (t instanceof UnknownHostException) {
                return "its host does not resolve";
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return "it did not answer within " + settings.validationTimeout().toMillis() + " ms";
            }
        }
        return "it could not be reached";
    }

    private static ApiException validationFailed(String code, String address, String why) {
        return ApiException.parameter(400, code, "WebHook validation failed for " + address + ": " + why,
                "deliveryMode.address", address);
    }

    /** Delivers one notification, waiting for a free slot of its endpoint first. */
    @Override
    public Outcome send(Subscription s, Envelope notification) throws InterruptedException {
        String uuid = notification.uuid();
        byte[] envelope = notification.bytes();
        Checked target;
        try {
            target = checked(s.deliveryMode().address());
        } catch (ApiException refused) {
            return new Outcome.Retry("the address is not allowed now: " + refused.getMessage(), Optional.empty());
        }
        target.slots().acquire();
        try {
            String timestamp = String.valueOf(clock.instant().getEpochSecond());
            var request = client.join().post().uri(target.clientUri())
                    .header(CONTENT_TYPE_JSON)
                    .header(userAgent)
                    .header(WEBHOOK_ID, uuid)
                    .header(WEBHOOK_TIMESTAMP, timestamp)
                    .header(WEBHOOK_SIGNATURE, "v1," + sign(s.signingSecret(), uuid, timestamp, envelope));
            s.deliveryMode().verificationToken().ifPresent(t -> request.header(VERIFICATION_TOKEN, t));
            try (HttpClientResponse res = request.submit(envelope)) {
                int status = res.status().code();
                if (status >= 200 && status <= 299) {
                    return new Outcome.Delivered(status);
                }
                if (status == 410) {
                    return new Outcome.Gone("the endpoint answered 410 Gone");
                }
                return new Outcome.Retry("the endpoint answered " + status,
                        res.headers().first(HeaderNames.RETRY_AFTER).flatMap(this::retryAfter));
            }
        } catch (RuntimeException e) {
            return new Outcome.Retry("the endpoint could not be reached: " + unreachable(e), Optional.empty());
        } finally {
            target.slots().release();
        }
    }

    /**
     * An address checked less than {@link #RECHECK} ago, parsed for the client once, with the in-flight slots of
     * its endpoint (scheme, host and port).
     */
    private record Checked(ClientUri clientUri, Semaphore slots, long atNanos) {
    }

    private static final long RECHECK = Duration.ofSeconds(5).toNanos();
    private static final int MAX_CHECKED = 100_000;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();

    /**
     * The address, checked against the address policy again every few seconds while it is used: a name may
     * resolve elsewhere now than when the subscription was validated.
     */
    private Checked checked(String address) {
        long now = System.nanoTime();
        Checked last = checked.get(address);
        if (last != null && now - last.atNanos() < RECHECK) {
            return last;
        }
        try {
            URI uri = addresses.check(address);
            Semaphore slots = endpoints.computeIfAbsent(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort(),
                    k -> new Semaphore(settings.concurrencyPerEndpoint(), true));
            if (checked.size() > MAX_CHECKED) {
                // Addresses of subscriptions long gone; the ones in use are checked again at their next delivery.
                checked.clear();
            }
            Checked fresh = new Checked(last != null ? last.clientUri() : ClientUri.create(uri),
                    slots, now);
            checked.put(address, fresh);
            return fresh;
        } catch (ApiException refused) {
            checked.remove(address);
            throw refused;
        }
    }

    private Optional<Duration> retryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException unparsable) {
                return Optional.empty();
            }
        }
    }

    /** A MAC keyed for one signing secret, kept by the thread that signs with it (a delivery lane). */
    private record Keyed(String secret, Mac mac) {
    }

    private static final ThreadLocal<Keyed> KEYED = new ThreadLocal<>();

    /** The Standard Webhooks signature: base64 HMAC-SHA256 of {@code id.timestamp.body} with the secret's key. */
    static String sign(String secret, String id, String timestamp, byte[] body) {
        try {
            Keyed keyed = KEYED.get();
            if (keyed == null || !keyed.secret().equals(secret)) {
                byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                keyed = new Keyed(secret, mac);
                KEYED.set(keyed);
            }
            Mac mac = keyed.mac();
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new PresencedException("HmacSHA256 is not available", e);
        }
    }
}
