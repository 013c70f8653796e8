package io.presenced.bench.client;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.util.concurrent.atomic.LongAdder;

/**
 * A local WebHook receiver on the loopback address, on the server's own stack (Helidon SE, a virtual thread per
 * connection): echoes the {@code Validation-Token} of the handshake and reports the (extensionId, sequence) of each
 * notification to a sink, whatever its path. (The JDK's built-in HTTP server adds hundreds of milliseconds under
 * this load, which would be charged to the server.)
 */
public final class Receiver implements AutoCloseable {
    private static final HeaderName VALIDATION_TOKEN = HeaderNames.create("Validation-Token");
    private final WebServer server;
    private final LongAdder unreadable = new LongAdder();

    public Receiver(NotificationScan.Sink sink) {
        server = WebServer.builder().host("127.0.0.1").port(0)
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .routing(r -> r.any((req, res) -> {
                    byte[] body = req.content().inputStream().readAllBytes();
                    var token = req.headers().first(VALIDATION_TOKEN);
                    if (token.isPresent()) {
                        res.header(VALIDATION_TOKEN, token.get());
                    } else if (!NotificationScan.scan(body, body.length, sink)) {
                        unreadable.increment();
                    }
                    res.send();
                }))
                .build().start();
    }

    /** The address of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Deliveries that carried no presence notification. */
    public long unreadable() {
        return unreadable.sum();
    }

    @Override
    public void close() {
        server.stop();
    }
}
