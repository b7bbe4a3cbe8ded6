package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Objects;

/** One open session of a user, and the node that holds it. A user may have many. */
public record SessionRoute(UserId user, String sessionId, NodeId node) {
    public SessionRoute {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(node, "node");
        if (sessionId == null || sessionId.isEmpty() || sessionId.indexOf('|') >= 0) {
            throw new IllegalArgumentException("session id must be non-empty and contain no '|': " + sessionId);
        }
    }
}
