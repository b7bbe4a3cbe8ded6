package io.pushfabric.loadtest.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The capacity model of docs/scaling.md as code: each line is a quantity, its value, the formula, and whether
 * its inputs are measured or assumed. Redis commands per operation are counted from the registry code.
 */
public final class CapacityPlan {
    /** Replay refuses cursors further back than this many offsets per partition (PUSH_REPLAY_MAX_SPAN default). */
    static final double REPLAY_MAX_SPAN = 2_000_000;
    static final double HEARTBEAT_SECONDS = 3;
    static final double LIVE_NODES_TTL_SECONDS = 1;
    static final int REPLICATION = 3;
    static final int BROKER_CORES = 8;
    /** Planned share of PUSH_MAX_CONNECTIONS a connector holds after losing a zone: room for drains and skew. */
    static final double CONNECTION_HEADROOM = 0.8;
    /** Assumed bytes per Redis entry, overhead included: a route field, its index member, a dedupe key. */
    static final double ROUTE_BYTES = 120;
    static final double INDEX_BYTES = 90;
    static final double DEDUPE_BYTES = 110;

    public record Line(String section, String quantity, double value, String formula, String basis) {
    }

    public record Result(int connectors, int dispatchers, int partitions, int brokers, int redisShards,
                         double redisOpsPerSecond, double stormSecondsLowerBound, List<Line> lines) {
    }

    private CapacityPlan() {
    }

