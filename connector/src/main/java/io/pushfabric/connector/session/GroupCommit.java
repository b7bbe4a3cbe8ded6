package io.pushfabric.connector.session;

import io.pushfabric.registry.RouteRegistry;
import io.pushfabric.registry.SessionRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the routes of opening sessions in groups (group commit): one write at a time, on the session executor, and
 * the routes that arrive while it is under way go together in the next one, up to {@link #MAX_GROUP}. A route that
 * arrives when no write is under way is written at once, alone: nothing waits for company.
 *
 * <p>A reconnect storm opens thousands of sessions on a node within seconds. Written one by one, each route cost a
 * Redis round trip, a pipelined batch's bookkeeping and a session thread parked on the answer; written in groups,
 * those costs are paid once per group.
 */
final class RouteGroupCommit {
    /** Routes in one write at most: a Redis pipeline of twice as many commands. */
    static final int MAX_GROUP = 512;

    private record Pending(SessionRoute route, CompletableFuture<Void> written) {
    }

    private final RouteRegistry routes;
    private final Executor executor;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    RouteGroupCommit(RouteRegistry routes, Executor executor) {
        this.routes = routes;
        this.executor = executor;
    }

    /**
     * Queues the route for the next write. @return completes once it is written, or exceptionally with what failed
     * the write of its group (every route of that group fails with it)
     */
    CompletableFuture<Void> register(SessionRoute route) {
        Pending pending = new Pending(route, new CompletableFuture<>());
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
            Pending pending;
            while ((pending = queue.poll()) != null) {
                pending.written().completeExceptionally(e);
            }
        }
    }

    private void writeGroups() {
        try {
            List<Pending> group;
            while (!(group = nextGroup()).isEmpty()) {
                write(group);
            }
        } finally {
            writing.set(false);
        }
        startWriting(); // a route queued after the last poll, while the flag was still set
    }

    private List<Pending> nextGroup() {
        List<Pending> group = new ArrayList<>();
        Pending pending;
        while (group.size() < MAX_GROUP && (pending = queue.poll()) != null) {
            group.add(pending);
        }
        return group;
    }

    private void write(List<Pending> group) {
        List<SessionRoute> written = new ArrayList<>(group.size());
        for (Pending pending : group) {
            written.add(pending.route());
        }
        try {
            routes.registerAll(written);
        } catch (RuntimeException e) {
            group.forEach(pending -> pending.written().completeExceptionally(e));
            return;
        }
        group.forEach(pending -> pending.written().complete(null));
    }
}
