package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.testkit.TestInfra;
import io.netty.util.HashedWheelTimer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;

class RedissonClientsTest {

    @Test
    void redisUriMeansASingleServer() {
        Config config = RedissonClients.config("redis://cache.internal:6380", 2);

        assertThat(config.isSingleConfig()).isTrue();
        assertThat(config.getNettyThreads()).isEqualTo(2);
    }

    @Test
    void tlsUriMeansASingleServerToo() {
        assertThat(RedissonClients.config("rediss://cache.internal:6380", 0).isSingleConfig()).isTrue();
    }

    @Test
    void sentinelYamlExampleParses() throws Exception {
        Config config = RedissonClients.config(resource("redisson/sentinel.yaml"), 0);

        assertThat(config.isSentinelConfig()).isTrue();
    }

    @Test
    void clusterYamlExampleParses() throws Exception {
        Config config = RedissonClients.config(resource("redisson/cluster.yaml"), 0);

        assertThat(config.isClusterConfig()).isTrue();
    }

    @Test
    void neitherUriNorFileIsRejectedWithTheValue() {
        assertThatThrownBy(() -> RedissonClients.config("localhost:6379", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost:6379");
    }

    @Test
    void brokenYamlIsRejectedWithThePath(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("broken.yaml"), "clusterServersConfig: [not, a, map\n");

        assertThatThrownBy(() -> RedissonClients.config(yaml.toString(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(yaml.toString());
    }

    @Test
    void connectsToARealRedis() {
        RedissonClient redisson = RedissonClients.connect(TestInfra.redisUri(), 1);
        try {
            String key = TestInfra.uniqueName("clients") + ":ping";
            redisson.getBucket(key).set("pong");
            assertThat(redisson.getBucket(key).get()).isEqualTo("pong");
            redisson.getBucket(key).delete();
        } finally {
            redisson.shutdown();
        }
    }

    /**
     * Redisson sizes its timer wheel's tick from the first retry delay: a random one (equal jitter) gave a tick of
     * 10 to 49 ms, which woke the {@code redisson-timer} thread up to 100 times a second in every idle service.
     */
    @Test
    void theTimerTicksEvery100MillisNotEvery10To49() throws Exception {
        for (int client = 0; client < 5; client++) {
            Redisson redisson = (Redisson) RedissonClients.connect(TestInfra.redisUri(), 1);
            try {
                Field tick = HashedWheelTimer.class.getDeclaredField("tickDuration");
                tick.setAccessible(true);
                long nanos = tick.getLong(redisson.getServiceManager().getTimer());
                assertThat(TimeUnit.NANOSECONDS.toMillis(nanos)).isEqualTo(100);
            } finally {
                redisson.shutdown();
            }
        }
    }

    @Test
    void theDeployExamplesStartRetriesAtARoundDelayToo() throws Exception {
        for (String example : List.of("single-tls.yaml", "sentinel.yaml", "cluster.yaml")) {
            Config config = RedissonClients.config(Paths.get("..", "deploy", "redisson", example).toString(), 0);
            BaseConfig<?> servers = config.isClusterConfig() ? config.useClusterServers()
                    : config.isSentinelConfig() ? config.useSentinelServers() : config.useSingleServer();

            assertThat(servers.getRetryDelay().calcDelay(0).toMillis() % 100).as(example).isZero();
        }
    }

    @Test
    void retriesWaitTheBaseDelayFirstThenJitterUpToTheCap() {
        RetryDelay delay = new RetryDelay(Duration.ofMillis(200), Duration.ofSeconds(1));

        assertThat(delay.calcDelay(0)).isEqualTo(Duration.ofMillis(200));
        for (int i = 0; i < 50; i++) {
            assertThat(delay.calcDelay(1).toMillis()).isBetween(200L, 400L);
            assertThat(delay.calcDelay(10).toMillis()).isBetween(500L, 1000L);
        }
    }

    private static String resource(String name) throws URISyntaxException {
        return Paths.get(RedissonClientsTest.class.getClassLoader().getResource(name).toURI()).toString();
    }
}
