package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes hold subscribers of each channel: {@code channel -> set of (node, token)}. One entry per node,
 * not per subscriber: the node fans a delivery out to its own subscribers. Soft state, like routes.
 * Implementations: {@code RedisChannelRegistry} and {@code InMemoryChannelRegistry}; one contract suite runs
 * against both.
 */
public interface ChannelRegistry {

    /** Records that {@code route.node()} holds subscribers of {@code route.channel()}, replacing an older token. */
    void register(ChannelRoute route);

    /**
     * Removes the route only while it still carries this token, in one atomic step.
     *
     * @return true when it was there and is now gone
     */
    boolean unregister(ChannelRoute route);

    /**
     * The nodes holding subscribers of each channel, in one round trip. Every requested channel is a key of
     * the result (with an empty set when nobody subscribes). Liveness of the nodes is not checked here.
     */
    Map<ChannelName, Set<NodeId>> nodesOf(Collection<ChannelName> channels);

    /** Every channel route a node registered and still holds. */
    List<ChannelRoute> routesOn(NodeId node);

    /** Removes every channel route of a node (each by compare-and-delete). @return how many were removed */
    int removeAllOn(NodeId node);
}
