package io.pushfabric.dispatcher.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.Json;
import java.time.Duration;

/**
 * One answer of the API: status, JSON body, and when to retry (the {@code Retry-After} header) or null.
 */
record ApiReply(int status, ObjectNode body, Duration retryAfter) {

    static ApiReply ok(ObjectNode body) {
        return new ApiReply(200, body, null);
    }

    static ApiReply of(ApiProblem problem) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", problem.code());
        if (problem.reason() != null) {
            body.put("reason", problem.reason());
        }
        if (problem.index() >= 0) {
            body.put("index", problem.index());
        }
        body.put("message", problem.getMessage());
        return new ApiReply(problem.status(), body, problem.retryAfter());
    }

    /** Whole seconds, rounded up, at least 1: what {@code Retry-After} carries. */
    long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
