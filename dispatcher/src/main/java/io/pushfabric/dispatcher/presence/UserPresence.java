package io.pushfabric.dispatcher.presence;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether a user is online now: the sessions the registry holds for them on live nodes, counted per node.
 *
 * @param sessionsByNode sessions per live node, sorted by node id; empty when the user is offline
 */
public record UserPresence(UserId user, Map<NodeId, Integer> sessionsByNode) {
    public UserPresence {
        Objects.requireNonNull(user, "user");
        TreeMap<NodeId, Integer> sorted = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
        sorted.putAll(sessionsByNode);
        sessionsByNode = java.util.Collections.unmodifiableMap(sorted);
    }

    public boolean online() {
        return !sessionsByNode.isEmpty();
    }

    public int sessions() {
        return sessionsByNode.values().stream().mapToInt(Integer::intValue).sum();
    }
}
