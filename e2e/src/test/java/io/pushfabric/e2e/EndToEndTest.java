package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.registry.SessionRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push path end to end on real Kafka and Redis: 2 connectors, 2 dispatchers, 200 users with 1 to 3
 * sessions each spread over both connectors, 50 users never connected, 5,000 targeted messages and 20
 * broadcasts, packed per node and polled batch into node-topic records.
 */
class EndToEndTest {
    private static final int USERS = 200;
    private static final int OFFLINE_USERS = 50;
    private static final int MESSAGES = 5_000;
    private static final int BROADCASTS = 20;

    private static Fabric fabric;

    @BeforeAll
    static void start() {
        fabric = Fabric.start(2, 2, Map.of());
    }

    @AfterAll
    static void stop() {
        if (fabric != null) {
            fabric.close();
        }
    }

    @Test
    void everySessionGetsExactlyItsUsersMessagesAndTheBroadcastsInPublishOrder() {
        Random random = new Random(42);
        Map<String, List<WsClient>> sessions = new HashMap<>();
        List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
        List<String> connectingUsers = new ArrayList<>();
        int next = 0;
        for (int u = 0; u < USERS; u++) {
            String user = "user-" + u;
            int count = 1 + random.nextInt(3);
            for (int s = 0; s < count; s++) {
                connecting.add(WsClient.connect(fabric.http, fabric.wsUrl(next++ % 2), fabric.token(user), null));
                connectingUsers.add(user);
            }
        }
        for (int i = 0; i < connecting.size(); i++) {
            sessions.computeIfAbsent(connectingUsers.get(i), k -> new ArrayList<>()).add(connecting.get(i).join());
        }
        List<WsClient> all = sessions.values().stream().flatMap(List::stream).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> all.stream().allMatch(WsClient::isWelcomed));
        assertThat(fabric.connector(0).sessionCount() + fabric.connector(1).sessionCount()).isEqualTo(all.size());
        assertThat(fabric.connector(0).sessionCount()).isPositive();
        assertThat(fabric.connector(1).sessionCount()).isPositive();

        // Publish: targeted messages over connected and never-connected users, broadcasts in between.
        Map<String, List<Integer>> expected = new HashMap<>();
        List<Integer> broadcasts = new ArrayList<>();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int seq = 0; seq < MESSAGES + BROADCASTS; seq++) {
            ObjectNode payload = Json.MAPPER.createObjectNode().put("seq", seq);
            if (seq % ((MESSAGES + BROADCASTS) / BROADCASTS) == 0 && broadcasts.size() < BROADCASTS) {
                broadcasts.add(seq);
                acks.add(fabric.publisher().publish(PushRequest.broadcast(payload)));
            } else {
                int u = random.nextInt(USERS + OFFLINE_USERS);
                String user = u < USERS ? "user-" + u : "offline-" + u;
                expected.computeIfAbsent(user, k -> new ArrayList<>()).add(seq);
                acks.add(fabric.publisher().publish(PushRequest.toUser(UserId.of(user), payload.put("user", user))));
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        assertThat(broadcasts).hasSize(BROADCASTS);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (Map.Entry<String, List<WsClient>> e : sessions.entrySet()) {
                int want = expected.getOrDefault(e.getKey(), List.of()).size() + BROADCASTS;
                for (WsClient c : e.getValue()) {
                    assertThat(c.pushes()).as("pushes of a session of %s", e.getKey()).hasSizeGreaterThanOrEqualTo(want);
                }
            }
        });

        for (Map.Entry<String, List<WsClient>> e : sessions.entrySet()) {
            String user = e.getKey();
            for (WsClient c : e.getValue()) {
                List<Integer> mine = new ArrayList<>();
                List<Integer> everyone = new ArrayList<>();
                for (ServerFrame.Push p : c.pushes()) {
                    int seq = p.request().payload().tree().get("seq").asInt();
                    if (p.request().isBroadcast()) {
                        everyone.add(seq);
                    } else {
                        assertThat(p.request().user().value()).isEqualTo(user);
                        mine.add(seq);
                    }
                }
                assertThat(mine).as("messages of a session of %s, in publish order", user)
                        .containsExactlyElementsOf(expected.getOrDefault(user, List.of()));
                assertThat(everyone).as("broadcasts seen by a session of %s", user).containsExactlyElementsOf(broadcasts);
            }
        }
        long records = fabric.dispatchers().stream().mapToLong(d -> d.metrics().nodeRecords()).sum();
        double deliveries = fabric.dispatchers().stream().mapToDouble(d -> d.metrics().deliveriesInNodeRecords()).sum();
        assertThat(records).as("a node's deliveries of one polled batch share a node-topic record")
                .isPositive().isLessThan((long) deliveries);
        long offlineMessages = expected.entrySet().stream().filter(e -> e.getKey().startsWith("offline-"))
                .mapToLong(e -> e.getValue().size()).sum();
        assertThat(offlineMessages).isPositive();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(fabric.dispatched("offline")).isGreaterThanOrEqualTo(offlineMessages));

        // A closed session is unrouted; the user's other sessions stay routed.
        String user = sessions.entrySet().stream().filter(e -> e.getValue().size() >= 2).findFirst().orElseThrow().getKey();
        WsClient leaving = sessions.get(user).get(0);
        String leavingId = leaving.welcome().session();
        assertThat(fabric.redis().routes().sessionsOf(UserId.of(user))).extracting(SessionRoute::sessionId).contains(leavingId);
        leaving.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                fabric.redis().routes().sessionsOf(UserId.of(user))).extracting(SessionRoute::sessionId)
                .doesNotContain(leavingId)
                .hasSize(sessions.get(user).size() - 1));
        all.forEach(WsClient::close);
    }
}
