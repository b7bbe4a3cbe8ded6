package io.pushfabric.registry;

import io.pushfabric.contracts.MessagePosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The dedupe window in the heap, for tests and single-process use. Ids expire by the injected
 * {@link Clock}; expired entries are dropped when looked at and by a sweep at most once per
 * {@link #SWEEP_INTERVAL}, so memory stays bounded by the ids of one window. Thread-safe.
 */
public final class InMemoryDedupeWindow implements DedupeWindow {
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private record Owner(MessagePosition position, Instant expiry) {
    }

    private record Id(String routingKey, String messageId) {
    }

    private final Clock clock;
    private final Object lock = new Object();
    private final Map<Id, Owner> owners = new HashMap<>();
    private Instant nextSweep = Instant.MIN;

    public InMemoryDedupeWindow(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Set<MessagePosition> claim(List<Claim> claims, Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("dedupe window must be at least 1 ms, was " + window);
        }
        Instant now = clock.instant();
        Set<MessagePosition> duplicates = new HashSet<>();
        synchronized (lock) {
            sweep(now);
            for (Claim claim : claims) {
                Id id = new Id(claim.routingKey(), claim.messageId());
                Owner owner = live(id, now);
                if (owner == null) {
                    owners.put(id, new Owner(claim.position(), now.plus(window)));
                } else if (!owner.position().equals(claim.position())) {
                    duplicates.add(claim.position());
                }
            }
        }
        return duplicates;
    }

    @Override
    public MessagePosition owner(String routingKey, String messageId) {
        Instant now = clock.instant();
        synchronized (lock) {
            Owner owner = live(new Id(routingKey, messageId), now);
            return owner == null ? null : owner.position();
        }
    }

    private Owner live(Id id, Instant now) {
        Owner owner = owners.get(id);
        if (owner != null && !now.isBefore(owner.expiry())) {
            owners.remove(id);
            return null;
        }
        return owner;
    }

    private void sweep(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        owners.values().removeIf(owner -> !now.isBefore(owner.expiry()));
        nextSweep = now.plus(SWEEP_INTERVAL);
    }
}
