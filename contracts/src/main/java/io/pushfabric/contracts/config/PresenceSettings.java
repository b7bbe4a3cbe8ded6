package io.pushfabric.contracts.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Presence events, read the same way by connectors (which schedule presence checks as sessions open and close)
 * and dispatchers (which make the checks and publish the transitions). Set them alike on both.
 *
 * @param enabled     {@code PUSH_PRESENCE_ENABLED} (default false): schedule checks and publish presence events
 * @param grace       {@code PUSH_PRESENCE_GRACE_MS} (default 5000): how long a user may have no session (a resume,
 *                    a lost node) before it is published offline; a session opened within it means no event
 * @param topic       {@code PUSH_PRESENCE_TOPIC} (default {@value #DEFAULT_TOPIC}): where dispatchers publish
 * @param maxInFlight {@code PUSH_PRESENCE_MAX_IN_FLIGHT} (default 10000): events a dispatcher may have sent and
 *                    not yet acknowledged by Kafka; more are dropped and counted
 */
public record PresenceSettings(boolean enabled, Duration grace, String topic, int maxInFlight) {
    public static final String DEFAULT_TOPIC = "push-presence";

    public PresenceSettings {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(topic, "topic");
        if (grace.isNegative()) {
            throw new ConfigException("PUSH_PRESENCE_GRACE_MS must be >= 0, was " + grace.toMillis());
        }
        if (topic.isBlank()) {
            throw new ConfigException("PUSH_PRESENCE_TOPIC must not be blank");
        }
        if (maxInFlight < 1) {
            throw new ConfigException("PUSH_PRESENCE_MAX_IN_FLIGHT must be >= 1, was " + maxInFlight);
        }
    }

    public static final PresenceSettings DISABLED = new PresenceSettings(false, Duration.ofSeconds(5), DEFAULT_TOPIC,
            10_000);

    public static PresenceSettings fromEnv(Env env) {
        return new PresenceSettings(env.bool("PUSH_PRESENCE_ENABLED", false),
                env.millis("PUSH_PRESENCE_GRACE_MS", Duration.ofSeconds(5), Duration.ZERO),
                env.string("PUSH_PRESENCE_TOPIC", DEFAULT_TOPIC),
                env.integer("PUSH_PRESENCE_MAX_IN_FLIGHT", 10_000, 1, 1_000_000));
    }

    @Override
    public String toString() {
        return "presence[enabled=" + enabled + " grace=" + grace.toMillis() + "ms topic=" + topic + " maxInFlight="
                + maxInFlight + "]";
    }
}
