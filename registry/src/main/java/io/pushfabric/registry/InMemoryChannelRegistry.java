package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Channel routes in the heap, for tests and single-process use. One lock makes compare-and-delete atomic. */
public final class InMemoryChannelRegistry implements ChannelRegistry {
    private final Object lock = new Object();
    /** channel -> (node -> token) */
    private final Map<ChannelName, Map<NodeId, String>> routes = new HashMap<>();

    @Override
    public void register(ChannelRoute route) {
        synchronized (lock) {
            routes.computeIfAbsent(route.channel(), c -> new LinkedHashMap<>()).put(route.node(), route.token());
        }
    }

    @Override
    public boolean unregister(ChannelRoute route) {
        synchronized (lock) {
            Map<NodeId, String> nodes = routes.get(route.channel());
            if (nodes == null || !route.token().equals(nodes.get(route.node()))) {
                return false;
            }
            nodes.remove(route.node());
            if (nodes.isEmpty()) {
                routes.remove(route.channel());
            }
            return true;
        }
    }

    @Override
    public Map<ChannelName, Set<NodeId>> nodesOf(Collection<ChannelName> channels) {
        Map<ChannelName, Set<NodeId>> result = new LinkedHashMap<>();
        synchronized (lock) {
            for (ChannelName channel : channels) {
                result.put(channel, Set.copyOf(routes.getOrDefault(channel, Map.of()).keySet()));
            }
        }
        return result;
    }

    @Override
    public List<ChannelRoute> routesOn(NodeId node) {
        List<ChannelRoute> held = new ArrayList<>();
        synchronized (lock) {
            routes.forEach((channel, nodes) -> {
                String token = nodes.get(node);
                if (token != null) {
                    held.add(new ChannelRoute(channel, node, token));
                }
            });
        }
        return held;
    }

    @Override
    public int removeAllOn(NodeId node) {
        synchronized (lock) {
            int removed = 0;
            for (ChannelRoute route : routesOn(node)) {
                if (unregister(route)) {
                    removed++;
                }
            }
            return removed;
        }
    }
}
