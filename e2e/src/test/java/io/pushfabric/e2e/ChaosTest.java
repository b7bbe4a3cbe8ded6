package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.embedded.FreePorts;
import io.pushfabric.embedded.RedisServerProcess;
import io.pushfabric.registry.RedisRegistries;
import io.pushfabric.registry.RedisSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos suite: three connectors and two dispatchers in their own JVMs, a redis-server of its own, a
 * steady stream of targeted messages and broadcasts to 200 clients that follow the protocol (cursor,
 * full-jitter backoff), while, one after the other: a connector is paused past its lease, Redis restarts
 * empty, Redis is paused past the lease TTL, a dispatcher is killed, a connector is killed, a connector
 * drains. Then the ledger: nothing lost, nothing out of order, every resume recovered.
 */
class ChaosTest {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosTest.class);
    private static final int CLIENTS = 200;
    private static final int RATE = 100;
    private static final Duration LEASE_TTL = Duration.ofMillis(2_000);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RedisServerProcess redis;
    private Stream stream;

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> env = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** Lets the stream flow for at least {@code duration} (measured in messages published), then returns. */
    private void flowFor(Duration duration) {
        int target = stream.published() + (int) (duration.toMillis() * RATE / 1000);
        await().atMost(duration.multipliedBy(4)).pollInterval(Duration.ofMillis(50))
                .until(() -> stream.published() >= target);
    }

    private static void step(String name, Runnable action) {
        long start = System.nanoTime();
        LOG.info("Chaos step: {}", name);
        action.run();
        LOG.info("Chaos step done in {} ms: {}", (System.nanoTime() - start) / 1_000_000, name);
    }

    private static void awaitThat(String what, Duration atMost, BooleanSupplier condition) {
        await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(condition::getAsBoolean);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES) // ~100 s when it passes; never let it hold CI hostage
    void steadyStreamSurvivesEveryFailureInTurnWithNothingLostOrOutOfOrder() throws Exception {
        redis = RedisServerProcess.start();
        try (Fabric fabric = Fabric.start(0, 0, Map.of("PUSH_REDIS", redis.uri()))) {
            Map<String, String> common = with(fabric.env,
                    "PUSH_LEASE_TTL_MS", Long.toString(LEASE_TTL.toMillis()), "PUSH_HEARTBEAT_MS", "500",
                    "PUSH_DRAIN_WINDOW_MS", "2000", "KAFKA_SESSION_TIMEOUT_MS", "6000",
                    "KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
            List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int port = FreePorts.pick();
                ports.add(port);
                Map<String, String> env = with(common, "PUSH_NODE_ID", fabric.nodeId(i), "PUSH_PORT",
                        Integer.toString(port), "PUSH_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
                String name = "chaos-connector-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> ServiceProcess.start(name,
                        "io.pushfabric.connector.ConnectorMain", env, port)));
            }
            for (int i = 0; i < 2; i++) {
                int port = FreePorts.pick();
                String name = "chaos-dispatcher-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> ServiceProcess.start(name,
                        "io.pushfabric.dispatcher.DispatcherMain", with(common, "PUSH_HTTP_PORT", Integer.toString(port)),
                        port)));
            }
            List<ServiceProcess> services = new ArrayList<>();
            RuntimeException failed = null;
            for (CompletableFuture<ServiceProcess> s : starting) {
                try {
                    services.add(s.join());
                    closeables.add(services.get(services.size() - 1));
                } catch (RuntimeException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
            ServiceProcess pausedConnector = services.get(0);
            ServiceProcess killedConnector = services.get(1);
            ServiceProcess drainedConnector = services.get(2);
            ServiceProcess killedDispatcher = services.get(3);
            List<String> urls = ports.stream().map(p -> "ws://127.0.0.1:" + p + "/ws").toList();
            RedisRegistries registries = RedisRegistries.connect(new RedisSettings(redis.uri(), fabric.base + ":"));
            closeables.add(registries);
            Set<NodeId> nodes = Set.of(NodeId.of(fabric.nodeId(0)), NodeId.of(fabric.nodeId(1)),
                    NodeId.of(fabric.nodeId(2)));

            List<String> users = new ArrayList<>();
            List<ResilientClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                users.add("chaos-" + i);
                ResilientClient c = new ResilientClient(fabric, users.get(i), n -> urls.get(n % urls.size()), i);
                clients.add(c);
                c.start();
            }
            awaitThat("all clients connected", Duration.ofSeconds(30),
                    () -> clients.stream().allMatch(ResilientClient::isConnected));
            stream = new Stream(fabric.publisher(), users, 1_000_000, RATE, 20).start();
            flowFor(Duration.ofSeconds(2));

            step("pause connector 0 past its lease (SIGSTOP, SIGCONT)", () -> {
                pausedConnector.pause();
                awaitThat("lease of connector 0 gone", Duration.ofSeconds(10),
                        () -> !registries.nodes().liveNodes().contains(NodeId.of(fabric.nodeId(0))));
                flowFor(Duration.ofSeconds(1));
                pausedConnector.resume();
                awaitThat("connector 0 rejoined", Duration.ofSeconds(20),
                        () -> registries.nodes().liveNodes().equals(nodes));
            });
            step("restart Redis empty", () -> {
                redis = redis.restart();
                awaitThat("every connector re-registered its lease", Duration.ofSeconds(20),
                        () -> registries.nodes().liveNodes().equals(nodes));
                awaitThat("every connected client's route re-registered", Duration.ofSeconds(30), () ->
                        clients.stream().allMatch(ResilientClient::isConnected)
                                && registries.routes().nodesOf(users.stream().map(UserId::of).toList()).values()
                                .stream().noneMatch(Set::isEmpty));
            });
            step("pause Redis past the lease TTL", () -> {
                redis.pause();
                flowFor(LEASE_TTL.plusSeconds(1));
                redis.resume();
                awaitThat("every connector rejoined", Duration.ofSeconds(20),
                        () -> registries.nodes().liveNodes().equals(nodes));
            });
            step("kill dispatcher 0 (SIGKILL)", () -> {
                killedDispatcher.kill9();
                flowFor(Duration.ofSeconds(8)); // the group notices after its session timeout (6 s)
            });
            step("kill connector 1 (SIGKILL)", () -> {
                killedConnector.kill9();
                awaitThat("clients of connector 1 resumed elsewhere", Duration.ofSeconds(30),
                        () -> clients.stream().allMatch(ResilientClient::isConnected));
            });
            step("drain connector 2 (SIGTERM)", () -> {
                drainedConnector.terminate();
                assertThat(drainedConnector.awaitExit(Duration.ofSeconds(30))).as("connector 2 exited").isTrue();
                awaitThat("every client on connector 0", Duration.ofSeconds(30),
                        () -> clients.stream().allMatch(ResilientClient::isConnected));
            });
            flowFor(Duration.ofSeconds(2));
            stream.stop();
            Map<String, List<String>> expected = stream.expected();
            Ledger ledger = Ledger.settle(clients, expected, Duration.ofSeconds(30));
            LOG.info("Chaos ledger: {}", ledger);
            clients.forEach(ResilientClient::stop);
            assertThat(ledger.lost()).as("lost: %s", ledger).isZero();
            assertThat(ledger.outOfOrder()).as("out of order: %s", ledger).isZero();
            assertThat(ledger.notRecovered()).as("resumes not recovered: %s", ledger).isZero();
        } finally {
            if (stream != null) {
                stream.stop();
            }
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeables.get(i).close();
            }
            redis.close();
        }
    }
}
