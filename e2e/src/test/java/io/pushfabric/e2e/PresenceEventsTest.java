package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.PresenceEvent;
import io.pushfabric.embedded.FreePorts;
import io.pushfabric.testkit.TestInfra;
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
 * Presence events on real Kafka and Redis, two connectors and a dispatcher: {@code online} at a user's first
 * session in the fleet, {@code offline} once the last one has been gone for the grace period, no flap on a resume
 * within it, a killed node, and a reconnect storm. Each user's events are in topic order with growing versions.
 */
class PresenceEventsTest {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceEventsTest.class);
    private static final long GRACE_MS = 1500;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String topic = TestInfra.uniqueName("presence");

    private Map<String, String> env(Map<String, String> more) {
        return env(GRACE_MS, more);
    }

    private Map<String, String> env(long graceMs, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("PUSH_PRESENCE_ENABLED", "true");
        env.put("PUSH_PRESENCE_GRACE_MS", Long.toString(graceMs));
        env.put("PUSH_PRESENCE_TOPIC", topic);
        return env;
    }

    private PresenceLog log() {
        return new PresenceLog(TestInfra.kafkaBootstrap(), topic);
    }

    private static List<String> states(List<PresenceEvent> events) {
        return events.stream().map(e -> e.state().wire() + " " + e.sessions()).toList();
    }

    /** Versions grow in topic order and states alternate: never two onlines or two offlines in a row. */
    private static void assertOrdered(String user, List<PresenceEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).version()).as("%s version %d", user, i).isGreaterThan(events.get(i - 1).version());
            assertThat(events.get(i).state()).as("%s state %d", user, i).isNotEqualTo(events.get(i - 1).state());
        }
    }

    private static void closeAndWait(WsClient client) {
        client.close();
        await().atMost(WAIT).until(client::isClosed);
    }

    @Test
    void eventsFollowConnectsResumesWithinTheGraceAndTheLastClose() throws Exception {
        try (Fabric fabric = Fabric.start(2, 1, env(Map.of())); PresenceLog log = log()) {
            WsClient first = fabric.connectWelcomed(0, "alice", null);
            await().atMost(WAIT).until(() -> log.of("alice").size() == 1);
            assertThat(states(log.of("alice"))).containsExactly("online 1");

            WsClient second = fabric.connectWelcomed(1, "alice", null); // a second device, on the other node
            closeAndWait(first);
            String cursor = second.cursor();
            second.abort(); // the last session drops ...
            WsClient resumed = fabric.connectWelcomed(0, "alice", cursor); // ... and resumes within the grace
            long closedAt = System.currentTimeMillis();
            closeAndWait(resumed);

            await().atMost(WAIT).until(() -> log.of("alice").size() == 2);
            List<PresenceEvent> events = log.of("alice");
            assertThat(states(events)).as("no offline/online pair for the resume").containsExactly("online 1", "offline 0");
            assertOrdered("alice", events);
            assertThat(events.get(1).at()).as("offline only after the grace").isGreaterThanOrEqualTo(closedAt + GRACE_MS - 50);
        }
    }

    @Test
    void killedNodeUsersGoOfflineAfterItsLeaseLapsesButNotThoseWithSessionsOnTheOtherNode() throws Exception {
        Map<String, String> fastLease = Map.of("PUSH_LEASE_TTL_MS", "3000", "PUSH_HEARTBEAT_MS", "1000");
        try (Fabric fabric = Fabric.start(1, 1, env(fastLease)); PresenceLog log = log()) {
            int port = FreePorts.pick();
            Map<String, String> nodeEnv = new HashMap<>(fabric.env);
            nodeEnv.put("PUSH_NODE_ID", fabric.nodeId(1));
            nodeEnv.put("PUSH_PORT", Integer.toString(port));
            nodeEnv.put("PUSH_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
            try (ServiceProcess doomed = ServiceProcess.start("presence-connector", "io.pushfabric.connector.ConnectorMain",
                    nodeEnv, port)) {
                String url = "ws://127.0.0.1:" + port + "/ws";
                WsClient solo = WsClient.connect(fabric.http, url, fabric.token("solo"), null).join();
                WsClient bothThere = WsClient.connect(fabric.http, url, fabric.token("both"), null).join();
                WsClient bothHere = fabric.connectWelcomed(0, "both", null);
                await().atMost(WAIT).until(() -> solo.isWelcomed() && bothThere.isWelcomed());
                await().atMost(WAIT).until(() -> log.of("solo").size() == 1 && log.of("both").size() == 1);

                long killedAt = System.currentTimeMillis();
                doomed.kill9();

                await().atMost(WAIT).until(() -> log.of("solo").size() == 2);
                List<PresenceEvent> solos = log.of("solo");
                assertThat(states(solos)).containsExactly("online 1", "offline 0");
                assertOrdered("solo", solos);
                assertThat(solos.get(1).at()).as("after the lease lapsed and the grace passed")
                        .isGreaterThanOrEqualTo(killedAt + GRACE_MS);
                // "both" was checked in the same pass as "solo": its session here keeps it online.
                await().during(Duration.ofMillis(1000)).atMost(WAIT).until(() -> log.of("both").size() == 1);
                assertThat(log.of("both")).extracting(PresenceEvent::state).containsExactly(PresenceEvent.State.ONLINE);
                assertThat(bothHere.isClosed()).isFalse();
            }
        }
    }

    @Test
    void reconnectStormOfAConnectorsClientsPublishesNoDuplicateOrOutOfOrderTransition() throws Exception {
        int clients = 300;
        int leaving = 50;
        // Long enough for a few hundred clients to come back on a busy 2-core box (about 3.5 s measured).
        long grace = 8_000;
        // Two dispatchers: each checks the users of its own partitions only, and neither publishes the other's.
        try (Fabric fabric = Fabric.start(2, 2, env(grace, Map.of())); PresenceLog log = log()) {
            List<String> users = new ArrayList<>();
            List<CompletableFuture<WsClient>> opening = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                users.add("storm-" + i);
                opening.add(WsClient.connect(fabric.http, fabric.wsUrl(0), fabric.token(users.get(i)), null));
            }
            List<WsClient> connected = opening.stream().map(CompletableFuture::join).toList();
            await().atMost(WAIT).until(() -> connected.stream().allMatch(WsClient::isWelcomed));
            await().atMost(WAIT).until(() -> log.events().size() == clients);

            // Connector 0's clients all drop at once; all but the leavers come back on connector 1 (without cursors:
            // replay is not what this test is about, and the storm must be over within the grace on a busy box).
            long storm = System.currentTimeMillis();
            connected.forEach(WsClient::abort);
            List<CompletableFuture<WsClient>> back = new ArrayList<>();
            for (int i = leaving; i < clients; i++) {
                back.add(WsClient.connect(fabric.http, fabric.wsUrl(1), fabric.token(users.get(i)), null));
            }
            List<WsClient> returned = back.stream().map(CompletableFuture::join).toList();
            await().atMost(WAIT).until(() -> returned.stream().allMatch(WsClient::isWelcomed));

            long tookMs = System.currentTimeMillis() - storm;
            LOG.info("{} clients dropped and {} came back in {} ms", clients, clients - leaving, tookMs);
            assertThat(tookMs).as("the storm is over within the grace").isLessThan(grace);
            await().atMost(WAIT).until(() -> log.events().size() >= clients + leaving);
            await().during(Duration.ofMillis(GRACE_MS)).atMost(WAIT).until(() -> log.events().size() == clients + leaving);
            for (int i = 0; i < clients; i++) {
                List<PresenceEvent> events = log.of(users.get(i));
                assertThat(states(events)).as(users.get(i))
                        .containsExactlyElementsOf(i < leaving ? List.of("online 1", "offline 0") : List.of("online 1"));
                assertOrdered(users.get(i), events);
            }
            returned.forEach(WsClient::close);
        }
    }
}
