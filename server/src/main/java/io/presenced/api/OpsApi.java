package io.presenced.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.presenced.ApiException;
import io.presenced.store.Store;
import java.nio.charset.StandardCharsets;

/** Operations endpoints: {@code /health}, {@code /metrics} (Prometheus text format) and {@code /openapi.yaml}. */
public final class OpsApi {
    private final Store store;
    private final PrometheusMeterRegistry registry;

    public OpsApi(Store store, PrometheusMeterRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Adds the operations endpoints. */
    public void register(ApiRoutes routes) {
        routes.open(Method.GET, "/health", (req, res) -> {
            ObjectNode body = Json.object();
            boolean up;
            try {
                store.directoryRevision();
                up = true;
            } catch (RuntimeException e) {
                up = false;
            }
            body.put("status", up ? "UP" : "DOWN");
            body.putObject("checks").put("store", up ? "UP" : "DOWN");
            Responses.json(res, up ? 200 : 503, body);
        });
        routes.open(Method.GET, "/openapi.yaml", (req, res) -> {
            try (var in = OpsApi.class.getResourceAsStream("/openapi.yaml")) {
                if (in == null) {
                    throw ApiException.of(404, "CMN-120", "Invalid URI: this build has no OpenAPI document");
                }
                res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
                res.send(in.readAllBytes());
            }
        });
        routes.open(Method.GET, "/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(registry.scrape().getBytes(StandardCharsets.UTF_8));
        });
    }
}
