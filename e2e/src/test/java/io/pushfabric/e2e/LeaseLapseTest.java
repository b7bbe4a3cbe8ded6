package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.embedded.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector JVM frozen (SIGSTOP) past its lease: dispatchers skip it, targeted and broadcast messages
 * published meanwhile reach nobody live. When it thaws it must fence itself and rejoin so that its clients,
 * resuming on that same node with their cursors, get every one of them (or are told {@code recovered:false}),
 * even when its node topic was deleted meanwhile.
 */
class LeaseLapseTest {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseLapseTest.class);
    private static final int USERS = 20;

    private final Map<String, List<CompletableFuture<MessagePosition>>> sent = new HashMap<>();
    private final List<CompletableFuture<MessagePosition>> broadcasts = new ArrayList<>();

    private void publishRound(Fabric fabric, List<String> users, int round) {
        for (String user : users) {
            sent.computeIfAbsent(user, u -> new ArrayList<>()).add(fabric.publisher().publish(
                    PushRequest.toUser(UserId.of(user), Json.MAPPER.createObjectNode().put("round", round))));
        }
        broadcasts.add(fabric.publisher().publish(PushRequest.broadcast(
                Json.MAPPER.createObjectNode().put("broadcast", round))));
    }

    private Map<String, List<String>> expected(List<String> users) {
        Map<String, List<String>> ids = new HashMap<>();
        List<String> all = broadcasts.stream().map(f -> f.join().id()).toList();
        for (String user : users) {
            List<String> mine = new ArrayList<>(sent.get(user).stream().map(f -> f.join().id()).toList());
            mine.addAll(all);
            ids.put(user, mine);
        }
        return ids;
    }

    @Test
    void nodePausedPastItsLeaseFencesAndRejoinsSoItsResumingClientsMissNothing() throws Exception {
        // Also, while it is frozen its node topic is deleted (as a janitor does after the grace period): the
        // rejoin must create it again and the node must read the new topic.
        Map<String, String> fast = Map.of("PUSH_LEASE_TTL_MS", "1500", "PUSH_HEARTBEAT_MS", "300",
                "PUSH_LIVE_NODES_TTL_MS", "0", "PUSH_DRAIN_WINDOW_MS", "0");
        try (Fabric fabric = Fabric.start(0, 1, fast)) {
            int port = FreePorts.pick();
            Map<String, String> env = new HashMap<>(fabric.env);
            env.put("PUSH_NODE_ID", fabric.nodeId(0));
            env.put("PUSH_PORT", Integer.toString(port));
            env.put("PUSH_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
            NodeId node = NodeId.of(fabric.nodeId(0));
            try (ServiceProcess connector = ServiceProcess.start("lapse-connector", "io.pushfabric.connector.ConnectorMain",
                    env, port)) {
                String url = "ws://127.0.0.1:" + port + "/ws";
                List<String> users = new ArrayList<>();
                List<ResilientClient> clients = new ArrayList<>();
                for (int i = 0; i < USERS; i++) {
                    users.add("lapse-" + i);
                    ResilientClient c = new ResilientClient(fabric, users.get(i), n -> url, 0);
                    clients.add(c);
                    c.start();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(ResilientClient::isConnected));
                publishRound(fabric, users, 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(c -> c.received().size() == 2));

                LOG.info("Pausing connector {} (pid {}) past its lease", node, connector.pid());
                connector.pause();
                await().atMost(Duration.ofSeconds(10)).until(() -> !fabric.redis().nodes().liveNodes().contains(node));
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        fabric.env.get("PUSH_KAFKA_BOOTSTRAP")))) {
                    admin.deleteTopics(List.of(fabric.topics.nodeTopic(node))).all().get(30, TimeUnit.SECONDS);
                }
                double offlineBefore = fabric.dispatched("offline");
                for (int round = 1; round <= 3; round++) {
                    publishRound(fabric, users, round);
                }
                int skipped = 3 * (USERS + 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> fabric.dispatched("offline") - offlineBefore >= skipped);
                LOG.info("{} messages were skipped while {} was paused; resuming it", skipped, node);
                connector.resume();

                for (int round = 4; round <= 6; round++) {
                    publishRound(fabric, users, round);
                }
                Map<String, List<String>> expected = expected(users);
                Ledger ledger = Ledger.settle(clients, expected, Duration.ofSeconds(60));
                LOG.info("Lease lapse ledger: {}", ledger);
                clients.forEach(ResilientClient::stop);
                assertThat(ledger.lost()).as("lost: %s", ledger).isZero();
                assertThat(ledger.outOfOrder()).isZero();
                assertThat(ledger.resumes()).as("every client was fenced and resumed").isGreaterThanOrEqualTo(USERS);
                assertThat(ledger.notRecovered()).as("resumes not recovered: %s", ledger).isZero();
            }
        }
    }
}
