package io.pushfabric.registry;

import io.pushfabric.contracts.config.Env;
import java.time.Duration;
import java.util.Objects;

/**
 * How a service reaches Redis.
 *
 * @param address   {@code PUSH_REDIS} (default {@code redis://localhost:6379}): a {@code redis://} or
 *                  {@code rediss://} URI for one server, or the path of a Redisson YAML file for Sentinel
 *                  or Cluster
 * @param keyPrefix {@code PUSH_REDIS_PREFIX} (default {@code pf:}): every key starts with it
 * @param replicaSync {@code PUSH_REDIS_SYNC_REPLICAS} and {@code PUSH_REDIS_SYNC_TIMEOUT_MS}: how many replicas
 *                    must hold a route before it counts as registered (default none)
 */
public record RedisSettings(String address, String keyPrefix, ReplicaSync replicaSync) {
    public RedisSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(replicaSync, "replicaSync");
    }

    /** Registrations wait for no replica. */
    public RedisSettings(String address, String keyPrefix) {
        this(address, keyPrefix, ReplicaSync.NONE);
    }

    public static RedisSettings fromEnv(Env env) {
        return new RedisSettings(env.string("PUSH_REDIS", "redis://localhost:6379"), env.string("PUSH_REDIS_PREFIX", "pf:"),
                new ReplicaSync(env.integer("PUSH_REDIS_SYNC_REPLICAS", 0, 0, 5),
                        env.millis("PUSH_REDIS_SYNC_TIMEOUT_MS", ReplicaSync.NONE.timeout(), Duration.ofMillis(1))));
    }

    /** The address without a password, for the start-up log line. */
    public String redacted() {
        return address.replaceAll("//[^@/]*@", "//****@");
    }
}
