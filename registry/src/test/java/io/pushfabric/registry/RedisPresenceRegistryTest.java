package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

class RedisPresenceRegistryTest extends PresenceRegistryContract {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private RedisKeys keys;

    @Override
    protected PresenceRegistry newRegistry() {
        keys = redis.freshKeys("presence");
        return new RedisPresenceRegistry(redis.client(), keys);
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
        Map<String, String> online = redis.client().<String, String>getMap(keys.prefix() + "presence:{alice}",
                StringCodec.INSTANCE).readAllMap();
        assertThat(online).containsEntry("state", "online").containsEntry("sessions", "2").containsKeys("version", "at");
        assertThat(redis.client().getBucket(keys.presence(ALICE)).remainTimeToLive()).isEqualTo(-1);

        registry.transition(ALICE, false, 0);

        assertThat(redis.client().getBucket(keys.presence(ALICE)).remainTimeToLive())
                .isPositive().isLessThanOrEqualTo(RedisPresenceRegistry.OFFLINE_STATE_TTL.toMillis());
    }

    @Test
    void checksAreASortedSetPerPartition() {
        registry.checkNow(7, ALICE);

        assertThat(redis.client().getScoredSortedSet(keys.prefix() + "presence-checks:{7}", StringCodec.INSTANCE).readAll())
                .containsExactly("alice");
    }
}
