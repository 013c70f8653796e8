package io.presenced.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Assertions on the notifications a WebHook receiver got. */
public final class NotificationAssertions {
    private NotificationAssertions() {
    }

    /**
     * The notifications of one extension, in arrival order, are its events in sequence order: each new sequence
     * is the last one plus 1; a repeat (allowed: at-least-once) carries the uuid of the first.
     */
    public static void assertInOrderWithoutGaps(List<WebhookReceiver.Notification> notifications, int events,
                                                String what) {
        List<Long> sequences = notifications.stream().map(n -> n.body().path("sequence").asLong()).toList();
        Map<Long, String> uuids = new HashMap<>();
        long last = -1;
        for (WebhookReceiver.Notification n : notifications) {
            long sequence = n.body().path("sequence").asLong();
            String earlier = uuids.putIfAbsent(sequence, n.uuid());
            if (earlier != null) {
                assertThat(n.uuid()).as("%s: uuid of the repeated sequence %d in %s", what, sequence, sequences)
                        .isEqualTo(earlier);
                continue;
            }
            if (last >= 0) {
                assertThat(sequence).as("%s: the sequence after %d in %s", what, last, sequences).isEqualTo(last + 1);
            }
            last = sequence;
        }
        assertThat(uuids).as("%s: distinct events received, sequences %s", what, sequences).hasSize(events);
    }
}
