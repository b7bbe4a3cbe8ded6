package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each user's sessions are: {@code user -> set of (session, node)}. Soft state: a lost entry is
 * rebuilt when the client reconnects. Implementations: {@code RedisRouteRegistry} (production) and
 * {@code InMemoryRouteRegistry} (tests, single process); one contract suite runs against both.
 */
public interface RouteRegistry {

    /** Records that {@code route.sessionId()} of {@code route.user()} is held by {@code route.node()}. */
    void register(SessionRoute route);

    /**
     * {@link #register} for each route, in one round trip for the whole group where the store can: a node that opens
     * many sessions at once (a reconnect storm) writes their routes together. Either every route is recorded, or this
     * throws and any of them may be missing.
     */
    default void registerAll(List<SessionRoute> routes) {
        routes.forEach(this::register);
    }

    /**
     * Removes the route only if it is still this session's on this node, in one atomic step, so an old
     * node's cleanup never removes a newer route.
     *
     * @return true when the route was there and is now gone
     */
    boolean unregister(SessionRoute route);

    /**
     * {@link #unregister} for each route, in one round trip for the whole group where the store can: a node whose
     * clients leave at once (a balancer restart, a network cut) removes their routes together.
     *
     * @return how many of the routes were there and are now gone
     */
    default int unregisterAll(List<SessionRoute> routes) {
        int removed = 0;
        for (SessionRoute route : routes) {
            if (unregister(route)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * The nodes holding at least one session of each user, in one round trip for the whole batch. Every
     * requested user is a key of the result; a user with no session maps to an empty set. Liveness of the
     * nodes is not checked here.
     */
    Map<UserId, Set<NodeId>> nodesOf(Collection<UserId> users);

    /** Every session of one user. */
    List<SessionRoute> sessionsOf(UserId user);

    /** Every route a node holds (for drain and for the janitor that cleans up after a dead node). */
    List<SessionRoute> routesOn(NodeId node);

    /** Removes every route of a node (each by compare-and-delete). @return how many were removed */
    int removeAllOn(NodeId node);
}
