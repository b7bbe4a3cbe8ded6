package io.pushfabric.launcher;

import io.pushfabric.registry.RedisSettings;
import picocli.CommandLine.Option;

/** {@code --redis} and {@code --prefix}, for the commands that read the registry. */
final class RedisOptions {
    @Option(names = "--redis", paramLabel = "URI|YAML", defaultValue = "redis://localhost:6379",
            description = "Redis URI or Redisson YAML file (default: ${DEFAULT-VALUE}).")
    private String redis;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "pf:",
            description = "Redis key prefix (default: ${DEFAULT-VALUE}).")
    private String prefix;

    RedisSettings settings() {
        return new RedisSettings(redis, prefix);
    }
}
