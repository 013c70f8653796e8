package io.presenced.delivery;

import java.time.Duration;
import java.util.Optional;

/** What one delivery attempt came to: an expected result, recorded, never thrown. */
public sealed interface Outcome {
    /** The endpoint took it (2xx). */
    record Delivered(int status) implements Outcome {
    }

    /** It failed in a way worth retrying; the endpoint may have said when. */
    record Retry(String reason, Optional<Duration> retryAfter) implements Outcome {
    }

    /** The endpoint said it is gone for good (410). */
    record Gone(String reason) implements Outcome {
    }
}
