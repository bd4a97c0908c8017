package dev.switchboard.web;

import org.springframework.http.HttpStatus;

/** A refusal with an HTTP status and a message a person can act on; rendered in the surface's own error shape. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String field;
    /** Whole seconds after which a refused caller may try again (429), or null. */
    private final Long retryAfterSeconds;

    public ApiException(HttpStatus status, String message) {
        this(status, null, message);
    }

    public ApiException(HttpStatus status, String field, String message) {
        this(status, field, message, null);
    }

    private ApiException(HttpStatus status, String field, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 until {@code until}: the answer says when in {@code Retry-After} (RFC 6585 §4) as well as in words. */
    public static ApiException locked(String message, java.time.Instant until, java.time.Instant now) {
        long seconds = Math.max(1, java.time.Duration.between(now, until).toSeconds() + 1);
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, null, message, seconds);
    }

    /** The answer built for this refusal, with the headers it calls for ({@code Retry-After}). */
    public <T> org.springframework.http.ResponseEntity<T> decorate(org.springframework.http.ResponseEntity<T> answer) {
        if (retryAfterSeconds == null) {
            return answer;
        }
        return org.springframework.http.ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(org.springframework.http.HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(answer.getBody());
    }

    /** Seconds for {@code Retry-After}, or null when the refusal has none. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public HttpStatus status() {
        return status;
    }

    /** The request field the refusal is about, or null. */
    public String field() {
        return field;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, field, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " not found");
    }

    public static ApiException conflict(String field, String message) {
        return new ApiException(HttpStatus.CONFLICT, field, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, message);
    }
}
