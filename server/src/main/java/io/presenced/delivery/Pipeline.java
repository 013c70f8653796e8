package io.presenced.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.presenced.directory.Directory;
import io.presenced.directory.Role;
import io.presenced.presence.PresenceEvent;
import io.presenced.store.Store;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.SubscriptionIndex;
import io.presenced.subscription.SubscriptionListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The event pipeline: takes each committed batch of presence events (in log order, on the writer's
 * thread), finds the subscriptions each event matches through the index, and appends the event's
 * notification to their backlogs; one {@link Worker} per subscription delivers it. Delivery positions
 * are checkpointed to the store, so that after a restart delivery resumes from the log where it was.
 */
public final class Pipeline implements SubscriptionListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());

    private final Store store;
    private final SubscriptionIndex index;
    private final Directory directory;
    private final WebhookClient transport;
    private final DeliverySettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Blacklister blacklister;
    private final Map<String, Lanes> workers = new ConcurrentHashMap<>();
    private final Map<String, Long> saved = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter retried;
    private final Counter gone;
    private volatile Transport webSockets = (s, envelope) ->
            new Outcome.Retry("no WebSocket gateway", Optional.of(Duration.ofSeconds(1)));
    private final Timer latency;
    private volatile long dispatchedThrough;
    /** How many of the newest events are kept in memory with their notifications. */
    static final int RECENT_EVENTS = 32_768;
    private volatile RecentLog recent = new RecentLog(1, 0);
    /** The last chunk read from the store, shared by the lanes that read the same part of the log. */
    private volatile StoreChunk lastChunk;

    private record StoreChunk(long after, int limit, List<RecentLog.Entry> entries) {
    }

    public Pipeline(Store store, SubscriptionIndex index, Directory directory, WebhookClient transport,
                    DeliverySettings settings, Clock clock, MeterRegistry meters, Blacklister blacklister) {
        this.store = store;
        this.index = index;
        this.directory = directory;
        this.transport = transport;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        this.blacklister = blacklister;
        this.delivered = attempts(meters, "delivered");
        this.retried = attempts(meters, "retry");
        this.gone = attempts(meters, "gone");
        this.latency = Timer.builder("presenced.delivery.latency").description("From event commit to its delivery")
                .publishPercentileHistogram().register(meters);
    }

    private static Counter attempts(MeterRegistry meters, String outcome) {
        return Counter.builder("presenced.delivery.attempts").description("Delivery attempts by outcome")
                .tag("outcome", outcome).register(meters);
    }

    /**
     * Starts delivery for the stored subscriptions: each resumes from its stored position and first reads
     * from the log whatever was committed before this start.
     */
    public void start(List<Store.StoredSubscription> stored) {
        long logEnd = store.lastEventId();
        dispatchedThrough = logEnd;
        recent = new RecentLog(RECENT_EVENTS, logEnd);
        for (Store.StoredSubscription s : stored) {
            index.put(s.subscription());
            launch(s.subscription(), s.position(), logEnd);
            saved.put(s.subscription().id(), s.position());
        }
    }

    private void launch(Subscription s, long position, long missedThrough) {
        Lanes lanes = new Lanes(this, s, position, missedThrough, settings, clock);
        workers.put(s.id(), lanes);
        Gauge.builder("presenced.delivery.queue.depth", lanes, Lanes::waiting)
                .description("Notifications not delivered yet, in memory or in the log").tag("subscription", s.id())
                .register(meters);
        Gauge.builder("presenced.delivery.queue.age.seconds", lanes, l -> {
            long oldest = l.oldestMillis();
            return oldest == 0 ? 0 : (clock.millis() - oldest) / 1000.0;
        }).description("Age of the oldest waiting notification").tag("subscription", s.id()).register(meters);
        lanes.start();
    }

    /** Dispatches a committed batch; called on the presence writer's thread, in log order. */
    public void onCommit(List<PresenceEvent> events) {
        Instant now = clock.instant();
        RecentLog log = recent;
        // Into the ring first, all of them: whatever happens to one event's matching, the ring covers the batch.
        List<RecentLog.Entry> entries = new ArrayList<>(events.size());
        for (PresenceEvent event : events) {
            entries.add(log.append(event));
        }
        for (RecentLog.Entry entry : entries) {
            PresenceEvent event = entry.event();
            List<Subscription> matches = index.matching(event.state().accountId(), event.state().extensionId());
            for (Subscription s : matches) {
                Lanes lanes = workers.get(s.id());
                if (lanes == null) {
                    continue;
                }
                Optional<Variant> variant = Matcher.variant(s, event, ownerIsAdmin(s), now);
                if (variant.isPresent()) {
                    lanes.offer(entry.form(variant.get()));
                    transport(s).produced(s);
                }
            }
            dispatchedThrough = event.id();
        }
        meters.counter("presenced.events.dispatched").increment(events.size());
    }

    private boolean ownerIsAdmin(Subscription s) {
        return directory.extension(s.ownerExtensionId()).map(e -> e.role() == Role.Admin).orElse(false);
    }

    /** The notification of a logged event for {@code s}, if it gets one (used when reading the log). */
    Optional<Pending> pendingFor(Subscription s, RecentLog.Entry entry) {
        return Matcher.variant(s, entry.event(), ownerIsAdmin(s), clock.instant()).map(entry::form);
    }

    long dispatchedThrough() {
        return dispatchedThrough;
    }

    /** Up to {@code limit} logged events after {@code afterId}: from memory if they are recent, else from the store. */
    List<RecentLog.Entry> readLog(long afterId, int limit) {
        Optional<List<RecentLog.Entry>> fromMemory = recent.after(afterId, limit);
        if (fromMemory.isPresent()) {
            return fromMemory.get();
        }
        StoreChunk chunk = lastChunk;
        if (chunk != null && chunk.after() == afterId && chunk.limit() == limit) {
            return chunk.entries();
        }
        List<RecentLog.Entry> entries = store.eventsAfter(afterId, limit).stream().map(RecentLog.Entry::new).toList();
        lastChunk = new StoreChunk(afterId, limit, entries);
        return entries;
    }

    /** The transport of a subscription: its WebSocket session, or WebHook. */
    Transport transport(Subscription s) {
        return s.deliveryMode().transportType() == DeliveryMode.TransportType.WebSocket ? webSockets : transport;
    }

    /** Routes WebSocket subscriptions' notifications to {@code sockets} from now on. */
    public void useWebSockets(Transport sockets) {
        this.webSockets = sockets;
    }

    DeliverySettings settings() {
        return settings;
    }

    void record(Subscription s, Pending p, Outcome outcome) {
        switch (outcome) {
            case Outcome.Delivered d -> {
                delivered.increment();
                latency.record(clock.millis() - p.time().toEpochMilli(), TimeUnit.MILLISECONDS);
            }
            case Outcome.Retry r -> retried.increment();
            case Outcome.Gone g -> gone.increment();
        }
    }

    void blacklist(Subscription s, String reason) {
        LOG.log(System.Logger.Level.WARNING, "blacklisting subscription " + s.id() + " (" + s.deliveryMode().address()
                + "): " + reason);
        meters.counter("presenced.delivery.blacklisted").increment();
        blacklister.blacklist(s, reason);
    }

    /** Persists every delivery position that moved since the last checkpoint. */
    public void checkpoint() {
        Map<String, Long> moved = new HashMap<>();
        workers.forEach((id, w) -> {
            long position = w.position();
            if (position > saved.getOrDefault(id, -1L)) {
                moved.put(id, position);
            }
        });
        if (!moved.isEmpty()) {
            store.saveDeliveryPositions(moved);
            saved.putAll(moved);
        }
    }

    /** Drops events older than the retention period from the log, saying which subscriptions had not got them. */
    public void enforceRetention() {
        Store.Purge purge = store.purgeEventsBefore(clock.instant().minus(settings.retention()));
        if (purge.count() == 0) {
            return;
        }
        meters.counter("presenced.events.purged").increment(purge.count());
        LOG.log(System.Logger.Level.INFO, "retention: purged " + purge.count() + " events through log id "
                + purge.lastDeletedId());
        workers.forEach((id, w) -> {
            if (w.position() < purge.lastDeletedId() && !w.subscription().expiredAt(clock.instant())) {
                meters.counter("presenced.delivery.retention.gaps").increment();
                LOG.log(System.Logger.Level.WARNING, "retention: subscription " + id + " had delivered only through"
                        + " log id " + w.position() + "; events through " + purge.lastDeletedId()
                        + " that it may not have received were purged");
            }
        });
    }

    @Override
    public void created(Subscription subscription, long position) {
        launch(subscription, position, position);
        saved.put(subscription.id(), position);
    }

    @Override
    public void changed(Subscription subscription) {
        Lanes lanes = workers.get(subscription.id());
        if (lanes != null) {
            lanes.changed(subscription);
        }
    }

    @Override
    public void deleted(String id) {
        Lanes lanes = workers.remove(id);
        if (lanes != null) {
            lanes.stop();
        }
        saved.remove(id);
        meters.find("presenced.delivery.queue.depth").tag("subscription", id).meters().forEach(meters::remove);
        meters.find("presenced.delivery.queue.age.seconds").tag("subscription", id).meters().forEach(meters::remove);
    }

    /** Stops every worker and saves the positions reached. */
    @Override
    public void close() {
        workers.values().forEach(Lanes::stop);
        checkpoint();
    }
}
