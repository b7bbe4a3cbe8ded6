package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.dispatcher.DispatcherApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many dispatchers and many connectors, changed under a steady stream: too slow for every build (about a
 * minute each), so off unless {@code -Dpushfabric.scale=true}. The results are in docs/benchmarks.md
 * ("Scaling out"), with the command.
 */
@EnabledIfSystemProperty(named = "pushfabric.scale", matches = "true")
class ScaleOutTest {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutTest.class);
    private static final int PARTITIONS = 12;

    /**
     * 4 dispatchers share 12 partitions; under 300 msg/s a fifth and sixth join, then three leave (each a
     * graceful close). Rebalance time: from the change until the group is stable with every member and every
     * partition assigned. {@code assignor}: the classic protocol's eager default (range), cooperative-sticky,
     * or the consumer group protocol of KIP-848 (the broker assigns).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"range", "cooperative-sticky", "consumer-protocol"})
    void dispatchersJoinAndLeaveUnderAStreamLosingNothing(String assignor) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "PUSH_REQUESTS_PARTITIONS", Integer.toString(PARTITIONS)));
        switch (assignor) {
            case "cooperative-sticky" -> settings.put("KAFKA_PARTITION_ASSIGNMENT_STRATEGY",
                    "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
            case "consumer-protocol" -> settings.put("KAFKA_GROUP_PROTOCOL", "consumer");
            default -> { }
        }
        try (Fabric fabric = Fabric.start(2, 4, settings);
             Admin admin = Admin.create(adminProps(fabric))) {
            String group = fabric.env.get("PUSH_DISPATCHER_GROUP");
            awaitStable(admin, group, 4);
            List<String> users = FailureTest.users("scale-", 200);
            List<ResilientClient> clients = FailureTest.connectAll(fabric, users,
                    List.of(fabric.wsUrl(0), fabric.wsUrl(1)), true);
            Stream stream = new Stream(fabric.publisher(), users, 30_000, 300).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 900);

            List<String> steps = new ArrayList<>();
            for (int members = 5; members <= 6; members++) {
                long started = System.nanoTime();
                fabric.startDispatcher();
                steps.add("join -> " + members + ": " + awaitStable(admin, group, members, started) + " ms");
            }
            for (int members = 5; members >= 3; members--) {
                DispatcherApp leaving = fabric.dispatchers().remove(0);
                long started = System.nanoTime();
                leaving.close();
                steps.add("leave -> " + members + ": " + awaitStable(admin, group, members, started) + " ms");
            }
            int afterSteps = stream.published();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= afterSteps + 600);
            settleAndCheck(clients, stream, "Dispatchers (" + assignor + "): rebalances " + steps);
        }
    }

    /**
     * 6 connectors, 300 clients spread over them, 200 msg/s; each connector in turn is drained (its clients
     * reconnect elsewhere within a 2 s drain window) and started again under the same node id.
     */
    @Test
    void sixConnectorsDrainRestartedOneAtATimeLoseNothing() throws Exception {
        int connectors = 6;
        try (Fabric fabric = Fabric.start(connectors, 1, Map.of("PUSH_DRAIN_WINDOW_MS", "2000"))) {
            List<String> users = FailureTest.users("roll-", 300);
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < connectors; i++) {
                urls.add(fabric.wsUrl(i));
            }
            List<ResilientClient> clients = new ArrayList<>();
            for (String user : users) {
                // The URL is looked up at each attempt: a restarted connector listens on a new port.
                ResilientClient c = new ResilientClient(fabric, user, n -> fabric.wsUrl(n % connectors), clients.size());
                clients.add(c);
                c.start();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(ResilientClient::isConnected));
            Stream stream = new Stream(fabric.publisher(), users, 100_000, 200).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 400);

            long rollStarted = System.nanoTime();
            for (int i = 0; i < connectors; i++) {
                long started = System.nanoTime();
                fabric.connector(i).drainAndClose();
                fabric.startConnector(i);
                int index = i;
                await().atMost(Duration.ofSeconds(30)).until(() -> fabric.connector(index).isReady());
                LOG.info("Connector {} drained and back in {} ms", i, (System.nanoTime() - started) / 1_000_000);
            }
            long rollMillis = (System.nanoTime() - rollStarted) / 1_000_000;
            await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(ResilientClient::isConnected));
            settleAndCheck(clients, stream, "Rolling restart of " + connectors + " connectors in " + rollMillis + " ms");
        }
    }

    /** Ends the stream, waits for the ledger to settle, logs it with the latencies, and asserts nothing went wrong. */
    private static void settleAndCheck(List<ResilientClient> clients, Stream stream, String what) throws Exception {
        stream.stop();
        Ledger ledger = Ledger.settle(clients, stream.expected(), Duration.ofSeconds(60));
        LOG.info("{}; {}; ledger: {}", what, Latencies.of(clients), ledger);
        clients.forEach(ResilientClient::stop);
        assertThat(ledger.lost()).as("lost: %s", ledger).isZero();
        assertThat(ledger.outOfOrder()).as("out of order: %s", ledger).isZero();
        assertThat(ledger.notRecovered()).as("resumes not recovered: %s", ledger).isZero();
    }

    private static Properties adminProps(Fabric fabric) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fabric.env.get("PUSH_KAFKA_BOOTSTRAP"));
        return props;
    }

    private static long awaitStable(Admin admin, String group, int members) {
        return awaitStable(admin, group, members, System.nanoTime());
    }

    /** Millis from {@code since} until the group is stable with {@code members} members holding all partitions. */
    private static long awaitStable(Admin admin, String group, int members, long since) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            int assigned = d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
            return d.groupState() == GroupState.STABLE && d.members().size() == members && assigned == PARTITIONS;
        });
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** End-to-end latency of every stream message over all clients: p50, p99, max. */
    record Latencies(int count, long p50, long p99, long max) {
        static Latencies of(Collection<ResilientClient> clients) {
            List<Long> all = new ArrayList<>();
            clients.forEach(c -> all.addAll(c.latenciesMillis()));
            all.sort(Long::compare);
            if (all.isEmpty()) {
                return new Latencies(0, 0, 0, 0);
            }
            return new Latencies(all.size(), all.get(all.size() / 2), all.get((int) (all.size() * 0.99)),
                    all.get(all.size() - 1));
        }

        @Override
        public String toString() {
            return "latency over " + count + " deliveries: p50 " + p50 + " ms, p99 " + p99 + " ms, max " + max + " ms";
        }
    }
}
