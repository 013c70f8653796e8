package io.presenced.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.Permission;
import io.presenced.auth.RateGroup;
import io.presenced.ingest.IngestService;
import io.presenced.ingest.ItemResult;
import java.util.List;

/** The presence sources API (SPEC §8): batches of telephony and meeting events. */
public final class IngestApi {
    private final IngestService ingest;
    private final Requests requests;

    public IngestApi(IngestService ingest, Requests requests) {
        this.ingest = ingest;
        this.requests = requests;
    }

    /** Adds the ingest endpoints. */
    public void register(ApiRoutes routes) {
        routes.secured(Method.POST, "/ingest/v1/telephony", RateGroup.Ingest,
                (caller, req, res) -> Responses.ok(res, render(ingest.telephony(caller, batch(caller, req)))));
        routes.secured(Method.POST, "/ingest/v1/meetings", RateGroup.Ingest,
                (caller, req, res) -> Responses.ok(res, render(ingest.meetings(caller, batch(caller, req)))));
    }

    private JsonNode batch(Caller caller, ServerRequest req) {
        Access.require(caller, Permission.IngestPresenceSources);
        JsonNode node = requests.json(req).orElse(null);
        if (node == null || !node.isArray()) {
            throw ApiException.parameter(400, "CMN-101", "The body must be a JSON array of events", "body", null);
        }
        if (node.size() > IngestService.MAX_BATCH) {
            throw ApiException.parameter(400, "CMN-106", "A batch is limited to " + IngestService.MAX_BATCH
                    + " items, got " + node.size(), "body", String.valueOf(node.size()));
        }
        return node;
    }

    private static ObjectNode render(List<ItemResult> results) {
        ObjectNode body = Json.object();
        body.put("accepted", results.stream().filter(r -> r.status() == ItemResult.Status.Accepted).count());
        body.put("ignored", results.stream().filter(r -> r.status() == ItemResult.Status.Ignored).count());
        body.put("rejected", results.stream().filter(r -> r.status() == ItemResult.Status.Rejected).count());
        ArrayNode items = body.putArray("results");
        for (ItemResult r : results) {
            ObjectNode item = items.addObject();
            item.put("index", r.index());
            item.put("status", r.status().name());
            r.reason().ifPresent(reason -> item.put("reason", reason));
        }
        return body;
    }
}
