package io.pushfabric.contracts.config;

import io.pushfabric.contracts.Topics;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a service reaches Kafka.
 *
 * @param bootstrapServers {@code PUSH_KAFKA_BOOTSTRAP} (default {@code localhost:9092})
 * @param topics           {@code PUSH_TOPIC_REQUESTS} (default {@code push-requests}), {@code PUSH_TOPIC_DLQ}
 *                         (default {@code <requests>.dlq}), {@code PUSH_TOPIC_NODE_PREFIX} (default {@code push.node.})
 * @param clientProperties every {@code KAFKA_*} variable, passed to the Kafka clients unchanged as a
 *                         property: {@code KAFKA_SECURITY_PROTOCOL=SSL} becomes {@code security.protocol=SSL}
 */
public record KafkaSettings(String bootstrapServers, Topics topics, Map<String, String> clientProperties) {
    /** Properties whose values are credentials: passwords, JAAS configs, secrets, PEM keys and certificates, tokens. */
    private static final java.util.regex.Pattern SECRET_KEYS =
            java.util.regex.Pattern.compile("password|jaas|secret|\\.key$|keystore\\.key|certificate|token|credential");

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        clientProperties = Map.copyOf(clientProperties);
    }

    public static KafkaSettings fromEnv(Env env) {
        String requests = env.string("PUSH_TOPIC_REQUESTS", Topics.DEFAULT.requests());
        Topics topics = new Topics(requests,
                env.string("PUSH_TOPIC_DLQ", requests + ".dlq"),
                env.string("PUSH_TOPIC_NODE_PREFIX", Topics.DEFAULT.nodePrefix()));
        Map<String, String> props = new HashMap<>();
        env.vars().forEach((k, v) -> {
            if (k.startsWith("KAFKA_") && k.length() > 6) {
                props.put(k.substring(6).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        return new KafkaSettings(env.string("PUSH_KAFKA_BOOTSTRAP", "localhost:9092"), topics, props);
    }

    /** Defaults, then the pass-through properties, then the bootstrap servers: a base for any client. */
    public Map<String, Object> clientConfig(Map<String, Object> defaults) {
        Map<String, Object> config = new HashMap<>(defaults);
        config.putAll(clientProperties);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /** The pass-through properties with secrets hidden, for the start-up log line. */
    public Map<String, String> redacted() {
        Map<String, String> shown = new HashMap<>();
        clientProperties.forEach((k, v) -> shown.put(k, SECRET_KEYS.matcher(k).find() ? "****" : v));
        return shown;
    }
}
