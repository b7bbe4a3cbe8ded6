package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.testkit.TestInfra;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

class RedisPresenceRegistryTest extends PresenceRegistryContract {
    private static RedissonClient redisson;
    private RedisKeys keys;

    @BeforeAll
    static void connect() {
        redisson = RedissonClients.connect(TestInfra.redisUri(), 2);
    }

    @AfterAll
    static void disconnect() {
        redisson.shutdown();
    }

    @Override
    protected PresenceRegistry newRegistry() {
        keys = new RedisKeys(TestInfra.uniqueName("presence") + ":");
        return new RedisPresenceRegistry(redisson, keys);
    }

    @Override
    protected Duration shortGrace() {
        return Duration.ofMillis(300);
    }

    @Override
    protected void pass(Duration grace, BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    @Test
    void stateIsReadableTextUnderTheDocumentedKeyAndExpiresOnlyOnceOffline() {
        registry.transition(ALICE, true, 2);
        Map<String, String> online = redisson.<String, String>getMap(keys.prefix() + "presence:{alice}",
                StringCodec.INSTANCE).readAllMap();
        assertThat(online).containsEntry("state", "online").containsEntry("sessions", "2").containsKeys("version", "at");
        assertThat(redisson.getBucket(keys.presence(ALICE)).remainTimeToLive()).isEqualTo(-1);

        registry.transition(ALICE, false, 0);

        assertThat(redisson.getBucket(keys.presence(ALICE)).remainTimeToLive())
                .isPositive().isLessThanOrEqualTo(RedisPresenceRegistry.OFFLINE_STATE_TTL.toMillis());
    }

    @Test
    void checksAreASortedSetPerPartition() {
        registry.checkNow(7, ALICE);

        assertThat(redisson.getScoredSortedSet(keys.prefix() + "presence-checks:{7}", StringCodec.INSTANCE).readAll())
                .containsExactly("alice");
    }
}
