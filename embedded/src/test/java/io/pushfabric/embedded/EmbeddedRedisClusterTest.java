package io.pushfabric.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedRedisClusterTest {

    @Test
    void aReplicaTakesOverTheSlotsOfAKilledMaster() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 1, Duration.ofMillis(1500))) {
            assertThat(cluster.addresses()).hasSize(6);
            assertThat(cluster.isHealthy()).isTrue();
            RedisServerProcess master = cluster.masterOf("route:{alice}").orElseThrow();
            assertThat(master.command("SET", "route:{alice}", "n1")).isEqualTo("OK");
            assertThat(master.command("WAIT", "1", "5000")).as("replicas that have the write").isEqualTo("1");

            master.kill();
            cluster.awaitHealthy(Duration.ofSeconds(20));

            RedisServerProcess promoted = cluster.masterOf("route:{alice}").orElseThrow();
            assertThat(promoted.port()).isNotEqualTo(master.port());
            assertThat(promoted.command("GET", "route:{alice}")).isEqualTo("n1");
        }
    }
}
