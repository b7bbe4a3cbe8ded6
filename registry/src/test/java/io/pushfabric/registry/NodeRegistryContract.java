package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.NodeId;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NodeRegistry} does. A subclass supplies a fresh, empty registry per test and a way to
 * let a lease run out: a fake clock moved forward, or a short real TTL waited for.
 */
public abstract class NodeRegistryContract {
    protected static final NodeId NODE_A = NodeId.of("node-a");
    protected static final NodeId NODE_B = NodeId.of("node-b");
    /** Long enough never to lapse during a test. */
    protected static final Duration LONG_TTL = Duration.ofSeconds(30);

    protected NodeRegistry registry;

    /** A registry that sees no nodes of any other test. */
    protected abstract NodeRegistry newRegistry();

    /** A TTL this test can let lapse quickly (short for real Redis; any value for a fake clock). */
    protected abstract Duration shortTtl();

    /** Lets {@code ttl} run out, then returns once {@code condition} holds (or fails the test). */
    protected abstract void lapse(Duration ttl, BooleanSupplier condition);

    /** The tokens the nodes believe they hold. */
    private NodeLeases leases;

    @BeforeEach
    void createRegistry() {
        registry = newRegistry();
        leases = new NodeLeases(registry);
    }

    /** Heartbeats the way a node does: renews what it holds, or (after fencing itself) acquires a new lease. */
    protected boolean beat(NodeInfo node, Duration ttl) {
        return leases.beat(node, ttl);
    }

    protected static NodeInfo info(NodeId id, int sessions, long heartbeatAt) {
        return new NodeInfo(id, id.value() + ".internal:8080", 1_700_000_000_000L, sessions, heartbeatAt);
    }

    @Test
    void heartbeatReportsWhetherTheLeaseWasLive() {
        assertThat(beat(info(NODE_A, 0, 1), LONG_TTL)).as("first heartbeat").isFalse();
        assertThat(beat(info(NODE_A, 0, 2), LONG_TTL)).as("while live").isTrue();
        assertThat(beat(info(NODE_A, 0, 3), shortTtl())).as("while live, shorter").isTrue();

        lapse(shortTtl(), () -> !registry.liveNodes().contains(NODE_A));

        assertThat(beat(info(NODE_A, 0, 4), LONG_TTL)).as("after lapse").isFalse();
        assertThat(registry.liveNodes()).containsExactly(NODE_A);
    }

    @Test
    void renewalNeverRecreatesALapsedLease() {
        LeaseToken first = LeaseToken.random();
        registry.acquire(info(NODE_A, 0, 1), first, shortTtl());
        lapse(shortTtl(), () -> !registry.liveNodes().contains(NODE_A));

        assertThat(registry.renew(info(NODE_A, 0, 2), first, LONG_TTL)).as("renewal after the lapse").isFalse();
        assertThat(registry.liveNodes()).as("still dead until the node acquires a new lease").isEmpty();
        // Even if the answer above was lost, asking again says the same.
        assertThat(registry.renew(info(NODE_A, 0, 3), first, LONG_TTL)).as("renewal asked again").isFalse();

        LeaseToken second = LeaseToken.random();
        registry.acquire(info(NODE_A, 0, 4), second, LONG_TTL);
        assertThat(registry.liveNodes()).containsExactly(NODE_A);
        assertThat(registry.renew(info(NODE_A, 0, 5), second, LONG_TTL)).as("renewal of the new lease").isTrue();
        assertThat(registry.renew(info(NODE_A, 0, 6), first, LONG_TTL)).as("renewal of an older holding").isFalse();
    }

    @Test
    void liveNodesExcludesExpiredLeases() {
        beat(info(NODE_A, 1, 1), LONG_TTL);
        beat(info(NODE_B, 1, 1), shortTtl());
        assertThat(registry.liveNodes()).containsExactlyInAnyOrder(NODE_A, NODE_B);

        lapse(shortTtl(), () -> registry.liveNodes().equals(Set.of(NODE_A)));

        assertThat(registry.knownNodes()).extracting(NodeInfo::id).containsExactlyInAnyOrder(NODE_A, NODE_B);
    }

