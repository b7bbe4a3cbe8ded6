package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import java.util.Objects;

/**
 * A node holds at least one subscriber of a channel. {@code token} names this registration, so that removing
 * it (when the node's last subscriber leaves, or by the janitor) never removes a newer registration of the
 * same node: the channel's route is deleted only while it still carries this token.
 */
public record ChannelRoute(ChannelName channel, NodeId node, String token) {
    public ChannelRoute {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(node, "node");
        if (token == null || token.isEmpty() || token.indexOf('|') >= 0) {
            throw new IllegalArgumentException("token must be non-empty and contain no '|': " + token);
        }
    }
}
