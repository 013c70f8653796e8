package io.presenced.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.delivery.Notifications;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import java.time.Clock;

/** Renders a subscription as RingCentral's SubscriptionInfo. */
public final class SubscriptionJson {
    private SubscriptionJson() {
    }

    /** SubscriptionInfo; the signing secret only in the answer to create. */
    public static ObjectNode render(String base, Clock clock, Subscription s, boolean withSecret) {
        ObjectNode node = Json.object();
        node.put("uri", base + "/restapi/v1.0/subscription/" + s.id());
        node.put("id", s.id());
        ArrayNode filters = node.putArray("eventFilters");
        s.filters().stream().map(EventFilter::text).forEach(filters::add);
        if (!s.disabledFilters().isEmpty()) {
            ArrayNode disabled = node.putArray("disabledFilters");
            s.disabledFilters().forEach(d -> disabled.addObject().put("filter", d.filter()).put("reason", d.reason()));
        }
        node.put("expirationTime", Notifications.timestamp(s.expirationTime()));
        // Rounded up, so that a subscription just made for N seconds says N.
        node.put("expiresIn", Math.max(0, (s.expirationTime().toEpochMilli() - clock.millis() + 999) / 1000));
        node.put("status", s.status().name());
        s.blacklisted().ifPresent(b -> node.putObject("blacklistedData")
                .put("blacklistedAt", Notifications.timestamp(b.blacklistedAt())).put("reason", b.reason()));
        node.put("creationTime", Notifications.timestamp(s.creationTime()));
        ObjectNode mode = node.putObject("deliveryMode");
        mode.put("transportType", s.deliveryMode().transportType().name());
        mode.put("address", s.deliveryMode().address());
        mode.put("encryption", false);
        if (withSecret) {
            node.put("signingSecret", s.signingSecret());
        }
        return node;
    }
}
