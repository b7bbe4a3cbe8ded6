package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Which connector nodes are alive. A node holds a lease with a TTL and refreshes it by heartbeat; a node
 * whose lease has expired is dead for routing, whatever it thinks of itself.
 */
public interface NodeRegistry {

    /**
     * Creates or refreshes the node's lease for {@code ttl} and records it among the known nodes.
     *
     * @return true when the node held a live lease just before this call; false when the lease had lapsed
     *         (or never existed), so the node was dead for routing for a while and may have missed deliveries
     */
    boolean heartbeat(NodeInfo node, Duration ttl);

    /** Nodes whose lease is live now. */
    Set<NodeId> liveNodes();

    /** Every node ever registered and not yet forgotten, live or not, with its last heartbeat. */
    List<NodeInfo> knownNodes();

    /** Ends the lease at once (graceful shutdown); the node stays known until {@link #forget}. */
    void leave(NodeId node);

    /** Forgets a node entirely (the janitor, after its leftovers are cleaned up). */
    void forget(NodeId node);
}
