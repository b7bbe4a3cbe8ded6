package io.pushfabric.dispatcher.presence;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.registry.ChannelMembers;
import io.pushfabric.registry.NodeRegistry;

/**
 * Answers "who is in this channel" from the registry: the live nodes, then at most {@code limit} users of the
 * channel's members on those nodes (a capped scan), no cache. Members on a node whose lease has lapsed do not
 * count, as for user presence.
 */
public final class ChannelPresenceQuery {
    private final ChannelMembers members;
    private final NodeRegistry nodes;

    public ChannelPresenceQuery(ChannelMembers members, NodeRegistry nodes) {
        this.members = members;
        this.nodes = nodes;
    }

    public ChannelPresence of(ChannelName channel, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return new ChannelPresence(members.membersOf(channel, nodes.liveNodes(), limit), limit);
    }
}
