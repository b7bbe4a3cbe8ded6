package io.pushfabric.registry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** {@link ClusterLock} for one process. */
public final class InMemoryClusterLock implements ClusterLock {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public boolean runExclusively(String name, Duration lease, Runnable task) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        if (!lock.tryLock()) {
            return false;
        }
        try {
            task.run();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
