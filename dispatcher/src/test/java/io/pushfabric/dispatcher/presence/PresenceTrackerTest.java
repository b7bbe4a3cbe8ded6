package io.pushfabric.dispatcher.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PresenceEvent;
import io.pushfabric.contracts.PresenceEvent.State;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.InMemoryPresenceRegistry;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.MutableClock;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeLeases;
import io.pushfabric.registry.PresenceSchedulingRoutes;
import io.pushfabric.registry.RouteRegistry;
import io.pushfabric.registry.SessionRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The presence state machine on in-memory registries and a test clock, with connectors' side played by
 * {@link PresenceSchedulingRoutes}: online at the first session, offline only once the last one has been gone for
 * the grace period, lost nodes, and two dispatchers checking at once.
 */
class PresenceTrackerTest {
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    /** Two partitions: alice's and bob's. */
    private static final ToIntFunction<UserId> PARTITION = user -> user.equals(ALICE) ? 0 : 1;
    private static final Set<Integer> ALL = Set.of(0, 1);

    private final MutableClock clock = new MutableClock();
    private final InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(clock);
    private final NodeLeases leases = new NodeLeases(nodes);
    private final InMemoryRouteRegistry routeTable = new InMemoryRouteRegistry();
    private final InMemoryPresenceRegistry presence = new InMemoryPresenceRegistry(clock);
    /** What connectors register and unregister through. */
    private final PresenceSchedulingRoutes routes = new PresenceSchedulingRoutes(routeTable, presence, PARTITION, GRACE);
    private final List<PresenceEvent> events = new ArrayList<>();
    private final PresenceTracker tracker = new PresenceTracker(presence, routeTable, nodes, events::add, 500);
    private final PresenceNodeWatch watch = new PresenceNodeWatch(nodes, routeTable, presence, PARTITION, GRACE);

    @BeforeEach
    void nodesAreLive() {
        heartbeat(A);
        heartbeat(B);
    }

    private void heartbeat(NodeId node) {
        leases.beat(new NodeInfo(node, node.value() + ":8080", 0, 1, clock.millis()), LEASE);
    }

    private static SessionRoute session(UserId user, String id, NodeId node) {
        return new SessionRoute(user, id, node);
    }

    private List<String> seen() {
        return events.stream().map(e -> e.user() + " " + e.state().wire() + " " + e.sessions()).toList();
    }

    @Test
    void firstSessionAnywhereIsOnlineOnce() {
        routes.register(session(ALICE, "s1", A));
        tracker.checkDue(ALL);
        routes.register(session(ALICE, "s2", B));
        tracker.checkDue(ALL);

        assertThat(seen()).containsExactly("alice online 1");
        assertThat(events.get(0).version()).isPositive();
        assertThat(events.get(0).at()).isEqualTo(clock.millis());
    }

    @Test
    void sessionsRegisteredAsOneGroupAreEachOnline() {
        routes.registerAll(List.of(session(ALICE, "s1", A), session(BOB, "s2", A), session(ALICE, "s3", A)));
        tracker.checkDue(ALL);

        assertThat(seen()).containsExactlyInAnyOrder("alice online 2", "bob online 1");
    }

    @Test
    void lastSessionClosedIsOfflineOnlyOnceTheGraceHasPassed() {
        routes.register(session(ALICE, "s1", A));
        tracker.checkDue(ALL);
        routes.unregister(session(ALICE, "s1", A));

        clock.advance(GRACE.minusMillis(1));
        tracker.checkDue(ALL);
        assertThat(seen()).containsExactly("alice online 1");

        clock.advance(Duration.ofMillis(1));
        tracker.checkDue(ALL);
        assertThat(seen()).containsExactly("alice online 1", "alice offline 0");
        assertThat(events.get(1).version()).isGreaterThan(events.get(0).version());
    }

    @Test
    void closingOneOfTwoSessionsIsNoTransition() {
        routes.register(session(ALICE, "s1", A));
        routes.register(session(ALICE, "s2", B));
        tracker.checkDue(ALL);
        routes.unregister(session(ALICE, "s1", A));

        clock.advance(GRACE.multipliedBy(2));
        tracker.checkDue(ALL);

        assertThat(seen()).containsExactly("alice online 2");
    }

