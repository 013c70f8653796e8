package io.presenced.auth;

/** The body of {@code /restapi/oauth/wstoken}. */
public record WsTokenResponse(String uri, String ws_access_token, long expires_in) {
}
