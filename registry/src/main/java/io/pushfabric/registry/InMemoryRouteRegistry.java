package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes in the heap, for tests and single-process use. Thread-safe: every call holds one lock, which
 * also makes compare-and-delete atomic, as in Redis.
 */
public final class InMemoryRouteRegistry implements RouteRegistry {
    private final Object lock = new Object();
    /** user -> (session -> node) */
    private final Map<UserId, Map<String, NodeId>> routes = new HashMap<>();
    /** node -> routes it holds now; kept exact, unlike the Redis index */
    private final Map<NodeId, Set<SessionRoute>> byNode = new HashMap<>();

    public InMemoryRouteRegistry() {
    }

    @Override
    public void register(SessionRoute route) {
        synchronized (lock) {
            NodeId previous = routes.computeIfAbsent(route.user(), u -> new LinkedHashMap<>())
                    .put(route.sessionId(), route.node());
            if (previous != null) {
                dropFromNode(new SessionRoute(route.user(), route.sessionId(), previous));
            }
            byNode.computeIfAbsent(route.node(), n -> new LinkedHashSet<>()).add(route);
        }
    }

    @Override
    public boolean unregister(SessionRoute route) {
        synchronized (lock) {
            Map<String, NodeId> sessions = routes.get(route.user());
            if (sessions == null || !route.node().equals(sessions.get(route.sessionId()))) {
                return false;
            }
            sessions.remove(route.sessionId());
            if (sessions.isEmpty()) {
                routes.remove(route.user());
            }
            dropFromNode(route);
            return true;
        }
    }

    @Override
    public Map<UserId, Set<NodeId>> nodesOf(Collection<UserId> users) {
        Map<UserId, Set<NodeId>> result = new LinkedHashMap<>();
        synchronized (lock) {
            for (UserId user : users) {
                Map<String, NodeId> sessions = routes.getOrDefault(user, Map.of());
                result.put(user, Set.copyOf(sessions.values()));
            }
        }
        return result;
    }

    @Override
    public List<SessionRoute> sessionsOf(UserId user) {
        List<SessionRoute> result = new ArrayList<>();
        synchronized (lock) {
            routes.getOrDefault(user, Map.of())
                    .forEach((session, node) -> result.add(new SessionRoute(user, session, node)));
        }
        return result;
    }

    @Override
    public List<SessionRoute> routesOn(NodeId node) {
        synchronized (lock) {
            return new ArrayList<>(byNode.getOrDefault(node, Set.of()));
        }
    }

    @Override
    public int removeAllOn(NodeId node) {
        synchronized (lock) {
            int removed = 0;
            for (SessionRoute route : routesOn(node)) {
                if (unregister(route)) {
                    removed++;
                }
            }
            return removed;
        }
    }

    private void dropFromNode(SessionRoute route) {
        Set<SessionRoute> held = byNode.get(route.node());
        if (held != null && held.remove(route) && held.isEmpty()) {
            byNode.remove(route.node());
        }
    }
}
