package io.presenced.bench.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A local WebHook receiver on the loopback address: echoes the {@code Validation-Token} of the handshake and reports
 * the (extensionId, sequence) of each notification to a sink, whatever its path.
 */
public final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final LongAdder unreadable = new LongAdder();

    public Receiver(NotificationScan.Sink sink) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String token = exchange.getRequestHeaders().getFirst("Validation-Token");
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (token != null) {
                    exchange.getResponseHeaders().add("Validation-Token", token);
                } else if (!NotificationScan.scan(body, body.length, sink)) {
                    unreadable.increment();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** The address of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Deliveries that carried no presence notification. */
    public long unreadable() {
        return unreadable.sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