    public static Result of(Load load, UnitCosts unit) {
        List<Line> out = new ArrayList<>();
        double c = load.connections();
        double t = load.targetedPerSecond();
        double b = load.broadcastsPerSecond();
        int z = load.zones();
        double users = c / unit.sessionsPerUser();

        // Connectors: enough that Z-1 zones hold everyone under PUSH_MAX_CONNECTIONS, and enough CPU for the frames.
        double surviving = (z - 1) / (double) z;
        double byConnections = c / (unit.maxConnectionsPerConnector() * CONNECTION_HEADROOM * surviving);
        double frameCores = (t * unit.sessionsPerUser() * unit.connectorMicrosPerFrame()
                + b * c * unit.connectorMicrosPerBroadcastFrame()) / 1e6;
        double byCpu = frameCores / (unit.coresPerConnector() * unit.cpuTarget());
        int connectors = roundUpTo(Math.max(byConnections, byCpu), z);
        out.add(new Line("connectors", "by connections", ceil(byConnections),
                "C / (0.8 x maxConnections x (Z-1)/Z)", "assumed PUSH_MAX_CONNECTIONS, 20 % headroom"));
        out.add(new Line("connectors", "CPU cores for frames", frameCores,
                "(T x sessions/user x 31 us + B x C x 17 us) / 1e6", "measured per-frame costs"));
        out.add(new Line("connectors", "by CPU", ceil(byCpu), "cores / (coresPerConnector x cpuTarget)", "assumed cores, target"));
        out.add(new Line("connectors", "connectors (multiple of Z)", connectors, "max of the two", "model"));
        out.add(new Line("connectors", "connections per connector", c / connectors, "C / N", "model"));
        out.add(new Line("connectors", "... after losing a zone", c / (connectors * surviving), "C / (N x (Z-1)/Z)", "model"));
        out.add(new Line("connectors", "RSS for connections, GiB each", c / connectors * unit.rssKiBPerConnection() / 1024 / 1024,
                "C/N x 16.5 KiB", "measured per idle connection"));

        // Dispatchers and partitions.
        int dispatchers = (int) ceil(t / unit.dispatcherMessagesPerSecond());
        int partitions = Integer.highestOneBit(Math.max(1, 2 * dispatchers - 1)) << 1;
        out.add(new Line("dispatchers", "dispatchers", dispatchers, "T / 20,000", "measured loop rate"));
        out.add(new Line("dispatchers", "dispatcher CPU cores", t * unit.dispatcherMicrosPerMessage() / 1e6, "T x 15 us", "measured"));
        out.add(new Line("kafka", "partitions of push-requests", partitions, "power of two >= 2 x dispatchers (fixed forever)", "model"));
        out.add(new Line("kafka", "messages/s per partition", t / partitions, "T / P", "model"));
        out.add(new Line("kafka", "resume window at PUSH_REPLAY_MAX_SPAN, s", REPLAY_MAX_SPAN / (t / partitions),
                "2,000,000 / (T / P)", "code default"));

        // Kafka.
        double deliveries = t * unit.sessionsPerUser() + b * connectors;
        double markers = c / (load.lifetimeSeconds() * 0.9);
        double writeMBps = (t + deliveries) * unit.recordBytes() / 1e6;
        double brokersByBytes = writeMBps * REPLICATION / unit.brokerMBps();
        double brokersByCpu = t * unit.kafkaMicrosPerMessage() * unit.brokerMicrosPerMessageFactor() / 1e6
                / (BROKER_CORES * unit.cpuTarget());
        int brokers = Math.max(3, (int) ceil(Math.max(brokersByBytes, brokersByCpu)));
        out.add(new Line("kafka", "node-topic records/s", deliveries, "T x sessions/user + B x N", "model (sessions on distinct nodes)"));
        out.add(new Line("kafka", "session-opened markers/s", markers, "C / (lifetime x 0.9)", "model (lifetime jitter up to 20 %)"));
        out.add(new Line("kafka", "write MB/s (before replication)", writeMBps, "(T + deliveries) x recordBytes", "assumed record size"));
        out.add(new Line("kafka", "brokers by bytes", ceil(brokersByBytes), "write MB/s x 3 / 200 MB/s", "assumed broker rate"));
        out.add(new Line("kafka", "brokers by CPU", ceil(brokersByCpu), "T x 21 us x 2.5 / (8 cores x target)", "measured RF1 cost, assumed factor"));
        out.add(new Line("kafka", "brokers", brokers, "max, at least 3", "model"));
        out.add(new Line("kafka", "push-requests disk per hour of retention, TB", t * unit.recordBytes() * 3600 * REPLICATION / 1e12,
                "T x recordBytes x 3600 x 3", "assumed record size"));
        out.add(new Line("kafka", "topic partitions (push-requests, node topics, DLQ, control)", partitions + connectors + 2.0,
                "P + N + 2", "model"));

        // Redis: commands per operation from RedisRouteRegistry, RedisNodeRegistry, RedisDedupeWindow.
        double connects = markers;
        double register = 2 * connects;            // SADD node-routes + HSET route, one pipelined round trip
        double unregister = 2 * connects;          // EVAL compare-and-delete + SREM, two round trips
        double heartbeat = 2 * connectors / HEARTBEAT_SECONDS;  // EVAL renew + HSET nodes
        double liveNodes = dispatchers * (1 + connectors) / LIVE_NODES_TTL_SECONDS;  // HKEYS nodes + EXISTS per node
        double lookups = Math.min(t, users / load.routeCacheTtlSeconds() + connects);  // HVALS per cache miss
        double dedupe = t * load.withMessageId();  // one EVAL (SET NX PX, GET) per request with a messageId
        double redisOps = register + unregister + heartbeat + liveNodes + lookups + dedupe;
        int shards = (int) ceil(redisOps / unit.redisOpsPerShard());
        double dedupeKeys = dedupe * load.dedupeWindowSeconds();
        double memoryGB = (c * (ROUTE_BYTES + INDEX_BYTES) + dedupeKeys * DEDUPE_BYTES) / 1e9;
        out.add(new Line("redis", "register (connect), cmds/s", register, "2 x connects/s", "code"));
        out.add(new Line("redis", "unregister (close), cmds/s", unregister, "2 x closes/s", "code"));
        out.add(new Line("redis", "heartbeats, cmds/s", heartbeat, "2 x N / 3 s", "code"));
        out.add(new Line("redis", "live-node checks, cmds/s", liveNodes, "D x (1 + N) / 1 s", "code"));
        out.add(new Line("redis", "route lookups (cache misses), cmds/s", lookups, "min(T, users / cacheTtl + connects/s)", "model"));
        out.add(new Line("redis", "dedupe claims, cmds/s", dedupe, "T x share with messageId", "code"));
        out.add(new Line("redis", "total cmds/s", redisOps, "sum", "model"));
        out.add(new Line("redis", "primaries", shards, "total / redisOpsPerShard", "assumed shard rate"));
        out.add(new Line("redis", "dedupe keys, millions", dedupeKeys / 1e6, "dedupe/s x window", "code"));
        out.add(new Line("redis", "memory, GB", memoryGB, "C x 210 B + dedupe keys x 110 B", "assumed entry sizes"));

        // Losing one zone.
        double resuming = c / z;
        double survivors = connectors * surviving;
        double perSurvivor = resuming / survivors;
        double rate = unit.resumesPerSecondPerCore() * unit.coresPerConnector();
        double storm = unit.noticeSeconds() + perSurvivor / rate;
        double scanRecords = t * load.gapSeconds();
        out.add(new Line("zone loss", "clients resuming", resuming, "C / Z", "model"));
        out.add(new Line("zone loss", "resumes per survivor", perSurvivor, "C / Z / (N x (Z-1)/Z)", "model"));
        out.add(new Line("zone loss", "seconds until all resumed (estimate)", storm,
                "notice + per survivor / (775 x cores)", "measured rates, assumed linear in cores"));
        out.add(new Line("zone loss", "Redis cmds/s during it", 2 * resuming / (storm - unit.noticeSeconds()),
                "2 x resuming / resume time", "code + model"));
        out.add(new Line("zone loss", "records each survivor's replay scans", scanRecords,
                "T x gap (its resumers' users span every partition)", "code (one pass per batch) + model"));
        out.add(new Line("zone loss", "TB read from Kafka by all replays", survivors * scanRecords * unit.recordBytes() / 1e12,
                "survivors x T x gap x recordBytes", "model"));
        return new Result(connectors, dispatchers, partitions, brokers, shards, redisOps, storm, List.copyOf(out));
    }

    private static int roundUpTo(double value, int multiple) {
        int n = (int) ceil(value);
        return ((n + multiple - 1) / multiple) * multiple;
    }

    /** Ceiling that ignores floating-point dust ({@code 300.0000001} is 300). */
    private static double ceil(double value) {
        return Math.ceil(value - 1e-9);
    }

    /** Markdown table of the lines. */
    public static String table(Result result) {
        StringBuilder s = new StringBuilder("| tier | quantity | value | formula | basis |\n|---|---|---|---|---|\n");
        for (Line l : result.lines()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", l.section(), l.quantity(),
                    format(l.value()), l.formula(), l.basis()));
        }
        return s.toString();
    }

    static String format(double v) {
        if (v >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
