package io.idstream.gateway.http;

/**
 * A refusal the API answers with {@code {"error":{"code","message"}}}: the status and a stable code that clients act
 * on, and a message in words that never carries a key or a field's value.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String BAD_REQUEST = "bad-request";
    static final String FORBIDDEN = "forbidden";
    static final String NOT_FOUND = "not-found";
    static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    static final String TOO_LARGE = "too-large";
    static final String TOO_MANY_REQUESTS = "too-many-requests";
    static final String RATE_LIMITED = "rate-limited";
    static final String NO_BACKUP = "no-backup";
    static final String REPLAYED_NONCE = "replayed-nonce";
    static final String UNAVAILABLE = "unavailable";
    static final String INTERNAL = "internal";

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private ApiError(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429, with the seconds after which a retry may succeed (the {@code Retry-After} header). */
    static ApiError tooManyRequests(String message, long retryAfterSeconds) {
        return tooManyRequests(TOO_MANY_REQUESTS, message, retryAfterSeconds);
    }

    /** 429 under its own code, with the seconds after which a retry may succeed. */
    static ApiError tooManyRequests(String code, String message, long retryAfterSeconds) {
        return new ApiError(429, code, message, Math.max(1, retryAfterSeconds));
    }

    /** The {@code Retry-After} seconds to answer with, 0 for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds > 0 ? retryAfterSeconds : status == 503 ? 1 : 0;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, BAD_REQUEST, message);
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, FORBIDDEN, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, NOT_FOUND, message);
    }

    static ApiError noBackup() {
        return new ApiError(404, NO_BACKUP, "no backup is stored for this id");
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, UNAVAILABLE, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
