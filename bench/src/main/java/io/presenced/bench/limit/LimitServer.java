package io.presenced.bench.limit;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.presenced.bench.load.IngestLoad;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;

/**
 * The physical-limit reference: the server's own stack (Helidon SE WebServer with WebSocket) doing nothing but
 * answer. Any PUT gets a presence-sized JSON answer, {@code POST /ingest/v1/telephony} the answer of a batch all
 * accepted, any other request 200; {@code /ws} pushes notification-sized frames as fast as the client reads
 * (from its {@code start} to its {@code stop}, see {@link FramePusher}).
 * {@code /health} and {@code /metrics} (heap only) let the harness measure it as it measures the server.
 *
 * <p>Run as {@code LimitServer PORT INGEST_BATCH [tcp-no-delay]}: with {@code tcp-no-delay} the connections switch
 * Nagle's algorithm off, as the Presenced server does; without, they keep Helidon's default.
 */
public final class LimitServer {
    private LimitServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        byte[] ingestAnswer = IngestLoad.sampleAnswer(Integer.parseInt(args[1]));
        byte[] presence = presenceAnswer();
        String frame = SampleNotification.frame(1);
        // Helidon's default, as the server has it, unless asked otherwise.
        boolean tcpNoDelay = args.length > 2 && args[2].equals("tcp-no-delay");
        HttpRouting.Builder routing = HttpRouting.builder()
                .get("/health", (req, res) -> res.send("{\"status\":\"UP\"}"))
                .get("/metrics", (req, res) -> res.send(metrics()))
                .post("/ingest/v1/telephony", (req, res) -> {
                    req.content().consume();
                    res.header(HeaderNames.CONTENT_TYPE, "application/json").send(ingestAnswer);
                })
                .any((req, res) -> {
                    req.content().consume();
                    if (req.prologue().method() == Method.PUT) {
                        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(presence);
                    } else {
                        res.send();
                    }
                });
        // Nothing to save: the process ends at once when the harness stops it.
        WebServer server = WebServer.builder().host("127.0.0.1").port(port).maxPayloadSize(16L << 20)
                .shutdownHook(false)
                .connectionOptions(o -> o.tcpNoDelay(tcpNoDelay))
                .routing(routing)
                .addRouting(WsRouting.builder().endpoint("/ws", () -> new FramePusher(frame)))
                .build().start();
        System.out.println("limit server on port " + server.port() + ", frame of " + frame.length() + " bytes");
        Thread.currentThread().join();
    }

    /** A presence body the size of a GET/PUT presence answer. */
    private static byte[] presenceAnswer() {
        String extension = "http://127.0.0.1/restapi/v1.0/account/400123456001/extension/400123456789";
        String body = "{\"uri\":\"" + extension + "/presence\",\"extension\":{\"uri\":\"" + extension + "\","
                + "\"id\":400123456789,\"extensionNumber\":\"10001\"},\"presenceStatus\":\"Busy\",\"telephonyStatus\":"
                + "\"NoCall\",\"userStatus\":\"Busy\",\"dndStatus\":\"TakeAllCalls\",\"message\":\"\","
                + "\"allowSeeMyPresence\":true,\"ringOnMonitoredCall\":false,\"pickUpCallsOnHold\":false,"
                + "\"meetingStatus\":\"Disconnected\",\"sequence\":12}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static String metrics() {
        StringBuilder out = new StringBuilder();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                out.append("jvm_memory_used_bytes{area=\"heap\",id=\"").append(pool.getName()).append("\"} ")
                        .append(pool.getUsage().getUsed()).append('\n');
            }
        }
        return out.toString();
    }
}
