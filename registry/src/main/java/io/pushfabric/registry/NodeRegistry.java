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
     * Renews the node's lease for {@code ttl} if it is still the one the node {@code held}, and records the
     * node among the known nodes. A lease that lapsed, was evicted or was lost with Redis's data is not
     * re-created: the node must first fence itself (close its sessions, refuse new ones), then
     * {@link #acquire} a new lease. So a dispatcher that skipped the node while it had no lease never
     * routes to it again before its sessions are gone, and a renewal whose answer was lost changes nothing.
     *
     * @return true when the lease was live and {@code held}, and is renewed; false when the node has no lease
     */
    boolean renew(NodeInfo node, LeaseToken held, Duration ttl);

    /** Creates the node's lease for {@code ttl} as {@code fresh}, whatever was there, and records the node. */
    void acquire(NodeInfo node, LeaseToken fresh, Duration ttl);

    /** Nodes whose lease is live now. */
    Set<NodeId> liveNodes();

    /** Every node ever registered and not yet forgotten, live or not, with its last heartbeat. */
    List<NodeInfo> knownNodes();

    /** Ends the lease at once (graceful shutdown); the node stays known until {@link #forgetIfDead}. */
    void leave(NodeId node);

    /**
     * Fences a node from outside (a dispatcher that cannot deliver to it): ends its lease at once, so it is
     * dead for routing and its next {@link #renew} returns false, which makes the node close its sessions
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