    @Test
    void resumeWithinTheGraceNeverFlaps() {
        routes.register(session(ALICE, "s1", A));
        tracker.checkDue(ALL);
        routes.unregister(session(ALICE, "s1", A));
        clock.advance(GRACE.minusSeconds(1));
        routes.register(session(ALICE, "s2", B)); // the client resumed on the other node
        tracker.checkDue(ALL);

        clock.advance(GRACE.multipliedBy(2));
        tracker.checkDue(ALL);

        assertThat(seen()).containsExactly("alice online 1");
    }

    @Test
    void theGraceRunsFromTheLastClose() {
        routes.register(session(ALICE, "s1", A));
        tracker.checkDue(ALL);
        routes.unregister(session(ALICE, "s1", A));
        clock.advance(Duration.ofSeconds(3));
        routes.register(session(ALICE, "s2", B));
        routes.unregister(session(ALICE, "s2", B)); // closed again before any check saw it

        clock.advance(Duration.ofSeconds(3)); // 6 s after the first close, 3 s after the second
        tracker.checkDue(ALL);
        assertThat(seen()).containsExactly("alice online 1");

        clock.advance(Duration.ofSeconds(2));
        tracker.checkDue(ALL);
        assertThat(seen()).containsExactly("alice online 1", "alice offline 0");
    }

    @Test
    void aSessionGoneBeforeAnyCheckIsNoEvent() {
        routes.register(session(ALICE, "s1", A));
        routes.unregister(session(ALICE, "s1", A));

        clock.advance(GRACE);
        tracker.checkDue(ALL);

        assertThat(events).isEmpty();
    }

    @Test
    void lostNodeUsersGoOfflineAfterTheGraceUnlessTheyHaveSessionsElsewhere() {
        routes.register(session(ALICE, "a1", A));
        routes.register(session(BOB, "b1", A));
        routes.register(session(BOB, "b2", B));
        tracker.checkDue(ALL);
        assertThat(seen()).containsExactlyInAnyOrder("alice online 1", "bob online 2");
        events.clear();

        clock.advance(LEASE); // A stops heartbeating: its lease lapses, its sessions close nothing
        heartbeat(B);
        assertThat(watch.run()).isEqualTo(2);
        assertThat(watch.run()).as("each lost node once").isZero();
        tracker.checkDue(ALL);
        assertThat(events).as("nothing before the grace").isEmpty();

        clock.advance(GRACE);
        tracker.checkDue(ALL);

        assertThat(seen()).containsExactly("alice offline 0");
    }

    @Test
    void checksAreMadeOnlyOnTheGivenPartitions() {
        routes.register(session(ALICE, "s1", A));
        routes.register(session(BOB, "s2", A));

        tracker.checkDue(Set.of(1));
        assertThat(seen()).containsExactly("bob online 1");

        tracker.checkDue(Set.of());
        tracker.checkDue(Set.of(0));
        assertThat(seen()).containsExactly("bob online 1", "alice online 1");
    }

    @Test
    void twoDispatchersCheckingAtOnceNeverPublishATransitionTwice() {
        List<PresenceEvent> other = new ArrayList<>();
        PresenceTracker second = new PresenceTracker(presence, routeTable, nodes, other::add, 500);
        routes.register(session(ALICE, "s1", A));

        // what a rebalance can look like: both see the check before either marks it done
        List<io.pushfabric.registry.PresenceRegistry.Check> due = presence.due(ALL, 500);
        tracker.checkDue(ALL);
        presence.checkNow(0, ALICE);
        second.checkDue(ALL);

        assertThat(events).hasSize(1);
        assertThat(other).isEmpty();
        assertThat(due).hasSize(1);
    }

