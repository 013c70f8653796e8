package io.presenced.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.presenced.ApiException;
import io.presenced.auth.App;
import io.presenced.auth.Caller;
import io.presenced.auth.OAuthService;
import io.presenced.auth.Permission;
import io.presenced.auth.RateGroup;
import java.util.Map;

/** The OAuth endpoints (SPEC §2): token, revoke and wstoken. */
public final class OAuthApi {
    private final OAuthService oauth;
    private final Requests requests;
    private final BaseUrl baseUrl;

    public OAuthApi(OAuthService oauth, Requests requests, BaseUrl baseUrl) {
        this.oauth = oauth;
        this.requests = requests;
        this.baseUrl = baseUrl;
    }

    /** Adds the OAuth endpoints. */
    public void register(ApiRoutes routes) {
        routes.open(Method.POST, "/restapi/oauth/token", (req, res) -> token(routes, req, res));
        routes.open(Method.POST, "/restapi/oauth/revoke", (req, res) -> revoke(routes, req, res));
        routes.secured(Method.POST, "/restapi/oauth/wstoken", RateGroup.Auth, this::wsToken);
    }

    private App client(ApiRoutes routes, ServerRequest req, ServerResponse res) {
        App app = oauth.authenticateClient(req.headers().first(HeaderNames.AUTHORIZATION));
        // Before the user is known, an app's token calls are counted per client address.
        routes.limit(app.clientId() + "@" + req.remotePeer().host(), RateGroup.Auth, res);
        return app;
    }

    private void token(ApiRoutes routes, ServerRequest req, ServerResponse res) {
        App app = client(routes, req, res);
        Map<String, String> form = requests.form(req);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        Responses.ok(res, oauth.token(app, form));
    }

    private void revoke(ApiRoutes routes, ServerRequest req, ServerResponse res) {
        App app = client(routes, req, res);
        String token = requests.form(req).get("token");
        if (token == null || token.isBlank()) {
            throw ApiException.oauth(400, "invalid_request", "OAU-101", "Parameter [token] is required");
        }
        oauth.revoke(app, token);
        res.status(200);
        res.send();
    }

    private void wsToken(Caller caller, ServerRequest req, ServerResponse res) {
        Access.require(caller, Permission.WebSocketsSubscription);
        Responses.ok(res, oauth.wsToken(caller, baseUrl.webSocket(req) + "/ws"));
    }
}
