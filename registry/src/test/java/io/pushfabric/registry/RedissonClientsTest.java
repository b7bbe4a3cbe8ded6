package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.testkit.TestInfra;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
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

    private static String resource(String name) throws URISyntaxException {
        return Paths.get(RedissonClientsTest.class.getClassLoader().getResource(name).toURI()).toString();
    }
}
