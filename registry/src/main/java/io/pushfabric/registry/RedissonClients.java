package io.pushfabric.registry;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Builds the {@link RedissonClient} the registry runs on, from one string:
 * <ul>
 *   <li>{@code redis://host:port} or {@code rediss://host:port} (TLS): a single server, with the settings
 *       below;</li>
 *   <li>anything else: the path of a Redisson YAML config file, used as written. This is how to reach
 *       Sentinel or Cluster. Sentinel:
 * <pre>
 * sentinelServersConfig:
 *   masterName: "mymaster"
 *   sentinelAddresses:
 *     - "redis://sentinel-1:26379"
 *     - "redis://sentinel-2:26379"
 *     - "redis://sentinel-3:26379"
 *   connectTimeout: 5000
 *   timeout: 3000
 *   retryAttempts: 3
 *   readMode: "MASTER"
 * </pre>
 *       Cluster:
 * <pre>
 * clusterServersConfig:
 *   nodeAddresses:
 *     - "redis://redis-1:6379"
 *     - "redis://redis-2:6379"
 *     - "redis://redis-3:6379"
 *   scanInterval: 2000
 *   connectTimeout: 5000
 *   timeout: 3000
 *   retryAttempts: 3
 *   readMode: "MASTER"
 * </pre>
 *   </li>
 * </ul>
 * Set {@code readMode: "MASTER"}: Redisson's default for Sentinel and Cluster is {@code SLAVE}, which sends
 * plain reads (route lookups, lease checks) to replicas that may lag behind the writes.
 * The registry passes {@code StringCodec} to every object it opens, so the codec of the file does not
 * matter to it. Single-server settings: connect timeout {@value #CONNECT_TIMEOUT_MILLIS} ms, command
 * timeout {@value #TIMEOUT_MILLIS} ms, {@value #RETRY_ATTEMPTS} retries, the first after 200 ms, then with equal-jitter
 * delay up to 1 s ({@link RetryDelay}: it also keeps Redisson's timer at a 100 ms tick), pool of {@value #POOL_SIZE} connections ({@value #MIN_IDLE} kept idle). A call that still
 * fails throws a Redisson {@code RedisException}.
 *
 * <p>{@code Redisson.create} connects at once, so an unreachable Redis fails start-up here.
 */
public final class RedissonClients {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int TIMEOUT_MILLIS = 3_000;
    static final int RETRY_ATTEMPTS = 3;
    static final int POOL_SIZE = 32;
    static final int MIN_IDLE = 4;

    private RedissonClients() {
    }

    /** A client with Redisson's default thread counts. @see #connect(String, int) */
    public static RedissonClient connect(String redis) {
        return Redisson.create(config(redis, 0));
    }

    /**
     * A client with {@code threads} Netty I/O threads and as many listener threads; tests and small
     * processes pass 1 or 2 (Redisson's defaults are 32 and 16).
     */
    public static RedissonClient connect(String redis, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Redisson threads must be >= 1, was " + threads);
        }
        return Redisson.create(config(redis, threads));
    }

    /** @param threads 0 keeps Redisson's (or the file's) thread counts */
    static Config config(String redis, int threads) {
        Objects.requireNonNull(redis, "redis");
        Config config;
        if (redis.startsWith("redis://") || redis.startsWith("rediss://")) {
            config = new Config();
            config.setCodec(StringCodec.INSTANCE);
            config.useSingleServer()
                    .setAddress(redis)
                    .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                    .setTimeout(TIMEOUT_MILLIS)
                    .setRetryAttempts(RETRY_ATTEMPTS)
                    .setRetryDelay(new RetryDelay(Duration.ofMillis(200), Duration.ofSeconds(1)))
                    .setConnectionPoolSize(POOL_SIZE)
                    .setConnectionMinimumIdleSize(MIN_IDLE);
        } else {
            File file = new File(redis);
            if (!file.isFile()) {
                throw new IllegalArgumentException("Redis '" + redis
                        + "' is neither a redis:// or rediss:// URI nor a readable Redisson YAML file");
            }
            try {
                config = Config.fromYAML(file);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read Redisson YAML config '" + redis + "': "
                        + e.getMessage(), e);
            }
        }
        if (threads > 0) {
            config.setNettyThreads(threads);
            config.setThreads(threads);
        }
        return config;
    }
}
