package io.pushfabric.dispatcher.presence;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeRegistry;
import io.pushfabric.registry.PresenceRegistry;
import io.pushfabric.registry.RouteRegistry;
import io.pushfabric.registry.SessionRoute;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lost nodes for presence: a node that is known but has no lease (it died, froze or was fenced) closes no
 * sessions, so nothing else would check its users. Once per lost node (per dispatcher process, and again if the
 * node comes back and is lost again) every user it still holds a route for gets a check after the grace period,
 * on the user's partition; the check then counts only sessions on live nodes. Not thread-safe: one caller.
 */
public final class PresenceNodeWatch {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceNodeWatch.class);

    private final NodeRegistry nodes;
    private final RouteRegistry routes;
    private final PresenceRegistry presence;
    private final ToIntFunction<UserId> partitionOf;
    private final Duration grace;
    /** Lost nodes whose users were scheduled already. */
    private final Set<NodeId> handled = new HashSet<>();

    public PresenceNodeWatch(NodeRegistry nodes, RouteRegistry routes, PresenceRegistry presence,
                             ToIntFunction<UserId> partitionOf, Duration grace) {
        this.nodes = nodes;
        this.routes = routes;
        this.presence = presence;
        this.partitionOf = partitionOf;
        this.grace = grace;
    }

    /** @return how many users were scheduled for a check */
    public int run() {
        Set<NodeId> live = nodes.liveNodes();
        Set<NodeId> lost = new HashSet<>();
        for (NodeInfo node : nodes.knownNodes()) {
            if (!live.contains(node.id())) {
                lost.add(node.id());
            }
        }
        handled.retainAll(lost);
        int scheduled = 0;
        for (NodeId node : lost) {
            if (handled.contains(node)) {
                continue;
            }
            Map<UserId, Integer> users = new HashMap<>();
            for (SessionRoute route : routes.routesOn(node)) {
                users.computeIfAbsent(route.user(), partitionOf::applyAsInt);
            }
            presence.checkAllAfter(users, grace);
            handled.add(node); // only once all of its users are scheduled: a failure retries them all
            scheduled += users.size();
            LOG.info("Node {} has no lease: presence of its {} users is checked in {} ms", node, users.size(),
                    grace.toMillis());
        }
        return scheduled;
    }
}
