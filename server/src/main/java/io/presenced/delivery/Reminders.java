package io.presenced.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.SubscriptionIndex;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the expiry reminders of subscriptions holding {@code /restapi/v1.0/subscription/~?threshold=N&interval=M}:
 * once less than {@code threshold} seconds remain, then every {@code interval} seconds until it is renewed or
 * expires. Reminders are not events of the log: each is sent once, best effort, by {@link #tick()}.
 */
public final class Reminders {
    private static final System.Logger LOG = System.getLogger(Reminders.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sent(Instant at, Instant expiration) {
    }

    private final SubscriptionIndex index;
    private final WebhookClient transport;
    private final Clock clock;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    public Reminders(SubscriptionIndex index, WebhookClient transport, Clock clock) {
        this.index = index;
        this.transport = transport;
        this.clock = clock;
    }

    /** Sends every reminder that is due now. */
    public void tick() {
        Instant now = clock.instant();
        sent.keySet().removeIf(id -> index.get(id).isEmpty());
        for (Subscription s : index.all()) {
            if (s.expiredAt(now) || s.status() != Subscription.Status.Active
                    || s.deliveryMode().transportType() != DeliveryMode.TransportType.WebHook) {
                continue;
            }
            for (EventFilter f : s.filters()) {
                if (f instanceof EventFilter.ExpiryReminder r && due(s, r, now)) {
                    send(s, r, now);
                }
            }
        }
    }

    private boolean due(Subscription s, EventFilter.ExpiryReminder r, Instant now) {
        if (Duration.between(now, s.expirationTime()).toSeconds() > r.threshold()) {
            return false;
        }
        Sent last = sent.get(s.id());
        return last == null || !last.expiration().equals(s.expirationTime())
                || !now.isBefore(last.at().plusSeconds(r.interval()));
    }

    private void send(Subscription s, EventFilter.ExpiryReminder r, Instant now) {
        sent.put(s.id(), new Sent(now, s.expirationTime()));
        ObjectNode body = JSON.createObjectNode();
        body.put("id", s.id());
        body.put("expirationTime", Notifications.timestamp(s.expirationTime()));
        body.put("expiresIn", Math.max(0, Duration.between(now, s.expirationTime()).toSeconds()));
        Envelope envelope = Notifications.envelope(s, r.text(), now, body.toString().getBytes(StandardCharsets.UTF_8));
        // Sent on a thread of its own, so that a slow endpoint never holds up the housekeeping that called.
        Thread.ofVirtual().name("reminder-" + s.id()).start(() -> {
            try {
                Outcome outcome = transport.send(s, envelope);
                if (!(outcome instanceof Outcome.Delivered)) {
                    LOG.log(System.Logger.Level.INFO, "expiry reminder of subscription " + s.id() + " not delivered: "
                            + outcome);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
