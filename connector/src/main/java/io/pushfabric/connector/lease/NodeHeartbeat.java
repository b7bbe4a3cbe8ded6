package io.pushfabric.connector.lease;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's lease alive. When a refresh finds that the lease had lapsed (a long GC pause, a
 * network cut to Redis), dispatchers stopped routing here for a while, so the sessions may have missed
 * messages: {@code onFenced} runs, and the node makes its clients resume elsewhere or here with their
 * cursors.
 */
public final class NodeHeartbeat implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final NodeRegistry registry;
    private final NodeId node;
    private final String address;
    private final long startedAt;
    private final Duration ttl;
    private final IntSupplier sessions;
    private final Runnable onFenced;
    private final Clock clock;
    private volatile long lastSuccessAt;

    public NodeHeartbeat(NodeRegistry registry, NodeId node, String address, Duration ttl, IntSupplier sessions,
                         Runnable onFenced, Clock clock) {
        this.registry = registry;
        this.node = node;
        this.address = address;
        this.ttl = ttl;
        this.sessions = sessions;
        this.onFenced = onFenced;
        this.clock = clock;
        this.startedAt = clock.millis();
    }

    /** The first lease; call once before the node is announced. */
    public void acquire() {
        registry.heartbeat(info(), ttl);
        lastSuccessAt = clock.millis();
    }

    /** True while the last refresh happened within the TTL. */
    public boolean holdsLease() {
        return clock.millis() - lastSuccessAt < ttl.toMillis();
    }

    @Override
    public void run() {
        try {
            boolean wasLive = registry.heartbeat(info(), ttl);
            lastSuccessAt = clock.millis();
            if (!wasLive) {
                LOG.warn("Lease of node {} had lapsed; sessions may have missed deliveries and will resume", node);
                onFenced.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("Lease refresh failed: {}", e.toString());
        }
    }

    public void leave() {
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
