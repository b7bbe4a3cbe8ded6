package io.pushfabric.e2e;

import static io.pushfabric.e2e.FailureTest.assertNothingLost;
import static io.pushfabric.e2e.FailureTest.connectAll;
import static io.pushfabric.e2e.FailureTest.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * Clause 3 of issue 8: a node the dispatcher cannot deliver to is fenced, its clients resume elsewhere with
 * their cursors and get what they missed ({@code recovered:true}), and every other client keeps receiving.
 * Clients of node 0 start there, clients of node 1 start on node 1; both then alternate.
 */
class NodeFenceTest {
    private static final Map<String, String> FAST_LEASES = Map.of("PUSH_LEASE_TTL_MS", "3000",
            "PUSH_HEARTBEAT_MS", "1000", "PUSH_LIVE_NODES_TTL_MS", "200");

    private static List<ResilientClient> clientsOnBothNodes(Fabric fabric, List<String> users) {
        List<String> urls = List.of(fabric.wsUrl(0), fabric.wsUrl(1));
        List<ResilientClient> clients = new ArrayList<>(connectAll(fabric, users.subList(0, users.size() / 2), urls));
        clients.addAll(connectAll(fabric, users.subList(users.size() / 2, users.size()), List.of(urls.get(1),
                urls.get(0))));
        return clients;
    }

    private static Admin admin(Fabric fabric) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fabric.env.get("PUSH_KAFKA_BOOTSTRAP")));
    }

    @Test
    void nodeTopicDeletedUnderLoadFencesThatNodeOnlyAndLosesNothing() throws Exception {
        try (Fabric fabric = Fabric.start(2, 1, FAST_LEASES); Admin admin = admin(fabric)) {
            List<String> users = users("del-", 20);
            List<ResilientClient> clients = clientsOnBothNodes(fabric, users);
            Stream stream = new Stream(fabric.publisher(), users, 400, 100).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 100);

            admin.deleteTopics(List.of(fabric.topics.nodeTopic(NodeId.of(fabric.nodeId(1)))))
                    .all().get(30, TimeUnit.SECONDS);

            assertNothingLost(clients, stream.expected(), "node topic deleted under load");
            assertThat(fabric.dispatchers().get(0).metrics().fenced()).as("node 1 fenced").isPositive();
        }
    }

    @Test
    void recordLargerThanTheNodeTopicAcceptsFencesThatNodeOnlyAndLosesNothing() throws Exception {
        try (Fabric fabric = Fabric.start(0, 1, FAST_LEASES); Admin admin = admin(fabric)) {
            admin.createTopics(List.of(new NewTopic(fabric.topics.nodeTopic(NodeId.of(fabric.nodeId(1))), 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "4096")))).all().get(30, TimeUnit.SECONDS);
            fabric.startConnector(0);
            fabric.startConnector(1);
            List<String> users = users("big-", 20);
            List<ResilientClient> clients = clientsOnBothNodes(fabric, users);
            String bigUser = users.get(users.size() - 1); // starts on node 1
            Stream stream = new Stream(fabric.publisher(), users, 300, 100).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 100);

            String bigId = fabric.publisher().publish(PushRequest.toUser(UserId.of(bigUser),
                    Json.MAPPER.createObjectNode().put("blob", "x".repeat(8192)))).get(10, TimeUnit.SECONDS).id();

            Map<String, List<String>> expected = new HashMap<>(stream.expected());
            List<String> bigUsers = new ArrayList<>(expected.getOrDefault(bigUser, List.of()));
            bigUsers.add(bigId);
            expected.put(bigUser, bigUsers);
            ResilientClient big = clients.get(clients.size() - 1);
            assertNothingLost(clients, expected, "record larger than the node topic accepts");
            assertThat(big.welcomes()).as("the big message's client resumed").hasSizeGreaterThan(1)
                    .allMatch(ServerFrame.Welcome::recovered);
        }
    }
}
