package io.pushfabric.dispatcher;

import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.config.Env;
import io.pushfabric.contracts.config.KafkaSettings;
import io.pushfabric.contracts.config.PresenceSettings;
import io.pushfabric.contracts.receipts.ReceiptSettings;
import io.pushfabric.dispatcher.routing.RouteResolver.CacheSettings;
import io.pushfabric.registry.RedisSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a dispatcher is told at start. Each field names its variable and default in
 * {@code docs/operations.md}.
 *
 * @param presence   presence events ({@code PUSH_PRESENCE_*}): this dispatcher checks the presence of the users of its
 *                   partitions and publishes the transitions
 * @param stallLimit {@code PUSH_DISPATCH_STALL_LIMIT_MS} (default 30000): how long one batch may keep failing and
 *                   being retried before {@code /readyz} reports the dispatcher not ready
 * @param receipts   {@code PUSH_RECEIPTS}, {@code PUSH_TOPIC_RECEIPTS}, ...: see {@link ReceiptSettings}
 * @param minCycle   {@code PUSH_DISPATCH_MIN_CYCLE_MS} (default 5, 0 = none): the dispatch loop's shortest
 *                   poll-to-poll cycle while requests flow, so that under load each poll brings more of them
 */
public record DispatcherConfig(KafkaSettings kafka, RedisSettings redis, String groupId, TopicSettings topicSettings,
                               int maxPayloadBytes, Duration dedupeWindow, CacheSettings cache,
                               Duration maxRetryBackoff, int httpPort, JanitorSettings janitor,
                               Duration stallLimit, PresenceSettings presence, ReceiptSettings receipts,
                               Duration minCycle) {

    /**
     * @param interval {@code PUSH_JANITOR_INTERVAL_MS} (default 30000): how often one dispatcher looks for dead nodes
     * @param grace    {@code PUSH_JANITOR_GRACE_MS} (default 300000): how long a node must have been silent before
     *                 its routes and topic are removed; a node restarting within it keeps everything
     */
    public record JanitorSettings(Duration interval, Duration grace) {
    }

    /**
     * Used only when the dispatcher creates a missing topic.
     *
     * @param requestPartitions {@code PUSH_REQUESTS_PARTITIONS}, default 12
     * @param replication       {@code PUSH_TOPIC_REPLICATION}, default 0 = min(3, brokers)
     */
    public record TopicSettings(int requestPartitions, int replication) {
    }

    public DispatcherConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(stallLimit, "stallLimit");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(receipts, "receipts");
        Objects.requireNonNull(minCycle, "minCycle");
    }

    public static DispatcherConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        return new DispatcherConfig(
                KafkaSettings.fromEnv(env),
                RedisSettings.fromEnv(env),
                env.string("PUSH_DISPATCHER_GROUP", "pushfabric-dispatcher"),
                new TopicSettings(env.integer("PUSH_REQUESTS_PARTITIONS", 12, 1, 10_000),
                        env.integer("PUSH_TOPIC_REPLICATION", 0, 0, 32)),
                env.integer("PUSH_MAX_PAYLOAD_BYTES", PushRequestCodec.DEFAULT_MAX_PAYLOAD_BYTES, 1, 16 * 1024 * 1024),
                env.millis("PUSH_DEDUPE_WINDOW_MS", Duration.ofMinutes(10), Duration.ofSeconds(1)),
                new CacheSettings(env.integer("PUSH_ROUTE_CACHE_MAX_USERS", 1_000_000, 0, Integer.MAX_VALUE),
                        env.millis("PUSH_ROUTE_CACHE_TTL_MS", Duration.ofSeconds(60), Duration.ofMillis(1)),
                        env.millis("PUSH_LIVE_NODES_TTL_MS", Duration.ofSeconds(1), Duration.ZERO)),
                env.millis("PUSH_RETRY_MAX_BACKOFF_MS", Duration.ofSeconds(5), Duration.ofMillis(100)),
                env.integer("PUSH_HTTP_PORT", 8090, 0, 65535),
                new JanitorSettings(env.millis("PUSH_JANITOR_INTERVAL_MS", Duration.ofSeconds(30), Duration.ofMillis(100)),
                        env.millis("PUSH_JANITOR_GRACE_MS", Duration.ofMinutes(5), Duration.ZERO)),
                env.millis("PUSH_DISPATCH_STALL_LIMIT_MS", Duration.ofSeconds(30), Duration.ofSeconds(1)),
                PresenceSettings.fromEnv(env),
                ReceiptSettings.fromEnv(env),
                env.millis("PUSH_DISPATCH_MIN_CYCLE_MS", Duration.ofMillis(5), Duration.ZERO));
    }

    /** One line for the start-up log, secrets hidden. */
    public String describe() {
        return "kafka=" + kafka.bootstrapServers() + " topics=" + kafka.topics() + " kafkaProps=" + kafka.redacted()
                + " redis=" + redis.redacted() + " prefix=" + redis.keyPrefix() + " group=" + groupId
                + " maxPayloadBytes=" + maxPayloadBytes + " dedupeWindow=" + dedupeWindow + " cache=" + cache
                + " httpPort=" + httpPort + " " + janitor + " stallLimit=" + stallLimit + " minCycle=" + minCycle.toMillis() + "ms " + presence + " " + receipts;
    }
}
