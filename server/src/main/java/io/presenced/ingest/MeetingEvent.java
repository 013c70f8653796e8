package io.presenced.ingest;

import io.presenced.presence.MeetingStatus;
import java.time.Instant;

/** A user joined or left a meeting. */
public record MeetingEvent(long extensionId, String meetingId, MeetingStatus status, Instant eventTime) {
}
