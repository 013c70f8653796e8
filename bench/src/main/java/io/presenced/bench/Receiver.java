package io.presenced.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/** A local WebHook receiver for benchmarks: echoes the Validation-Token and reports (extensionId, sequence) of each notification. */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    Receiver(BiConsumer<Long, Long> onEvent) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String token = exchange.getRequestHeaders().getFirst("Validation-Token");
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (token != null) {
                    exchange.getResponseHeaders().add("Validation-Token", token);
                } else if (body.length > 0) {
                    JsonNode b = JSON.readTree(body).get("body");
                    onEvent.accept(b.get("extensionId").asLong(), b.get("sequence").asLong());
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
