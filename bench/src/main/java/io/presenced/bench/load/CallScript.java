package io.presenced.bench.load;

import java.time.Instant;

/**
 * The telephony of the extensions one ingest worker owns, shaped as the simulator sends it: each call is an inbound
 * party ringing ({@code Setup}), answered, then hung up ({@code Disconnected}), one party per item, with the
 * extension in {@code to}. Each step changes the extension's telephonyStatus (Ringing, CallConnected, NoCall), so
 * each accepted item is exactly one event. Event times step by a millisecond per item of an extension, so they
 * only ever grow for each extension and stay close to the wall clock.
 *
 * <p>Thread-safety: owned by one worker thread.
 */
final class CallScript {
    private static final String[] STEPS = {"Setup", "Answered", "Disconnected"};

    private final long[] ids;
    private final int[] step;
    private final int[] call;
    private final long[] clock;
    private final Instant base = Instant.ofEpochMilli(System.currentTimeMillis());

    CallScript(long[] ids) {
        this.ids = ids;
        this.step = new int[ids.length];
        this.call = new int[ids.length];
        this.clock = new long[ids.length];
    }

    /** Appends the next item of extension {@code i} to {@code out} and moves its call on by one step. */
    void next(int i, StringBuilder out) {
        long ext = ids[i];
        out.append("{\"accountId\":\"~\",\"telephonySessionId\":\"bench-").append(ext).append('-').append(call[i])
                .append("\",\"eventTime\":\"").append(base.plusMillis(++clock[i]))
                .append("\",\"parties\":[{\"id\":\"p1\",\"extensionId\":\"").append(ext)
                .append("\",\"direction\":\"Inbound\",\"from\":{\"phoneNumber\":\"+1555").append(1_000_000 + ext
                        % 9_000_000).append("\",\"name\":\"Customer\"},\"to\":{\"phoneNumber\":\"ext:").append(ext)
                .append("\",\"extensionId\":\"").append(ext).append("\"},\"status\":{\"code\":\"")
                .append(STEPS[step[i]]).append("\"}}]}");
        step[i] = (step[i] + 1) % STEPS.length;
        if (step[i] == 0) {
            call[i]++;
        }
    }

    long id(int i) {
        return ids[i];
    }

    int size() {
        return ids.length;
    }
}
