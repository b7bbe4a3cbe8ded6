package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.embedded.EmbeddedRedisCluster;
import io.pushfabric.embedded.RedisServerProcess;
import io.pushfabric.registry.DedupeWindow.Claim;
import io.pushfabric.testkit.RedissonYaml;
import io.pushfabric.testkit.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registries on a Redis Cluster of 3 masters and 3 replicas, through a Redisson cluster config file as a
 * service reads it: every contract holds (so no script or command crosses slots: the contracts' users and
 * nodes land in different slots), and while the master of a busy user's slot is killed, every call either
 * works or fails as {@link TransientRegistryException}, and what was written before is there after.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class RedisClusterRegistriesTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterRegistriesTest.class);
    private static EmbeddedRedisCluster cluster;
    private static RedissonClient redisson;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start(3, 1, Duration.ofMillis(1500));
        redisson = RedissonClients.connect(RedissonYaml.cluster(cluster).toString(), 2);
    }

    @AfterAll
    static void stopCluster() {
        if (redisson != null) {
            redisson.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RedisKeys freshKeys(String name) {
        return new RedisKeys(TestInfra.uniqueName(name) + ":");
    }

    private static void lapseOnRedis(Duration ttl, BooleanSupplier condition) {
        await().atMost(ttl.plusSeconds(2)).pollInterval(Duration.ofMillis(25)).until(condition::getAsBoolean);
    }

    /** Each test of {@link Failover} kills a master; the other may run first and leave one without replica. */
    private static UserId userWhoseMasterHasAReplica(RedisKeys keys, String prefix) {
        return IntStream.range(0, 100).mapToObj(i -> UserId.of(prefix + i))
                .filter(u -> cluster.replicaOf(cluster.masterOf(keys.route(u)).orElseThrow()).isPresent())
                .findFirst().orElseThrow();
    }

    @Nested
    @Order(1)
    class Routes extends RouteRegistryContract {
        @Override
        protected RouteRegistry newRegistry() {
            return new RedisRouteRegistry(redisson, freshKeys("cluster-routes"));
        }
    }

    @Nested
    @Order(2)
    class Nodes extends NodeRegistryContract {
        @Override
        protected NodeRegistry newRegistry() {
            return new RedisNodeRegistry(redisson, freshKeys("cluster-nodes"));
        }

        @Override
        protected Duration shortTtl() {
            return Duration.ofMillis(300);
        }

        @Override
        protected void lapse(Duration ttl, BooleanSupplier condition) {
            lapseOnRedis(ttl, condition);
        }
    }

    @Nested
    @Order(3)
    class Dedupe extends DedupeWindowContract {
        @Override
        protected DedupeWindow newWindow() {
            return new RedisDedupeWindow(redisson, freshKeys("cluster-dedupe"));
        }

        @Override
        protected Duration shortWindow() {
            return Duration.ofMillis(300);
        }

        @Override
        protected void lapse(Duration window, BooleanSupplier condition) {
            lapseOnRedis(window, condition);
        }
    }

    @Nested
    @Order(4)
    class Failover {
        @Test
        void callsDuringAMasterFailoverWorkOrFailTransientlyAndNothingReplicatedIsLost() {
            RedisKeys keys = freshKeys("cluster-failover");
            RedisRegistries registries = new RedisRegistries(redisson, keys);
            UserId busy = userWhoseMasterHasAReplica(keys, "busy-");
            NodeId node = NodeId.of("node-a");
            registries.routes().register(new SessionRoute(busy, "s-before", node));
            assertThat(registries.lock().runExclusively("janitor", Duration.ofSeconds(5), () -> { })).isTrue();
            RedisServerProcess master = cluster.masterOf(keys.route(busy)).orElseThrow();
            assertThat(master.command("WAIT", "1", "5000")).as("replicas that have the route").isEqualTo("1");

            master.kill();
            long killedAt = System.nanoTime();
            Map<String, Integer> failures = new TreeMap<>();
            List<String> registered = new ArrayList<>();
            int calls = 0;
            long recoveredAfterMillis = -1;
            while (recoveredAfterMillis < 0 || calls < 20) {
                calls++;
                String session = "s" + calls;
                try {
                    registries.routes().register(new SessionRoute(busy, session, node));
                    registered.add(session);
                    assertThat(registries.routes().nodesOf(List.of(busy))).containsEntry(busy, Set.of(node));
                    registries.dedupe().claim(List.of(new Claim("busy", "m" + calls, new MessagePosition(0, calls))),
                            Duration.ofMinutes(1));
                    if (recoveredAfterMillis < 0) {
                        recoveredAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
                    }
                } catch (TransientRegistryException e) {
                    failures.merge(e.getCause().getClass().getSimpleName(), 1, Integer::sum);
                }
                assertThat((System.nanoTime() - killedAt) / 1_000_000_000).as("seconds without a working registry")
                        .isLessThan(30);
            }
            LOG.info("Master of a busy user killed: first call through after {} ms; {} calls, transient failures {}",
                    recoveredAfterMillis, calls, failures);

            List<SessionRoute> sessions = registries.routes().sessionsOf(busy);
            assertThat(sessions).extracting(SessionRoute::sessionId).contains("s-before")
                    .containsAll(registered);
            assertThat(cluster.masterOf(keys.route(busy)).orElseThrow().port()).isNotEqualTo(master.port());
        }

        /**
         * Replication is asynchronous: a write the master acknowledged but its replica never got is gone after
         * the replica takes over. A route that {@code register} acknowledged must not be one of them, or its
         * session stays open and never hears of its user again.
         */
        @Test
        void aRouteRegisteredWhileTheReplicaLagsIsEitherRefusedOrSurvivesTheFailover() {
            RedisKeys keys = freshKeys("cluster-lag");
            RedisRegistries registries = new RedisRegistries(redisson, keys, new ReplicaSync(1, Duration.ofMillis(300)));
            UserId victim = userWhoseMasterHasAReplica(keys, "victim-");
            boolean acknowledged = writeWhileTheReplicaLagsThenFailOver(keys.route(victim),
                    () -> registries.routes().register(new SessionRoute(victim, "s-synced", NodeId.of("node-a"))),
                    () -> registries.routes().register(new SessionRoute(victim, "s-lagging", NodeId.of("node-a"))));

            List<String> survived = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> registries.routes().sessionsOf(victim).stream().map(SessionRoute::sessionId).toList(),
                            sessions -> true);
            assertThat(survived).contains("s-synced");
            if (acknowledged) {
                assertThat(survived).as("an acknowledged route after the failover").contains("s-lagging");
            }
        }

        /**
         * The same for a node's channel route: lost after an acknowledgement, it would leave the node's
         * subscribers of that channel open and silently without deliveries.
         */
        @Test
        void aChannelRouteRegisteredWhileTheReplicaLagsIsEitherRefusedOrSurvivesTheFailover() {
            RedisKeys keys = freshKeys("cluster-channel-lag");
            RedisRegistries registries = new RedisRegistries(redisson, keys, new ReplicaSync(1, Duration.ofMillis(300)));
            ChannelName channel = IntStream.range(0, 100).mapToObj(i -> ChannelName.of("room:" + i))
                    .filter(c -> cluster.replicaOf(cluster.masterOf(keys.channel(c)).orElseThrow()).isPresent())
                    .findFirst().orElseThrow();
            boolean acknowledged = writeWhileTheReplicaLagsThenFailOver(keys.channel(channel),
                    () -> registries.channels().register(new ChannelRoute(channel, NodeId.of("node-a"), "t-synced")),
                    () -> registries.channels().register(new ChannelRoute(channel, NodeId.of("node-b"), "t-lagging")));

            Set<NodeId> survived = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> registries.channels().nodesOf(List.of(channel)).get(channel), nodes -> true);
            assertThat(survived).contains(NodeId.of("node-a"));
            if (acknowledged) {
                assertThat(survived).as("an acknowledged channel route after the failover").contains(NodeId.of("node-b"));
            }
        }

        /**
         * Runs {@code synced} and waits until the replica of {@code key}'s master has it; then freezes that
         * replica and cuts its link, runs {@code lagging}, kills the master and waits for the cluster to heal.
         *
         * @return whether {@code lagging} returned (false: it threw {@link TransientRegistryException})
         */
        private boolean writeWhileTheReplicaLagsThenFailOver(String key, Runnable synced, Runnable lagging) {
            RedisServerProcess master = cluster.masterOf(key).orElseThrow();
            RedisServerProcess replica = cluster.replicaOf(master).orElseThrow();
            synced.run();
            assertThat(master.command("WAIT", "1", "5000")).as("replicas that have the first write").isEqualTo("1");

            replica.pause();
            // The link breaks while the replica is frozen: nothing written from now on reaches it.
            assertThat(master.command("CLIENT", "KILL", "TYPE", "slave")).isEqualTo("1");
            boolean acknowledged;
            try {
                lagging.run();
                acknowledged = true;
            } catch (TransientRegistryException e) {
                LOG.info("Write refused while the replica lags: {}", e.getMessage());
                acknowledged = false;
            } finally {
                master.kill();
                replica.resume();
            }
            cluster.awaitHealthy(Duration.ofSeconds(30));
            return acknowledged;
        }
    }
}
