package io.presenced.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionSpec;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import io.presenced.presence.PresenceUpdate;
import io.presenced.presence.PresenceWriter;
import io.presenced.presence.UserStatus;
import io.presenced.store.JdbcStore;
import io.presenced.store.Store;
import io.presenced.subscription.DeliveryMode;
import io.presenced.subscription.EventFilter;
import io.presenced.subscription.Subscription;
import io.presenced.subscription.SubscriptionIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The event log's retention: what it drops is counted, and a subscription that had not received it is reported. */
class RetentionTest {
    @Test
    void purgesOldEventsAndCountsTheGapOfASubscriptionThatLaggedBehind() throws Exception {
        Path dir = Files.createTempDirectory("presenced-retention");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Store store = JdbcStore.sqlite(dir); PresenceWriter writer = PresenceWriter.start(store, Clock.systemUTC())) {
            long account = store.createAccount("Retention", "+15550300000").id();
            Extension user = store.createExtension(new ExtensionSpec(account, "101", "Ann", "", ExtensionType.User,
                    ExtensionStatus.Enabled, Role.User, List.of()));
            Directory directory = Directory.load(store);
            // An endpoint nobody listens on: the subscription cannot keep up and stays behind in the log.
            Subscription s = new Subscription("sub-1", account, user.id(), "app",
                    List.of(new EventFilter.AccountPresence(account, false, false)), List.of(),
                    new DeliveryMode(DeliveryMode.TransportType.WebHook, "http://127.0.0.1:9/hook", Optional.empty()),
                    "whsec_" + "A".repeat(43), Subscription.Status.Active, Optional.empty(), Instant.now(),
                    Instant.now().plusSeconds(3600), 3600);
            store.createSubscription(s, 0);
            DeliverySettings settings = DeliverySettings.defaults()
                    .withRetries(List.of(Duration.ofHours(1)), Duration.ofHours(2))
                    .withRetention(Duration.ZERO);
            SubscriptionIndex index = new SubscriptionIndex();
            try (Pipeline pipeline = new Pipeline(store, index, directory,
                    new WebhookClient(settings, "test", Clock.systemUTC()), settings, Clock.systemUTC(), meters,
                    (id, reason) -> { })) {
                pipeline.start(store.subscriptions());
                writer.onCommit(pipeline::onCommit);
                for (int i = 0; i < 5; i++) {
                    UserStatus status = i % 2 == 0 ? UserStatus.Busy : UserStatus.Available;
                    writer.apply(user, new PresenceUpdate(Optional.of(status), Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty())::applyTo);
                }
                assertThat(store.eventsAfter(0, 100)).hasSize(5);

                pipeline.enforceRetention();

                assertThat(store.eventsAfter(0, 100)).isEmpty();
                assertThat(meters.counter("presenced.events.purged").count()).isEqualTo(5.0);
                assertThat(meters.counter("presenced.delivery.retention.gaps").count()).isEqualTo(1.0);
            }
        }
    }
}
