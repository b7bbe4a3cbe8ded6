package io.pushfabric.dispatcher.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the HTTP API counts: {@code pushfabric.api.requests} by endpoint and status (every answer, errors
 * included), and {@code pushfabric.api.published} by key name (requests Kafka acknowledged).
 */
final class ApiMetrics {
    private final MeterRegistry registry;

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(String endpoint, int status) {
        Counter.builder("pushfabric.api.requests")
                .description("HTTP API requests answered, by endpoint and status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .register(registry).increment();
    }

    void published(ApiKey key, long requests) {
        Counter.builder("pushfabric.api.published")
                .description("Push requests published through the HTTP API and acknowledged by Kafka, by key")
                .tag("key", key.name())
                .register(registry).increment(requests);
    }
}
