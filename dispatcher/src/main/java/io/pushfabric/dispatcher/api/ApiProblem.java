package io.pushfabric.dispatcher.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A request the API answers with an error: the HTTP status, a stable code and a sentence for people
 * (docs/http-api.md, Errors). Thrown by the checks and answered by {@link HttpApiServer}.
 *
 * @param reason     a finer code where there is one (the dead-letter reason of a bad push request), or null
 * @param index      for a batch, the position of the request at fault, or -1
 * @param retryAfter for 429 and 503, when to try again (the {@code Retry-After} header), or null
 */
public final class ApiProblem extends Exception {
    private final int status;
    private final String code;
    private final String reason;
    private final int index;
    private final Duration retryAfter;

    private ApiProblem(int status, String code, String message, String reason, int index, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.reason = reason;
        this.index = index;
        this.retryAfter = retryAfter;
    }

    static ApiProblem of(int status, String code, String message) {
        return new ApiProblem(status, code, message, null, -1, null);
    }

    static ApiProblem unauthorized(String message) {
        return of(401, "unauthorized", message);
    }

    static ApiProblem badRequest(String reason, String message) {
        return new ApiProblem(400, "bad_request", message, reason, -1, null);
    }

    static ApiProblem tooLarge(String reason, String message) {
        return new ApiProblem(413, "too_large", message, reason, -1, null);
    }

    static ApiProblem rateLimited(String key, Duration wait) {
        return new ApiProblem(429, "rate_limited", "key '" + key + "' is over its rate; retry after the"
                + " Retry-After seconds", null, -1, wait);
    }

    static ApiProblem unavailable(String message, Duration retryAfter) {
        return new ApiProblem(503, "unavailable", message, null, -1, retryAfter);
    }

    /** The same problem, about the request at {@code position} of a batch. */
    ApiProblem at(int position) {
        return new ApiProblem(status, code, "requests[" + position + "]: " + getMessage(), reason, position, retryAfter);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public int index() {
        return index;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
