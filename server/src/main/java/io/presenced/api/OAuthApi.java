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
import io.presenced.auth.Secrets;
import java.util.Locale;
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

    /**
     * Counts a token or revoke call in group Auth per app and the user it names, before any credential is
     * checked: the JWT credential, username or token it carries stands for that user, so one user's attempts
     * (a password being guessed, say) are limited without one app's users throttling each other.
     */
    private void limit(ApiRoutes routes, App app, Map<String, String> form, ServerResponse res) {
        String subject = form.getOrDefault("username", form.getOrDefault("assertion",
                form.getOrDefault("refresh_token", form.getOrDefault("token", ""))));
        String who = form.containsKey("username") ? subject.toLowerCase(Locale.ROOT) : Secrets.sha256(subject);
        routes.limit(app.clientId() + "/" + who, RateGroup.Auth, res);
    }

    private void token(ApiRoutes routes, ServerRequest req, ServerResponse res) {
        App app = oauth.authenticateClient(req.headers().first(HeaderNames.AUTHORIZATION));
        Map<String, String> form = requests.form(req);
        limit(routes, app, form, res);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        Responses.ok(res, oauth.token(app, form));
    }

    private void revoke(ApiRoutes routes, ServerRequest req, ServerResponse res) {
        App app = oauth.authenticateClient(req.headers().first(HeaderNames.AUTHORIZATION));
        Map<String, String> form = requests.form(req);
        limit(routes, app, form, res);
        String token = form.get("token");
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
