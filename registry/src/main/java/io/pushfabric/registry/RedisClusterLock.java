package io.pushfabric.registry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/** {@link ClusterLock} on a Redisson lock at {@code <prefix>lock:<name>}, with a lease so a dead holder frees it. */
public final class RedisClusterLock implements ClusterLock {
    private final RedissonClient redisson;
    private final RedisKeys keys;

    public RedisClusterLock(RedissonClient redisson, RedisKeys keys) {
        this.redisson = redisson;
        this.keys = keys;
    }

    @Override
    public boolean runExclusively(String name, Duration lease, Runnable task) {
        RLock lock = redisson.getLock(keys.lock(name));
        boolean held;
        try {
            held = lock.tryLock(0, lease.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!held) {
            return false;
        }
        try {
            task.run();
            return true;
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }
}
