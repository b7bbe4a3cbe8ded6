package io.pushfabric.loadtest.fabric;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A fabric that is already running (e.g. {@code ./pushfabric dev}, or a fleet behind a load balancer).
 *
 * @param urls       WebSocket URLs clients connect to
 * @param bootstrap  Kafka bootstrap servers
 * @param topic      the push-requests topic
 * @param secret     the connectors' JWT secret
 * @param issuer     required {@code iss}, or null
 * @param audience   required {@code aud}, or null
 * @param monitor    processes to sample, by name (names starting with "connector" are connectors, in URL order)
 * @param dispatcherGroup the dispatchers' consumer group
 * @param nodeTopicPrefix prefix of the node topics
 */
public record ExistingFabricSpec(List<URI> urls, String bootstrap, String topic, String secret, String issuer,
                                 String audience, Map<String, Long> monitor, String dispatcherGroup,
                                 String nodeTopicPrefix) implements FabricSpec {
    public ExistingFabricSpec {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--connect needs at least one ws:// URL");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("--secret (the connectors' PUSH_JWT_SECRET) is required with --connect");
        }
        urls = List.copyOf(urls);
        monitor = Map.copyOf(monitor);
    }
}
