package io.pushfabric.connector.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Writes items in groups (group commit): one write at a time, on the given executor, and the items that arrive while
 * it is under way go together in the next one, up to {@link #MAX_GROUP}. An item that arrives when no write is under
 * way is written at once, alone: nothing waits for company.
 *
 * <p>The session routes a node writes to Redis go through two of these, one for the routes of opening sessions and
 * one for the routes of closed ones. A reconnect storm opens thousands of sessions on a node within seconds, and a
 * balancer restart closes as many; one by one, each route cost a Redis round trip, a pipelined batch's bookkeeping
 * and a session thread parked on the answer; in groups, those costs are paid once per group.
 */
final class GroupCommit<T> {
    /** Items in one write at most: for routes, a Redis pipeline of twice as many commands. */
    static final int MAX_GROUP = 512;

    private record Pending<T>(T item, CompletableFuture<Void> written) {
    }

    private final Consumer<List<T>> write;
    private final Executor executor;
    private final Queue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /** @param write writes a group, all of it or nothing it answers for: a throw fails every item of the group */
    GroupCommit(Consumer<List<T>> write, Executor executor) {
        this.write = write;
        this.executor = executor;
    }

    /**
     * Queues the item for the next write. @return completes once it is written, or exceptionally with what failed
     * the write of its group (every item of that group fails with it)
     */
    CompletableFuture<Void> submit(T item) {
        Pending<T> pending = new Pending<>(item, new CompletableFuture<>());
        queue.add(pending);
        startWriting();
        return pending.written();
    }

    private void startWriting() {
        if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::writeGroups);
        } catch (RejectedExecutionException e) {
            writing.set(false);
            Pending<T> pending;
            while ((pending = queue.poll()) != null) {
                pending.written().completeExceptionally(e);
            }
        }
    }

    private void writeGroups() {
        try {
            List<Pending<T>> group;
            while (!(group = nextGroup()).isEmpty()) {
                write(group);
            }
        } finally {
            writing.set(false);
        }
        startWriting(); // an item queued after the last poll, while the flag was still set
    }

    private List<Pending<T>> nextGroup() {
        List<Pending<T>> group = new ArrayList<>();
        Pending<T> pending;
        while (group.size() < MAX_GROUP && (pending = queue.poll()) != null) {
            group.add(pending);
        }
        return group;
    }

    private void write(List<Pending<T>> group) {
        List<T> items = new ArrayList<>(group.size());
        for (Pending<T> pending : group) {
            items.add(pending.item());
        }
        try {
            write.accept(items);
        } catch (RuntimeException e) {
            group.forEach(pending -> pending.written().completeExceptionally(e));
            return;
        }
        group.forEach(pending -> pending.written().complete(null));
    }
}
