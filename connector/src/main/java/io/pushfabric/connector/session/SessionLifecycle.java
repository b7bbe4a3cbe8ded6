package io.pushfabric.connector.session;

import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.registry.RouteRegistry;
import io.pushfabric.registry.SessionRoute;
import io.pushfabric.contracts.CloseCodes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and closes sessions. Opening, in this order:
 * <ol>
 *   <li>attach the session here, fenced on the broadcast partition at the next broadcast not yet handed out;</li>
 *   <li>write its route to Redis, together with the routes of the sessions opening at the same time
 *       ({@link GroupCommit});</li>
 *   <li>append a {@code session-opened} marker to the user's partition; the session's fence there is the
 *       marker's offset + 1. Every message appended after the marker reaches this node, because the
 *       dispatcher drops its cached route for the user when it reads the marker;</li>
 *   <li>on resume, replay {@code [cursor, fence)} of both partitions from Kafka, all or nothing;</li>
 *   <li>send the welcome, the replayed messages, then what arrived live meanwhile above the fences.</li>
 * </ol>
 * Closing detaches the session and removes its route by compare-and-delete, together with the routes of the sessions
 * closing at the same time.
 */
public final class SessionLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLifecycle.class);

    private final NodeId node;
    private final LocalSessions sessions;
    private final RouteRegistry routes;
    private final MarkerLog markers;
    private final ReplaySource replay;
    private final RequestsTopic topic;
    private final SessionSettings settings;
    private final SessionMetrics metrics;
    private final Clock clock;
    private final Executor executor;
    private final GroupCommit<SessionRoute> routeWrites;
    private final GroupCommit<SessionRoute> routeRemovals;
    private final FrameCodec frames = new FrameCodec();
    private final SessionReceipts receipts;

    public SessionLifecycle(NodeId node, LocalSessions sessions, RouteRegistry routes, MarkerLog markers,
                            ReplaySource replay, RequestsTopic topic, SessionSettings settings, SessionMetrics metrics,
                            Clock clock, Executor executor) {
        this(node, sessions, routes, markers, replay, topic, settings, metrics, clock, executor,
                SessionReceipts.off(node, clock));
    }

    /** @param receipts {@code acked} receipts of this node's sessions, for live and replayed pushes */
    public SessionLifecycle(NodeId node, LocalSessions sessions, RouteRegistry routes, MarkerLog markers,
                            ReplaySource replay, RequestsTopic topic, SessionSettings settings, SessionMetrics metrics,
                            Clock clock, Executor executor, SessionReceipts receipts) {
        this.receipts = receipts;
        this.node = node;
        this.sessions = sessions;
        this.routes = routes;
        this.markers = markers;
        this.replay = replay;
        this.topic = topic;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
        this.routeWrites = new GroupCommit<>(routes::registerAll, executor);
        this.routeRemovals = new GroupCommit<>(routes::unregisterAll, executor);
    }

    /**
     * Starts a session for an authenticated user. Returns at once; the welcome follows asynchronously.
     *
     * @param cursorText the {@code cursor} the client sent, or null for a fresh start
     */
    public ClientSession open(UserId user, String cursorText, FrameSink sink) {
        ClientSession session = new ClientSession(UUID.randomUUID().toString(), user, sink, settings.pendingLimit(),
                metrics, clock.millis(), receipts);
        metrics.opened();
        CompletableFuture
                .supplyAsync(() -> sessions.attach(session), executor)
                .thenCompose(broadcastFence -> routeWrites.submit(route(session))
                        // Back to a session thread: the group's writer must be free for the next group.
                        .thenApplyAsync(written -> registered(session, broadcastFence), executor))
                .thenCompose(broadcastFence -> markers.sessionOpened(user)
                        .thenCompose(marker -> resume(session, cursorText, broadcastFence, marker)))
                // Write the frames on a session thread: never on Kafka's producer I/O thread (marker acks)
                // or a replay worker, which must stay free for the next session in a reconnect storm.
                .whenCompleteAsync((welcome, error) -> {
                    if (error != null && error.getCause() instanceof NodeFencedException) {
                        LOG.debug("Not opening {}: the node is fenced", session);
                        session.close(CloseCodes.NODE_FENCED, "node lease lapsed; resume with your cursor");
                        closed(session);
                    } else if (error != null) {
                        LOG.warn("Could not open {}: {}", session, error.toString());
                        session.close(CloseCodes.INTERNAL_ERROR, "session setup failed");
                        closed(session);
                    } else if (welcome == null) {
                        session.close(CloseCodes.GOING_AWAY, "node shutting down; resume with your cursor");
                        closed(session);
                    } else {
                        session.start(welcome.welcome(), welcome.replayed());
                    }
                }, executor);
        return session;
    }

    /** The socket of this session closed, for any reason. */
    public void closed(ClientSession session) {
        boolean hadRoute = session.markClosed();
        sessions.detach(session);
        if (hadRoute) {
            routeRemovals.submit(route(session)).whenComplete((removed, error) -> {
                if (error instanceof java.util.concurrent.RejectedExecutionException) {
                    unregister(session); // shutting down: do it here
                } else if (error != null) {
                    notRemoved(session, error);
                }
            });
        }
    }

    /** The session's route is written: unless the session closed meanwhile, it now holds a route to remove. */
    private long registered(ClientSession session, long broadcastFence) {
        if (session.markRouteRegistered()) {
            unregister(session);
            throw new IllegalStateException("closed while opening");
        }
        return broadcastFence;
    }

    private void unregister(ClientSession session) {
        try {
            routes.unregister(route(session));
        } catch (RuntimeException e) {
            notRemoved(session, e);
        }
    }

    private static void notRemoved(ClientSession session, Throwable error) {
        // The route is soft state: the janitor removes it when this node dies, and a stale route only costs a
        // delivery that finds no session here.
        LOG.warn("Could not remove the route of {}: {}", session, error.toString());
    }

    private SessionRoute route(ClientSession session) {
        return new SessionRoute(session.user(), session.id(), node);
    }

    /** What a new session is sent first; a null Opening means none: the node is stopping. */
    private record Opening(String welcome, List<String> replayed) {
    }

    private CompletableFuture<Opening> resume(ClientSession session, String cursorText, long broadcastFence,
                                              MessagePosition marker) {
        session.raiseFence(marker.partition(), marker.offset() + 1);
        int userPartition = marker.partition();
        int broadcastPartition = sessions.broadcastPartition();
        Map<Integer, Long> fences = new TreeMap<>();
        fences.put(broadcastPartition, broadcastFence);
        fences.put(userPartition, marker.offset() + 1); // the marker fence wins when both are one partition
        Cursor fresh = new Cursor(topic.topicId(), fences);
        if (cursorText == null) {
            return CompletableFuture.completedFuture(opening(session, true, null, fresh, List.of()));
        }
        Cursor cursor;
        try {
            cursor = Cursor.parse(cursorText);
        } catch (IllegalArgumentException e) {
            return notRecovered(session, "bad_cursor", fresh);
        }
        if (!cursor.topicId().equals(topic.topicId())) {
            return notRecovered(session, "topic_changed", fresh);
        }
        Map<Integer, ReplaySource.Range> ranges = new TreeMap<>();
        Map<Integer, Long> start = new TreeMap<>();
        for (Map.Entry<Integer, Long> fence : fences.entrySet()) {
            Long from = cursor.positions().get(fence.getKey());
            if (from == null) {
                return notRecovered(session, "cursor_incomplete", fresh);
            }
            if (from >= fence.getValue()) {
                // The client claims to have seen at least this far; never send it older messages.
                session.raiseFence(fence.getKey(), from);
                start.put(fence.getKey(), from);
                continue;
            }
            ranges.put(fence.getKey(), new ReplaySource.Range(from, fence.getValue()));
            start.put(fence.getKey(), from);
        }
        if (ranges.isEmpty()) {
            return CompletableFuture.completedFuture(opening(session, true, null, new Cursor(topic.topicId(), start),
                    List.of()));
        }
        return replay.replay(session.user(), ranges)
                .orTimeout(settings.resumeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        boolean timedOut = cause instanceof java.util.concurrent.TimeoutException;
                        LOG.warn("Replay for {} failed: {}", session, cause.toString());
                        metrics.notRecovered();
                        return opening(session, false, timedOut ? "replay_timeout" : "replay_failed", fresh, List.of());
                    }
                    if (result instanceof ReplaySource.Result.Incomplete incomplete) {
                        if (incomplete.reason().equals(ReplaySource.Result.Incomplete.NODE_STOPPING)) {
                            return null; // no welcome: the client resumes elsewhere and recovers there
                        }
                        metrics.notRecovered();
                        return opening(session, false, incomplete.reason(), fresh, List.of());
                    }
                    List<Delivery> missed = ((ReplaySource.Result.Complete) result).deliveries();
                    List<String> replayed = new ArrayList<>(missed.size());
                    Set<Integer> replayedPartitions = new HashSet<>();
                    long now = clock.millis();
                    for (Delivery read : missed) {
                        Delivery d = receipts.replayed(read);
                        if (!d.request().isExpiredAt(now)) {
                            session.ackable(d);
                            replayed.add(frames.encode(new ServerFrame.Push(d.position(), node, d.request())));
                            replayedPartitions.add(d.position().partition());
                        }
                    }
                    return opening(session, true, null, welcomePositions(fences, start, replayedPartitions), replayed);
                });
    }

    /**
     * Where a recovered client stands: at the fence of each partition with nothing to replay, so a quiet
     * user's cursor moves on with every resume instead of pointing ever further back; at its own start where
     * replayed pushes follow, which move it on from there, so a client that drops in the middle of the replay
     * resumes from the last push it got and misses none of the rest.
     */
    private Cursor welcomePositions(Map<Integer, Long> fences, Map<Integer, Long> start, Set<Integer> replayedPartitions) {
        Map<Integer, Long> positions = new TreeMap<>();
        fences.forEach((p, fence) -> positions.put(p,
                replayedPartitions.contains(p) ? start.get(p) : Math.max(fence, start.get(p))));
        return new Cursor(topic.topicId(), positions);
    }

    private CompletableFuture<Opening> notRecovered(ClientSession session, String reason, Cursor fresh) {
        metrics.notRecovered();
        return CompletableFuture.completedFuture(opening(session, false, reason, fresh, List.of()));
    }

    private Opening opening(ClientSession session, boolean recovered, String reason, Cursor cursor, List<String> replayed) {
        String welcome = frames.encode(new ServerFrame.Welcome(session.id(), node, session.user(), recovered, reason,
                replayed.size(), cursor));
        LOG.debug("Opening {}: recovered={} reason={} replayed={}", session, recovered, reason, replayed.size());
        return new Opening(welcome, replayed);
    }
}
