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
 * Routes kept in an {@link InMemoryRouteRegistry}, written only in groups: records every group {@code registerAll}
 * gets, in order, hands it to {@code beforeWrite} (which may block or throw), then stores it. A route written alone
 * through {@code register} fails the test.
 */
final class GroupRecordingRoutes implements RouteRegistry {
    private final InMemoryRouteRegistry stored;
    private final Consumer<List<SessionRoute>> beforeWrite;
    private final List<List<SessionRoute>> groups = new CopyOnWriteArrayList<>();

    GroupRecordingRoutes(InMemoryRouteRegistry stored, Consumer<List<SessionRoute>> beforeWrite) {
        this.stored = stored;
        this.beforeWrite = beforeWrite;
    }

    /** Every group written so far (including one that {@code beforeWrite} failed), in order. */
    List<List<SessionRoute>> groups() {
        return groups;
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
        return stored.unregister(route);
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
