package io.presenced.subscription;

import java.util.List;
import java.util.Optional;

/** What a client asks for when it creates or updates a subscription; absent parts stay as they are on update. */
public record SubscriptionRequest(Optional<List<String>> eventFilters, Optional<DeliveryMode> deliveryMode,
                                  Optional<Long> expiresIn) {
}
