package io.pushfabric.registry;

import java.time.Duration;

/** A lock shared by every instance of a service, so that a chore runs on one of them at a time. */
public interface ClusterLock {

    /**
     * Runs {@code task} if no other instance holds the lock named {@code name}; otherwise does nothing.
     * The lock is released when the task ends, or after {@code lease} if this instance dies holding it.
     *
     * @return true when the task ran here
     */
    boolean runExclusively(String name, Duration lease, Runnable task);
}
