package io.pushfabric.connector.session;

import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One client connection of one user on this node.
 *
 * <p>The session keeps, per partition of {@code push-requests}, the next offset it will accept live
 * (its fence). Live deliveries below it are dropped: they were replayed already, or they precede the
 * welcome. Until the welcome and any replay have been sent, live deliveries wait in a bounded buffer, so
 * replayed messages always come first and nothing slips between the two. The replay itself is written as
 * the socket drains ({@link FrameSink#sendWhenRoom}), so a replay longer than the send queue reaches a
 * slow reader whole instead of closing it part-way.
 */
public final class ClientSession {
    private final String id;
    private final UserId user;
    private final FrameSink sink;
    private final int pendingLimit;
    private final SessionMetrics metrics;
    private final long openedAt;
    private final Map<Integer, Long> next = new HashMap<>();
    private List<Pending> pending = new ArrayList<>();
    /** The replayed frames while they are being written; null before and after. */
    private List<String> replay;
    private int replayNext;
    private boolean closed;
    private boolean routeRegistered;
    /** Epoch millis after which the session's token no longer holds; see {@link TokenExpiry}. */
    private long tokenValidUntil = Long.MAX_VALUE;
    private final SessionReceipts receipts;
    /** Pushes with receipts on that the client may still acknowledge; created with the first one. */
    private AckWindow acks;

    private record Pending(Delivery delivery, Supplier<String> frame) {
    }

    public ClientSession(String id, UserId user, FrameSink sink, int pendingLimit, SessionMetrics metrics, long openedAt) {
        this(id, user, sink, pendingLimit, metrics, openedAt, null);
    }

    /** @param receipts where {@code acked} receipts go; null for none */
    public ClientSession(String id, UserId user, FrameSink sink, int pendingLimit, SessionMetrics metrics, long openedAt,
                         SessionReceipts receipts) {
        this.receipts = receipts != null && receipts.enabled() ? receipts : null;
        this.id = id;
        this.user = user;
        this.sink = sink;
        this.pendingLimit = pendingLimit;
        this.metrics = metrics;
        this.openedAt = openedAt;
    }

    public String id() {
        return id;
    }

    public UserId user() {
        return user;
    }

    public long openedAt() {
        return openedAt;
    }

    /** Raises the fence of one partition (never lowers it). */
    synchronized void raiseFence(int partition, long nextOffset) {
        next.merge(partition, nextOffset, Math::max);
    }

    synchronized Long fence(int partition) {
        return next.get(partition);
    }

    /** A live delivery from the node topic. {@code frame} renders the push frame (shared by all sessions). */
    public void offer(Delivery delivery, Supplier<String> frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pending != null) {
                if (pending.size() >= pendingLimit) {
                    metrics.slowConsumer();
                    closeLocked(CloseCodes.SLOW_CONSUMER, "too many deliveries while the session was starting");
                    return;
                }
                pending.add(new Pending(delivery, frame));
                return;
            }
            deliverLive(delivery, frame);
        }
    }

    /** Sends the welcome, then the replayed frames, then everything buffered meanwhile, and goes live. */
    synchronized void start(String welcome, List<String> replayed) {
        if (closed) {
            return;
        }
        if (!sendOrClose(welcome)) {
            return;
        }
        replay = replayed;
        replayNext = 0;
        streamReplay();
    }

    /** Writes replayed frames while the socket takes them; runs again when it has drained. */
    private synchronized void streamReplay() {
        if (closed || replay == null) {
            return;
        }
        while (replayNext < replay.size()) {
            if (!sink.sendWhenRoom(replay.get(replayNext), this::streamReplay)) {
                return;
            }
            replayNext++;
        }
        metrics.replayed(replay.size());
        replay = null;
        List<Pending> buffered = pending;
        pending = null;
        for (Pending p : buffered) {
            deliverLive(p.delivery(), p.frame());
            if (closed) {
                return;
            }
        }
    }

    /**
     * The client says it has read the push {@code position}. If that push had receipts on and is among the latest
     * this session sent, an {@code acked} receipt follows, once; anything else is ignored.
     */
    public void ack(MessagePosition position) {
        AckWindow.Ackable push;
        synchronized (this) {
            if (acks == null) {
                return;
            }
            push = acks.take(position).orElse(null);
        }
        if (push != null) {
            receipts.acked(push, id);
        }
    }

    /** A push with receipts on was sent to this client (live or replayed): it may now acknowledge it. */
    synchronized void ackable(Delivery delivery) {
        if (receipts == null || !delivery.request().receipt()) {
            return;
        }
        if (acks == null) {
            acks = new AckWindow(receipts.ackWindow());
        }
        acks.remember(delivery);
    }

    /** Sends a frame outside the delivery path (error, pong, reconnect). */
    public synchronized void sendControl(String frame) {
        if (!closed) {
            sendOrClose(frame);
        }
    }

    public synchronized boolean isLive() {
        return pending == null && !closed;
    }

    public void close(int code, String reason) {
        synchronized (this) {
            closeLocked(code, reason);
        }
    }

    /**
     * The socket is gone (client left, network, or our own close). @return whether a route was registered
     * for this session, which the caller must then remove
     */
    synchronized boolean markClosed() {
        closed = true;
        pending = null;
        replay = null;
        return routeRegistered;
    }

    /** The route is in the registry. @return true when the session closed meanwhile: undo the registration */
    synchronized boolean markRouteRegistered() {
        routeRegistered = true;
        return closed;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** The token the session was opened with holds until {@code epochMillis}. */
    public synchronized void tokenValidUntil(long epochMillis) {
        tokenValidUntil = epochMillis;
    }

    /** A fresh token moves the end later, never earlier. @return the end now in force */
    synchronized long extendToken(long epochMillis) {
        tokenValidUntil = Math.max(tokenValidUntil, epochMillis);
        return tokenValidUntil;
    }

    synchronized long tokenValidUntil() {
        return tokenValidUntil;
    }

    /**
     * Closes the session with {@code code} if its token has expired at {@code now}, in one step with any
     * refresh, so a session answered {@code refreshed} is never closed for the token it just replaced.
     *
     * @return true when this call closed it
     */
    synchronized boolean closeIfTokenExpired(long now, int code, String reason) {
        if (closed || tokenValidUntil > now) {
            return false;
        }
        closeLocked(code, reason);
        return true;
    }

    private void deliverLive(Delivery delivery, Supplier<String> frame) {
        int partition = delivery.position().partition();
        long offset = delivery.position().offset();
        Long fence = next.get(partition);
        if (fence != null && offset < fence) {
            metrics.droppedBelowFence();
            return;
        }
        next.put(partition, offset + 1);
        if (sendOrClose(frame.get())) {
            metrics.delivered(delivery);
            ackable(delivery);
        }
    }

    private boolean sendOrClose(String frame) {
        if (sink.send(frame)) {
            return true;
        }
        metrics.slowConsumer();
        closeLocked(CloseCodes.SLOW_CONSUMER, "send queue full");
        return false;
    }

    private void closeLocked(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        pending = null;
        replay = null;
        sink.close(code, reason);
    }

    @Override
    public String toString() {
        return "session " + id + " of " + user;
    }
}
