package io.pushfabric.connector.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * Why an upgrade was not let in, as the client sees it: an HTTP status, a reason for the JSON body and,
 * when waiting helps, how long to wait ({@code Retry-After}, whole seconds, at least 1).
 */
public record Refusal(Reason reason, Duration retryAfter) {
    public enum Reason {
        /** The node is draining or stopping. */
        DRAINING(503, "draining"),
        /** Fenced (lease lapsed, rejoin not yet visible to dispatchers) or cut off from Redis or Kafka. */
        NOT_READY(503, "not_ready"),
        /** The heap was nearly full after the last GC. */
        MEMORY(503, "memory"),
        /** {@code PUSH_MAX_CONNECTIONS} reached. */
        FULL(503, "full"),
        /** {@code PUSH_CONNECTS_PER_ADDRESS_PER_MINUTE} used up. */
        ADDRESS_RATE(429, "address_rate"),
        /** {@code PUSH_CONNECTS_PER_USER_PER_MINUTE} used up. */
        USER_RATE(429, "user_rate"),
        /** {@code PUSH_MAX_SESSIONS_PER_USER} reached. */
        USER_SESSIONS(429, "user_sessions");

        private final int status;
        private final String tag;

        Reason(int status, String tag) {
            this.status = status;
            this.tag = tag;
        }

        public int status() {
            return status;
        }

        public String tag() {
            return tag;
        }
    }

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** {@code Retry-After} in whole seconds, rounded up; 0 means "no advice". */
    public long retryAfterSeconds() {
        return (retryAfter.toMillis() + 999) / 1000;
    }
}
