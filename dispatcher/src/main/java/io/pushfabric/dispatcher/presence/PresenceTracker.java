package io.pushfabric.dispatcher.presence;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PresenceEvent;
import io.pushfabric.registry.NodeRegistry;
import io.pushfabric.registry.PresenceRegistry;
import io.pushfabric.registry.PresenceRegistry.Check;
import io.pushfabric.registry.RouteRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The presence decisions, free of Kafka. A user's presence is checked when a check of the user falls due on a
 * partition this dispatcher owns: connectors schedule one at once when a session opens and one after the grace
 * period when a session closes ({@code PresenceSchedulingRoutes}); {@link PresenceNodeWatch} schedules one after
 * the grace for every user of a node whose lease lapsed. A check counts the user's sessions on live nodes and
 * moves the recorded state by compare-and-set: offline with a session means {@code online}, online without one
 * means {@code offline}, anything else means nothing. Offline is decided only if the check is still scheduled as
 * it was read once the sessions are counted: a connector pushes the check back before it removes a route, so a
 * close that the count saw has always moved the check, and its grace is left to run. So a resume within the
 * grace never shows (the check after the close finds the new session), a transition is published at most once
 * whoever makes the check, and the versions of one user's events only grow.
 */
public final class PresenceTracker {
    private final PresenceRegistry presence;
    private final RouteRegistry routes;
    private final NodeRegistry nodes;
    private final PresenceSink sink;
    private final int batchLimit;

    /** @param batchLimit at most this many checks per partition in one {@link #checkDue} */
    public PresenceTracker(PresenceRegistry presence, RouteRegistry routes, NodeRegistry nodes, PresenceSink sink,
                           int batchLimit) {
        this.presence = presence;
        this.routes = routes;
        this.nodes = nodes;
        this.sink = sink;
        this.batchLimit = batchLimit;
    }

    /**
     * Makes the checks now due on these partitions and publishes the transitions they find, in the order made.
     * A check that fails midway is made again next time (its transition, if recorded, is not published twice).
     *
     * @return how many checks were made
     */
    public int checkDue(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return 0;
        }
        List<Check> due = presence.due(partitions, batchLimit);
        if (due.isEmpty()) {
            return 0;
        }
        Set<NodeId> live = nodes.liveNodes();
        for (Check check : due) {
            int sessions = (int) routes.sessionsOf(check.user()).stream().filter(r -> live.contains(r.node())).count();
            if (sessions == 0 && !presence.stillScheduled(check)) {
                continue; // a close since the read pushed the check back: the grace is not over
            }
            Optional<PresenceRegistry.Transition> changed = presence.transition(check.user(), sessions > 0, sessions);
            changed.ifPresent(t -> sink.publish(new PresenceEvent(check.user(),
                    sessions > 0 ? PresenceEvent.State.ONLINE : PresenceEvent.State.OFFLINE, sessions, t.version(),
                    t.at())));
        }
        presence.done(due);
        return due.size();
    }
}
