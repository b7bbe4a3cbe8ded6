package io.pushfabric.connector.limits;

import io.pushfabric.contracts.UserId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts this node's connections, in total and per user, from the moment an upgrade is let in (not only
 * once its session is open), so that a burst of concurrent upgrades cannot overshoot the limits.
 * Each admitted upgrade holds a {@link Slot} until its connection closes or its upgrade fails.
 */
public final class ConnectionSlots {
    private final int maxConnections;
    private final int maxPerUser;
    private final AtomicInteger used = new AtomicInteger();
    private final ConcurrentHashMap<UserId, Integer> perUser = new ConcurrentHashMap<>();

    public ConnectionSlots(int maxConnections, int maxPerUser) {
        this.maxConnections = maxConnections;
        this.maxPerUser = maxPerUser;
    }

    /** @return a slot on this node, or null when the node is full */
    public Slot tryReserve() {
        if (used.incrementAndGet() > maxConnections) {
            used.decrementAndGet();
            return null;
        }
        return new Slot();
    }

    public boolean isFull() {
        return used.get() >= maxConnections;
    }

    public int used() {
        return used.get();
    }

    public int sessionsOf(UserId user) {
        return perUser.getOrDefault(user, 0);
    }

    /** One admitted connection. {@link #release()} may be called any number of times. */
    public final class Slot {
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile UserId user;

        private Slot() {
        }

        /** Counts this connection as one of {@code who}'s. @return false when the user already has the most */
        public boolean claimFor(UserId who) {
            if (user != null) {
                throw new IllegalStateException("slot already belongs to " + user);
            }
            boolean[] claimed = {false};
            perUser.compute(who, (u, n) -> {
                int count = n == null ? 0 : n;
                if (count >= maxPerUser) {
                    return n;
                }
                claimed[0] = true;
                return count + 1;
            });
            if (claimed[0]) {
                user = who;
            }
            return claimed[0];
        }

        public void release() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            UserId who = user;
            if (who != null) {
                perUser.computeIfPresent(who, (u, n) -> n <= 1 ? null : n - 1);
            }
            used.decrementAndGet();
        }
    }
}
