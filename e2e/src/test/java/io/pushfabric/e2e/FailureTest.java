package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.embedded.EmbeddedKafka;
import io.pushfabric.embedded.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clause 3 of the guarantee: machines die mid-stream and nothing is lost. Connectors and dispatchers that
 * get killed run in their own JVMs and die by SIGKILL.
 */
class FailureTest {
    private static final Logger LOG = LoggerFactory.getLogger(FailureTest.class);

    static List<String> users(String prefix, int n) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add(prefix + i);
        }
        return users;
    }

    static List<ResilientClient> connectAll(Fabric fabric, List<String> users, List<String> urls) {
        return connectAll(fabric, users, urls, false);
    }

    /** @param spread the n-th user starts on the n-th URL (round robin); else every user starts on the first */
    static List<ResilientClient> connectAll(Fabric fabric, List<String> users, List<String> urls, boolean spread) {
        List<ResilientClient> clients = new ArrayList<>();
        List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
        for (String user : users) {
            ResilientClient c = new ResilientClient(fabric, user, i -> urls.get(i % urls.size()),
                    spread ? clients.size() : 0);
            clients.add(c);
            connecting.add(c.start());
        }
        CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).join();
        await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(ResilientClient::isConnected));
        return clients;
    }

    /** Every client got every message for its user, each once at first sight, in per-user order. */
    static void assertNothingLost(List<ResilientClient> clients, Map<String, List<String>> expected,
                                          String scenario) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            int missing = 0;
            for (ResilientClient c : clients) {
                List<String> got = c.received().stream().map(p -> p.position().id()).toList();
                for (String id : expected.getOrDefault(c.user(), List.of())) {
                    if (!got.contains(id)) {
                        missing++;
                    }
                }
            }
            assertThat(missing).as("messages not (yet) received in scenario '%s'", scenario).isZero();
        });
        int duplicates = 0;
        int reconnects = 0;
        for (ResilientClient c : clients) {
            List<Long> offsets = c.received().stream().map(p -> p.position().offset()).toList();
            assertThat(offsets).as("per-user order for %s", c.user()).isSorted();
            assertThat(c.welcomes()).as("every resume of %s recovered", c.user()).allMatch(ServerFrame.Welcome::recovered);
            duplicates += c.duplicates();
            reconnects += c.welcomes().size() - 1;
        }
        int total = expected.values().stream().mapToInt(List::size).sum();
        LOG.info("Scenario '{}': {} messages, 0 lost, {} duplicates dropped by id, {} reconnects", scenario, total,
                duplicates, reconnects);
        clients.forEach(ResilientClient::stop);
    }

    static Map<String, String> connectorEnv(Fabric fabric, int index, int port) {
        Map<String, String> env = new HashMap<>(fabric.env);
        env.put("PUSH_NODE_ID", fabric.nodeId(index));
        env.put("PUSH_PORT", Integer.toString(port));
        env.put("PUSH_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
        return env;
    }

    @Test
    void connectorKilledWithSigkillLosesNothingForItsThousandClients() throws Exception {
        Map<String, String> fast = Map.of("PUSH_LEASE_TTL_MS", "3000", "PUSH_HEARTBEAT_MS", "1000");
        try (Fabric fabric = Fabric.start(0, 1, fast)) {
            int portA = FreePorts.pick();
            int portB = FreePorts.pick();
            try (ServiceProcess a = ServiceProcess.start("connector-a", "io.pushfabric.connector.ConnectorMain",
                    connectorEnv(fabric, 0, portA), portA);
                 ServiceProcess b = ServiceProcess.start("connector-b", "io.pushfabric.connector.ConnectorMain",
                         connectorEnv(fabric, 1, portB), portB)) {
                List<String> urls = List.of("ws://127.0.0.1:" + portA + "/ws", "ws://127.0.0.1:" + portB + "/ws");
                List<String> users = users("k-", 1000);
                List<ResilientClient> clients = connectAll(fabric, users, urls);

                Stream stream = new Stream(fabric.publisher(), users, 3000, 500).start();
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 1000);
                LOG.info("Killing connector A (pid {}) with SIGKILL", a.pid());
                a.kill9();
                assertNothingLost(clients, stream.expected(), "connector kill -9");
            }
        }
    }

    @Test
    void dispatcherKilledMidStreamLosesNothing() throws Exception {
        Map<String, String> fast = Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        try (Fabric fabric = Fabric.start(1, 0, fast)) {
            Map<String, String> env = new HashMap<>(fabric.env);
            int port1 = FreePorts.pick();
            int port2 = FreePorts.pick();
            env.put("PUSH_HTTP_PORT", Integer.toString(port1));
            try (ServiceProcess d1 = ServiceProcess.start("dispatcher-1", "io.pushfabric.dispatcher.DispatcherMain", env, port1)) {
                env.put("PUSH_HTTP_PORT", Integer.toString(port2));
                try (ServiceProcess d2 = ServiceProcess.start("dispatcher-2", "io.pushfabric.dispatcher.DispatcherMain", env,
                        port2)) {
                    List<String> users = users("d-", 200);
                    List<ResilientClient> clients = connectAll(fabric, users, List.of(fabric.wsUrl(0)));
                    Stream stream = new Stream(fabric.publisher(), users, 3000, 500).start();
                    await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 1000);
                    LOG.info("Killing dispatcher 1 (pid {}) with SIGKILL", d1.pid());
                    d1.kill9();
                    assertNothingLost(clients, stream.expected(), "dispatcher kill -9");
                }
            }
        }
    }

    @Test
    void brokerLostFromAThreeBrokerClusterLosesNothing() throws Exception {
        try (EmbeddedKafka cluster = EmbeddedKafka.cluster(3);
             Fabric fabric = Fabric.start(2, 1, Map.of("PUSH_KAFKA_BOOTSTRAP", cluster.bootstrapServers()))) {
            List<String> users = users("b-", 200);
            List<ResilientClient> clients = connectAll(fabric, users, List.of(fabric.wsUrl(0), fabric.wsUrl(1)));
            Stream stream = new Stream(fabric.publisher(), users, 3000, 500).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 1000);
            LOG.info("Stopping broker 1 of 3");
            cluster.stopBroker(1);
            assertNothingLost(clients, stream.expected(), "one of three brokers lost");
        }
    }
}
