package io.presenced;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An expected refusal of a request, carried to the HTTP layer, which renders it as a RingCentral
 * error body in one place. OAuth endpoints add the OAuth {@code error} code; permission errors name
 * the missing permission.
 */
public final class ApiException extends PresencedException {
    private static final long serialVersionUID = 1L;

    /** One entry of the {@code errors} array. */
    public record Detail(String errorCode, String message, Optional<String> parameterName,
                         Optional<String> parameterValue) {
        public Detail {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(message, "message");
        }
    }

    /** An extra response header. */
    public record Header(String name, String value) {
    }

    private final int status;
    private final String errorCode;
    private final transient List<Detail> details;
    private final String oauthError;
    private final String permissionName;
    private final transient List<Header> headers;

    private ApiException(int status, String errorCode, String message, List<Detail> details, String oauthError,
                         String permissionName, List<Header> headers) {
        super(message);
        this.status = status;
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.details = List.copyOf(details);
        this.oauthError = oauthError;
        this.permissionName = permissionName;
        this.headers = List.copyOf(headers);
    }

    private static List<Detail> one(String code, String message) {
        return List.of(new Detail(code, message, Optional.empty(), Optional.empty()));
    }

    /** An error with one detail repeating the code and message. */
    public static ApiException of(int status, String errorCode, String message) {
        return new ApiException(status, errorCode, message, one(errorCode, message), null, null, List.of());
    }

    /** An error whose top-level code (e.g. {@code TokenInvalid}) differs from its detail code (e.g. {@code OAU-213}). */
    public static ApiException coded(int status, String topCode, String detailCode, String message) {
        return new ApiException(status, topCode, message, one(detailCode, message), null, null, List.of());
    }

    /** {@code 403}: the caller lacks a permission, named in {@code permissionName} as RingCentral does. */
    public static ApiException permission(String topCode, String detailCode, String message, String permission) {
        return new ApiException(403, topCode, message, one(detailCode, message), null, permission, List.of());
    }

    /** An error about one request parameter. */
    public static ApiException parameter(int status, String errorCode, String message, String name, String value) {
        return new ApiException(status, errorCode, message,
                List.of(new Detail(errorCode, message, Optional.of(name), Optional.ofNullable(value))), null, null,
                List.of());
    }

    /** {@code 400 CMN-101 Parameter [name] value is invalid}. */
    public static ApiException invalidParameter(String name, String value) {
        return parameter(400, "CMN-101", "Parameter [" + name + "] value is invalid", name, value);
    }

    /** An OAuth endpoint error: the RingCentral body plus {@code error} and {@code error_description}. */
    public static ApiException oauth(int status, String oauthError, String errorCode, String message) {
        return new ApiException(status, errorCode, message, one(errorCode, message), oauthError, null, List.of());
    }

    /** This error with an extra response header. */
    public ApiException withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new ApiException(status, errorCode, getMessage(), details, oauthError, permissionName, more);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public List<Detail> details() {
        return details;
    }

    /** The OAuth {@code error} code, for errors of the OAuth endpoints. */
    public Optional<String> oauthError() {
        return Optional.ofNullable(oauthError);
    }

    /** The permission the caller lacks, for permission errors. */
    public Optional<String> permissionName() {
        return Optional.ofNullable(permissionName);
    }

    /** Extra response headers. */
    public List<Header> headers() {
        return headers;
    }
}
