package io.pushfabric.testkit;

import io.pushfabric.embedded.EmbeddedRedisCluster;
import io.pushfabric.embedded.EmbeddedRedisSentinel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Redisson YAML files for the embedded Cluster and Sentinel, written the way {@code deploy/redisson/} does
 * it ({@code readMode: "MASTER"}, small pools), with {@code scanInterval} 1 s so a failover is noticed
 * quickly. A service reads them through {@code PUSH_REDIS=<path>}, as in production. Each file is a fresh
 * temporary file, deleted when the JVM exits.
 */
public final class RedissonYaml {
    /** What both files set under their servers config: as in deploy/redisson/, with a 1 s topology scan. */
    private static final String SETTINGS = """
            readMode: "MASTER"
            scanInterval: 1000
            connectTimeout: 5000
            timeout: 3000
            retryAttempts: 3
            retryDelay: !<org.redisson.config.ConstantDelay> {delay: PT0.2S}
            masterConnectionPoolSize: 8
            masterConnectionMinimumIdleSize: 1
            slaveConnectionPoolSize: 2
            slaveConnectionMinimumIdleSize: 1
            """.indent(2);

    private RedissonYaml() {
    }

    public static Path cluster(EmbeddedRedisCluster cluster) {
        return write("cluster", """
                clusterServersConfig:
                  nodeAddresses:
                %s
                %s""".formatted(list(cluster.addresses()), SETTINGS));
    }

    public static Path sentinel(EmbeddedRedisSentinel sentinel) {
        return write("sentinel", """
                sentinelServersConfig:
                  masterName: "%s"
                  sentinelAddresses:
                %s
                %s""".formatted(EmbeddedRedisSentinel.MASTER_NAME,
                list(sentinel.sentinelAddresses()), SETTINGS));
    }

    private static String list(List<String> addresses) {
        return addresses.stream().map(a -> "    - \"" + a + "\"").collect(Collectors.joining("\n"));
    }

    private static Path write(String kind, String yaml) {
        try {
            Path file = Files.createTempFile("pushfabric-redisson-" + kind + "-", ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write a Redisson " + kind + " config", e);
        }
    }
}
