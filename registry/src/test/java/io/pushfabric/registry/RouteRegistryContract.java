package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RouteRegistry} does. A subclass supplies a fresh, empty registry per test. */
public abstract class RouteRegistryContract {
    protected static final NodeId NODE_A = NodeId.of("node-a");
    protected static final NodeId NODE_B = NodeId.of("node-b");
    protected static final NodeId NODE_C = NodeId.of("node-c");
    protected static final UserId ALICE = UserId.of("alice");
    protected static final UserId BOB = UserId.of("bob");
    protected static final UserId CAROL = UserId.of("carol");

    protected RouteRegistry registry;

    /** A registry that sees no routes of any other test. */
    protected abstract RouteRegistry newRegistry();

    @BeforeEach
    void createRegistry() {
        registry = newRegistry();
    }

    protected static SessionRoute route(UserId user, String session, NodeId node) {
        return new SessionRoute(user, session, node);
    }

    @Test
    void userHasSessionsOnSeveralNodes() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(ALICE, "s2", NODE_B));
        registry.register(route(ALICE, "s3", NODE_A));

        assertThat(registry.sessionsOf(ALICE)).containsExactlyInAnyOrder(
                route(ALICE, "s1", NODE_A), route(ALICE, "s2", NODE_B), route(ALICE, "s3", NODE_A));
        assertThat(registry.nodesOf(List.of(ALICE))).isEqualTo(Map.of(ALICE, Set.of(NODE_A, NODE_B)));
    }

    @Test
    void nodesOfAnswersEveryRequestedUserIncludingUnknownOnes() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(BOB, "s2", NODE_B));
        registry.register(route(BOB, "s3", NODE_B));

        Map<UserId, Set<NodeId>> nodes = registry.nodesOf(List.of(ALICE, BOB, CAROL));

        assertThat(nodes).containsOnly(
                Map.entry(ALICE, Set.of(NODE_A)), Map.entry(BOB, Set.of(NODE_B)), Map.entry(CAROL, Set.of()));
    }

    @Test
    void nodesOfEmptyBatchIsEmpty() {
        assertThat(registry.nodesOf(List.of())).isEmpty();
    }

    @Test
    void nodesOfToleratesARepeatedUser() {
        registry.register(route(ALICE, "s1", NODE_A));

        assertThat(registry.nodesOf(List.of(ALICE, ALICE))).isEqualTo(Map.of(ALICE, Set.of(NODE_A)));
    }

    @Test
    void sessionsOfUnknownUserIsEmpty() {
        assertThat(registry.sessionsOf(CAROL)).isEmpty();
    }

    @Test
    void registerTwiceKeepsOneRoute() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(ALICE, "s1", NODE_A));

        assertThat(registry.sessionsOf(ALICE)).containsExactly(route(ALICE, "s1", NODE_A));
        assertThat(registry.routesOn(NODE_A)).containsExactly(route(ALICE, "s1", NODE_A));
    }

    @Test
    void registerAllRecordsEveryRouteOfTheGroup() {
        registry.registerAll(List.of(route(ALICE, "s1", NODE_A), route(BOB, "s2", NODE_A), route(ALICE, "s3", NODE_B)));

        assertThat(registry.sessionsOf(ALICE)).containsExactlyInAnyOrder(route(ALICE, "s1", NODE_A),
                route(ALICE, "s3", NODE_B));
        assertThat(registry.routesOn(NODE_A)).containsExactlyInAnyOrder(route(ALICE, "s1", NODE_A),
                route(BOB, "s2", NODE_A));
        assertThat(registry.unregister(route(BOB, "s2", NODE_A))).isTrue();
        assertThat(registry.nodesOf(List.of(ALICE, BOB))).isEqualTo(Map.of(ALICE, Set.of(NODE_A, NODE_B), BOB, Set.of()));
    }

    @Test
    void unregisterAllRemovesTheGroupsRoutesThatAreStillTheirNodes() {
        registry.registerAll(List.of(route(ALICE, "s1", NODE_A), route(BOB, "s2", NODE_A), route(CAROL, "s3", NODE_A),
                route(ALICE, "s4", NODE_A)));
        registry.register(route(CAROL, "s3", NODE_B)); // the session resumed on another node

        int removed = registry.unregisterAll(List.of(route(ALICE, "s1", NODE_A), route(BOB, "s2", NODE_A),
                route(CAROL, "s3", NODE_A), route(BOB, "never", NODE_A)));

        assertThat(removed).isEqualTo(2);
        assertThat(registry.sessionsOf(ALICE)).containsExactly(route(ALICE, "s4", NODE_A));
        assertThat(registry.sessionsOf(BOB)).isEmpty();
        assertThat(registry.sessionsOf(CAROL)).containsExactly(route(CAROL, "s3", NODE_B));
        assertThat(registry.routesOn(NODE_A)).containsExactly(route(ALICE, "s4", NODE_A));
        assertThat(registry.unregisterAll(List.of())).isZero();
    }

    @Test
    void registerAllOfNoRoutesDoesNothing() {
        registry.registerAll(List.of());

        assertThat(registry.routesOn(NODE_A)).isEmpty();
    }

    @Test
    void unregisterRemovesOnlyThatSession() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(ALICE, "s2", NODE_B));

        assertThat(registry.unregister(route(ALICE, "s1", NODE_A))).isTrue();

        assertThat(registry.sessionsOf(ALICE)).containsExactly(route(ALICE, "s2", NODE_B));
        assertThat(registry.nodesOf(List.of(ALICE))).isEqualTo(Map.of(ALICE, Set.of(NODE_B)));
        assertThat(registry.routesOn(NODE_A)).isEmpty();
    }

    @Test
    void unregisterOfLastSessionLeavesUserWithNoNodes() {
        registry.register(route(ALICE, "s1", NODE_A));

        assertThat(registry.unregister(route(ALICE, "s1", NODE_A))).isTrue();

        assertThat(registry.nodesOf(List.of(ALICE))).isEqualTo(Map.of(ALICE, Set.of()));
        assertThat(registry.sessionsOf(ALICE)).isEmpty();
    }

    @Test
    void unregisterKeepsNewerRoute() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(ALICE, "s1", NODE_B)); // the session resumed on another node

        assertThat(registry.unregister(route(ALICE, "s1", NODE_A))).isFalse();

        assertThat(registry.sessionsOf(ALICE)).containsExactly(route(ALICE, "s1", NODE_B));
        assertThat(registry.routesOn(NODE_A)).isEmpty();
        assertThat(registry.routesOn(NODE_B)).containsExactly(route(ALICE, "s1", NODE_B));
    }

    @Test
    void unregisterReturnsFalseWhenAbsent() {
        assertThat(registry.unregister(route(ALICE, "never", NODE_A))).isFalse();

        registry.register(route(ALICE, "s1", NODE_A));
        assertThat(registry.unregister(route(ALICE, "s1", NODE_A))).isTrue();
        assertThat(registry.unregister(route(ALICE, "s1", NODE_A))).isFalse();
    }

    @Test
    void routesOnListsEverythingANodeHolds() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(BOB, "s2", NODE_A));
        registry.register(route(ALICE, "s3", NODE_B));

        assertThat(registry.routesOn(NODE_A)).containsExactlyInAnyOrder(
                route(ALICE, "s1", NODE_A), route(BOB, "s2", NODE_A));
        assertThat(registry.routesOn(NODE_B)).containsExactly(route(ALICE, "s3", NODE_B));
        assertThat(registry.routesOn(NODE_C)).isEmpty();
    }

    @Test
    void removeAllOnRemovesOnlyThatNodesRoutes() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.register(route(BOB, "s2", NODE_A));
        registry.register(route(ALICE, "s3", NODE_B));
        registry.register(route(CAROL, "s4", NODE_A));
        registry.register(route(CAROL, "s4", NODE_B)); // moved: node A's cleanup must not touch it

        assertThat(registry.removeAllOn(NODE_A)).isEqualTo(2);

        assertThat(registry.routesOn(NODE_A)).isEmpty();
        assertThat(registry.sessionsOf(ALICE)).containsExactly(route(ALICE, "s3", NODE_B));
        assertThat(registry.sessionsOf(BOB)).isEmpty();
        assertThat(registry.sessionsOf(CAROL)).containsExactly(route(CAROL, "s4", NODE_B));
        assertThat(registry.routesOn(NODE_B)).containsExactlyInAnyOrder(
                route(ALICE, "s3", NODE_B), route(CAROL, "s4", NODE_B));
        assertThat(registry.removeAllOn(NODE_A)).isZero();
    }

    @Test
    void nodeCanRegisterAgainAfterRemoveAllOn() {
        registry.register(route(ALICE, "s1", NODE_A));
        registry.removeAllOn(NODE_A);

        registry.register(route(ALICE, "s2", NODE_A));

        assertThat(registry.routesOn(NODE_A)).containsExactly(route(ALICE, "s2", NODE_A));
    }

    @Test
    void userIdsWithSeparatorsAndBracesRoundTrip() {
        UserId odd = UserId.of("tenant|7:{user} 42");
        registry.register(route(odd, "s-1", NODE_A));

        assertThat(registry.routesOn(NODE_A)).containsExactly(route(odd, "s-1", NODE_A));
        assertThat(registry.nodesOf(List.of(odd))).isEqualTo(Map.of(odd, Set.of(NODE_A)));
        assertThat(registry.removeAllOn(NODE_A)).isEqualTo(1);
        assertThat(registry.sessionsOf(odd)).isEmpty();
    }
}
