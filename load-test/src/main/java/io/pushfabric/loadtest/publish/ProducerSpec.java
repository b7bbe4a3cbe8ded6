package io.pushfabric.loadtest.publish;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the load generator's publisher talks to Kafka: how many producer instances the messages are spread
 * over, and Kafka producer properties on top of {@code PushPublisher}'s defaults ({@code acks=all}, idempotence,
 * its {@code linger.ms}). Messages are spread by key (a user's, a channel's), so each key keeps its order.
 *
 * @param producers  producer instances, each with its own connection and sender thread
 * @param properties producer properties that override the publisher's defaults, e.g. {@code linger.ms=0}
 */
public record ProducerSpec(int producers, Map<String, String> properties) {
    /** One producer with {@code PushPublisher}'s settings, as every run before these options had. */
    public static final ProducerSpec DEFAULT = new ProducerSpec(1, Map.of());

    public ProducerSpec {
        if (producers < 1 || producers > 10_000) {
            throw new IllegalArgumentException("--producers must be in 1..10000, was " + producers);
        }
        for (String key : properties.keySet()) {
            if (key.equals("bootstrap.servers") || key.equals("client.id") || key.endsWith(".serializer")) {
                throw new IllegalArgumentException("producer property " + key + " is set by the load generator");
            }
        }
        properties = Map.copyOf(properties);
    }

    /** @param lingerMs {@code linger.ms}, or null to keep the publisher's (or {@code -X linger.ms=})  */
    public static ProducerSpec of(int producers, Integer lingerMs, Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        if (lingerMs != null) {
            if (lingerMs < 0) {
                throw new IllegalArgumentException("--producer-linger-ms must be >= 0, was " + lingerMs);
            }
            all.put("linger.ms", Integer.toString(lingerMs));
        }
        return new ProducerSpec(producers, all);
    }

    /** "1 producer, PushPublisher defaults" or "200 producers, linger.ms=0" for reports. */
    public String describe() {
        return producers + (producers == 1 ? " producer, " : " producers, ")
                + (properties.isEmpty() ? "PushPublisher defaults (acks=all, idempotent, its linger.ms)"
                : "PushPublisher defaults overridden by " + new TreeMap<>(properties));
    }
}
