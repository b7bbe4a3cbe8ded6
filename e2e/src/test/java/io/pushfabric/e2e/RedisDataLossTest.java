package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.embedded.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis loses everything (a restart without persistence, {@code FLUSHALL}) while a client is connected: its route
 * and its node's lease are gone at once, but the connector only notices at its next heartbeat and the dispatcher
 * still holds the live nodes it read before. A user whose partition is also the broadcast partition must not get
 * a broadcast live after a message of its own was skipped for want of a route: its cursor would pass that message
 * and the resume after the fence would never bring it back.
 */
class RedisDataLossTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisDataLossTest.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void redisEmptiedUnderAConnectedClientOnTheBroadcastPartitionLosesNothing() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             Fabric fabric = Fabric.start(1, 1, Map.of("PUSH_REDIS", redis.uri(),
                     "PUSH_HEARTBEAT_MS", Long.toString(HEARTBEAT.toMillis()),
                     "PUSH_LEASE_TTL_MS", Long.toString(HEARTBEAT.multipliedBy(3).toMillis()),
                     // The dispatcher reuses the live nodes it read for the whole test, unless something makes it
                     // read them again.
                     "PUSH_LIVE_NODES_TTL_MS", "60000"))) {
            String user = userOnTheBroadcastPartition(fabric);
            ResilientClient client = new ResilientClient(fabric, user, n -> fabric.wsUrl(0), 0);
            client.start();
            await().atMost(Duration.ofSeconds(20)).until(client::isConnected);
            String before = fabric.publisher().publish(broadcast("before")).join().id();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.received().size() == 1);

            // Right after a renewal, so the connector notices the loss only a heartbeat later.
            String lease = fabric.base + ":lease:{" + fabric.nodeId(0) + "}";
            long ttl = HEARTBEAT.multipliedBy(3).toMillis();
            await().atMost(HEARTBEAT.multipliedBy(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Long.parseLong(redis.command("PTTL", lease).trim()) > ttl - 500);
            redis.command("FLUSHALL");
            String mine = fabric.publisher().publish(PushRequest.toUser(UserId.of(user),
                    Json.MAPPER.createObjectNode().put("text", "mine"))).join().id();
            String after = fabric.publisher().publish(broadcast("after")).join().id();
            LOG.info("Redis emptied; then published {} to {} and the broadcast {}", mine, user, after);

            Ledger ledger = Ledger.settle(List.of(client), Map.of(user, List.of(before, mine, after)),
                    HEARTBEAT.multipliedBy(4));
            LOG.info("Redis data loss ledger: {}", ledger);
            client.stop();
            assertThat(ledger.lost()).as("lost: %s", ledger).isZero();
            assertThat(ledger.outOfOrder()).as("out of order: %s", ledger).isZero();
            assertThat(ledger.resumes()).as("the node fenced itself and the client resumed").isPositive();
            assertThat(ledger.notRecovered()).as("resumes not recovered: %s", ledger).isZero();
        }
    }

    private static PushRequest broadcast(String text) {
        return PushRequest.broadcast(Json.MAPPER.createObjectNode().put("text", text));
    }

    private static String userOnTheBroadcastPartition(Fabric fabric) {
        for (int i = 0; ; i++) {
            String candidate = "wiped-" + i;
            if (fabric.partitionOf(candidate) == fabric.partitionOf("*")) {
                return candidate;
            }
        }
    }
}