    @Test
    void noNodesAtFirst() {
        assertThat(registry.liveNodes()).isEmpty();
        assertThat(registry.knownNodes()).isEmpty();
    }

    @Test
    void knownNodesHoldTheLastHeartbeat() {
        beat(info(NODE_A, 1, 1_000), LONG_TTL);
        beat(info(NODE_A, 42, 2_000), LONG_TTL);
        beat(info(NODE_B, 7, 1_500), LONG_TTL);

        assertThat(registry.knownNodes()).containsExactlyInAnyOrder(info(NODE_A, 42, 2_000), info(NODE_B, 7, 1_500));
    }

    @Test
    void leaveEndsTheLeaseButKeepsTheNodeKnown() {
        beat(info(NODE_A, 3, 1), LONG_TTL);
        beat(info(NODE_B, 3, 1), LONG_TTL);

        registry.leave(NODE_A);

        assertThat(registry.liveNodes()).containsExactly(NODE_B);
        assertThat(registry.knownNodes()).extracting(NodeInfo::id).containsExactlyInAnyOrder(NODE_A, NODE_B);
        assertThat(beat(info(NODE_A, 0, 2), LONG_TTL)).as("heartbeat after leave").isFalse();
    }

    @Test
    void forgetIfDeadRemovesADeadNodeEntirely() {
        beat(info(NODE_A, 3, 1), LONG_TTL);
        beat(info(NODE_B, 3, 1), LONG_TTL);
        registry.leave(NODE_A);

        assertThat(registry.forgetIfDead(info(NODE_A, 3, 1))).isTrue();

        assertThat(registry.liveNodes()).containsExactly(NODE_B);
        assertThat(registry.knownNodes()).containsExactly(info(NODE_B, 3, 1));
    }

    @Test
    void forgetIfDeadKeepsALiveNode() {
        beat(info(NODE_A, 3, 1), LONG_TTL);

        assertThat(registry.forgetIfDead(info(NODE_A, 3, 1))).isFalse();

        assertThat(registry.liveNodes()).containsExactly(NODE_A);
        assertThat(registry.knownNodes()).containsExactly(info(NODE_A, 3, 1));
    }

    @Test
    void forgetIfDeadKeepsANodeThatHeartbeatSinceItWasSeen() {
        beat(info(NODE_A, 3, 1), LONG_TTL);
        registry.leave(NODE_A);
        NodeInfo seen = registry.knownNodes().get(0);
        beat(info(NODE_A, 0, 2), shortTtl()); // came back, then lapsed again
        lapse(shortTtl(), () -> registry.liveNodes().isEmpty());

        assertThat(registry.forgetIfDead(seen)).isFalse();

        assertThat(registry.knownNodes()).containsExactly(info(NODE_A, 0, 2));
    }

    @Test
    void evictEndsALiveLeaseAndTheNextHeartbeatReportsTheLapse() {
        beat(info(NODE_A, 3, 1), LONG_TTL);
        beat(info(NODE_B, 3, 1), LONG_TTL);

        assertThat(registry.evict(NODE_A)).isTrue();

        assertThat(registry.liveNodes()).containsExactly(NODE_B);
        assertThat(registry.knownNodes()).extracting(NodeInfo::id).containsExactlyInAnyOrder(NODE_A, NODE_B);
        assertThat(beat(info(NODE_A, 3, 2), LONG_TTL)).as("heartbeat after eviction").isFalse();
    }

    @Test
    void leaveEvictAndForgetOfUnknownNodesDoNothing() {
        registry.leave(NODE_A);

        assertThat(registry.evict(NODE_A)).isFalse();
        assertThat(registry.forgetIfDead(info(NODE_B, 0, 1))).isFalse();
        assertThat(registry.knownNodes()).isEmpty();
    }

    @Test
    void heartbeatRejectsTtlUnderOneMillisecond() {
        assertThatThrownBy(() -> beat(info(NODE_A, 0, 1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThat(registry.knownNodes()).isEmpty();
    }
}
