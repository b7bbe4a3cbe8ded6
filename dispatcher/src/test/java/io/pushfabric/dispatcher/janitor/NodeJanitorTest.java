package io.pushfabric.dispatcher.janitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.ChannelRoute;
import io.pushfabric.registry.InMemoryChannelMembers;
import io.pushfabric.registry.ClusterLock;
import io.pushfabric.registry.InMemoryChannelRegistry;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.LeaseToken;
import io.pushfabric.registry.MutableClock;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeLeases;
import io.pushfabric.registry.NodeRegistry;
import io.pushfabric.registry.SessionRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The janitor on in-memory registries and a test clock: it never removes what belongs to a live node. */
class NodeJanitorTest {
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final ClusterLock NO_LOCK = (name, lease, task) -> {
        task.run();
        return true;
    };

    private final MutableClock clock = new MutableClock();
    private final InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(clock);
    private final NodeLeases leases = new NodeLeases(nodes);
    private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
    private final InMemoryChannelRegistry channels = new InMemoryChannelRegistry();
    private final InMemoryChannelMembers members = new InMemoryChannelMembers();
    private final List<NodeId> deletedTopics = new ArrayList<>();

    private NodeJanitor janitor(Consumer<NodeId> whileDeletingTopic) {
        return new NodeJanitor(nodes, routes, channels, members, NO_LOCK, node -> {
            deletedTopics.add(node);
            whileDeletingTopic.accept(node);
        }, GRACE, clock);
    }

    private boolean heartbeat(NodeId node, long startedAt) {
        return leases.beat(new NodeInfo(node, node.value() + ":8080", startedAt, 1, clock.millis()), LEASE);
    }

    @BeforeEach
    void aIsLongDeadAndBIsLive() {
        heartbeat(A, 1);
        routes.register(new SessionRoute(UserId.of("alice"), "s1", A));
        channels.register(new ChannelRoute(ChannelName.of("chat:lobby"), A, "t1"));
        members.join(ChannelName.of("chat:lobby"), A, UserId.of("alice"));
        clock.advance(GRACE.plus(LEASE).plusSeconds(1));
        heartbeat(B, 1);
        routes.register(new SessionRoute(UserId.of("bob"), "s2", B));
        channels.register(new ChannelRoute(ChannelName.of("chat:lobby"), B, "t2"));
        members.join(ChannelName.of("chat:lobby"), B, UserId.of("bob"));
    }

    @Test
    void deadNodeIsCleanedUpAndLiveNodeKept() {
        assertThat(janitor(node -> { }).sweep()).isEqualTo(1);

        assertThat(deletedTopics).containsExactly(A);
        assertThat(routes.routesOn(A)).isEmpty();
        assertThat(routes.routesOn(B)).hasSize(1);
        assertThat(channels.routesOn(A)).isEmpty();
        assertThat(channels.routesOn(B)).hasSize(1);
        assertThat(members.membersOf(ChannelName.of("chat:lobby"), Set.of(A, B), 10).sessions())
                .as("only the dead node's members are gone").isEqualTo(Map.of(UserId.of("bob"), 1));
        assertThat(nodes.knownNodes()).extracting(NodeInfo::id).containsExactly(B);
    }

    @Test
    void nodeThatRestartsWhileItsTopicIsDeletedKeepsItsNewLeaseAndIsToldToRejoin() {
        List<Boolean> leaseWasLive = new ArrayList<>();
        janitor(node -> leaseWasLive.add(heartbeat(A, 2))).sweep();

        assertThat(leaseWasLive).as("the node learns that its lease had lapsed, so it fences and rejoins")
                .containsExactly(false);
        assertThat(nodes.liveNodes()).as("the restarted node's new lease survives the sweep").contains(A);
        assertThat(nodes.knownNodes()).extracting(NodeInfo::startedAt).contains(2L);
    }

    @Test
    void nodeThatHeartbeatsAfterTheJanitorReadItIsKeptWhole() {
        NodeRegistry racing = new RacingRegistry(nodes, () -> heartbeat(A, 2));
        NodeJanitor janitor = new NodeJanitor(racing, routes, channels, members, NO_LOCK, deletedTopics::add, GRACE, clock);

        assertThat(janitor.sweep()).isZero();

        assertThat(deletedTopics).isEmpty();
        assertThat(routes.routesOn(A)).hasSize(1);
        assertThat(nodes.liveNodes()).containsExactlyInAnyOrder(A, B);
    }

    /** Our registry, with a node heartbeating right after the janitor has read the known nodes. */
    private record RacingRegistry(NodeRegistry delegate, Runnable afterRead) implements NodeRegistry {
        @Override
        public List<NodeInfo> knownNodes() {
            List<NodeInfo> seen = delegate.knownNodes();
            afterRead.run();
            return seen;
        }

        @Override
        public boolean renew(NodeInfo node, LeaseToken held, Duration ttl) {
            return delegate.renew(node, held, ttl);
        }

        @Override
        public void acquire(NodeInfo node, LeaseToken fresh, Duration ttl) {
            delegate.acquire(node, fresh, ttl);
        }

        @Override
        public Set<NodeId> liveNodes() {
            return delegate.liveNodes();
        }

        @Override
        public void leave(NodeId node) {
            delegate.leave(node);
        }

        @Override
        public boolean evict(NodeId node) {
            return delegate.evict(node);
        }

        @Override
        public boolean forgetIfDead(NodeInfo seen) {
            return delegate.forgetIfDead(seen);
        }
    }
}
