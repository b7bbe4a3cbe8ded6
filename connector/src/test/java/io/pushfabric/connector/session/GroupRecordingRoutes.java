package io.pushfabric.connector.session;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.RouteRegistry;
import io.pushfabric.registry.SessionRoute;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Routes kept in an {@link InMemoryRouteRegistry}, written and removed only in groups: records every group
 * {@code registerAll} gets, in order, hands it to {@code beforeWrite} (which may block or throw), then stores it; and
 * every group {@code unregisterAll} removes. A route written or removed alone ({@code register},
 * {@code unregister}) fails the test.
 */
final class GroupRecordingRoutes implements RouteRegistry {
    private final InMemoryRouteRegistry stored;
    private final Consumer<List<SessionRoute>> beforeWrite;
    private final List<List<SessionRoute>> groups = new CopyOnWriteArrayList<>();
    private final List<List<SessionRoute>> removals = new CopyOnWriteArrayList<>();

    GroupRecordingRoutes(InMemoryRouteRegistry stored, Consumer<List<SessionRoute>> beforeWrite) {
        this.stored = stored;
        this.beforeWrite = beforeWrite;
    }

    /** Every group written so far (including one that {@code beforeWrite} failed), in order. */
    List<List<SessionRoute>> groups() {
        return groups;
    }

    /** Every group removed so far, in order. */
    List<List<SessionRoute>> removals() {
        return removals;
    }

    @Override
    public void register(SessionRoute route) {
        throw new AssertionError("a route written alone: " + route);
    }

    @Override
    public void registerAll(List<SessionRoute> group) {
        groups.add(List.copyOf(group));
        beforeWrite.accept(group);
        stored.registerAll(group);
    }

    @Override
    public boolean unregister(SessionRoute route) {
        throw new AssertionError("a route removed alone: " + route);
    }

    @Override
    public int unregisterAll(List<SessionRoute> group) {
        removals.add(List.copyOf(group));
        return stored.unregisterAll(group);
    }

    @Override
    public Map<UserId, Set<NodeId>> nodesOf(Collection<UserId> users) {
        return stored.nodesOf(users);
    }

    @Override
    public List<SessionRoute> sessionsOf(UserId user) {
        return stored.sessionsOf(user);
    }

    @Override
    public List<SessionRoute> routesOn(NodeId node) {
        return stored.routesOn(node);
    }

    @Override
    public int removeAllOn(NodeId node) {
        return stored.removeAllOn(node);
    }
}
