package io.presenced.bench.client;

/**
 * Finds {@code body.extensionId} and {@code body.sequence} in the bytes of a notification (a WebHook body or a WSG
 * {@code ServerNotification} frame) without parsing the JSON, so that the subscribers cost the machine little.
 */
public final class NotificationScan {
    private static final byte[] BODY = bytes("\"body\":{");
    private static final byte[] EXTENSION = bytes("\"extensionId\":\"");
    private static final byte[] SEQUENCE = bytes("\"sequence\":");

    private NotificationScan() {
    }

    /** Receives the key of each presence notification. */
    @FunctionalInterface
    public interface Sink {
        void received(long extensionId, long sequence);
    }

    /**
     * Reports the key of the presence notification in {@code data[0, length)} to {@code sink}; whether it was one
     * (an envelope without a presence body, such as a reminder, is not).
     */
    public static boolean scan(byte[] data, int length, Sink sink) {
        int body = indexOf(data, length, BODY, 0);
        if (body < 0) {
            return false;
        }
        int ext = indexOf(data, length, EXTENSION, body);
        int seq = indexOf(data, length, SEQUENCE, body);
        if (ext < 0 || seq < 0) {
            return false;
        }
        sink.received(number(data, length, ext + EXTENSION.length), number(data, length, seq + SEQUENCE.length));
        return true;
    }

    private static long number(byte[] data, int length, int from) {
        long value = 0;
        for (int i = from; i < length && data[i] >= '0' && data[i] <= '9'; i++) {
            value = value * 10 + (data[i] - '0');
        }
        return value;
    }

    private static int indexOf(byte[] data, int length, byte[] needle, int from) {
        outer:
        for (int i = from; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
