package io.presenced.delivery;

import io.presenced.presence.PresenceEvent;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import java.time.Instant;
import java.util.Optional;

/** Decides whether, and in which form, one event goes to one subscription (SPEC §5, §6). */
public final class Matcher {
    private Matcher() {
    }

    /**
     * The form of {@code event} that {@code s} receives, if any. Several matching filters make one
     * notification: extension-level if any extension filter matches, detailed if any matching filter is.
     * An extension hiding its presence is seen only by its own and by admins' subscriptions, except in
     * the event that hides it.
     */
    public static Optional<Variant> variant(Subscription s, PresenceEvent event, boolean ownerIsAdmin, Instant now) {
        if (s.expiredAt(now) || s.accountId() != event.state().accountId()) {
            return Optional.empty();
        }
        long extensionId = event.state().extensionId();
        boolean visible = event.state().allowSeeMyPresence() || event.wasVisible() || ownerIsAdmin
                || s.ownerExtensionId() == extensionId;
        if (!visible) {
            return Optional.empty();
        }
        boolean matched = false;
        boolean extensionLevel = false;
        boolean detailed = false;
        boolean sipData = false;
        for (EventFilter f : s.filters()) {
            switch (f) {
                case EventFilter.AccountPresence a when a.accountId() == event.state().accountId() -> {
                    matched = true;
                    detailed |= a.detailed();
                    sipData |= a.sipData();
                }
                case EventFilter.ExtensionPresence e when e.extensionId() == extensionId -> {
                    matched = true;
                    extensionLevel = true;
                    detailed |= e.detailed();
                    sipData |= e.sipData();
                }
                default -> { }
            }
        }
        return matched ? Optional.of(new Variant(extensionLevel, detailed, sipData)) : Optional.empty();
    }
}
