package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Collection;
import java.util.Set;

/**
 * Who is in each channel: {@code channel -> (node, user) -> sessions}, kept by the connectors as sessions
 * subscribe, unsubscribe and close, read by channel presence ({@code GET /v1/channels/{channel}/presence}).
 * Soft state, like channel routes: a node's members go with the node (the janitor), and readers count only
 * live nodes. Implementations: {@code RedisChannelMembers} and {@code InMemoryChannelMembers}; one contract
 * suite runs against both.
 */
public interface ChannelMembers {

    /** One more session of {@code user} on {@code node} is in the channel. */
    void join(ChannelName channel, NodeId node, UserId user);

    /** One session fewer; the entry disappears at zero. */
    void leave(ChannelName channel, NodeId node, UserId user);

    /**
     * Up to {@code limit} users in the channel with their sessions on the {@code live} nodes; entries of other
     * nodes are skipped. When more users are there, {@link ChannelMembership#truncated()} is true and the session
     * counts of the users listed may miss sessions on nodes not read yet.
     */
    ChannelMembership membersOf(ChannelName channel, Set<NodeId> live, int limit);

    /** Removes every entry of {@code node} from these channels (the janitor, with the node's channel routes). */
    void removeAllOn(NodeId node, Collection<ChannelName> channels);
}
