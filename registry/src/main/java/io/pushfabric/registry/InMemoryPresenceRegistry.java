package io.pushfabric.registry;

import io.pushfabric.contracts.UserId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Presence bookkeeping in the heap, for tests and single-process use; time from the given clock. Thread-safe:
 * every call holds one lock. Offline states are kept (no expiry).
 */
public final class InMemoryPresenceRegistry implements PresenceRegistry {
    private record State(boolean online, long version) {
    }

    private final Object lock = new Object();
    private final Clock clock;
    /** partition -> (user -> due time) */
    private final Map<Integer, Map<UserId, Long>> checks = new HashMap<>();
    private final Map<UserId, State> states = new HashMap<>();

    public InMemoryPresenceRegistry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void checkNow(int partition, UserId user) {
        long now = clock.millis();
        synchronized (lock) {
            checks.computeIfAbsent(partition, p -> new HashMap<>()).merge(user, now, Math::min);
        }
    }

    @Override
    public void checkAfter(int partition, UserId user, Duration grace) {
        long at = clock.millis() + grace.toMillis();
        synchronized (lock) {
            checks.computeIfAbsent(partition, p -> new HashMap<>()).merge(user, at, Math::max);
        }
    }

    @Override
    public void checkAllNow(Map<UserId, Integer> partitions) {
        partitions.forEach((user, partition) -> checkNow(partition, user));
    }

    @Override
    public void checkAllAfter(Map<UserId, Integer> partitions, Duration grace) {
        partitions.forEach((user, partition) -> checkAfter(partition, user, grace));
    }

    @Override
    public List<Check> due(Collection<Integer> partitions, int limit) {
        long now = clock.millis();
        List<Check> due = new ArrayList<>();
        synchronized (lock) {
            for (int p : partitions) {
                checks.getOrDefault(p, Map.of()).entrySet().stream()
                        .filter(e -> e.getValue() <= now)
                        .sorted(Map.Entry.comparingByValue())
                        .limit(limit)
                        .forEach(e -> due.add(new Check(p, e.getKey(), e.getValue())));
            }
        }
        due.sort(Comparator.comparingLong(Check::dueAt));
        return due;
    }

    @Override
    public boolean stillScheduled(Check check) {
        synchronized (lock) {
            return Long.valueOf(check.dueAt()).equals(checks.getOrDefault(check.partition(), Map.of()).get(check.user()));
        }
    }

    @Override
    public void done(List<Check> done) {
        synchronized (lock) {
            for (Check c : done) {
                checks.getOrDefault(c.partition(), new HashMap<>()).remove(c.user(), c.dueAt());
            }
        }
    }

    @Override
    public Optional<Transition> transition(UserId user, boolean online, int sessions) {
        long now = clock.millis();
        synchronized (lock) {
            State state = states.get(user);
            if ((state == null ? false : state.online()) == online) {
                return Optional.empty();
            }
            long version = Math.max(state == null ? 1 : state.version() + 1, now);
            states.put(user, new State(online, version));
            return Optional.of(new Transition(version, now));
        }
    }
}
