package io.pushfabric.loadtest.model;

/**
 * The load to plan for.
 *
 * @param connections        concurrent WebSocket connections
 * @param targetedPerSecond  push requests to one user each
 * @param broadcastsPerSecond broadcasts, each to every connection
 * @param zones              availability zones the connectors are spread over (one may be lost)
 * @param lifetimeSeconds    PUSH_MAX_CONNECTION_LIFETIME_MS in seconds (each session reconnects about this often)
 * @param dedupeWindowSeconds PUSH_DEDUPE_WINDOW_MS in seconds
 * @param withMessageId      share of requests that carry a messageId (each claims a dedupe key)
 * @param routeCacheTtlSeconds PUSH_ROUTE_CACHE_TTL_MS in seconds
 * @param gapSeconds         how long resuming clients were away (their replay covers this much of the log)
 */
public record Load(long connections, double targetedPerSecond, double broadcastsPerSecond, int zones,
                   double lifetimeSeconds, double dedupeWindowSeconds, double withMessageId,
                   double routeCacheTtlSeconds, double gapSeconds) {

    public Load {
        if (connections < 1 || zones < 2) {
            throw new IllegalArgumentException("need at least one connection and two zones, was " + connections
                    + " connections in " + zones + " zones");
        }
        if (withMessageId < 0 || withMessageId > 1) {
            throw new IllegalArgumentException("withMessageId must be in [0, 1], was " + withMessageId);
        }
    }

    /** 10 million connections, 1 million targeted messages per second, three zones, an hour's lifetime. */
    public static Load targeted() {
        return new Load(10_000_000, 1_000_000, 0, 3, 3600, 600, 1.0, 60, 10);
    }

    /** The same, plus five broadcasts per second to every connection (50 million frames per second). */
    public static Load broadcastMix() {
        return new Load(10_000_000, 1_000_000, 5, 3, 3600, 600, 1.0, 60, 10);
    }
}
