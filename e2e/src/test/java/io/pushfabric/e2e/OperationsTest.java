package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.AdminCommand;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.embedded.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Running it in production: drain, node lifecycle, admin commands, metrics. */
class OperationsTest {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsTest.class);

    private static Map<String, String> connectorEnv(Fabric fabric, int index, int port, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(fabric.env);
        env.put("PUSH_NODE_ID", fabric.nodeId(index));
        env.put("PUSH_PORT", Integer.toString(port));
        env.put("PUSH_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
        env.putAll(extra);
        return env;
    }

    private static ServiceProcess connectorProcess(Fabric fabric, int index, int port, Map<String, String> extra) {
        return ServiceProcess.start("ops-connector-" + index + "-" + fabric.base, "io.pushfabric.connector.ConnectorMain",
                connectorEnv(fabric, index, port, extra), port);
    }

    @Test
    void sigtermDrainsFiveHundredClientsToTheOtherNodeWithinTheWindowAndLosesNothing() throws Exception {
        long window = 5_000;
        try (Fabric fabric = Fabric.start(1, 1, Map.of())) {
            int port = FreePorts.pick();
            ServiceProcess a = connectorProcess(fabric, 1, port, Map.of("PUSH_DRAIN_WINDOW_MS", Long.toString(window)));
            try (a) {
                List<String> urls = List.of("ws://127.0.0.1:" + port + "/ws", fabric.wsUrl(0));
                List<String> users = new java.util.ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    users.add("drain-" + i);
                }
                List<ResilientClient> clients = new java.util.ArrayList<>();
                for (String u : users) {
                    ResilientClient c = new ResilientClient(fabric, u, i -> urls.get(i % 2), 0);
                    clients.add(c);
                    c.start().join();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(ResilientClient::isConnected));
                assertThat(clients).allMatch(c -> c.welcomes().get(0).node().value().equals(fabric.nodeId(1)));

                Stream stream = new Stream(fabric.publisher(), users, 2000, 250).start();
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 300);
                long sigterm = System.currentTimeMillis();
                a.close(); // SIGTERM, then waits for the process to exit
                long exited = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(c ->
                        c.isConnected() && c.welcomes().get(c.welcomes().size() - 1).node().value().equals(fabric.nodeId(0))));
                long allMoved = System.currentTimeMillis();
                LOG.info("SIGTERM drain of 500 clients: process exited after {} ms, all clients on the other node after {} ms",
                        exited - sigterm, allMoved - sigterm);
                assertThat(exited - sigterm).as("the node exits after its drain window").isLessThan(window + 10_000);

                Map<String, List<String>> expected = stream.expected();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    long missing = clients.stream().mapToLong(c -> expected.getOrDefault(c.user(), List.of()).stream()
                            .filter(id -> c.received().stream().noneMatch(p -> p.position().id().equals(id))).count()).sum();
                    assertThat(missing).isZero();
                });
                assertThat(clients).allMatch(c -> c.welcomes().stream().allMatch(ServerFrame.Welcome::recovered));
                clients.forEach(ResilientClient::stop);
            }
        }
    }

    @Test
    void deadNodeIsNotRoutedToAndIsCleanedUpAndCanComeBackWithTheSameId() throws Exception {
        Map<String, String> fast = Map.of("PUSH_LEASE_TTL_MS", "2000", "PUSH_HEARTBEAT_MS", "500",
                "PUSH_JANITOR_INTERVAL_MS", "500", "PUSH_JANITOR_GRACE_MS", "1500");
        try (Fabric fabric = Fabric.start(0, 1, fast);
             Admin admin = Admin.create(Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")))) {
            NodeId node = NodeId.of(fabric.nodeId(0));
            String nodeTopic = fabric.topics.nodeTopic(node);
            int port = FreePorts.pick();
            ServiceProcess doomed = connectorProcess(fabric, 0, port, fast);
            String url = "ws://127.0.0.1:" + port + "/ws";
            WsClient client = WsClient.connect(fabric.http, url, fabric.token("orphan"), null).join();
            await().atMost(Duration.ofSeconds(20)).until(client::isWelcomed);
            assertThat(fabric.redis().routes().routesOn(node)).hasSize(1);
            assertThat(admin.listTopics().names().get()).contains(nodeTopic);

            doomed.kill9();
            await().atMost(Duration.ofSeconds(10)).until(() -> !fabric.redis().nodes().liveNodes().contains(node));
            double offline = fabric.dispatched("offline");
            fabric.publisher().publish(PushRequest.toUser(UserId.of("orphan"), Json.MAPPER.createObjectNode())).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> fabric.dispatched("offline") > offline);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(fabric.redis().routes().routesOn(node)).isEmpty();
                assertThat(fabric.redis().routes().sessionsOf(UserId.of("orphan"))).isEmpty();
                assertThat(fabric.redis().nodes().knownNodes()).noneMatch(n -> n.id().equals(node));
                assertThat(admin.listTopics().names().get()).doesNotContain(nodeTopic);
            });

            try (ServiceProcess reborn = connectorProcess(fabric, 0, port, fast)) {
                assertThat(admin.listTopics().names().get()).contains(nodeTopic);
                WsClient back = WsClient.connect(fabric.http, url, fabric.token("orphan"), null).join();
                await().atMost(Duration.ofSeconds(20)).until(back::isWelcomed);
                fabric.publisher().publish(PushRequest.toUser(UserId.of("orphan"),
                        Json.MAPPER.createObjectNode().put("text", "welcome back"))).join();
                await().atMost(Duration.ofSeconds(20)).until(() -> !back.pushes().isEmpty());
                assertThat(back.pushes().get(0).request().payload().tree().get("text").asText()).isEqualTo("welcome back");
                back.close();
            }
        }
    }

    @Test
    void adminCommandsReachEveryNode() throws Exception {
        try (Fabric fabric = Fabric.start(2, 1, Map.of("PUSH_DRAIN_WINDOW_MS", "500"));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                     Map.of("bootstrap.servers", fabric.env.get("PUSH_KAFKA_BOOTSTRAP")),
                     new StringSerializer(), new ByteArraySerializer())) {
            WsClient phone = fabric.connect(0, "noisy", null);
            WsClient laptop = fabric.connect(1, "noisy", null);
            WsClient bystander = fabric.connect(0, "quiet", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> phone.isWelcomed() && laptop.isWelcomed() && bystander.isWelcomed());

            producer.send(new ProducerRecord<>(fabric.topics.control(), null,
                    AdminCommand.disconnectUser(UserId.of("noisy")).encode())).get();
            await().atMost(Duration.ofSeconds(20)).until(() -> phone.isClosed() && laptop.isClosed());
            assertThat(phone.closeCode()).isEqualTo(CloseCodes.DISCONNECTED_BY_ADMIN);
            assertThat(laptop.closeCode()).isEqualTo(CloseCodes.DISCONNECTED_BY_ADMIN);
            assertThat(bystander.isClosed()).isFalse();

            WsClient onB = fabric.connect(1, "mover", null);
            await().atMost(Duration.ofSeconds(20)).until(onB::isWelcomed);
            producer.send(new ProducerRecord<>(fabric.topics.control(), null,
                    AdminCommand.drainNode(NodeId.of(fabric.nodeId(1))).encode())).get();
            await().atMost(Duration.ofSeconds(20)).until(onB::isClosed);
            assertThat(onB.closeCode()).isEqualTo(CloseCodes.SERVICE_RESTART);
            assertThat(onB.frames()).anyMatch(f -> f instanceof ServerFrame.Reconnect);
            assertThat(fabric.connector(1).isDraining()).isTrue();
            assertThat(fabric.connector(1).isReady()).isFalse();
            assertThat(fabric.connector(0).isReady()).isTrue();
            assertThat(bystander.isClosed()).isFalse();
            bystander.close();
        }
    }

    @Test
    void connectionsOlderThanTheMaximumLifetimeAreAskedToReconnectAndResume() {
        try (Fabric fabric = Fabric.start(1, 1, Map.of("PUSH_MAX_CONNECTION_LIFETIME_MS", "1500"))) {
            ResilientClient client = new ResilientClient(fabric, "long-lived", i -> fabric.wsUrl(0), 0);
            client.start().join();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.welcomes().size() >= 3);
            fabric.publisher().publish(PushRequest.toUser(UserId.of("long-lived"), Json.MAPPER.createObjectNode())).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.received().size() == 1);
            assertThat(client.welcomes()).allMatch(ServerFrame.Welcome::recovered);
            client.stop();

            WsClient once = fabric.connect(0, "short-lived", null);
            await().atMost(Duration.ofSeconds(20)).until(once::isClosed);
            assertThat(once.closeCode()).isEqualTo(CloseCodes.LIFETIME_EXPIRED);
            assertThat(once.frames()).anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(ServerFrame.Reconnect.class,
                    r -> assertThat(r.reason()).isEqualTo("lifetime")));
        }
    }

    @Test
    void metricsEndpointsExposeTheOperatorsSeries() throws Exception {
        try (Fabric fabric = Fabric.start(0, 0, Map.of())) {
            int connectorPort = FreePorts.pick();
            int dispatcherPort = FreePorts.pick();
            Map<String, String> dispatcherEnv = new HashMap<>(fabric.env);
            dispatcherEnv.put("PUSH_HTTP_PORT", Integer.toString(dispatcherPort));
            try (ServiceProcess dispatcher = ServiceProcess.start("ops-dispatcher-" + fabric.base,
                    "io.pushfabric.dispatcher.DispatcherMain", dispatcherEnv, dispatcherPort);
                 ServiceProcess connector = connectorProcess(fabric, 0, connectorPort, Map.of())) {
                WsClient client = WsClient.connect(fabric.http, "ws://127.0.0.1:" + connectorPort + "/ws",
                        fabric.token("watched"), null).join();
                await().atMost(Duration.ofSeconds(20)).until(client::isWelcomed);
                for (int i = 0; i < 20; i++) {
                    fabric.publisher().publish(PushRequest.toUser(UserId.of("watched"), Json.MAPPER.createObjectNode())).join();
                    fabric.publisher().publish(PushRequest.toUser(UserId.of("nobody"), Json.MAPPER.createObjectNode())).join();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> client.pushes().size() == 20);

                String c = scrape(connectorPort);
                assertThat(value(c, "pushfabric_connector_sessions")).isEqualTo(1.0);
                assertThat(value(c, "pushfabric_connector_messages_delivered_total")).isEqualTo(20.0);
                assertThat(value(c, "pushfabric_connector_delivery_latency_seconds_count")).isEqualTo(20.0);
                assertThat(c).contains("pushfabric_connector_delivery_latency_seconds_bucket");
                assertThat(value(c, "pushfabric_connector_messages_replayed_total")).isZero();

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String d = scrape(dispatcherPort);
                    assertThat(value(d, "pushfabric_dispatcher_requests_total{outcome=\"routed\"}")).isEqualTo(20.0);
                    assertThat(value(d, "pushfabric_dispatcher_requests_total{outcome=\"offline\"}")).isEqualTo(20.0);
                    assertThat(value(d, "pushfabric_dispatcher_redis_lookup_seconds_count")).isPositive();
                    assertThat(d).contains("kafka_consumer_fetch_manager_records_lag_max");
                });
                client.close();
            }
        }
    }

    private static String scrape(int port) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the first sample whose name (and labels, if given) start as {@code series}. */
    private static double value(String text, String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        String labels = series.contains("{") ? series.substring(series.indexOf('{') + 1, series.length() - 1) : "";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)").matcher(text);
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no series " + series + " in:\n" + text.lines().filter(l -> l.startsWith("pushfabric")).toList());
    }
}
