package io.pushfabric.connector.session;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and closes channel subscriptions of sessions that were allowed to join (the caller checked the
 * namespace rule or the token). Opening, in this order, the same fence as a session's:
 * <ol>
 *   <li>reserve the channel in the session (limit per session); its deliveries are buffered from now on;</li>
 *   <li>join the node's members of the channel, registering the node's channel route in Redis when it is the
 *       first here (limit per node);</li>
 *   <li>append a {@code subscription-opened} marker to the channel's partition: its offset + 1 is the fence.
 *       Every message of the channel appended after the marker reaches this node, because the dispatcher drops
 *       its cached route of the channel when it reads the marker;</li>
 *   <li>with a recovery position, replay {@code [position, fence)} of the channel from Kafka, all or nothing;</li>
 *   <li>send {@code subscribed}, the replayed pushes, then what arrived live meanwhile above the fence.</li>
 * </ol>
 */
public final class ChannelSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscriptions.class);

    private final NodeId node;
    private final LocalChannels local;
    private final MarkerLog markers;
    private final ReplaySource replay;
    private final RequestsTopic topic;
    private final ChannelSettings settings;
    private final SessionSettings sessionSettings;
    private final ChannelMetrics metrics;
    private final Clock clock;
    private final Executor executor;
    private final FrameCodec frames = new FrameCodec();

    public ChannelSubscriptions(NodeId node, LocalChannels local, MarkerLog markers, ReplaySource replay,
                                RequestsTopic topic, ChannelSettings settings, SessionSettings sessionSettings,
                                ChannelMetrics metrics, Clock clock, Executor executor) {
        this.node = node;
        this.local = local;
        this.markers = markers;
        this.replay = replay;
        this.topic = topic;
        this.settings = settings;
        this.sessionSettings = sessionSettings;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
    }

    /** What a confirmed subscription is sent first. */
    private record Confirmation(long fence, String subscribed, List<String> replayed) {
    }

    /**
     * Subscribes the session; answers it with {@code subscribed} or a refusal. Returns at once.
     *
     * @param position where to recover from ({@code <topic>,<partition>:<offset>}), or null for "from now"
     * @return completes when the session has been answered (or has closed)
     */
    public CompletableFuture<Void> subscribe(ClientSession session, ChannelName channel, String position) {
        switch (session.reserveChannel(channel, settings.maxChannelsPerSession())) {
            case ALREADY_SUBSCRIBED -> {
                return refuse(session, channel.value(), ChannelRefusal.ALREADY_SUBSCRIBED);
            }
            case TOO_MANY_CHANNELS -> {
                return refuse(session, channel.value(), ChannelRefusal.TOO_MANY_CHANNELS);
            }
            case CLOSED -> {
                return CompletableFuture.completedFuture(null);
            }
            case RESERVED -> {
                // go on
            }
        }
        return CompletableFuture.supplyAsync(() -> local.join(channel, session), executor)
                .thenCompose(refusal -> {
                    if (refusal != null) {
                        session.leaveChannel(channel);
                        return refuse(session, channel.value(), refusal).thenApply(v -> (Confirmation) null);
                    }
                    if (!session.subscribedTo(channel)) {
                        local.leave(channel, session); // unsubscribed or closed while joining
                        return CompletableFuture.completedFuture((Confirmation) null);
                    }
                    return markers.subscriptionOpened(channel)
                            .thenCompose(marker -> recover(channel, position, marker));
                })
                .handleAsync((confirmation, error) -> {
                    if (error != null) {
                        LOG.warn("Could not subscribe {} to {}: {}", session, channel, error.toString());
                        session.leaveChannel(channel);
                        local.leave(channel, session);
                        refuse(session, channel.value(), ChannelRefusal.UNAVAILABLE);
                    } else if (confirmation != null) {
                        session.confirmChannel(channel, confirmation.fence(), confirmation.subscribed(),
                                confirmation.replayed());
                        if (!session.subscribedTo(channel)) {
                            local.leave(channel, session);
                        }
                    }
                    return null;
                }, executor);
    }

    /**
     * The backend subscribes the session: as {@link #subscribe} from now on, except that a session already in the
     * channel is left as it is, without a refusal (the client did not ask).
     */
    public CompletableFuture<Void> subscribeByServer(ClientSession session, ChannelName channel) {
        if (session.subscribedTo(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        return subscribe(session, channel, null);
    }

    /** The client (or, with {@code reason} "server", the backend) asks the session to leave the channel. */
    public void unsubscribe(ClientSession session, ChannelName channel, String reason) {
        if (!session.leaveChannel(channel)) {
            if (reason == null) {
                refuse(session, channel.value(), ChannelRefusal.NOT_SUBSCRIBED);
            }
            return;
        }
        session.sendControl(frames.encode(new ServerFrame.Unsubscribed(channel, reason)));
        executor.execute(() -> local.leave(channel, session));
    }

    /** The session is gone: it leaves every channel. Call after the session is marked closed. */
    public void closed(ClientSession session) {
        for (ChannelName channel : session.channels()) {
            try {
                executor.execute(() -> local.leave(channel, session));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                local.leave(channel, session); // shutting down: do it here
            }
        }
    }

    /** Answers a refused subscribe or unsubscribe; the session is otherwise unchanged. */
    public CompletableFuture<Void> refuse(ClientSession session, String channel, ChannelRefusal reason) {
        metrics.refused(reason);
        String code = reason == ChannelRefusal.NOT_SUBSCRIBED ? "unsubscribe_refused" : "subscribe_refused";
        session.sendControl(frames.encode(new ServerFrame.ChannelRefused(code, channel, reason.tag(), reason.message())));
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Confirmation> recover(ChannelName channel, String position, MessagePosition marker) {
        int partition = marker.partition();
        long fence = marker.offset() + 1;
        Cursor fresh = new Cursor(topic.topicId(), Map.of(partition, fence));
        if (position == null) {
            return CompletableFuture.completedFuture(confirmation(channel, true, null, fence, fresh, List.of()));
        }
        Cursor cursor;
        try {
            cursor = Cursor.parse(position);
        } catch (IllegalArgumentException e) {
            return notRecovered(channel, "bad_position", fence, fresh);
        }
        if (!cursor.topicId().equals(topic.topicId())) {
            return notRecovered(channel, "topic_changed", fence, fresh);
        }
        Long from = cursor.positions().get(partition);
        if (from == null || cursor.positions().size() != 1) {
            return notRecovered(channel, "bad_position", fence, fresh);
        }
        if (from >= fence) {
            // The client claims to have seen at least this far; never send it older messages.
            return CompletableFuture.completedFuture(confirmation(channel, true, null, from,
                    new Cursor(topic.topicId(), Map.of(partition, from)), List.of()));
        }
        return replay.replayChannel(channel, partition, new ReplaySource.Range(from, fence))
                .orTimeout(sessionSettings.resumeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        LOG.warn("Channel replay of {} failed: {}", channel, cause.toString());
                        return confirmation(channel, false,
                                cause instanceof TimeoutException ? "replay_timeout" : "replay_failed", fence, fresh, List.of());
                    }
                    if (result instanceof ReplaySource.Result.Incomplete incomplete) {
                        if (incomplete.reason().equals(ReplaySource.Result.Incomplete.NODE_STOPPING)) {
                            return null; // the session is being closed; it recovers elsewhere
                        }
                        return confirmation(channel, false, incomplete.reason(), fence, fresh, List.of());
                    }
                    List<String> replayed = new ArrayList<>();
                    long now = clock.millis();
                    for (Delivery d : ((ReplaySource.Result.Complete) result).deliveries()) {
                        if (!d.request().isExpiredAt(now)) {
                            replayed.add(frames.encode(new ServerFrame.Push(d.position(), node, d.request())));
                        }
                    }
                    // As in the welcome: where replayed pushes follow, the client's own position, which they move on.
                    Cursor at = replayed.isEmpty() ? fresh : new Cursor(topic.topicId(), Map.of(partition, from));
                    return confirmation(channel, true, null, fence, at, replayed);
                });
    }

    private CompletableFuture<Confirmation> notRecovered(ChannelName channel, String reason, long fence, Cursor fresh) {
        return CompletableFuture.completedFuture(confirmation(channel, false, reason, fence, fresh, List.of()));
    }

    private Confirmation confirmation(ChannelName channel, boolean recovered, String reason, long fence, Cursor at,
                                      List<String> replayed) {
        metrics.subscribed(recovered);
        LOG.debug("Subscribed to {}: recovered={} reason={} replayed={}", channel, recovered, reason, replayed.size());
        return new Confirmation(fence, frames.encode(new ServerFrame.Subscribed(channel, recovered, reason,
                replayed.size(), at)), replayed);
    }
}
