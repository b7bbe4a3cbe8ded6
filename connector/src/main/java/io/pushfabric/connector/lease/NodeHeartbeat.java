package io.pushfabric.connector.lease;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.registry.LeaseToken;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's lease alive. A renewal only renews the lease this node holds (its {@link LeaseToken});
 * when it finds none (a long GC pause or SIGSTOP, Redis unreachable or restarted, a dispatcher evicted the
 * node), dispatchers stopped routing here for a while and the sessions may have missed messages: it says
 * {@link Renewal#LAPSED}, the node fences itself, and it has no lease until {@link #acquire} gets a new one.
 * Dispatchers therefore never see this node live again while a session that missed something is open.
 */
public final class NodeHeartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final NodeRegistry registry;
    private final NodeId node;
    private final String address;
    private final long startedAt;
    private final Duration ttl;
    private final IntSupplier sessions;
    private final Clock clock;
    /** The lease this node holds; null while it has none (before the first acquire, and after a lapse). */
    private volatile LeaseToken held;
    private volatile long renewedAt;

    public NodeHeartbeat(NodeRegistry registry, NodeId node, String address, Duration ttl, IntSupplier sessions,
                         Clock clock) {
        this.registry = registry;
        this.node = node;
        this.address = address;
        this.ttl = ttl;
        this.sessions = sessions;
        this.clock = clock;
        this.startedAt = clock.millis();
    }

    /** Creates a new lease for this node; call only while no session can miss anything (fenced, or at start). */
    public void acquire() {
        long sentAt = clock.millis();
        LeaseToken fresh = LeaseToken.random();
        registry.acquire(info(), fresh, ttl);
        renewedAt = sentAt; // Redis started the TTL after we sent, so this errs on the safe side
        held = fresh;
    }

    /** True while this node holds a lease renewed within the TTL. */
    public boolean holdsLease() {
        return held != null && clock.millis() - renewedAt < ttl.toMillis();
    }

    /** What a renewal found. */
    public enum Renewal {
        /** The lease was live and is renewed. */
        RENEWED,
        /** The lease had lapsed: the node must fence itself; it holds no lease from now on. */
        LAPSED,
        /** Redis did not answer; the next renewal tells. */
        FAILED,
        /** The node holds no lease (fenced, or not joined yet): nothing to renew. */
        NONE_HELD
    }

    public Renewal renew() {
        LeaseToken mine = held;
        if (mine == null) {
            return Renewal.NONE_HELD;
        }
        try {
            long sentAt = clock.millis();
            if (registry.renew(info(), mine, ttl)) {
                renewedAt = sentAt;
                return Renewal.RENEWED;
            }
            held = null;
            LOG.warn("Lease of node {} had lapsed; sessions may have missed deliveries and will resume", node);
            return Renewal.LAPSED;
        } catch (RuntimeException e) {
            LOG.warn("Lease refresh failed: {}", e.toString());
            return Renewal.FAILED;
        }
    }

    public void leave() {
        held = null;
        try {
            registry.leave(node);
        } catch (RuntimeException e) {
            LOG.warn("Could not end the lease of {}: {}", node, e.toString());
        }
    }

    private NodeInfo info() {
        return new NodeInfo(node, address, startedAt, sessions.getAsInt(), clock.millis());
    }
}
