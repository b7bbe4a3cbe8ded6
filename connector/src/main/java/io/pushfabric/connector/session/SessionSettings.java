package io.pushfabric.connector.session;

import io.pushfabric.contracts.config.Env;
import java.time.Duration;

/**
 * @param pendingLimit  {@code PUSH_SESSION_PENDING_LIMIT} (default 10000): live deliveries a session may
 *                      buffer while its welcome and replay are prepared; past it the session closes 4000
 * @param resumeTimeout {@code PUSH_RESUME_TIMEOUT_MS} (default 15000): how long a resume may take before
 *                      the welcome says {@code recovered:false, reason:"replay_timeout"}
 */
public record SessionSettings(int pendingLimit, Duration resumeTimeout) {
    public static SessionSettings fromEnv(Env env) {
        return new SessionSettings(env.integer("PUSH_SESSION_PENDING_LIMIT", 10_000, 1, 10_000_000),
                env.millis("PUSH_RESUME_TIMEOUT_MS", Duration.ofSeconds(15), Duration.ofMillis(100)));
    }
}
