package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Node leases in the heap, for tests and single-process use. Leases expire by the injected {@link Clock}
 * (a lease is live while {@code now < expiry}, as a Redis PX key), so tests move a clock instead of
 * sleeping. Thread-safe.
 */
public final class InMemoryNodeRegistry implements NodeRegistry {
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<NodeId, NodeInfo> known = new LinkedHashMap<>();
    private final Map<NodeId, Instant> leaseExpiry = new HashMap<>();
    private final Map<NodeId, LeaseToken> tokens = new HashMap<>();

    public InMemoryNodeRegistry(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean renew(NodeInfo node, LeaseToken held, Duration ttl) {
        Objects.requireNonNull(held, "held");
        checkTtl(ttl);
        Instant now = clock.instant();
        synchronized (lock) {
            known.put(node.id(), node);
            if (!isLive(node.id(), now) || !held.equals(tokens.get(node.id()))) {
                return false;
            }
            leaseExpiry.put(node.id(), now.plus(ttl));
            return true;
        }
    }

    @Override
    public void acquire(NodeInfo node, LeaseToken fresh, Duration ttl) {
        Objects.requireNonNull(fresh, "fresh");
        checkTtl(ttl);
        Instant now = clock.instant();
        synchronized (lock) {
            leaseExpiry.put(node.id(), now.plus(ttl));
            tokens.put(node.id(), fresh);
            known.put(node.id(), node);
        }
    }

    private static void checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
        }
    }

    @Override
    public Set<NodeId> liveNodes() {
        Instant now = clock.instant();
        synchronized (lock) {
            return known.keySet().stream().filter(node -> isLive(node, now)).collect(Collectors.toUnmodifiableSet());
        }
    }

    @Override
    public List<NodeInfo> knownNodes() {
        synchronized (lock) {
            return new ArrayList<>(known.values());
        }
    }

    @Override
    public void leave(NodeId node) {
        synchronized (lock) {
            leaseExpiry.remove(node);
        }
    }

    @Override
    public boolean evict(NodeId node) {
        Instant now = clock.instant();
        synchronized (lock) {
            boolean live = isLive(node, now);
            leaseExpiry.remove(node);
            return live;
        }
    }

    @Override
    public boolean forgetIfDead(NodeInfo seen) {
        Instant now = clock.instant();
        synchronized (lock) {
            if (isLive(seen.id(), now) || !seen.equals(known.get(seen.id()))) {
                return false;
            }
            leaseExpiry.remove(seen.id());
            tokens.remove(seen.id());
            known.remove(seen.id());
            return true;
        }
    }

    private boolean isLive(NodeId node, Instant now) {
        Instant expiry = leaseExpiry.get(node);
        return expiry != null && now.isBefore(expiry);
    }
}
