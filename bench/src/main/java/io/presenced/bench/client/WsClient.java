package io.presenced.bench.client;

import io.presenced.PresencedException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal RFC 6455 WebSocket client on a plain socket, light enough for ten thousand connections in one JVM:
 * one virtual thread reads each connection, text messages are handed over as bytes, pings are answered, and every
 * client frame is masked.
 *
 * <p>Thread-safety: frames may be sent from any thread (writes are serialised); the listener is called on the
 * reading thread only, with a buffer that is reused after it returns.
 */
public final class WsClient implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TEXT = 1;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    /** What the reading thread reports. */
    public interface Listener {
        /** A whole text (or binary) message in {@code data[0, length)}. */
        void onMessage(byte[] data, int length);

        /** The connection ended: closed by the server ({@code code}) or broken ({@code code} 1006). */
        default void onClosed(int code) {
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Listener listener;
    private volatile boolean closed;
    private byte[] message = new byte[8192];

    private WsClient(Socket socket, InputStream in, Listener listener) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.listener = listener;
    }

    /**
     * Opens {@code uri} ({@code ws://host:port/path?query}), completes the upgrade and starts reading.
     *
     * @param bufferSize the read buffer of this connection, in bytes
     */
    public static WsClient connect(URI uri, Listener listener, int bufferSize) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream(), bufferSize);
            String key = Base64.getEncoder().encodeToString(randomBytes(16));
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                    + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101") || !head.toLowerCase(java.util.Locale.ROOT)
                    .contains("sec-websocket-accept: " + accept(key).toLowerCase(java.util.Locale.ROOT))) {
                throw new PresencedException("expected 101 Switching Protocols with the key's accept value from "
                        + uri.getHost() + ":" + uri.getPort() + uri.getRawPath() + ", got: " + head.lines().findFirst()
                        .orElse(""));
            }
            socket.setSoTimeout(0);
            WsClient client = new WsClient(socket, in, listener);
            Thread.ofVirtual().name("ws-reader").start(client::read);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one text message. */
    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void send(int opcode, byte[] payload) throws IOException {
        int n = payload.length;
        byte[] frame = new byte[2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + 4 + n];
        int i = 0;
        frame[i++] = (byte) (0x80 | opcode);
        if (n < 126) {
            frame[i++] = (byte) (0x80 | n);
        } else if (n < 65536) {
            frame[i++] = (byte) (0x80 | 126);
            frame[i++] = (byte) (n >>> 8);
            frame[i++] = (byte) n;
        } else {
            frame[i++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[i++] = (byte) ((long) n >>> shift);
            }
        }
        byte[] mask = randomBytes(4);
        System.arraycopy(mask, 0, frame, i, 4);
        i += 4;
        for (int j = 0; j < n; j++) {
            frame[i + j] = (byte) (payload[j] ^ mask[j & 3]);
        }
        out.write(frame);
        out.flush();
    }

    private void read() {
        int code = 1006;
        try {
            int length = 0;
            while (!closed) {
                int b0 = in.read();
                int b1 = in.read();
                if (b0 < 0 || b1 < 0) {
                    break;
                }
                int opcode = b0 & 0x0F;
                long size = b1 & 0x7F;
                if (size == 126) {
                    size = (readByte() << 8) | readByte();
                } else if (size == 127) {
                    size = 0;
                    for (int k = 0; k < 8; k++) {
                        size = (size << 8) | readByte();
                    }
                }
                byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
                if (opcode >= CLOSE) {
                    byte[] control = in.readNBytes((int) size);
                    unmask(control, 0, control.length, mask);
                    if (opcode == PING) {
                        send(PONG, control);
                    } else if (opcode == CLOSE) {
                        code = control.length >= 2 ? ((control[0] & 0xFF) << 8) | (control[1] & 0xFF) : 1005;
                        closeQuietly(control);
                        break;
                    }
                    continue;
                }
                if (length + size > message.length) {
                    message = java.util.Arrays.copyOf(message, (int) Math.max(message.length * 2L, length + size));
                }
                in.readNBytes(message, length, (int) size);
                unmask(message, length, (int) size, mask);
                length += (int) size;
                if ((b0 & 0x80) != 0) {
                    listener.onMessage(message, length);
                    length = 0;
                }
            }
        } catch (IOException e) {
            // the connection broke: reported as 1006
        } finally {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
            listener.onClosed(code);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside a frame header");
        }
        return b;
    }

    private static void unmask(byte[] data, int from, int length, byte[] mask) {
        if (mask != null) {
            for (int j = 0; j < length; j++) {
                data[from + j] ^= mask[j & 3];
            }
        }
    }

    private void closeQuietly(byte[] payload) {
        try {
            send(CLOSE, payload.length >= 2 ? java.util.Arrays.copyOf(payload, 2) : new byte[0]);
        } catch (IOException ignored) {
            // the server went first
        }
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return !closed;
    }

    /** Sends a close frame (1000) and closes the socket. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(new byte[] {0x03, (byte) 0xE8});
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended during the WebSocket upgrade: " + head);
            }
            head.append((char) b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString();
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new PresencedException("SHA-1 is missing from this JDK", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
