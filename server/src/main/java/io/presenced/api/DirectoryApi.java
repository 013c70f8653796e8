package io.presenced.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.presenced.ApiException;
import io.presenced.auth.Caller;
import io.presenced.auth.Permission;
import io.presenced.auth.RateGroup;
import io.presenced.directory.Account;
import io.presenced.directory.Directory;
import io.presenced.directory.Extension;
import io.presenced.directory.ExtensionStatus;
import io.presenced.directory.ExtensionType;
import io.presenced.directory.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The directory reads that presence apps use: the account, its extensions, one extension. */
public final class DirectoryApi {
    private final Directory directory;
    private final Access access;
    private final BaseUrl baseUrl;

    public DirectoryApi(Directory directory, BaseUrl baseUrl) {
        this.directory = directory;
        this.access = new Access(directory);
        this.baseUrl = baseUrl;
    }

    /** Adds the directory endpoints. */
    public void register(ApiRoutes routes) {
        routes.secured(Method.GET, "/restapi/v1.0/account/{accountId}", RateGroup.Light, this::account);
        routes.secured(Method.GET, "/restapi/v1.0/account/{accountId}/extension", RateGroup.Medium, this::list);
        routes.secured(Method.GET, "/restapi/v1.0/account/{accountId}/extension/{extensionId}", RateGroup.Light,
                this::extension);
    }

    private void account(Caller caller, ServerRequest req, ServerResponse res) {
        Access.require(caller, Permission.ReadAccounts);
        long id = access.account(caller, req.path().pathParameters().get("accountId"), Permission.ReadAccounts);
        Account account = directory.account(id).orElseThrow(() -> Access.notFound("accountId", String.valueOf(id)));
        ObjectNode body = Json.object();
        body.put("uri", baseUrl.of(req) + "/restapi/v1.0/account/" + id);
        body.put("id", id);
        body.put("mainNumber", account.mainNumber());
        body.put("name", account.name());
        body.put("status", "Confirmed");
        Responses.ok(res, body);
    }

    private void list(Caller caller, ServerRequest req, ServerResponse res) {
        Access.require(caller, Permission.ReadAccounts);
        long id = access.account(caller, req.path().pathParameters().get("accountId"), Permission.ReadAccounts);
        Set<ExtensionType> types = enums(req, "type", ExtensionType.class);
        Set<ExtensionStatus> statuses = enums(req, "status", ExtensionStatus.class);
        List<Extension> matching = directory.extensionsOf(id).stream()
                .filter(e -> types.isEmpty() || types.contains(e.type()))
                .filter(e -> statuses.isEmpty() || statuses.contains(e.status()))
                .toList();
        Page page = Page.of(req, matching.size());
        String base = baseUrl.of(req);
        String self = base + "/restapi/v1.0/account/" + id + "/extension?perPage=" + page.perPage() + "&page=";
        ObjectNode body = Json.object();
        body.put("uri", self + page.page());
        ArrayNode records = body.putArray("records");
        for (int i = page.from(); i < page.to(); i++) {
            records.add(render(base, matching.get(i)));
        }
        page.describe(body, n -> self + n);
        Responses.ok(res, body);
    }

    private void extension(Caller caller, ServerRequest req, ServerResponse res) {
        Access.require(caller, Permission.ReadAccounts);
        access.account(caller, req.path().pathParameters().get("accountId"), Permission.ReadAccounts);
        Extension e = access.extension(caller, req.path().pathParameters().get("extensionId"), Permission.ReadAccounts);
        Responses.ok(res, render(baseUrl.of(req), e));
    }

    private static ObjectNode render(String base, Extension e) {
        ObjectNode node = Json.object();
        node.put("uri", PresenceJson.extensionUri(base, e));
        node.put("id", e.id());
        node.put("extensionNumber", e.extensionNumber());
        node.put("name", e.name());
        node.put("type", e.type().name());
        node.put("status", e.status().name());
        ObjectNode contact = node.putObject("contact");
        if (!e.email().isEmpty()) {
            contact.put("email", e.email());
        }
        node.putObject("permissions").putObject("admin").put("enabled", e.role() == Role.Admin);
        if (!e.departments().isEmpty()) {
            ArrayNode departments = node.putArray("departments");
            e.departments().forEach(d -> departments.addObject().put("id", String.valueOf(d)));
        }
        node.putObject("account").put("id", String.valueOf(e.accountId()));
        return node;
    }

    private static <E extends Enum<E>> Set<E> enums(ServerRequest req, String name, Class<E> type) {
        Set<E> result = EnumSet.noneOf(type);
        for (String value : req.query().all(name, List::of)) {
            try {
                result.add(Enum.valueOf(type, value));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter(name, value);
            }
        }
        return result;
    }
}
