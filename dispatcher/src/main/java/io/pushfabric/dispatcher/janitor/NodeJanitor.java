package io.pushfabric.dispatcher.janitor;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.registry.ChannelMembers;
import io.pushfabric.registry.ChannelRegistry;
import io.pushfabric.registry.ChannelRoute;
import io.pushfabric.registry.ClusterLock;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeRegistry;
import io.pushfabric.registry.RouteRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after connector nodes that died: once a node's lease has been gone for the grace period,
 * its routes, channel routes and channel members are removed (each by compare-and-delete), its node topic is deleted and it is forgotten.
 * One dispatcher at a time does it (a cluster lock). A node that comes back within the grace period, or at
 * any moment before the final re-check of a pass, keeps everything; one that comes back later finds its lease
 * lapsed, fences its sessions and recreates its topic.
 */
public final class NodeJanitor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeJanitor.class);
    private static final Duration LOCK_LEASE = Duration.ofSeconds(60);

    private final NodeRegistry nodes;
    private final RouteRegistry routes;
    private final ChannelRegistry channels;
    private final ChannelMembers members;
    private final ClusterLock lock;
    private final Consumer<NodeId> deleteNodeTopic;
    private final Duration grace;
    private final Clock clock;

    public NodeJanitor(NodeRegistry nodes, RouteRegistry routes, ChannelRegistry channels, ChannelMembers members,
                       ClusterLock lock, Consumer<NodeId> deleteNodeTopic, Duration grace, Clock clock) {
        this.nodes = nodes;
        this.routes = routes;
        this.channels = channels;
        this.members = members;
        this.lock = lock;
        this.deleteNodeTopic = deleteNodeTopic;
        this.grace = grace;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            lock.runExclusively("janitor", LOCK_LEASE, this::sweep);
        } catch (RuntimeException e) {
            LOG.warn("Janitor pass failed; next pass retries: {}", e.toString());
        }
    }

    /**
     * One pass; package-visible for tests. A node is cleaned up only once {@link NodeRegistry#forgetIfDead} has
     * confirmed, immediately before anything is deleted, that its lease is still absent and its record is still
     * the one judged here: a node that heartbeat in between (came back, or restarted) keeps its topic and routes.
     * One that heartbeats after that confirmation finds its lease lapsed, closes its sessions and rejoins.
     *
     * @return how many dead nodes were cleaned up
     */
    int sweep() {
        int cleaned = 0;
        Set<NodeId> live = nodes.liveNodes();
        long now = clock.millis();
        for (NodeInfo node : nodes.knownNodes()) {
            if (live.contains(node.id()) || now - node.heartbeatAt() < grace.toMillis()) {
                continue;
            }
            if (!nodes.forgetIfDead(node)) {
                LOG.info("Node {} came back while the janitor looked; keeping its topic and routes", node.id());
                continue;
            }
            deleteNodeTopic.accept(node.id());
            int removed = routes.removeAllOn(node.id());
            List<ChannelName> channelsOfNode = channels.routesOn(node.id()).stream().map(ChannelRoute::channel).toList();
            members.removeAllOn(node.id(), channelsOfNode);
            int channelRoutes = channels.removeAllOn(node.id());
            cleaned++;
            LOG.info("Cleaned up dead node {} (last heartbeat {} ms ago): {} routes and {} channel routes removed,"
                    + " topic deleted", node.id(), now - node.heartbeatAt(), removed, channelRoutes);
        }
        return cleaned;
    }
}
