package io.pushfabric.registry;

import io.pushfabric.contracts.NodeId;
import java.util.Objects;

/**
 * What a connector node says about itself in its lease.
 *
 * @param address   where the node's HTTP/WebSocket port can be reached (host:port)
 * @param startedAt epoch millis of the node process start
 * @param sessions  open sessions at the last heartbeat
 * @param heartbeatAt epoch millis of the last heartbeat
 */
public record NodeInfo(NodeId id, String address, long startedAt, int sessions, long heartbeatAt) {
    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }
}
