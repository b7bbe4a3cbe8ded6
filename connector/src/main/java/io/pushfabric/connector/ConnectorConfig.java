package io.pushfabric.connector;

import io.pushfabric.connector.auth.AuthSettings;
import io.pushfabric.connector.http.TlsSettings;
import io.pushfabric.connector.http.WebSocketSettings;
import io.pushfabric.connector.kafka.ReplaySettings;
import io.pushfabric.connector.limits.LimitSettings;
import io.pushfabric.connector.session.ChannelSettings;
import io.pushfabric.connector.session.DrainSettings;
import io.pushfabric.connector.session.SessionSettings;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.config.PresenceSettings;
import io.pushfabric.contracts.config.Env;
import io.pushfabric.contracts.config.KafkaSettings;
import io.pushfabric.contracts.receipts.ReceiptSettings;
import io.pushfabric.registry.RedisSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a connector is told at start; {@code docs/operations.md} lists every variable.
 *
 * @param nodeId           {@code PUSH_NODE_ID} (default: the host name). Must stay the same across restarts.
 * @param advertisedAddress {@code PUSH_ADVERTISED_ADDRESS} (default host name:port): how others reach this node
 * @param presence         {@code PUSH_PRESENCE_*}: when enabled, every session opened or closed schedules a presence
 *                         check of its user (docs/protocol.md §7)
 * @param tls              {@code PUSH_TLS_CERT} / {@code PUSH_TLS_KEY}: {@code wss://} on the connector itself, or empty
 * @param channels         {@code PUSH_CHANNEL_NAMESPACES} and the channel limits
 * @param receipts         {@code PUSH_RECEIPTS}, {@code PUSH_TOPIC_RECEIPTS}, ...: see {@link ReceiptSettings}
 */
public record ConnectorConfig(NodeId nodeId, String advertisedAddress, WebSocketSettings webSocket,
                              KafkaSettings kafka, RedisSettings redis, AuthSettings auth, SessionSettings session,
                              ReplaySettings replay, DrainSettings drain, LeaseSettings lease,
                              TopicSettings topicSettings, LimitSettings limits, Optional<TlsSettings> tls,
                              PresenceSettings presence, ChannelSettings channels, ReceiptSettings receipts) {

    /**
     * @param ttl       {@code PUSH_LEASE_TTL_MS} (default 10000): a node silent this long is dead for routing
     * @param heartbeat {@code PUSH_HEARTBEAT_MS} (default 3000): how often the lease is refreshed
     */
    public record LeaseSettings(Duration ttl, Duration heartbeat) {
        public LeaseSettings {
            if (heartbeat.compareTo(ttl) >= 0) {
                throw new io.pushfabric.contracts.config.ConfigException(
                        "PUSH_HEARTBEAT_MS (" + heartbeat.toMillis() + ") must be below PUSH_LEASE_TTL_MS (" + ttl.toMillis() + ")");
            }
        }
    }

    /**
     * Used only when this node creates a missing topic.
     *
     * @param requestPartitions  {@code PUSH_REQUESTS_PARTITIONS} (default 12)
     * @param replication        {@code PUSH_TOPIC_REPLICATION} (default 0 = min(3, brokers))
     * @param nodeTopicRetention {@code PUSH_NODE_TOPIC_RETENTION_MS} (default 3600000): deliveries are
     *                           transient; replay reads push-requests, never a node topic
     */
    public record TopicSettings(int requestPartitions, int replication, Duration nodeTopicRetention) {
    }

    public ConnectorConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(receipts, "receipts");
    }

    public static ConnectorConfig fromEnv(Map<String, String> vars) {
        return fromEnv(vars, AuthSettings.fromEnv(new Env(vars)));
    }

    /** For the connectors {@code ./pushfabric dev} starts on loopback: they may use the public dev secret. */
    public static ConnectorConfig fromEnvInDevLauncher(Map<String, String> vars) {
        return fromEnv(vars, AuthSettings.fromEnvInDevLauncher(new Env(vars)));
    }

    private static ConnectorConfig fromEnv(Map<String, String> vars, AuthSettings auth) {
        Env env = new Env(vars);
        WebSocketSettings ws = WebSocketSettings.fromEnv(env);
        String host = hostName();
        return new ConnectorConfig(
                env.optional("PUSH_NODE_ID").map(NodeId::of).orElseGet(() -> NodeId.fromHostName(host)),
                env.string("PUSH_ADVERTISED_ADDRESS", host + ":" + ws.port()),
                ws,
                KafkaSettings.fromEnv(env),
                RedisSettings.fromEnv(env),
                auth,
                SessionSettings.fromEnv(env),
                ReplaySettings.fromEnv(env),
                DrainSettings.fromEnv(env),
                new LeaseSettings(env.millis("PUSH_LEASE_TTL_MS", Duration.ofSeconds(10), Duration.ofMillis(500)),
                        env.millis("PUSH_HEARTBEAT_MS", Duration.ofSeconds(3), Duration.ofMillis(100))),
                new TopicSettings(env.integer("PUSH_REQUESTS_PARTITIONS", 12, 1, 10_000),
                        env.integer("PUSH_TOPIC_REPLICATION", 0, 0, 32),
                        env.millis("PUSH_NODE_TOPIC_RETENTION_MS", Duration.ofHours(1), Duration.ofMinutes(1))),
                LimitSettings.fromEnv(env),
                TlsSettings.fromEnv(env),
                PresenceSettings.fromEnv(env),
                ChannelSettings.fromEnv(env),
                ReceiptSettings.fromEnv(env));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** One line for the start-up log, secrets hidden. */
    public String describe() {
        return "node=" + nodeId + " advertised=" + advertisedAddress + " " + webSocket + " kafka="
                + kafka.bootstrapServers() + " topics=" + kafka.topics() + " kafkaProps=" + kafka.redacted()
                + " redis=" + redis.redacted() + " prefix=" + redis.keyPrefix() + " " + redis.replicaSync()
                + " " + auth + " " + session
                + " " + replay + " " + drain + " " + lease + " " + limits
                + " tls=" + tls.map(TlsSettings::certificate).orElse(null) + " " + presence + " " + channels + " " + receipts;
    }
}
