package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The nodes' side of their leases, for tests: each node keeps the token it holds, renews it, and once a renewal
 * fails (the lease lapsed or was evicted) acquires a fresh lease, as a node does after it has fenced itself.
 */
public final class NodeLeases {
    private final NodeRegistry registry;
    private final Map<NodeId, LeaseToken> held = new HashMap<>();

    public NodeLeases(NodeRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** @return true when the node's lease was live and is renewed; false when it had none and acquired a new one */
    public boolean beat(NodeInfo node, Duration ttl) {
        LeaseToken mine = held.computeIfAbsent(node.id(), id -> LeaseToken.random());
        if (registry.renew(node, mine, ttl)) {
            return true;
        }
        LeaseToken fresh = LeaseToken.random();
        registry.acquire(node, fresh, ttl);
        held.put(node.id(), fresh);
        return false;
    }
}
