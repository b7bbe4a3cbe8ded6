package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.UserId;
import java.util.Map;
import java.util.Objects;

/**
 * A capped read of a channel's members.
 *
 * @param sessions  sessions per user, in the order read; at most the limit asked for
 * @param truncated more users are in the channel than {@code sessions} lists
 */
public record ChannelMembership(ChannelName channel, Map<UserId, Integer> sessions, boolean truncated) {
    public ChannelMembership {
        Objects.requireNonNull(channel, "channel");
        sessions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sessions));
    }
}
