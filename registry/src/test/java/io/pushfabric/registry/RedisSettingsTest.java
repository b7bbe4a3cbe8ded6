package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void registrationsWaitForNoReplicaByDefault() {
        RedisSettings settings = RedisSettings.fromEnv(new Env(Map.of()));

        assertThat(settings.replicaSync()).isEqualTo(ReplicaSync.NONE);
        assertThat(settings.replicaSync().replicas()).isZero();
    }

    @Test
    void replicaSyncIsReadFromTheEnvironment() {
        RedisSettings settings = RedisSettings.fromEnv(new Env(Map.of(
                "PUSH_REDIS_SYNC_REPLICAS", "1", "PUSH_REDIS_SYNC_TIMEOUT_MS", "250")));

        assertThat(settings.replicaSync()).isEqualTo(new ReplicaSync(1, Duration.ofMillis(250)));
    }

    @Test
    void badReplicaCountNamesTheVariable() {
        assertThatThrownBy(() -> RedisSettings.fromEnv(new Env(Map.of("PUSH_REDIS_SYNC_REPLICAS", "9"))))
                .hasMessageContaining("PUSH_REDIS_SYNC_REPLICAS");
        assertThatThrownBy(() -> new ReplicaSync(1, Duration.ZERO)).hasMessageContaining("PUSH_REDIS_SYNC_TIMEOUT_MS");
    }
}
