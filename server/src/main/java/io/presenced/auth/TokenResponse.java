package io.presenced.auth;

/** The body of a successful {@code /restapi/oauth/token} call, named as OAuth and RingCentral name its fields. */
public record TokenResponse(String access_token, String token_type, long expires_in, String refresh_token,
                            long refresh_token_expires_in, String scope, String owner_id, String endpoint_id,
                            String session_id) {
}
