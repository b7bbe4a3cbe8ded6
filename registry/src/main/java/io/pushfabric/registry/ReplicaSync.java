package io.pushfabric.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How many replicas must hold a new route before {@link RouteRegistry#register} returns: Redis replicates
 * asynchronously, so a route only the master held is gone when a replica takes over (Sentinel or Cluster
 * failover), and its session would stay open without deliveries. With {@code replicas > 0} the registration
 * waits ({@code WAIT}) for that many replicas of the route's master, at most {@code timeout}; fewer is a
 * {@link TransientRegistryException}, the session is refused (1011) and the client comes back.
 *
 * @param replicas {@code PUSH_REDIS_SYNC_REPLICAS} (default 0: do not wait; 0..5)
 * @param timeout  {@code PUSH_REDIS_SYNC_TIMEOUT_MS} (default 500 ms; at least 1 ms)
 */
public record ReplicaSync(int replicas, Duration timeout) {
    public static final ReplicaSync NONE = new ReplicaSync(0, Duration.ofMillis(500));

    public ReplicaSync {
        Objects.requireNonNull(timeout, "timeout");
        if (replicas < 0 || replicas > 5) {
            throw new IllegalArgumentException("PUSH_REDIS_SYNC_REPLICAS must be in 0..5, was " + replicas);
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("PUSH_REDIS_SYNC_TIMEOUT_MS must be at least 1, was " + timeout.toMillis());
        }
    }
}
