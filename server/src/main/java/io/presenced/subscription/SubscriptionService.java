package io.presenced.subscription;

import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.Secrets;
import io.presenced.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The subscription lifecycle (SPEC §5): create, read, update, renew, delete, expiry and the
 * per-owner limit. A subscription belongs to its owner, the extension and app that created it;
 * anybody else is told it does not exist.
 */
public final class SubscriptionService {
    /** The default lifetime: 7 days. */
    public static final long DEFAULT_EXPIRES_IN = 604_800L;
    /** The longest lifetime of a WebHook subscription. */
    public static final long MAX_WEBHOOK_EXPIRES_IN = 315_360_000L;
    /** The most subscriptions one extension may hold in one app. */
    public static final int MAX_PER_OWNER = 30;

    private final Store store;
    private final SubscriptionIndex index;
    private final FilterResolver filters;
    private final WebhookGate webhooks;
    private final Clock clock;
    private SubscriptionListener listener = new SubscriptionListener() {
        @Override
        public void created(Subscription subscription, long position) {
        }

        @Override
        public void changed(Subscription subscription) {
        }

        @Override
        public void deleted(String id) {
        }
    };

    public SubscriptionService(Store store, SubscriptionIndex index, FilterResolver filters, WebhookGate webhooks,
                               Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.index = index;
        this.filters = filters;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** Tells {@code newListener} (delivery) of every change from now on. */
    public synchronized void listen(SubscriptionListener newListener) {
        this.listener = Objects.requireNonNull(newListener, "listener");
    }

    /**
     * Creates a subscription; its delivery starts with the next event. The WebHook handshake runs before
     * any lock is taken, so a slow receiver delays only its own caller.
     */
    public Subscription create(Caller owner, SubscriptionRequest request) {
        FilterResolver.Resolution resolution = filters.resolve(owner,
                request.eventFilters().orElseThrow(() -> missing("eventFilters")));
        DeliveryMode mode = request.deliveryMode().orElseThrow(() -> missing("deliveryMode"));
        long expiresIn = expiresIn(request.expiresIn());
        checkLimit(owner);
        admit(mode);
        synchronized (this) {
            checkLimit(owner);
            Instant now = clock.instant();
            Subscription s = new Subscription(UUID.randomUUID().toString(), owner.accountId(), owner.extensionId(),
                    owner.clientId(), resolution.filters(), resolution.disabled(), mode,
                    "whsec_" + java.util.Base64.getEncoder().encodeToString(Secrets.randomBytes(32)),
                    Subscription.Status.Active, Optional.empty(), now, now.plusSeconds(expiresIn), expiresIn);
            long position = store.lastEventId();
            store.createSubscription(s, position);
            // The backlog exists before the index can route an event to it.
            listener.created(s, position);
            index.put(s);
            return s;
        }
    }

    private void checkLimit(Caller owner) {
        Instant now = clock.instant();
        long live = index.all().stream().filter(s -> owns(owner, s) && !s.expiredAt(now)).count();
        if (live >= MAX_PER_OWNER) {
            throw ApiException.of(403, "SUB-505", "Maximum number of subscriptions (" + MAX_PER_OWNER
                    + ") is exceeded for this extension and application");
        }
    }

    /** The caller's subscriptions that have not expired, oldest first. */
    public List<Subscription> list(Caller owner) {
        Instant now = clock.instant();
        return index.all().stream().filter(s -> owns(owner, s) && !s.expiredAt(now))
                .sorted(Comparator.comparing(Subscription::creationTime)).toList();
    }

    /** One of the caller's subscriptions; 404 if it is another's or does not exist, SUB-507 if expired. */
    public Subscription get(Caller owner, String id) {
        Subscription s = find(owner, id);
        if (s.expiredAt(clock.instant())) {
            throw expired(id);
        }
        return s;
    }

    /** Replaces filters, delivery or lifetime; a new address is validated; a blacklisted one is reactivated. */
    public Subscription update(Caller owner, String id, SubscriptionRequest request) {
        return changeOf(owner, id, old -> {
            List<EventFilter> newFilters = old.filters();
            List<Subscription.DisabledFilter> disabled = old.disabledFilters();
            if (request.eventFilters().isPresent()) {
                FilterResolver.Resolution r = filters.resolve(owner, request.eventFilters().get());
                newFilters = r.filters();
                disabled = r.disabled();
            }
            DeliveryMode mode = request.deliveryMode().orElse(old.deliveryMode());
            boolean revalidate = !mode.address().equals(old.deliveryMode().address())
                    || old.status() == Subscription.Status.Blacklisted;
            if (revalidate) {
                admit(mode);
            }
            long expiresIn = request.expiresIn().isPresent() ? expiresIn(request.expiresIn()) : old.expiresIn();
            return old.renewed(newFilters, disabled, mode, clock.instant().plusSeconds(expiresIn), expiresIn);
        });
    }

    /** Grants the subscription its lifetime again from now, re-validating and reactivating a blacklisted one. */
    public Subscription renew(Caller owner, String id) {
        return changeOf(owner, id, old -> {
            if (old.status() == Subscription.Status.Blacklisted) {
                admit(old.deliveryMode());
            }
            return old.renewed(old.filters(), old.disabledFilters(), old.deliveryMode(),
                    clock.instant().plusSeconds(old.expiresIn()), old.expiresIn());
        });
    }

    /**
     * Applies {@code change} (which may validate a WebHook address, outside any lock) and saves the result only
     * if the subscription did not change meanwhile; otherwise it starts again from the newer one, so that two
     * concurrent updates, or an update and a blacklisting, never overwrite each other unseen.
     */
    private Subscription changeOf(Caller owner, String id, java.util.function.UnaryOperator<Subscription> change) {
        while (true) {
            Subscription old = get(owner, id);
            Subscription next = change.apply(old);
            synchronized (this) {
                if (index.get(id).filter(old::equals).isPresent()) {
                    return save(next);
                }
            }
        }
    }

    /** Deletes one of the caller's subscriptions (expired ones too). */
    public synchronized void delete(Caller owner, String id) {
        find(owner, id);
        store.deleteSubscription(id);
        index.remove(id);
        listener.deleted(id);
    }

    /**
     * Marks a subscription blacklisted (delivery gave up on it), unless it changed since {@code seen}, the version
     * delivery failed with: a subscription renewed or updated meanwhile gets its chance.
     */
    public synchronized void blacklist(Subscription seen, String reason) {
        index.get(seen.id()).filter(s -> s.status() == Subscription.Status.Active && s.equals(seen))
                .ifPresent(s -> save(s.blacklist(clock.instant(), reason)));
    }

    /**
     * Deletes the stored WebSocket subscriptions: their sessions lived in the memory of a process that has ended,
     * so nobody can receive them. Called at start, before delivery starts.
     */
    public synchronized int dropWebSocketSubscriptions() {
        int dropped = 0;
        for (Store.StoredSubscription s : store.subscriptions()) {
            if (s.subscription().deliveryMode().transportType() == DeliveryMode.TransportType.WebSocket) {
                store.deleteSubscription(s.subscription().id());
                dropped++;
            }
        }
        return dropped;
    }

    /** Deletes subscriptions expired for longer than {@code grace} seconds; returns how many. */
    public synchronized int purgeExpired(long graceSeconds) {
        Instant before = clock.instant().minusSeconds(graceSeconds);
        int purged = 0;
        for (Subscription s : index.all()) {
            if (s.expirationTime().isBefore(before)) {
                index.remove(s.id());
                listener.deleted(s.id());
                purged++;
            }
        }
        store.purgeExpiredSubscriptions(before);
        return purged;
    }

    /** Stores a changed subscription, unless it was deleted meanwhile. */
    private synchronized Subscription save(Subscription s) {
        if (index.get(s.id()).isEmpty() || !store.updateSubscription(s)) {
            throw ApiException.parameter(404, "CMN-102", "Resource for parameter [subscriptionId] is not found",
                    "subscriptionId", s.id());
        }
        index.put(s);
        listener.changed(s);
        return s;
    }

    private void admit(DeliveryMode mode) {
        if (mode.transportType() == DeliveryMode.TransportType.WebHook) {
            webhooks.checkAddress(mode.address());
            webhooks.validate(mode.address());
        }
    }

    private Subscription find(Caller owner, String id) {
        return index.get(id).filter(s -> owns(owner, s)).orElseThrow(() -> ApiException.parameter(404, "CMN-102",
                "Resource for parameter [subscriptionId] is not found", "subscriptionId", id));
    }

    private static boolean owns(Caller owner, Subscription s) {
        return s.ownerExtensionId() == owner.extensionId() && s.clientId().equals(owner.clientId());
    }

    private static ApiException expired(String id) {
        return ApiException.parameter(404, "SUB-507", "Subscription is expired", "subscriptionId", id);
    }

    private static ApiException missing(String name) {
        return ApiException.parameter(400, "CMN-101", "Parameter [" + name + "] is required", name, null);
    }

    private static long expiresIn(Optional<Long> requested) {
        long value = requested.orElse(DEFAULT_EXPIRES_IN);
        if (value <= 0) {
            throw ApiException.invalidParameter("expiresIn", String.valueOf(value));
        }
        return Math.min(value, MAX_WEBHOOK_EXPIRES_IN);
    }
}
