package io.presenced.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * A local WebHook receiver for benchmarks on the same stack as the server (Helidon SE, a virtual thread per
 * connection): echoes the Validation-Token and reports (extensionId, sequence) of each notification.
 */
final class Receiver implements AutoCloseable {
    private static final HeaderName VALIDATION_TOKEN = HeaderNames.create("Validation-Token");
    private static final JsonFactory JSON = new JsonFactory();
    private final WebServer server;

    Receiver(BiConsumer<Long, Long> onEvent) {
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.any((req, res) -> {
                    byte[] body = req.content().inputStream().readAllBytes();
                    var token = req.headers().first(VALIDATION_TOKEN);
                    if (token.isPresent()) {
                        res.header(VALIDATION_TOKEN, token.get());
                    } else if (body.length > 0) {
                        long[] event = event(body);
                        onEvent.accept(event[0], event[1]);
                    }
                    res.send();
                }))
                .build().start();
    }

    /** The body's extensionId and sequence, read with the streaming parser. */
    private static long[] event(byte[] json) throws IOException {
        long extension = -1;
        long sequence = -1;
        try (JsonParser p = JSON.createParser(json)) {
            int depth = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME && depth == 2) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("extensionId")) {
                        extension = Long.parseLong(p.getText());
                    } else if (name.equals("sequence")) {
                        sequence = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        return new long[] {extension, sequence};
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        server.stop();
    }
}
