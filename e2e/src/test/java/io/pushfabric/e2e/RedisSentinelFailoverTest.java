package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.embedded.EmbeddedRedisSentinel;
import io.pushfabric.embedded.RedisServerProcess;
import io.pushfabric.testkit.RedissonYaml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric on a Sentinel-managed Redis (one master, one replica, three sentinels: local processes),
 * reached through a Redisson sentinel config file as in production. Under a steady stream to 100 users on
 * two connectors the master is killed with SIGKILL; the sentinels promote the replica and Redisson follows
 * (a session opened afterwards is routed on the new master and gets its message). The ledger: 0 lost, 0 out of order, every resume recovered.
 */
class RedisSentinelFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSentinelFailoverTest.class);

    @Test
    void masterKilledUnderAStreamLosesNothing() throws Exception {
        try (EmbeddedRedisSentinel sentinel = EmbeddedRedisSentinel.start(1, 3, Duration.ofMillis(1000));
             Fabric fabric = Fabric.start(2, 1, Map.of("PUSH_REDIS", RedissonYaml.sentinel(sentinel).toString()))) {
            List<String> users = FailureTest.users("s-", 99);
            users.add(RedisClusterFailoverTest.BUSY);
            List<ResilientClient> clients = FailureTest.connectAll(fabric, users,
                    List.of(fabric.wsUrl(0), fabric.wsUrl(1)), true);

            Stream stream = new Stream(fabric.publisher(), RedisClusterFailoverTest.weighted(users), 2000, 200).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 400);
            RedisServerProcess master = sentinel.master().orElseThrow();
            LOG.info("Killing Redis master {} (pid {})", master.uri(), master.pid());
            long killedAt = System.nanoTime();
            master.kill();
            RedisServerProcess promoted = sentinel.awaitMaster(Duration.ofSeconds(30));
            LOG.info("Sentinels promoted {} after {} ms", promoted.uri(), (System.nanoTime() - killedAt) / 1_000_000);
            WsClient late = fabric.connectWelcomed(0, "late", null);
            assertThat(promoted.command("HLEN", fabric.base + ":route:{late}"))
                    .as("a session opened after the failover is routed on the new master").isEqualTo("1");
            fabric.publisher().publish(PushRequest.toUser(UserId.of("late"), Json.MAPPER.createObjectNode())).join();
            await().atMost(Duration.ofSeconds(30)).until(() -> late.pushes().size() == 1);
            late.close();

            Ledger ledger = Ledger.settle(clients, stream.expected(), Duration.ofSeconds(60));
            LOG.info("Redis Sentinel failover ledger: {}", ledger);
            clients.forEach(ResilientClient::stop);
            assertThat(ledger.lost()).as("lost: %s", ledger).isZero();
            assertThat(ledger.outOfOrder()).as("out of order: %s", ledger).isZero();
            assertThat(ledger.notRecovered()).as("resumes not recovered: %s", ledger).isZero();
        }
    }
}
