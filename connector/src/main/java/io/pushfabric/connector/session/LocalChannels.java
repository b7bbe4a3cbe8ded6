package io.pushfabric.connector.session;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.registry.ChannelMembers;
import io.pushfabric.registry.ChannelRegistry;
import io.pushfabric.registry.ChannelRoute;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels this node's sessions are in, and the node's channel routes in the registry: the first local
 * subscriber of a channel registers the route (with a fresh token), the last one to leave removes it by
 * compare-and-delete. Joins and leaves of one channel are serialized, so the route and the local members never
 * disagree for long: a route exists while the node has members, and a leave never removes a newer join's route.
 * Each join and leave also counts the session's user in or out of the channel's members (channel presence).
 */
public final class LocalChannels {
    private static final Logger LOG = LoggerFactory.getLogger(LocalChannels.class);

    private final ChannelRegistry registry;
    private final ChannelMembers memberRegistry;
    private final NodeId node;
    private final int maxSubscribers;
    private final ConcurrentHashMap<ChannelName, Members> byChannel = new ConcurrentHashMap<>();

    private static final class Members {
        final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
        String token;
        boolean gone;
    }

    public LocalChannels(ChannelRegistry registry, ChannelMembers memberRegistry, NodeId node, int maxSubscribers) {
        this.registry = registry;
        this.memberRegistry = memberRegistry;
        this.node = node;
        this.maxSubscribers = maxSubscribers;
    }

    /**
     * Adds the session to the channel's local members, registering the node's route first when it is the
     * channel's first member here.
     *
     * @return null when joined, or {@link ChannelRefusal#CHANNEL_FULL}
     * @throws RuntimeException when the route or the member could not be registered (nothing was added then)
     */
    ChannelRefusal join(ChannelName channel, ClientSession session) {
        while (true) {
            Members members = byChannel.computeIfAbsent(channel, c -> new Members());
            synchronized (members) {
                if (members.gone) {
                    continue; // its last member left while we looked it up: take the new one
                }
                if (members.sessions.contains(session)) {
                    return null;
                }
                if (members.sessions.size() >= maxSubscribers) {
                    dropIfEmpty(channel, members);
                    return ChannelRefusal.CHANNEL_FULL;
                }
                if (members.token == null) {
                    String token = UUID.randomUUID().toString();
                    try {
                        registry.register(new ChannelRoute(channel, node, token));
                    } catch (RuntimeException e) {
                        dropIfEmpty(channel, members);
                        throw e;
                    }
                    members.token = token;
                }
                try {
                    memberRegistry.join(channel, node, session.user());
                } catch (RuntimeException e) {
                    dropIfEmpty(channel, members);
                    throw e;
                }
                members.sessions.add(session);
                return null;
            }
        }
    }

    /** Removes the session from the channel's members; the last one out removes the node's route. */
    void leave(ChannelName channel, ClientSession session) {
        Members members = byChannel.get(channel);
        if (members == null) {
            return;
        }
        synchronized (members) {
            if (members.sessions.remove(session)) {
                try {
                    memberRegistry.leave(channel, node, session.user());
                } catch (RuntimeException e) {
                    // Soft state: this session stays counted while the node lives; readers skip dead nodes.
                    LOG.warn("Could not count {} out of channel {}: {}", session.user(), channel, e.toString());
                }
                dropIfEmpty(channel, members);
            }
        }
    }

    private void dropIfEmpty(ChannelName channel, Members members) {
        if (!members.sessions.isEmpty() || members.gone) {
            return;
        }
        members.gone = true;
        byChannel.remove(channel, members);
        if (members.token == null) {
            return;
        }
        try {
            registry.unregister(new ChannelRoute(channel, node, members.token));
        } catch (RuntimeException e) {
            // Soft state: a stale route costs deliveries that find no member here, until the next join replaces
            // it or the janitor removes it with the node.
            LOG.warn("Could not remove the route of channel {}: {}", channel, e.toString());
        }
    }

    /** Hands a channel's delivery to each of its sessions here. @return how many sessions got it */
    public int deliver(Delivery delivery, Supplier<EncodedFrame> frame) {
        Members members = byChannel.get(delivery.request().channel());
        if (members == null) {
            return 0;
        }
        int n = 0;
        for (ClientSession s : members.sessions) {
            s.offer(delivery, frame);
            n++;
        }
        return n;
    }

    /** Channels with at least one member here. */
    public int channelCount() {
        return byChannel.size();
    }

    /** Memberships of all sessions here. */
    public long subscriptionCount() {
        long n = 0;
        for (Members m : byChannel.values()) {
            n += m.sessions.size();
        }
        return n;
    }
}
