package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of a connector that publishes presence: every route registered schedules a presence check of its
 * user at once, every route removed one after the grace period, on the user's partition of
 * {@code push-requests}, whose dispatcher makes the check. A check now is scheduled after the route is written,
 * so it sees the session. A check after the grace is scheduled twice: before the route is removed, so a dispatcher
 * that counts the session gone also finds its check pushed back (and leaves offline to the later check), and
 * after, so a check made during the removal is followed by one that sees it (this matters with a grace of 0). A
 * failure to schedule is logged and never fails the session: presence is soft.
 */
public final class PresenceSchedulingRoutes implements RouteRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceSchedulingRoutes.class);

    private final RouteRegistry routes;
    private final PresenceRegistry presence;
    private final ToIntFunction<UserId> partitionOf;
    private final Duration grace;

    /** @param partitionOf the partition of {@code push-requests} that holds a user's messages */
    public PresenceSchedulingRoutes(RouteRegistry routes, PresenceRegistry presence, ToIntFunction<UserId> partitionOf,
                                    Duration grace) {
        this.routes = routes;
        this.presence = presence;
        this.partitionOf = partitionOf;
        this.grace = grace;
    }

    @Override
    public void register(SessionRoute route) {
        routes.register(route);
        try {
            presence.checkNow(partitionOf.applyAsInt(route.user()), route.user());
        } catch (RuntimeException e) {
            LOG.warn("Could not schedule the presence check of {} (session opened): {}", route.user(), e.toString());
        }
    }

    /** The routes in one write, then their users' checks in another. */
    @Override
    public void registerAll(List<SessionRoute> group) {
        routes.registerAll(group);
        try {
            presence.checkAllNow(partitionsOf(group));
        } catch (RuntimeException e) {
            LOG.warn("Could not schedule the presence checks of {} routes (sessions opened): {}", group.size(),
                    e.toString());
        }
    }

    @Override
    public boolean unregister(SessionRoute route) {
        return unregisterAll(List.of(route)) == 1;
    }

    /** Their users' checks after the grace, the routes in one write, then the checks again. */
    @Override
    public int unregisterAll(List<SessionRoute> group) {
        Map<UserId, Integer> partitions = partitionsOf(group);
        checkAllAfter(partitions, group.size());
        int removed = routes.unregisterAll(group);
        checkAllAfter(partitions, group.size());
        return removed;
    }

    private void checkAllAfter(Map<UserId, Integer> partitions, int closed) {
        try {
            presence.checkAllAfter(partitions, grace);
        } catch (RuntimeException e) {
            LOG.warn("Could not schedule the presence checks of {} routes (sessions closed): {}", closed, e.toString());
        }
    }

    private Map<UserId, Integer> partitionsOf(List<SessionRoute> group) {
        Map<UserId, Integer> partitions = new HashMap<>();
        for (SessionRoute route : group) {
            partitions.put(route.user(), partitionOf.applyAsInt(route.user()));
        }
        return partitions;
    }

    @Override
    public Map<UserId, Set<NodeId>> nodesOf(Collection<UserId> users) {
        return routes.nodesOf(users);
    }

    @Override
    public List<SessionRoute> sessionsOf(UserId user) {
        return routes.sessionsOf(user);
    }

    @Override
    public List<SessionRoute> routesOn(NodeId node) {
        return routes.routesOn(node);
    }

    @Override
    public int removeAllOn(NodeId node) {
        return routes.removeAllOn(node);
    }
}
