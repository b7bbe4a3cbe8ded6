package io.pushfabric.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryChannelRegistry;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.MutableClock;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.LeaseToken;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.SessionRoute;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteResolverTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");
    private static final NodeId C = NodeId.of("node-c");
    private static final ChannelName NEWS = ChannelName.of("news");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration ENTRY_TTL = Duration.ofSeconds(10);
    private static final Duration LIVE_NODES_TTL = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock();
    private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
    private final InMemoryChannelRegistry channels = new InMemoryChannelRegistry();
    private final InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(clock);
    private int sessionIds;

    private RouteResolver resolver(long maxUsers) {
        return new RouteResolver(routes, channels, nodes, new RouteResolver.CacheSettings(maxUsers, ENTRY_TTL, LIVE_NODES_TTL),
                clock);
    }

    private final RouteResolver resolver = resolver(1_000);

    private void live(NodeId node) {
        nodes.acquire(new NodeInfo(node, node.value() + ":8080", 0L, 0, clock.millis()), LeaseToken.random(), LEASE);
    }

    private void connect(UserId user, NodeId node) {
        routes.register(new SessionRoute(user, "s-" + sessionIds++, node));
    }

    private Set<NodeId> nodesOf(RouteResolver resolver, UserId user) {
        return resolver.resolve(List.of(user)).get(user);
    }

    @Test
    void resolvesUsersToTheirLiveNodesOnly() {
        live(A);
        live(B);
        connect(ALICE, A);
        connect(ALICE, C); // C holds no lease: dead for routing
        connect(BOB, B);

        Map<UserId, Set<NodeId>> resolved = resolver.resolve(List.of(ALICE, BOB));

        assertThat(resolved).containsOnly(Map.entry(ALICE, Set.of(A)), Map.entry(BOB, Set.of(B)));
    }

    @Test
    void everyRequestedUserIsAKeyEvenWithoutSessions() {
        live(A);

        assertThat(resolver.resolve(List.of(ALICE))).containsExactly(Map.entry(ALICE, Set.of()));
    }

    @Test
    void userWithSeveralSessionsOnOneNodeResolvesToItOnce() {
        live(A);
        connect(ALICE, A);
        connect(ALICE, A);

        assertThat(nodesOf(resolver, ALICE)).containsExactly(A);
    }

    @Test
    void cachedRoutesAreReusedUntilTheUserIsInvalidated() {
        live(A);
        live(B);
        connect(ALICE, A);
        assertThat(nodesOf(resolver, ALICE)).containsExactly(A);

        connect(ALICE, B);
        assertThat(nodesOf(resolver, ALICE)).as("still cached").containsExactly(A);

        resolver.invalidateUser(ALICE);
        assertThat(nodesOf(resolver, ALICE)).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void invalidatingOneUserKeepsOthersCached() {
        live(A);
        live(B);
        connect(ALICE, A);
        connect(BOB, A);
        resolver.resolve(List.of(ALICE, BOB));
        connect(ALICE, B);
        connect(BOB, B);

        resolver.invalidateUser(ALICE);

        assertThat(resolver.resolve(List.of(ALICE, BOB)))
                .containsOnly(Map.entry(ALICE, Set.of(A, B)), Map.entry(BOB, Set.of(A)));
    }

    @Test
    void invalidateAllDropsCachedRoutesAndLiveNodes() {
        live(A);
        connect(ALICE, A);
        connect(BOB, A);
        resolver.resolve(List.of(ALICE, BOB));
        live(B);
        connect(ALICE, B);
        connect(BOB, B);
        assertThat(resolver.resolve(List.of(ALICE, BOB)))
                .containsOnly(Map.entry(ALICE, Set.of(A)), Map.entry(BOB, Set.of(A)));

        resolver.invalidateAll();

        assertThat(resolver.resolve(List.of(ALICE, BOB)))
                .containsOnly(Map.entry(ALICE, Set.of(A, B)), Map.entry(BOB, Set.of(A, B)));
    }

    @Test
    void withTheCacheOffEveryResolveReadsTheRegistry() {
        RouteResolver uncached = resolver(0);
        live(A);
        live(B);
        connect(ALICE, A);
        assertThat(nodesOf(uncached, ALICE)).containsExactly(A);

        connect(ALICE, B);

        assertThat(nodesOf(uncached, ALICE)).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void liveNodesAreReusedUntilTheirTtlPasses() {
        live(A);
        assertThat(resolver.liveNodes()).containsExactly(A);

        live(B);
        clock.advance(LIVE_NODES_TTL.minusMillis(1));
        assertThat(resolver.liveNodes()).as("within the TTL").containsExactly(A);

        clock.advance(Duration.ofMillis(1));
        assertThat(resolver.liveNodes()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void liveNodesAreReReadAfterInvalidation() {
        live(A);
        assertThat(resolver.liveNodes()).containsExactly(A);
        live(B);

        resolver.invalidateLiveNodes();

        assertThat(resolver.liveNodes()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void nodeThatLeftStopsBeingATargetOnceLiveNodesAreReRead() {
        live(A);
        live(B);
        connect(ALICE, A);
        connect(ALICE, B);
        assertThat(nodesOf(resolver, ALICE)).containsExactlyInAnyOrder(A, B);

        nodes.leave(B);
        assertThat(nodesOf(resolver, ALICE)).as("live nodes still cached").containsExactlyInAnyOrder(A, B);

        clock.advance(LIVE_NODES_TTL);
        assertThat(nodesOf(resolver, ALICE)).containsExactly(A);
    }

    /**
     * Redis restarted empty: alice's route and node A's lease are gone together. Live nodes read before that must
     * not outlive the read that finds her without a route: her message would be skipped while the next broadcast
     * still went to A, and her session there would get the broadcast, moving her cursor past the message she
     * never got.
     */
    @Test
    void aRouteReadThatFindsAUserWithoutRouteReadsTheLiveNodesAgain() {
        live(A);
        connect(ALICE, A);
        connect(BOB, A);
        assertThat(nodesOf(resolver, BOB)).as("bob's route cached, live nodes read").containsExactly(A);

        SessionRoute alices = routes.sessionsOf(ALICE).get(0);
        routes.unregister(alices); // Redis lost everything: the route and the lease
        nodes.evict(A);
        assertThat(nodesOf(resolver, ALICE)).as("no route: alice's message is skipped").isEmpty();

        assertThat(resolver.liveNodes()).as("live nodes at least as fresh as the route read").isEmpty();
        assertThat(nodesOf(resolver, BOB)).as("nor does bob's cached route meet a stale live node").isEmpty();
    }

    @Test
    void aRouteReadThatFindsEveryUserRoutedKeepsTheLiveNodesCached() {
        live(A);
        connect(ALICE, A);
        connect(BOB, A);
        assertThat(nodesOf(resolver, ALICE)).containsExactly(A);
        live(B);

        assertThat(nodesOf(resolver, BOB)).as("read from the registry, routed").containsExactly(A);
        assertThat(resolver.liveNodes()).as("nothing skipped: live nodes still cached").containsExactly(A);
    }

    @Test
    void aChannelReadThatFindsNoSubscriberNodeReadsTheLiveNodesAgain() {
        live(A);
        assertThat(resolver.liveNodes()).containsExactly(A);
        nodes.evict(A);

        assertThat(resolver.resolveChannels(List.of(NEWS))).containsExactly(Map.entry(NEWS, Set.of()));

        assertThat(resolver.liveNodes()).isEmpty();
    }

    @Test
    void newlyLiveNodeIsATargetForCachedRoutes() {
        live(A);
        connect(ALICE, A);
        connect(ALICE, B); // B's lease is not live yet
        assertThat(nodesOf(resolver, ALICE)).containsExactly(A);

        live(B);
        resolver.invalidateLiveNodes();

        assertThat(nodesOf(resolver, ALICE)).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void cachedRoutesExpireAfterTheEntryTtl() {
        live(A);
        live(B);
        connect(ALICE, A);
        assertThat(nodesOf(resolver, ALICE)).containsExactly(A);
        connect(ALICE, B);

        clock.advance(ENTRY_TTL.minusSeconds(1));
        assertThat(nodesOf(resolver, ALICE)).as("before the entry TTL").containsExactly(A);

        clock.advance(Duration.ofSeconds(2));
        assertThat(nodesOf(resolver, ALICE)).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void negativeCacheSizeIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> new RouteResolver.CacheSettings(-1, ENTRY_TTL, LIVE_NODES_TTL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxUsers must be >= 0, was -1");
    }
}
