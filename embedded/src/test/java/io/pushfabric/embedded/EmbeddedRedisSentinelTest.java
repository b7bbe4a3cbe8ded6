package io.pushfabric.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedRedisSentinelTest {

    @Test
    void sentinelsPromoteTheReplicaOfAKilledMaster() {
        try (EmbeddedRedisSentinel group = EmbeddedRedisSentinel.start(1, 3, Duration.ofMillis(1000))) {
            assertThat(group.sentinelAddresses()).hasSize(3);
            RedisServerProcess master = group.master().orElseThrow();
            assertThat(master.command("SET", "lease:{n1}", "token")).isEqualTo("OK");
            assertThat(group.awaitMaster(Duration.ofSeconds(1))).isSameAs(master);

            assertThat(master.command("WAIT", "1", "5000")).as("replicas that have the write").isEqualTo("1");
            master.kill();
            RedisServerProcess promoted = group.awaitMaster(Duration.ofSeconds(20));

            assertThat(promoted.port()).isNotEqualTo(master.port());
            assertThat(promoted.command("GET", "lease:{n1}")).isEqualTo("token");
        }
    }
}
