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

    /**
     * Settings the guarantees rest on; a {@code KAFKA_*} variable cannot change them (it is ignored, with
     * a warning), so a stray {@code KAFKA_ACKS=1} cannot make pushfabric lose messages.
     */
    public static final java.util.Set<String> PROTECTED = java.util.Set.of("acks", "enable.idempotence",
            "enable.auto.commit", "auto.offset.reset", "group.id", "client.id", "isolation.level",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer", "bootstrap.servers");

    /**
     * The client settings: pushfabric's {@code defaults}, then the pass-through properties (tuning such as
     * {@code linger.ms}, security), except {@link #PROTECTED} ones, then the bootstrap servers.
     */
    public Map<String, Object> clientConfig(Map<String, Object> defaults) {
        Map<String, Object> config = new HashMap<>(defaults);
        clientProperties.forEach((k, v) -> {
            if (PROTECTED.contains(k)) {
                org.slf4j.LoggerFactory.getLogger(KafkaSettings.class)
                        .warn("Ignoring KAFKA_ variable for '{}': pushfabric sets it itself", k);
            } else {
                config.put(k, v);
            }
        });
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
