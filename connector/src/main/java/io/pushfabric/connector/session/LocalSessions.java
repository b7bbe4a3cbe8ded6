package io.pushfabric.connector.session;

import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.UserId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this node holds, by user. Broadcasts and attaches are ordered by one lock, so a session
 * attached while a broadcast is being handed out either gets it (it was in the snapshot) or has a fence
 * above it (it was attached after), never neither. The same lock orders attaches with fencing: a session is
 * either closed by {@link #fence} or attached after the node joined again, with the new broadcast fence.
 */
public final class LocalSessions {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSessions.class);

    private final ConcurrentHashMap<UserId, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final Set<ClientSession> all = ConcurrentHashMap.newKeySet();
    private final Object broadcastLock = new Object();
    private int broadcastPartition = -1;
    private long broadcastNext;
    private boolean admitting;

    /**
     * Admits sessions, fenced on the broadcast partition at {@code nextOffset} or later: at start and after
     * each rejoin, from the node's own {@code node-joined} marker on the broadcast partition.
     */
    public void startBroadcastsAt(int partition, long nextOffset) {
        synchronized (broadcastLock) {
            broadcastPartition = partition;
            broadcastNext = Math.max(broadcastNext, nextOffset);
            admitting = true;
        }
    }

    /**
     * The node lost its lease: stops admitting sessions until {@link #startBroadcastsAt} and closes every
     * open one with 4001, so its client resumes with its cursor. @return how many sessions were closed
     */
    public int fence() {
        List<ClientSession> open;
        synchronized (broadcastLock) {
            admitting = false;
            open = List.copyOf(all);
        }
        for (ClientSession s : open) {
            try {
                s.close(CloseCodes.NODE_FENCED, "node lease lapsed; resume with your cursor");
            } catch (RuntimeException e) {
                // One socket that fails to close must not leave the others open on a fenced node.
                LOG.warn("Closing {} while fencing failed: {}", s, e.toString());
            }
        }
        return open.size();
    }

    public int broadcastPartition() {
        synchronized (broadcastLock) {
            return broadcastPartition;
        }
    }

    /**
     * Adds the session, fencing it on the broadcast partition at the first broadcast this node has not
     * yet handed out. @return that fence
     * @throws NodeFencedException while the node is fenced (or has not joined yet)
     */
    long attach(ClientSession session) {
        synchronized (broadcastLock) {
            if (!admitting) {
                throw new NodeFencedException();
            }
            session.raiseFence(broadcastPartition, broadcastNext);
            all.add(session);
            // Add inside compute: a concurrent detach of the user's last session cannot drop this set.
            byUser.compute(session.user(), (u, set) -> {
                Set<ClientSession> sessions = set == null ? ConcurrentHashMap.newKeySet() : set;
                sessions.add(session);
                return sessions;
            });
            return broadcastNext;
        }
    }

    /** @return true when this was the session's last removal */
    boolean detach(ClientSession session) {
        boolean removed = all.remove(session);
        byUser.computeIfPresent(session.user(), (u, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
        return removed;
    }

    /** Hands a user's delivery to each of the user's sessions here. @return how many sessions got it */
    public int deliver(Delivery delivery, Supplier<EncodedFrame> frame) {
        Set<ClientSession> sessions = byUser.get(delivery.request().user());
        if (sessions == null) {
            return 0;
        }
        int n = 0;
        for (ClientSession s : sessions) {
            s.offer(delivery, frame);
            n++;
        }
        return n;
    }

    /** Hands a broadcast to every session here. @return how many sessions got it */
    public int broadcast(Delivery delivery, Supplier<EncodedFrame> frame) {
        List<ClientSession> snapshot;
        synchronized (broadcastLock) {
            broadcastNext = Math.max(broadcastNext, delivery.position().offset() + 1);
            snapshot = List.copyOf(all);
        }
        for (ClientSession s : snapshot) {
            s.offer(delivery, frame);
        }
        return snapshot.size();
    }

    public List<ClientSession> snapshot() {
        return List.copyOf(all);
    }

    public List<ClientSession> sessionsOf(UserId user) {
        Set<ClientSession> sessions = byUser.get(user);
        return sessions == null ? List.of() : List.copyOf(sessions);
    }

    public int size() {
        return all.size();
    }
}
