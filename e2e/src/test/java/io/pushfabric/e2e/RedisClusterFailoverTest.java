package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.embedded.EmbeddedRedisCluster;
import io.pushfabric.embedded.FreePorts;
import io.pushfabric.embedded.RedisServerProcess;
import io.pushfabric.testkit.RedissonYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric on a Redis Cluster of 3 masters and 3 replicas (local processes, formed by the test), reached
 * through a Redisson cluster config file as in production: routing to 100 users on two connectors, then,
 * under a steady stream, the master of the busiest user's slot is killed (a replica takes over), then a
 * connector is killed with SIGKILL and its clients resume on the other. The ledger: 0 lost, 0 out of
 * order, every resume recovered.
 */
class RedisClusterFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterFailoverTest.class);
    static final String BUSY = "busy";

    /** {@code users} with the busy user added as often again, so about half the stream is the busy user's. */
    static List<String> weighted(List<String> users) {
        List<String> weighted = new ArrayList<>(users);
        weighted.addAll(Collections.nCopies(users.size(), BUSY));
        return weighted;
    }

    @Test
    void masterFailoverAndAConnectorKilledUnderAStreamLoseNothing() throws Exception {
        Map<String, String> settings = Map.of("PUSH_LEASE_TTL_MS", "6000", "PUSH_HEARTBEAT_MS", "1000");
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 1, Duration.ofMillis(1500));
             Fabric fabric = Fabric.start(0, 1, Map.of("PUSH_REDIS", RedissonYaml.cluster(cluster).toString()))) {
            int killedPort = FreePorts.pick();
            Map<String, String> killedEnv = FailureTest.connectorEnv(fabric, 0, killedPort);
            killedEnv.putAll(settings);
            fabric.startConnector(1, settings);
            try (ServiceProcess killed = ServiceProcess.start("cluster-connector-0",
                    "io.pushfabric.connector.ConnectorMain", killedEnv, killedPort)) {
                List<String> urls = List.of("ws://127.0.0.1:" + killedPort + "/ws", fabric.wsUrl(1));
                List<String> users = FailureTest.users("c-", 99);
                users.add(BUSY);
                List<ResilientClient> clients = FailureTest.connectAll(fabric, users, urls, true);

                Stream stream = new Stream(fabric.publisher(), weighted(users), 2400, 200).start();
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 400);
                RedisServerProcess master = cluster.masterOf("{" + BUSY + "}").orElseThrow();
                LOG.info("Killing Redis master {} (pid {}) that holds the slot of '{}'", master.uri(), master.pid(), BUSY);
                long killedAt = System.nanoTime();
                master.kill();
                cluster.awaitHealthy(Duration.ofSeconds(30));
                LOG.info("A replica took over the slot of '{}' after {} ms", BUSY, (System.nanoTime() - killedAt) / 1_000_000);

                await().atMost(Duration.ofSeconds(60)).until(() -> stream.published() >= 1400);
                LOG.info("Killing connector 0 (pid {}) with SIGKILL", killed.pid());
                killed.kill9();

                Ledger ledger = Ledger.settle(clients, stream.expected(), Duration.ofSeconds(60));
                LOG.info("Redis Cluster failover ledger: {}", ledger);
                clients.forEach(ResilientClient::stop);
                assertThat(ledger.lost()).as("lost: %s", ledger).isZero();
                assertThat(ledger.outOfOrder()).as("out of order: %s", ledger).isZero();
                assertThat(ledger.notRecovered()).as("resumes not recovered: %s", ledger).isZero();
                assertThat(ledger.resumes()).as("clients of the killed connector resumed").isPositive();
            }
        }
    }
}
