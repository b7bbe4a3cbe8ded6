package io.pushfabric.dispatcher.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeLeases;
import io.pushfabric.registry.SessionRoute;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceQueryTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");
    private static final NodeId DEAD = NodeId.of("node-dead");

    private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
    private final InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(Clock.systemUTC());
    private final PresenceQuery query = new PresenceQuery(routes, nodes);

    @Test
    void aUserWithoutSessionsIsOffline() {
        UserPresence presence = query.of(ALICE);

        assertThat(presence.online()).isFalse();
        assertThat(presence.sessions()).isZero();
        assertThat(presence.sessionsByNode()).isEmpty();
    }

    @Test
    void sessionsAreCountedPerLiveNodeAndThoseOnDeadNodesAreLeftOut() {
        NodeLeases leases = new NodeLeases(nodes);
        leases.beat(new NodeInfo(A, "a:1", 1L, 0, 1L), Duration.ofMinutes(1));
        leases.beat(new NodeInfo(B, "b:1", 1L, 0, 1L), Duration.ofMinutes(1));
        routes.register(new SessionRoute(ALICE, "s1", A));
        routes.register(new SessionRoute(ALICE, "s2", A));
        routes.register(new SessionRoute(ALICE, "s3", B));
        routes.register(new SessionRoute(ALICE, "s4", DEAD));

        UserPresence presence = query.of(ALICE);

        assertThat(presence.online()).isTrue();
        assertThat(presence.sessions()).isEqualTo(3);
        assertThat(presence.sessionsByNode()).containsExactly(Map.entry(A, 2), Map.entry(B, 1));
    }
}
