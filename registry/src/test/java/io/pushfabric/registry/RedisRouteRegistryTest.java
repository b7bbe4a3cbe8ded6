package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.testkit.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

class RedisRouteRegistryTest extends RouteRegistryContract {
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private RedisKeys keys;

    @Override
    protected RouteRegistry newRegistry() {
        keys = redis.freshKeys("routes");
        return new RedisRouteRegistry(redis.client(), keys);
    }

    @Test
    void registrationThatNoReplicaConfirmsIsRefusedAndLeavesNoRoute() {
        // The shared redis-server has no replica: WAIT 1 always answers 0.
        RouteRegistry synced = new RedisRouteRegistry(redis.client(), keys, new ReplicaSync(1, Duration.ofMillis(50)));

        assertThatThrownBy(() -> synced.register(route(ALICE, "s1", NODE_A)))
                .isInstanceOf(TransientRegistryException.class)
                .hasMessageContaining("reached 0 of 1 replicas")
                .hasMessageContaining("PUSH_REDIS_SYNC_REPLICAS");
        assertThat(registry.sessionsOf(ALICE)).isEmpty();
        assertThat(registry.routesOn(NODE_A)).isEmpty();
    }

    @Test
    void groupThatNoReplicaConfirmsIsRefusedAndLeavesNoRoute() {
        RouteRegistry synced = new RedisRouteRegistry(redis.client(), keys, new ReplicaSync(1, Duration.ofMillis(50)));

        assertThatThrownBy(() -> synced.registerAll(List.of(route(ALICE, "s1", NODE_A), route(BOB, "s2", NODE_A))))
                .isInstanceOf(TransientRegistryException.class)
                .hasMessageContaining("2 routes reached 0 of 1 replicas");
        assertThat(registry.sessionsOf(ALICE)).isEmpty();
        assertThat(registry.sessionsOf(BOB)).isEmpty();
        assertThat(registry.routesOn(NODE_A)).isEmpty();
    }

    @Test
    void routesAreReadableTextUnderTheDocumentedKeys() {
        registry.register(route(ALICE, "s1", NODE_A));

        assertThat(redis.client().<String, String>getMap(keys.prefix() + "route:{alice}", StringCodec.INSTANCE).readAllMap())
                .isEqualTo(Map.of("s1", "node-a"));
        assertThat(redis.client().<String>getSet(keys.prefix() + "node-routes:{node-a}", StringCodec.INSTANCE).readAll())
                .containsExactly("s1|alice");
    }

    @Test
    void unregisterDropsTheStaleIndexEntryOfAMovedSession() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(ALICE, "s1", NODE_B));

        registry.unregister(route(ALICE, "s1", NODE_A));

        assertThat(redis.client().getSet(keys.nodeRoutes(NODE_A), StringCodec.INSTANCE).isExists()).isFalse();
        assertThat(registry.sessionsOf(ALICE)).containsExactly(route(ALICE, "s1", NODE_B));
    }

    @Test
    void indexEntryWithoutRouteIsSkippedAndCleanedUp() {
        // What a crash between the two writes of register() leaves behind.
        redis.client().<String>getSet(keys.nodeRoutes(NODE_A), StringCodec.INSTANCE).add("s9|bob");
        registry.register(route(ALICE, "s1", NODE_A));

        assertThat(registry.routesOn(NODE_A)).containsExactly(route(ALICE, "s1", NODE_A));
        assertThat(registry.removeAllOn(NODE_A)).isEqualTo(1);
        assertThat(redis.client().getSet(keys.nodeRoutes(NODE_A), StringCodec.INSTANCE).isExists()).isFalse();
    }

    @Test
    void redisFailureSurfacesAsTransientRegistryException() {
        RedissonClient closed = RedissonClients.connect(TestInfra.redisUri(), 1);
        closed.shutdown();
        RouteRegistry broken = RedisFailures.translating(RouteRegistry.class, new RedisRouteRegistry(closed, keys));

        assertThatThrownBy(() -> broken.register(route(ALICE, "s1", NODE_A)))
                .isInstanceOf(TransientRegistryException.class).hasCauseInstanceOf(RedisException.class);
        assertThatThrownBy(() -> broken.nodesOf(List.of(ALICE)))
                .isInstanceOf(TransientRegistryException.class).hasCauseInstanceOf(RedisException.class);
    }
}
