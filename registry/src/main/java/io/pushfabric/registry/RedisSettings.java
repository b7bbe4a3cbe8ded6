package io.pushfabric.registry;

import io.pushfabric.contracts.config.Env;
import java.util.Objects;

/**
 * How a service reaches Redis.
 *
 * @param address   {@code PUSH_REDIS} (default {@code redis://localhost:6379}): a {@code redis://} or
 *                  {@code rediss://} URI for one server, or the path of a Redisson YAML file for Sentinel
 *                  or Cluster
 * @param keyPrefix {@code PUSH_REDIS_PREFIX} (default {@code pf:}): every key starts with it
 */
public record RedisSettings(String address, String keyPrefix) {
    public RedisSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    public static RedisSettings fromEnv(Env env) {
        return new RedisSettings(env.string("PUSH_REDIS", "redis://localhost:6379"), env.string("PUSH_REDIS_PREFIX", "pf:"));
    }

    /** The address without a password, for the start-up log line. */
    public String redacted() {
        return address.replaceAll("//[^@/]*@", "//****@");
    }
}
