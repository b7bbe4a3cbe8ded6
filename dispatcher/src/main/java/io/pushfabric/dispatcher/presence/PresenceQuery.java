package io.pushfabric.dispatcher.presence;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.NodeRegistry;
import io.pushfabric.registry.RouteRegistry;
import io.pushfabric.registry.SessionRoute;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Answers "is this user online, where, with how many sessions" from the registry: two reads (the user's
 * routes, the live nodes), no cache, so the answer is as fresh as Redis. A route on a node whose lease has
 * lapsed does not count: that node is dead for routing and the janitor will remove what it left.
 * Channel presence is {@link ChannelPresenceQuery}.
 */
public final class PresenceQuery {
    private final RouteRegistry routes;
    private final NodeRegistry nodes;

    public PresenceQuery(RouteRegistry routes, NodeRegistry nodes) {
        this.routes = routes;
        this.nodes = nodes;
    }

    public UserPresence of(UserId user) {
        Set<NodeId> live = nodes.liveNodes();
        Map<NodeId, Integer> perNode = new HashMap<>();
        for (SessionRoute route : routes.sessionsOf(user)) {
            if (live.contains(route.node())) {
                perNode.merge(route.node(), 1, Integer::sum);
            }
        }
        return new UserPresence(user, perNode);
    }
}
