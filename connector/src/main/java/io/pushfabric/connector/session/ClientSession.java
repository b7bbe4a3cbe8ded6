package io.pushfabric.connector.session;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>Each channel subscription has a fence of its own, kept apart from the partition fences: a channel push
 * never moves the user's or the broadcast stream, even when the channel shares their partition. While a
 * subscription is being opened its live deliveries wait in a buffer of its own; its confirmation
 * ({@code subscribed}) and replay are then streamed like a resume's, and the buffer follows, above the fence.
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

    /** Channel subscriptions: the next offset each accepts live, or null while it is being opened. */
    private final Map<ChannelName, Subscription> channels = new LinkedHashMap<>();
    /** Channel confirmations waiting for the session's start or another stream to finish. */
    private final List<Runnable> afterStream = new ArrayList<>();
    private int replayCount;

    private record Pending(Delivery delivery, Supplier<EncodedFrame> frame) {
    }

    private static final class Subscription {
        Long next;
        List<Pending> buffer = new ArrayList<>();
    }

    /** What {@link #reserveChannel} found. */
    enum Reservation { RESERVED, ALREADY_SUBSCRIBED, TOO_MANY_CHANNELS, CLOSED }

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

    /**
     * A live delivery from the node topic. {@code frame} gives the push frame, encoded once for every session
     * that gets it.
     */
    public void offer(Delivery delivery, Supplier<EncodedFrame> frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (delivery.request().isChannel()) {
                Subscription sub = channels.get(delivery.request().channel());
                if (sub == null) {
                    return; // left the channel meanwhile
                }
                if (sub.next == null) {
                    if (sub.buffer.size() >= pendingLimit) {
                        metrics.slowConsumer();
                        closeLocked(CloseCodes.SLOW_CONSUMER, "too many deliveries while a subscription was opening");
                        return;
                    }
                    sub.buffer.add(new Pending(delivery, frame));
                    return;
                }
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
        replayCount = replayed.size();
        streamReplay();
    }

    /**
     * Starts a channel subscription, unconfirmed: its deliveries are buffered until {@link #confirmChannel}.
     */
    synchronized Reservation reserveChannel(ChannelName channel, int maxChannels) {
        if (closed) {
            return Reservation.CLOSED;
        }
        if (channels.containsKey(channel)) {
            return Reservation.ALREADY_SUBSCRIBED;
        }
        if (channels.size() >= maxChannels) {
            return Reservation.TOO_MANY_CHANNELS;
        }
        channels.put(channel, new Subscription());
        return Reservation.RESERVED;
    }

    /** Leaves a channel. @return whether the session was subscribed (or subscribing) to it */
    synchronized boolean leaveChannel(ChannelName channel) {
        return channels.remove(channel) != null;
    }

    synchronized boolean subscribedTo(ChannelName channel) {
        return !closed && channels.containsKey(channel);
    }

    synchronized Set<ChannelName> channels() {
        return Set.copyOf(channels.keySet());
    }

    /**
     * Confirms a subscription: from {@code fence} on, its deliveries are sent live. Sends {@code subscribed}, then
     * the replayed frames as the socket drains, then what was buffered meanwhile, above the fence. Waits for the
     * session's own start (welcome and replay) or another subscription's stream to finish first.
     */
    synchronized void confirmChannel(ChannelName channel, long fence, String subscribed, List<String> replayed) {
        if (closed) {
            return;
        }
        if (pending != null) {
            afterStream.add(() -> confirmChannel(channel, fence, subscribed, replayed));
            return;
        }
        Subscription sub = channels.get(channel);
        if (sub == null || sub.next != null) {
            return; // left meanwhile
        }
        sub.next = fence;
        pending = sub.buffer;
        sub.buffer = null;
        List<String> frames = new ArrayList<>(replayed.size() + 1);
        frames.add(subscribed);
        frames.addAll(replayed);
        replay = frames;
        replayNext = 0;
        replayCount = replayed.size();
        streamReplay();
    }

    /** Writes replayed frames while the socket takes them; runs again when it has drained. */
    private synchronized void streamReplay() {
        if (closed || replay == null) {
            return;
        }
        while (replayNext < replay.size()) {
            if (!sink.sendWhenRoom(EncodedFrame.of(replay.get(replayNext)), this::streamReplay)) {
                return;
            }
            replayNext++;
        }
        metrics.replayed(replayCount);
        replay = null;
        List<Pending> buffered = pending;
        pending = null;
        for (Pending p : buffered) {
            deliverLive(p.delivery(), p.frame());
            if (closed) {
                return;
            }
        }
        // Next waiting confirmation; one that starts a stream sets pending again, and this resumes after it.
        while (pending == null && !closed && !afterStream.isEmpty()) {
            afterStream.remove(0).run();
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
        afterStream.clear();
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

    /** The token the session was opened with holds until {@code epochMillis}; see {@link TokenExpiry#watch}. */
    synchronized void tokenValidUntil(long epochMillis) {
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

    private void deliverLive(Delivery delivery, Supplier<EncodedFrame> frame) {
        int partition = delivery.position().partition();
        long offset = delivery.position().offset();
        if (delivery.request().isChannel()) {
            Subscription sub = channels.get(delivery.request().channel());
            if (sub == null || sub.next == null) {
                return; // left meanwhile (a subscription being opened never gets here: it buffers on its own)
            }
            if (offset < sub.next) {
                metrics.droppedBelowFence();
                return;
            }
            sub.next = offset + 1;
        } else {
            Long fence = next.get(partition);
            if (fence != null && offset < fence) {
                metrics.droppedBelowFence();
                return;
            }
            next.put(partition, offset + 1);
        }
        if (sendOrClose(frame.get())) {
            metrics.delivered(delivery);
            ackable(delivery);
        }
    }

    private boolean sendOrClose(String frame) {
        return sendOrClose(EncodedFrame.of(frame));
    }

    private boolean sendOrClose(EncodedFrame frame) {
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
        afterStream.clear();
        sink.close(code, reason);
    }

    @Override
    public String toString() {
        return "session " + id + " of " + user;
    }
}
