package io.pushfabric.loadtest.model;

/**
 * Per-unit costs for the capacity model. The {@code measured} ones come from docs/benchmarks.md (2-core box,
 * everything sharing it, so they are pessimistic for dedicated machines); the others are assumptions, and the
 * model prints them as such.
 *
 * @param connectorMicrosPerFrame     measured: connector CPU per targeted message written to a socket (62 % of a
 *                                    core at 20,000 msg/s, targeted sweep run 1)
 * @param connectorMicrosPerBroadcastFrame measured: connector CPU per broadcast frame (84 % of a core at 49,938
 *                                    frames/s, broadcast run 1)
 * @param dispatcherMicrosPerMessage  measured: dispatcher CPU per targeted message (30 % at 20,000 msg/s)
 * @param kafkaMicrosPerMessage       measured: Kafka CPU per targeted message, one broker, replication 1 (42 % at
 *                                    20,000 msg/s: two writes and two reads per message)
 * @param dispatcherMessagesPerSecond measured: what one dispatcher loop held with p99 under ~1 s (20,000 msg/s;
 *                                    its cycle is bound by Kafka and Redis round trips, not CPU)
 * @param rssKiBPerConnection         measured: connector RSS per idle connection (16.5 KiB, G1, 19,500 connections)
 * @param resumesPerSecondPerCore     measured: 10,000 resumes with replay in 12.9 s on a survivor at ~1 core
 * @param noticeSeconds               measured: when the clients of a killed node noticed (max 1.13 s after SIGKILL)
 * @param coresPerConnector           assumed: cores of one connector (resume rate taken to scale linearly with them)
 * @param maxConnectionsPerConnector  assumed: PUSH_MAX_CONNECTIONS (default 50,000; 19,877 is the most measured)
 * @param cpuTarget                   assumed: share of a CPU a tier may use in steady state (headroom for storms)
 * @param sessionsPerUser             assumed: average sessions of a connected user
 * @param recordBytes                 assumed: bytes of one push request on the wire (the benchmarks used ~100 B payloads)
 * @param redisOpsPerShard            assumed: commands per second one Redis primary serves at a safe load (not measured here)
 * @param brokerMBps                  assumed: replicated write MB/s one Kafka broker takes at a safe load (not measured here)
 * @param brokerMicrosPerMessageFactor assumed: how much more CPU per message Kafka needs with replication 3 than the
 *                                    measured replication-1 broker (leader plus two followers' fetches)
 */
public record UnitCosts(
        double connectorMicrosPerFrame,
        double connectorMicrosPerBroadcastFrame,
        double dispatcherMicrosPerMessage,
        double kafkaMicrosPerMessage,
        double dispatcherMessagesPerSecond,
        double rssKiBPerConnection,
        double resumesPerSecondPerCore,
        double noticeSeconds,
        int coresPerConnector,
        int maxConnectionsPerConnector,
        double cpuTarget,
        double sessionsPerUser,
        int recordBytes,
        double redisOpsPerShard,
        double brokerMBps,
        double brokerMicrosPerMessageFactor) {

    public UnitCosts {
        if (coresPerConnector < 1 || maxConnectionsPerConnector < 1 || recordBytes < 1) {
            throw new IllegalArgumentException("cores, connections per connector and record bytes must be positive");
        }
        if (cpuTarget <= 0 || cpuTarget > 1) {
            throw new IllegalArgumentException("cpuTarget must be in (0, 1], was " + cpuTarget);
        }
        if (sessionsPerUser < 1) {
            throw new IllegalArgumentException("sessionsPerUser must be at least 1, was " + sessionsPerUser);
        }
    }

    /** The figures of docs/benchmarks.md and the assumptions of docs/scaling.md. */
    public static UnitCosts documented() {
        return new UnitCosts(31, 17, 15, 21, 20_000, 16.5, 775, 1.13,
                4, 50_000, 0.5, 1.5, 1024, 80_000, 200, 2.5);
    }

    public UnitCosts withCoresPerConnector(int cores) {
        return new UnitCosts(connectorMicrosPerFrame, connectorMicrosPerBroadcastFrame, dispatcherMicrosPerMessage,
                kafkaMicrosPerMessage, dispatcherMessagesPerSecond, rssKiBPerConnection, resumesPerSecondPerCore,
                noticeSeconds, cores, maxConnectionsPerConnector, cpuTarget, sessionsPerUser, recordBytes,
                redisOpsPerShard, brokerMBps, brokerMicrosPerMessageFactor);
    }
}
