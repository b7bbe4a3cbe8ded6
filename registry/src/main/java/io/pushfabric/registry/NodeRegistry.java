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

    /** Ends the lease at once (graceful shutdown); the node stays known until {@link #forgetIfDead}. */
    void leave(NodeId node);

    /**
     * Fences a node from outside (a dispatcher that cannot deliver to it): ends its lease at once, so it is
     * dead for routing and its next {@link #heartbeat} returns false, which makes the node close its sessions
     * and let them resume with their cursors. The node stays known.
     *
     * @return true when a live lease was ended; false when there was none
     */
    boolean evict(NodeId node);

    /**
     * Forgets a node entirely (the janitor, before it removes the node's leftovers), but only while the node
     * is dead: its lease is absent and its known record is still {@code seen} (a heartbeat in between rewrites
     * the record, so a node that came back or restarted is kept).
     *
     * @return true when the node was forgotten; false when it was live, changed or unknown
     */
    boolean forgetIfDead(NodeInfo seen);
}