    /**
     * The race a CI run found: the dispatcher reads a due check (here the one the resume brought forward), then
     * the user's last session closes, then the dispatcher counts no session. That count must not publish offline:
     * the close pushed the check back by the grace.
     */
    @Test
    void aCloseBetweenReadingTheCheckAndCountingIsNotOfflineBeforeTheGrace() {
        Interleaving table = new Interleaving(routeTable);
        PresenceTracker racing = new PresenceTracker(presence, table, nodes, events::add, 500);
        routes.register(session(ALICE, "s1", A));
        racing.checkDue(ALL);
        routes.unregister(session(ALICE, "s1", A));
        routes.register(session(ALICE, "s2", B)); // resumed on the other node: a check due now

        table.beforeCount = () -> routes.unregister(session(ALICE, "s2", B)); // the last close, mid-check
        racing.checkDue(ALL);
        assertThat(seen()).as("nothing before the grace").containsExactly("alice online 1");

        clock.advance(GRACE);
        racing.checkDue(ALL);
        assertThat(seen()).containsExactly("alice online 1", "alice offline 0");
    }

    /** A whole check made between the connector's removal of the last route and what follows it. */
    @Test
    void aCheckMadeRightAfterTheRouteIsRemovedIsNotOfflineBeforeTheGrace() {
        Interleaving table = new Interleaving(routeTable);
        PresenceSchedulingRoutes connector = new PresenceSchedulingRoutes(table, presence, PARTITION, GRACE);
        connector.register(session(ALICE, "s1", A));
        tracker.checkDue(ALL);
        connector.unregister(session(ALICE, "s1", A));
        connector.register(session(ALICE, "s2", B)); // a check due now

        table.afterRemoval = () -> tracker.checkDue(ALL);
        connector.unregisterAll(List.of(session(ALICE, "s2", B)));
        assertThat(seen()).as("nothing before the grace").containsExactly("alice online 1");

        clock.advance(GRACE);
        tracker.checkDue(ALL);
        assertThat(seen()).containsExactly("alice online 1", "alice offline 0");
    }

    /** With no grace, a check made while the last route is being removed still leaves one that sees it gone. */
    @Test
    void withNoGraceACheckMadeJustBeforeTheRemovalIsFollowedByOneAfterIt() {
        Interleaving table = new Interleaving(routeTable);
        PresenceSchedulingRoutes connector = new PresenceSchedulingRoutes(table, presence, PARTITION, Duration.ZERO);
        connector.register(session(ALICE, "s1", A));
        tracker.checkDue(ALL);

        table.beforeRemoval = () -> tracker.checkDue(ALL);
        connector.unregister(session(ALICE, "s1", A));
        assertThat(seen()).containsExactly("alice online 1");

        tracker.checkDue(ALL);
        assertThat(seen()).containsExactly("alice online 1", "alice offline 0");
    }

    /** The route table, with a step run once at a chosen point: how a connector and a dispatcher interleave. */
    private static final class Interleaving implements RouteRegistry {
        private final RouteRegistry table;
        Runnable beforeRemoval = () -> { };
        Runnable afterRemoval = () -> { };
        Runnable beforeCount = () -> { };

        Interleaving(RouteRegistry table) {
            this.table = table;
        }

        @Override
        public void register(SessionRoute route) {
            table.register(route);
        }

        @Override
        public boolean unregister(SessionRoute route) {
            Runnable before = beforeRemoval;
            beforeRemoval = () -> { };
            before.run();
            boolean removed = table.unregister(route);
            Runnable after = afterRemoval;
            afterRemoval = () -> { };
            after.run();
            return removed;
        }

        @Override
        public List<SessionRoute> sessionsOf(UserId user) {
            Runnable step = beforeCount;
            beforeCount = () -> { };
            step.run();
            return table.sessionsOf(user);
        }

        @Override
        public Map<UserId, Set<NodeId>> nodesOf(Collection<UserId> users) {
            return table.nodesOf(users);
        }

        @Override
        public List<SessionRoute> routesOn(NodeId node) {
            return table.routesOn(node);
        }

        @Override
        public int removeAllOn(NodeId node) {
            return table.removeAllOn(node);
        }
    }
}
